// An order line from the amounts shops give: the line's subtotal (before discounts) and
// total (after), from which salescore's unit price and line discount follow.
#pragma once

#include <string>

#include "shop_order.h"

namespace salescore::webshop {

// Unit price = subtotal / quantity rounded half-up to the cent, discount = subtotal -
// total (never negative). What rounding loses shows in the order's adjustment
// (order_records.cpp), never silently.
ShopLine line_from_totals(const std::string& sku, const std::string& name, const std::string& quantity,
                          const std::string& subtotal, const std::string& total);

}  // namespace salescore::webshop
