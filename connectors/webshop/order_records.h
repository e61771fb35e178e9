// A shop order as salescore's records: its buyer as a `client` record and the order as
// an `order` record naming that client by the shop's id, its phone and its e-mail (the
// host matches a client it already has: by phone, then e-mail, else makes one).
#pragma once

#include <string>

#include "shop_order.h"
#include "status_map.h"

namespace salescore::webshop {

struct RecordOptions {
  std::string platform;     // "woocommerce": kept in the order's custom fields
  std::string unknown_sku;  // keep | refuse | stub (record_apply.h)
};

struct OrderRecords {
  std::string client_id;  // the client record's external id
  std::string client_json;
  std::string order_json;
};

// The buyer's external id: the shop's customer id, else "guest:" and the e-mail, the
// phone, or the order's id (a guest who gave neither is still a client of one order).
std::string buyer_id(const ShopOrder& o);

OrderRecords order_records(const ShopOrder& o, const StatusMap& statuses, const RecordOptions& options);

// A status-only order record (what a webhook may say of an order already known).
std::string status_record(const std::string& salescore_status, std::int64_t version);

}  // namespace salescore::webshop
