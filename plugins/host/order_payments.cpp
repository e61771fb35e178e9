#include "host/order_payments.h"

#include <algorithm>
#include <sstream>

#include "salescore/connector_ingest.h"

namespace salescore::plugins {
namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    item.erase(0, item.find_first_not_of(' '));
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string join_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// `flag` with `more` added, each external id once, in order.
std::string with(const std::string& flag, const std::vector<std::string>& more) {
  std::vector<std::string> items = split_list(flag);
  for (const auto& item : more)
    if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
  std::sort(items.begin(), items.end());
  return join_list(items);
}

}  // namespace

Result<std::vector<std::string>> note_order_payment(Engine& e, const std::string& source,
                                                    const std::string& external_id, const std::string& reference,
                                                    Order& order) {
  SC_ASSIGN_OR_RETURN(auto others, ConnectorIngestService(e).note_payment_reference(source, reference, external_id));
  if (!others.empty()) {
    auto kept = order.custom.find(kPaymentSharedWith);
    order.custom[kPaymentSharedWith] = with(kept == order.custom.end() ? "" : kept->second, others);
  }
  return others;
}

Status flag_orders_sharing_payment(Engine& e, const Actor& a, const std::string& source,
                                   const std::vector<std::string>& others, const std::string& external_id) {
  for (const auto& other : others) {
    SC_ASSIGN_OR_RETURN(auto id, e.connectors().id_by_source("order", source, other));
    if (!id) continue;
    SC_ASSIGN_OR_RETURN(Order order, e.orders().get(a, *id));
    auto kept = order.custom.find(kPaymentSharedWith);
    const std::string flag = with(kept == order.custom.end() ? "" : kept->second, {external_id});
    if (kept != order.custom.end() && kept->second == flag) continue;
    OrderPatch patch;
    patch.custom = order.custom;
    (*patch.custom)[kPaymentSharedWith] = flag;
    SC_RETURN_IF_ERROR(e.orders().update(a, *id, patch).status());
  }
  return Status::ok();
}

}  // namespace salescore::plugins
