// Statuses set in salescore, sent back to the shop. After each poll the orders of this
// shop that someone else changed (changes_read leaves out the connector's own writes, so
// what came from the shop never echoes back) are queued as "status.push" actions, one
// per change, keyed by order and change: deliver() sends each with the host's retries,
// backoff and dead letters. A status the shop already has is not sent again.
#include <Poco/JSON/Object.h>

#include <sstream>

#include "json_read.h"
#include "shop.h"

namespace salescore::webshop {
namespace {

struct Changes {
  const Shop* shop;
  std::vector<std::string> records;
};

int collect(void* ctx, const char* json, size_t size) {
  static_cast<Changes*>(ctx)->records.emplace_back(json, size);
  return 0;
}

}  // namespace

sc_status Shop::queue_status_changes(Cursor& cursor) {
  if (!SC_HAS_FIELD(api_, sc_host_api, changes_read) || !api_->changes_read) return SC_OK;
  for (;;) {
    Changes changes{this, {}};
    std::int64_t next = cursor.pushed_seq;
    if (sc_status st = api_->changes_read(host_, "order", cursor.pushed_seq, 500, collect, &changes, &next); st != SC_OK)
      return st;
    for (const std::string& text : changes.records) {
      JsonObject change = parse_object(text, "changed order");
      JsonObject record = object_at(change, "record");
      if (text_at(record, "source") != s_.connector || text_at(record, "external_id").empty()) continue;
      const std::string ours = text_at(record, "status");
      const std::string theirs = text_at(object_at(record, "custom"), "shop_status");
      // The shop's own status already means ours (a webhook brought it): nothing to send.
      if (auto same = s_.statuses->to_salescore(theirs); same && *same == ours) continue;
      auto shop_status = s_.statuses->to_shop(ours);
      if (!shop_status) {
        api_->log(host_, SC_LOG_WARN, ("status '" + ours + "' has no shop status in status_map: order " +
                                       text_at(record, "external_id") + " not sent").c_str());
        continue;
      }
      Poco::JSON::Object action;
      action.set("external_id", text_at(record, "external_id"));
      action.set("status", *shop_status);
      action.set("salescore_status", ours);
      std::ostringstream payload;
      action.stringify(payload);
      const std::string p = payload.str();
      const std::string key = "status:" + text_at(record, "external_id") + "@" + text_at(change, "seq");
      if (sc_status st = api_->enqueue_outbound(host_, "status.push", p.data(), p.size(), key.c_str()); st != SC_OK)
        return st;
    }
    const bool moved = next != cursor.pushed_seq;
    cursor.pushed_seq = next;
    save_cursor(cursor);
    if (!moved || changes.records.size() < 500) return SC_OK;
  }
}

sc_status Shop::deliver(const sc_outbound* item) {
  const std::string kind = item->kind ? item->kind : "";
  if (kind != "status.push") return SC_OK;  // nothing else is queued for a shop
  JsonObject action;
  try {
    action = parse_object(std::string(item->payload, item->payload_size), "status.push");
  } catch (const std::exception& e) {
    return api_->fail(host_, SC_INVALID_ARGUMENT, e.what());
  }
  const std::string id = text_at(action, "external_id"), status = text_at(action, "status");
  auto calls = s_.platform->set_status(id, status);
  if (calls.empty())
    return api_->fail(host_, SC_FAILED_PRECONDITION,
                      (s_.platform->name() + " cannot be set to '" + status + "' through its API (order " + id +
                       "): change it in the shop, or map that salescore status elsewhere in status_out")
                          .c_str());
  // Each call's answer may ask for more (Shopify: the fulfilment orders to fulfil; Medusa:
  // the fulfilment, then its shipment). A shop whose answers never say "done" is not
  // called forever: past kMaxCalls the change is a dead letter.
  constexpr std::size_t kMaxCalls = 32;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (i == kMaxCalls)
      return api_->fail(host_, SC_FAILED_PRECONDITION,
                        (s_.platform->name() + " still asks for more after " + std::to_string(kMaxCalls) +
                         " calls setting '" + status + "' on order " + id + ": given up")
                            .c_str());
    HttpOutcome got = s_.http->call(calls[i]);
    if (got.status != SC_OK) return api_->fail(host_, got.status, got.reason.c_str());
    try {
      for (ShopCall& more : s_.platform->status_follow_up(id, status, got.reply)) calls.push_back(std::move(more));
    } catch (const std::exception& e) {
      // The shop refused the change for what it is (a cancelled order fulfilled): a dead
      // letter with the shop's words, not a retry that gets the same answer.
      return api_->fail(host_, SC_FAILED_PRECONDITION,
                        (s_.platform->name() + " refused '" + status + "' for order " + id + ": " + e.what()).c_str());
    }
  }
  return SC_OK;
}

}  // namespace salescore::webshop
