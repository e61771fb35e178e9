// An order as a shop platform describes it, in the platform's own terms (status, ids,
// decimal amounts as the shop wrote them), before it becomes salescore's records
// (order_records.h). Each adapter (platform.h) reads its platform's JSON into this.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace salescore::webshop {

// The shop's data does not say what we need (a missing id, a date that is no date): the
// webhook is answered 400, the polled page is reported; never a crash.
struct ShopDataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The shop says the order does not exist (deleted since the event named it): nothing to
// apply, as a 404 would say.
struct ShopOrderGone : ShopDataError {
  using ShopDataError::ShopDataError;
};

struct ShopCustomer {
  std::string id;  // the shop's customer id; "" for a guest
  std::string name;
  std::string email;
  std::string phone;
};

struct ShopLine {
  std::string sku;         // the variation's SKU, else the product's (a variation may have none)
  std::string name;
  std::string quantity;    // decimal text
  std::string unit_price;  // decimal text, before the line's discount
  std::string discount;    // decimal text, the line's whole discount
};

struct ShopOrder {
  std::string id;         // the shop's order id: the record's external id
  std::string number;     // what the customer sees ("#1001")
  std::string status;     // the shop's status, mapped by the status map (status_map.h)
  std::string currency;   // ISO 4217, upper case
  std::string created_at; // ISO 8601 UTC
  std::int64_t version = 0;    // modified time in ms (GMT), or later for changes that do not move it
  std::int64_t listed_at = 0;  // the time the listing filters on (the poll cursor), ms
  ShopCustomer customer;
  std::vector<ShopLine> lines;
  // The shop's own amounts, kept verbatim (decimal text): total, tax, shipping,
  // discount, refunded, paid. Never recomputed: order_records.cpp records the difference
  // from salescore's line arithmetic as an explicit adjustment.
  std::map<std::string, std::string> totals;
  std::map<std::string, std::string> attributes;  // payment/fulfilment states etc.
  // The payment transaction's id at the payment provider ("" if none or not said): orders
  // sharing one are flagged (record_apply.h, "payment_reference").
  std::string payment_reference;
};

}  // namespace salescore::webshop
