#include "store/market_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {
namespace {
const std::vector<std::string> kCols = {"kind",        "competitor", "product_id", "product_group", "region",
                                        "value",       "price_minor", "currency",  "source",        "observed_at",
                                        "client_id",   "recorded_by", "created_at"};

std::vector<std::string> select_cols() {
  std::vector<std::string> cols = {"id"};
  cols.insert(cols.end(), kCols.begin(), kCols.end());
  return cols;
}

MarketNote map_note(Statement& r) {
  MarketNote n;
  n.id = r.column_int(0);
  auto kind = parse_market_kind(r.column_text(1));
  n.kind = kind.ok() ? *kind : MarketKind::kOther;
  n.competitor = r.column_text(2);
  n.product_id = r.column_int(3);
  n.product_group = r.column_text(4);
  n.region = r.column_text(5);
  n.value = r.column_text(6);
  if (!r.column_is_null(7)) n.price = Money{r.column_int(7), r.column_text(8)};
  n.source = r.column_text(9);
  n.observed_at = Instant{r.column_int(10)};
  n.client_id = r.column_int(11);
  n.recorded_by = r.column_int(12);
  n.created_at = Instant{r.column_int(13)};
  return n;
}
}  // namespace

Result<Id> insert_market_note(Connection& c, const MarketNote& n) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().insert("market_notes", kCols))));
  StatementUse use(*s);
  s->bind_all(std::string(market_kind_name(n.kind)), n.competitor, null_if_zero(n.product_id), n.product_group,
              n.region, n.value, n.price ? std::optional<std::int64_t>(n.price->minor) : std::nullopt,
              n.price ? n.price->currency : std::string(), n.source, n.observed_at.ms, null_if_zero(n.client_id),
              n.recorded_by, n.created_at.ms);
  SC_RETURN_IF_ERROR(s->run());
  return c.last_insert_id();
}

Result<std::optional<MarketNote>> load_market_note(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select(select_cols(), "market_notes", "id = ?"))));
  StatementUse use(*s);
  s->bind_all(id);
  return map_first<MarketNote>(*s, map_note);
}

Result<std::vector<MarketNote>> find_market_notes(Connection& c, const MarketQuery& q, const std::string& visible) {
  Filter f;
  if (!visible.empty()) f.add(visible);
  if (q.kind) f.add("kind = ?", {std::string(market_kind_name(*q.kind))});
  f.eq_if("competitor", q.competitor);
  f.eq_if("product_group", q.product_group);
  f.eq_if("region", q.region);
  f.eq_if("client_id", q.client_id);
  f.eq_if("product_id", q.product_id);
  f.eq_if("recorded_by", q.recorded_by);
  if (q.from) f.add("observed_at >= ?", {q.from->ms});
  if (q.to) f.add("observed_at < ?", {q.to->ms});
  f.after("id", q.page);
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select(select_cols(), "market_notes", f.where(), "id", true))));
  StatementUse use(*s);
  s->bind_int(f.bind(*s), limit_value(q.page));
  return map_rows<MarketNote>(*s, map_note);
}

Result<std::vector<MarketSums>> market_sums(Connection& c, MarketGrouping by, Instant from, Instant to,
                                            const std::string& currency, const std::string& visible) {
  const std::string key = by == MarketGrouping::kCompetitor ? "competitor" : "product_group";
  Filter f;
  f.add("observed_at >= ?", {from.ms});
  f.add("observed_at < ?", {to.ms});
  if (!visible.empty()) f.add(visible);
  std::vector<MarketSums> out;
  {
    SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                           "SELECT " + key + ", kind, COUNT(*) FROM market_notes WHERE " + f.where() +
                                           " GROUP BY " + key + ", kind ORDER BY " + key + ", kind")));
    StatementUse use(*s);
    f.bind(*s);
    SC_ASSIGN_OR_RETURN(out, map_rows<MarketSums>(*s, [](Statement& r) {
                          MarketSums m;
                          m.key = r.column_text(0);
                          m.kind = r.column_text(1);
                          m.records = r.column_int(2);
                          return m;
                        }));
  }
  // Prices count only when comparable: a competitor's price in the company currency.
  f.add("kind = 'competitor_price' AND price_minor IS NOT NULL AND currency = ?", {currency});
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         "SELECT " + key + ", COUNT(*), SUM(price_minor), MIN(price_minor), "
                                         "MAX(price_minor) FROM market_notes WHERE " + f.where() + " GROUP BY " + key)));
  StatementUse use(*s);
  f.bind(*s);
  SC_ASSIGN_OR_RETURN(auto prices, map_rows<MarketSums>(*s, [](Statement& r) {
                        MarketSums m;
                        m.key = r.column_text(0);
                        m.kind = "competitor_price";
                        m.prices = r.column_int(1);
                        m.price_sum = r.column_int(2);
                        m.price_min = r.column_int(3);
                        m.price_max = r.column_int(4);
                        return m;
                      }));
  for (auto& p : prices)
    for (auto& m : out)
      if (m.key == p.key && m.kind == p.kind) {
        m.prices = p.prices;
        m.price_sum = p.price_sum;
        m.price_min = p.price_min;
        m.price_max = p.price_max;
      }
  return out;
}

}  // namespace salescore::store
