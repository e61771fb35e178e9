#include "line_amounts.h"

#include <algorithm>

#include "json_read.h"

namespace salescore::webshop {

// Products of amounts in micro units overflow 64 bits; GCC and clang have 128.
__extension__ typedef __int128 wide;

ShopLine line_from_totals(const std::string& sku, const std::string& name, const std::string& quantity,
                          const std::string& subtotal, const std::string& total) {
  ShopLine l;
  l.sku = sku;
  l.name = name;
  l.quantity = quantity;
  auto qty = micro_units(quantity);
  auto gross = micro_units(subtotal);
  auto net = micro_units(total);
  if (!qty || *qty <= 0 || !gross) {
    l.unit_price = subtotal;  // the order's own check names what is wrong
    l.discount = "0";
    return l;
  }
  // micro units: gross / (qty / 1e6), rounded to 10^4 micro (a cent).
  const wide unit = static_cast<wide>(*gross) * 1000000 / *qty;
  const std::int64_t cents = static_cast<std::int64_t>((unit + (unit >= 0 ? 5000 : -5000)) / 10000);
  l.unit_price = micro_text(cents * 10000);
  // The discount never exceeds the rounded unit price times the quantity (a 100 % coupon
  // on 10.00 for 3 is 3.33 x 3 - 9.99, not 10.00): the cent left goes to the adjustment.
  const std::int64_t ours = static_cast<std::int64_t>(static_cast<wide>(cents) * 10000 * *qty / 1000000);
  std::int64_t discount = net ? *gross - *net : 0;
  discount = std::clamp<std::int64_t>(discount, 0, ours > 0 ? ours : 0);
  l.discount = micro_text(discount);
  return l;
}

}  // namespace salescore::webshop
