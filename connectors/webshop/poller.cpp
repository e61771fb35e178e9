// The poll: every order modified since the cursor, re-reading an overlap window before
// it (an order saved while a page was read, a clock a little behind), page by page, each
// page's records applied before the cursor moves past them. Once per reconcile interval
// the window is the last reconcile_window days instead, and every order still open in
// the shop is read again: what a lost webhook and a change that does not move the
// modified time (Medusa's payment capture) left behind. The version guard and the inbox
// make re-reading an order cost nothing.
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <sstream>
#include <vector>

#include "json_read.h"
#include "shop.h"

namespace salescore::webshop {

Shop::Shop(const sc_host_api* api, sc_host* host, ShopSettings settings)
    : api_(api), host_(host), s_(std::move(settings)) {}

Cursor Shop::read_cursor() {
  Cursor c;
  size_t size = 0;
  if (api_->checkpoint_read(host_, nullptr, 0, &size) != SC_OK || size == 0) return c;
  std::string text(size, '\0');
  if (api_->checkpoint_read(host_, text.data(), size, &size) != SC_OK) return c;
  try {
    JsonObject o = parse_object(text, "checkpoint");
    c.since_ms = o->optValue<Poco::Int64>("since_ms", 0);
    c.reconciled_ms = o->optValue<Poco::Int64>("reconciled_ms", 0);
    c.pushed_seq = o->optValue<Poco::Int64>("pushed_seq", 0);
  } catch (const std::exception& e) {
    api_->log(host_, SC_LOG_WARN, ("checkpoint unreadable, starting over: " + std::string(e.what())).c_str());
  }
  return c;
}

void Shop::save_cursor(const Cursor& c) {
  Poco::JSON::Object o;
  o.set("since_ms", c.since_ms);
  o.set("reconciled_ms", c.reconciled_ms);
  o.set("pushed_seq", c.pushed_seq);
  std::ostringstream text;
  o.stringify(text);
  const std::string t = text.str();
  api_->checkpoint_save(host_, t.data(), t.size());
}

sc_status Shop::emit_page(const std::vector<ShopOrder>& orders) {
  std::vector<OrderRecords> built;
  built.reserve(orders.size());
  for (const auto& o : orders) built.push_back(order_records(o, *s_.statuses, s_.records));
  std::vector<sc_record> records;
  records.reserve(orders.size() * 2);
  for (std::size_t i = 0; i < orders.size(); ++i) {
    sc_record client{sizeof(sc_record), "client", s_.connector.c_str(), built[i].client_id.c_str(),
                     built[i].client_json.data(), built[i].client_json.size(), nullptr};
    sc_record order{sizeof(sc_record), "order", s_.connector.c_str(), orders[i].id.c_str(),
                    built[i].order_json.data(), built[i].order_json.size(), nullptr};
    records.push_back(client);
    records.push_back(order);
  }
  if (records.empty()) return SC_OK;
  const sc_status st = api_->emit_records(host_, records.data(), records.size());
  // Not taken (intake paused, database busy): the caller stops; everything else is applied
  // or kept as a dead letter with its reason.
  if (st == SC_RESOURCE_EXHAUSTED || st == SC_UNAVAILABLE) return st;
  return SC_OK;
}

sc_status Shop::emit_order(const ShopOrder& o) { return emit_page({o}); }

sc_status Shop::read_pages(const std::function<std::optional<ShopCall>(const std::string& next)>& list,
                           Cursor* cursor) {
  std::string next;
  do {
    std::optional<ShopCall> call = list(next);
    if (!call) return SC_OK;  // the platform cannot list so (open orders): the window re-read covers them
    HttpOutcome got = s_.http->call(*call);
    if (got.status != SC_OK) return api_->fail(host_, got.status, got.reason.c_str());
    OrderPage page;
    try {
      page = s_.platform->read_page(got.reply, next);
    } catch (const std::exception& e) {
      // A page we cannot read is retried with backoff: the shop's next answer may differ
      // (a proxy's error page); the reason is in the connector's health meanwhile.
      return api_->fail(host_, SC_UNAVAILABLE, (s_.platform->name() + ": " + e.what()).c_str());
    }
    if (sc_status st = emit_page(page.orders); st != SC_OK)
      return api_->fail(host_, st, "salescore is not taking records now; the poll goes on later");
    if (cursor) {
      for (const auto& o : page.orders) cursor->since_ms = std::max(cursor->since_ms, o.listed_at);
      save_cursor(*cursor);
    }
    next = page.next;
    // A shutdown or a pause does not wait for a whole re-read (minutes for a large shop):
    // the pages read so far are applied and the cursor is theirs, and an unfinished
    // reconcile pass is not marked done, so the next poll reads the rest.
    if (!next.empty() && api_->stopping(host_))
      return api_->fail(host_, SC_UNAVAILABLE,
                        "poll stopped between pages: salescore is stopping or the connector is paused; "
                        "the next poll goes on from the last page applied");
  } while (!next.empty());
  return SC_OK;
}

sc_status Shop::pull(std::int64_t since_ms, Cursor& cursor) {
  return read_pages([&](const std::string& next) { return s_.platform->list_orders(since_ms, next, s_.page_size); },
                    &cursor);
}

sc_status Shop::pull_open() {
  return read_pages([&](const std::string& next) { return s_.platform->list_open_orders(next, s_.page_size); },
                    nullptr);
}

sc_status Shop::poll() {
  Cursor cursor = read_cursor();
  const std::int64_t now = api_->now_ms(host_);
  const bool reconcile = now - cursor.reconciled_ms >= s_.reconcile_interval_ms;
  const bool first = cursor.since_ms == 0;  // the first poll reads everything anyway
  std::int64_t since = std::max<std::int64_t>(0, cursor.since_ms - s_.overlap_ms);
  if (reconcile && cursor.since_ms > 0) since = std::min(since, std::max<std::int64_t>(0, now - s_.reconcile_window_ms));
  if (sc_status st = pull(since, cursor); st != SC_OK) return st;
  // The nightly pass also re-reads every order still open in the shop, however long ago
  // it last changed: a status change a missed webhook and an unmoved modified time both
  // hid (Shopify's fulfilment status is not in updated_at_min, community t/112687).
  if (reconcile && !first)
    if (sc_status st = pull_open(); st != SC_OK) return st;
  if (reconcile) {
    cursor.reconciled_ms = now;
    save_cursor(cursor);
  }
  if (s_.push_statuses) return queue_status_changes(cursor);
  return SC_OK;
}

}  // namespace salescore::webshop
