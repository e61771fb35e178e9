// salescore market add|list|report: market and competitor information from a terminal,
// through the same MarketService (and access rules) as REST and Python.
#include <algorithm>
#include <iostream>

#include "commands.h"
#include "engine_open.h"
#include "kpi_args.h"
#include "market_json.h"
#include "report_columns.h"
#include "salescore/record_fields.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "market",
    .summary = "record and read market and competitor information",
    .positionals = "add|list|report",
    .min_positionals = 1,
    .max_positionals = 1,
    .options = {db_option(),
                as_option(),
                {"kind", "KIND", "competitor_price, competitor_offer, demand_change, customer_requirement or other",
                 false, false},
                {"competitor", "NAME", "whose price or offer", false, false},
                {"product", "ID", "our product it is about (its group is taken when --group is not given)", false,
                 false},
                {"group", "GROUP", "the product group", false, false},
                {"region", "REGION", "where", false, false},
                {"value", "TEXT", "what was learnt", false, false},
                {"price", "AMOUNT", "a competitor's price, 1234.50", false, false},
                {"currency", "CODE", "the price's currency (default: [company] currency)", false, false},
                {"source", "TEXT", "where it was heard", false, false},
                {"at", "ISO8601", "when it was observed (default: now)", false, false},
                {"client", "ID", "the client it came from", false, false},
                {"since", "ISO8601", "list: observed at or after", false, false},
                {"until", "ISO8601", "list: observed before", false, false},
                {"period", "PERIOD", "report: 2026-10, 2026-W44, 2026-Q4, 2026-10-01..2026-10-15", false, false},
                {"by", "competitor|product_group", "report: how to group (default competitor)", false, false},
                {"format", "text|json", "text (default) or JSON (one record per line for list)", false, false},
                config_option(),
                set_option()},
    .details = "add records one piece of information as the --as user (required for add), e.g.\n"
               "  salescore market add --as petrova --kind competitor_price --competitor Vector \\\n"
               "      --group 'Drills' --price 4990 --source 'client call' --client 12\n"
               "list shows what the --as user may see; report sums a --period by competitor or\n"
               "product group (counts per kind; lowest, average and highest price in the company\n"
               "currency). docs/rules.md, \"Market information\", has the rules.",
};

std::optional<Id> id_option(const Args& args, const char* name, std::string& bad) {
  if (!args.has(name)) return std::nullopt;
  const std::string text = args.get(name);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 18) {
    bad = std::string("--") + name + ": expected a record id, not '" + text + "'";
    return std::nullopt;
  }
  return std::stoll(text);
}

int add(Engine& engine, const Actor& actor, const Args& args) {
  if (!args.has("as")) return usage_error(kSpec.name, "add: give --as LOGIN, the person who records it");
  if (!args.has("kind")) return usage_error(kSpec.name, "add: --kind is required");
  auto kind = parse_market_kind(args.get("kind"));
  if (!kind.ok()) return usage_error(kSpec.name, "--kind: " + kind.status().message());
  MarketNote n;
  n.kind = *kind;
  std::string bad;
  n.product_id = id_option(args, "product", bad).value_or(0);
  n.client_id = id_option(args, "client", bad).value_or(0);
  if (!bad.empty()) return usage_error(kSpec.name, bad);
  n.competitor = args.get("competitor");
  n.product_group = args.get("group");
  n.region = args.get("region");
  n.value = args.get("value");
  n.source = args.get("source");
  if (args.has("price")) {
    auto amount = parse_amount(args.get("price"));
    if (!amount.ok()) return usage_error(kSpec.name, "--price: " + amount.status().message());
    n.price = Money{*amount, args.get("currency")};
  } else if (args.has("currency")) {
    return usage_error(kSpec.name, "--currency needs --price");
  }
  if (args.has("at")) {
    auto at = parse_iso8601(args.get("at"));
    if (!at.ok()) return usage_error(kSpec.name, "--at: expected ISO 8601 with an offset, not '" + args.get("at") + "'");
    n.observed_at = *at;
  }
  auto saved = engine.market().add(actor, n);
  if (!saved.ok()) return fail(kSpec.name, "cannot record the market information", saved.status());
  std::cout << fields_of(*saved).to_json() << "\n";
  return kExitOk;
}

int list(Engine& engine, const Actor& actor, const Args& args) {
  MarketQuery q;
  if (args.has("kind")) {
    auto kind = parse_market_kind(args.get("kind"));
    if (!kind.ok()) return usage_error(kSpec.name, "--kind: " + kind.status().message());
    q.kind = *kind;
  }
  if (args.has("competitor")) q.competitor = args.get("competitor");
  if (args.has("group")) q.product_group = args.get("group");
  if (args.has("region")) q.region = args.get("region");
  std::string bad;
  q.client_id = id_option(args, "client", bad);
  q.product_id = id_option(args, "product", bad);
  if (!bad.empty()) return usage_error(kSpec.name, bad);
  for (const char* name : {"since", "until"}) {
    if (!args.has(name)) continue;
    auto at = parse_iso8601(args.get(name));
    if (!at.ok()) return usage_error(kSpec.name, std::string("--") + name + ": expected ISO 8601 with an offset");
    (std::string(name) == "since" ? q.from : q.to) = *at;
  }
  const bool json = args.get("format", "text") == "json";
  Id after = 0;
  while (true) {
    q.page = Page{after, 500};
    auto page = engine.market().find(actor, q);
    if (!page.ok()) return fail(kSpec.name, "cannot list market information", page.status());
    for (const MarketNote& n : *page) {
      if (json) {
        std::cout << fields_of(n).to_json() << "\n";
        continue;
      }
      std::cout << n.id << "  " << format_iso8601(n.observed_at).substr(0, 10) << "  " << market_kind_name(n.kind)
                << "  " << (n.competitor.empty() ? "-" : n.competitor) << "  "
                << (n.product_group.empty() ? "-" : n.product_group)
                << (n.price ? "  " + format_amount(n.price->minor) + " " + n.price->currency : std::string())
                << (n.value.empty() ? "" : "  " + n.value) << "\n";
    }
    if (page->size() < 500) break;
    after = page->back().id;
  }
  return std::cout.good() ? kExitOk : kExitFailure;
}

int report(Engine& engine, const Actor& actor, const Args& args) {
  if (!args.has("period")) return usage_error(kSpec.name, "report: --period is required");
  auto p = parse_period(args.get("period"));
  if (!p.ok()) return usage_error(kSpec.name, "--period: " + p.status().message());
  auto by = parse_market_grouping(args.get("by", "competitor"));
  if (!by.ok()) return usage_error(kSpec.name, "--by: " + by.status().message());
  auto r = engine.market().report(actor, *p, *by);
  if (!r.ok()) return fail(kSpec.name, "cannot build the market report", r.status());
  if (args.get("format", "text") == "json") {
    std::cout << market_report_json(*r) << "\n";
    return std::cout.good() ? kExitOk : kExitFailure;
  }
  auto money = [](const std::optional<std::int64_t>& v) { return v ? format_amount(*v) : std::string("-"); };
  std::cout << "Market information " << r->period.label << " by " << market_grouping_name(r->by) << " (prices in "
            << r->currency << ")\n\n";
  const std::vector<std::string> head = {"records", "prices", "offers", "demand", "needs", "other", "min", "avg", "max"};
  std::size_t key_width = 10;
  for (const auto& l : r->lines) key_width = std::max(key_width, std::min<std::size_t>(cells(l.key), 30));
  auto row = [&](const std::string& key, const std::vector<std::string>& cols) {
    std::string line = pad_right(cut(key, 30), key_width);
    for (std::size_t i = 0; i < cols.size(); ++i) line += "  " + pad_left(cols[i], i < 6 ? 7 : 11);
    std::cout << line << "\n";
  };
  auto figures = [&](const MarketReportLine& l) {
    return std::vector<std::string>{std::to_string(l.records),        std::to_string(l.competitor_prices),
                                    std::to_string(l.competitor_offers), std::to_string(l.demand_changes),
                                    std::to_string(l.customer_requirements), std::to_string(l.others),
                                    money(l.price_min), money(l.price_avg), money(l.price_max)};
  };
  row(*by == MarketGrouping::kCompetitor ? "competitor" : "group", head);
  for (const auto& l : r->lines) row(l.key.empty() ? "(none)" : l.key, figures(l));
  row("total", figures(r->total));
  return std::cout.good() ? kExitOk : kExitFailure;
}

int run(const Args& args) {
  const std::string action = args.positionals().at(0);
  if (action != "add" && action != "list" && action != "report")
    return usage_error(kSpec.name, "unknown action '" + action + "' (add, list or report)");
  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {.read_only = action != "add", .must_exist = true}, engine);
      rc != kExitOk)
    return rc;
  Actor actor;
  if (int rc = kpi_actor(kSpec.name, *engine, args, actor); rc != kExitOk) return rc;
  if (action == "add") return add(*engine, actor, args);
  if (action == "list") return list(*engine, actor, args);
  return report(*engine, actor, args);
}

}  // namespace

const Command& market_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
