// Figures and the server's own replies: KPIs, reports, plans, receivables, the session,
// dead letters, health. Money in the reports is in minor units (kopecks), as the report
// JSON writes it; elsewhere money is a decimal string.
#include "api/api_fields.h"
#include "salescore/kpi.h"
#include "salescore/market.h"
#include "salescore/model.h"
#include "salescore/payments.h"

namespace salescore::cli {

using namespace field;  // NOLINT: the tables read as a list of builders

namespace {

std::vector<FieldSpec> period() {
  return {text("label", "The period as given (2026-10, 2026-W44, ...)").eg("\"2026-11\""),
          date("first", "Its first day"), date("last", "Its last day")};
}

std::vector<FieldSpec> report_line() {
  return {
      integer("user_id", "The person; 0 in the total and the others line"),
      text("name", "The person's name"),
      choice("role", {"manager", "head", "assistant", "others", "total"},
             "Whose line: a person's role, everyone not listed, or the total"),
      integer("calls", "Calls"),
      integer("meetings", "Meetings"),
      integer("emails", "E-mails"),
      integer("orders", "Orders"),
      integer("revenue_minor", "Revenue in minor units"),
      integer("payments_minor", "Payments received in minor units"),
      integer("plan_minor", "The plan in minor units"),
      integer("plan_bp", "Plan done, in basis points; null without a plan").or_null(),
      integer("deals_won", "Deals won"),
      integer("deals_lost", "Deals lost"),
      integer("leads", "Leads received"),
      integer("leads_converted", "Leads converted"),
      integer("overdue_tasks", "Overdue tasks"),
      integer("receivables_minor", "Receivables in minor units"),
      integer("overdue_receivables_minor", "Overdue receivables in minor units"),
      object("previous",
             {integer("orders", "Orders"), integer("revenue_minor", "Revenue in minor units"),
              integer("calls", "Calls"), integer("meetings", "Meetings")},
             "The same figures of the previous period"),
  };
}

}  // namespace

void add_figure_schemas(std::map<std::string, Fields>& out) {
  // GET /api/v1/<collection>/count: what the list with the same filters would page through.
  out["Count"] = {
      integer("count", "How many records the caller may see match the filters"),
  };
  out["MarketNote"] = {
      record_id(),
      choice("kind", parse_market_kind, "What was learnt"),
      text("competitor", "The competitor it is about").eg("\"ООО Конкурент\""),
      id("product_id", "Our product it is about"),
      text("product_group", "Or the product group").eg("\"Сахар\""),
      text("region", "Where"),
      text("value", "What was heard, in words"),
      amount("price", "A price seen (competitor_price), as a decimal string; null without one").or_null(),
      text("currency", "The price's currency (ISO 4217); null without a price").eg("\"RUB\"").or_null(),
      text("source", "Where it came from (a call, a visit, a price list)"),
      instant("observed_at", "When it was learnt; absent in a request: now"),
      id("client_id", "The client it came from"),
      id("recorded_by", "Who recorded it"),
      created_at(),
  };
  const std::vector<FieldSpec> market_line = {
      text("key", "The competitor or product group ('' for none)"),
      integer("records", "Records in the period"),
      integer("competitor_prices", "Of them, competitors' prices"),
      integer("competitor_offers", "Competitors' offers"),
      integer("demand_changes", "Changes in demand"),
      integer("customer_requirements", "Customers' requirements"),
      integer("others", "Other"),
      integer("prices", "Prices in the company currency behind min/avg/max"),
      amount("price_min", "The lowest price; null without prices").or_null(),
      amount("price_avg", "The average price; null without prices").or_null(),
      amount("price_max", "The highest price; null without prices").or_null(),
  };
  out["MarketReport"] = {
      text("period", "The period's label").eg("\"2026-11\""),
      choice("by", parse_market_grouping, "How the lines are grouped"),
      text("currency", "The company currency the prices are in").eg("\"RUB\""),
      objects("lines", market_line, "One line per competitor or product group"),
      object("total", market_line, "All of them"),
  };
  const FieldSpec figures =
      objects("kpis",
              {text("id", "The KPI (docs/kpi.md)").eg("\"revenue\""), text("unit", "Its unit").eg("\"money\""),
               integer("value", "The value (money in minor units, shares in basis points)"),
               boolean("defined", "False when there is nothing to divide by"),
               any("breakdown", "Parts of the value by key (numbers)")},
              "The figures");
  out["Kpis"] = {
      text("period", "The period's label").eg("\"2026-11\""),
      choice("scope", parse_kpi_scope, "Whose figures"),
      integer("user_id", "The user or the head of the team; 0 for the company"),
      figures,
      choice("by", parse_kpi_split, "With ?by=: how the rows split the figures").when_set(),
      objects("rows",
              {integer("user_id", "By user: whose figures; 0 by month"),
               text("label", "The user's name, or the month").eg("\"2026-10\""),
               text("period", "The period of the row (a month cut to the period asked)").eg("\"2026-10\""), figures},
              "With ?by=: one row per manager and head of the target, or per month of the period")
          .when_set(),
  };
  out["Report"] = {
      choice("report", parse_report_kind, "Which report"),
      text("lang", "The language of its texts").eg("\"en\""),
      text("title", "Its title"),
      object("period", period(), "The period reported"),
      object("previous", period(), "The period compared with"),
      text("currency", "ISO 4217 code").eg("\"RUB\""),
      instant("generated_at", "When it was built"),
      objects("lines", report_line(), "One line per manager, head and assistant, and one for the others"),
      object("total", report_line(), "The department or company total"),
  };
  out["Plan"] = {
      record_id(),
      key("user_id", "The manager"),
      text("month", "The month, YYYY-MM").eg("\"2026-12\""),
      amount("amount", "The planned revenue"),
      text("currency", "ISO 4217 code; absent: the configured one").eg("\"RUB\""),
      id("set_by", "Who set it"),
      instant("set_at", "When"),
      instant("replaced_at", "When a later plan replaced it; null for the plan in force").or_null(),
  };
  out["Receivable"] = {
      integer("key", "The client, manager or head of department grouped by"),
      text("name", "Its name"),
      text("currency", "ISO 4217 code"),
      amount("receivable", "Owed"),
      amount("overdue", "Owed past the due date"),
      object("aging",
             {amount("0-30", "Overdue up to 30 days"), amount("31-60", "31 to 60 days"),
              amount("61-90", "61 to 90 days"), amount("90+", "Over 90 days")},
             "The overdue part by age"),
  };
  out["Health"] = {text("status", "ok").eg("\"ok\""), integer("schema_version", "The database schema's version")};
  out["Session"] = {
      object("user", out.at("User").specs(), "The user logged in"),
      text("language", "The user's language of the screens; empty: the company's").eg("\"ru\""),
      text("csrf_token", "Send as X-CSRF-Token with cookie-authenticated writes").when_set(),
      instant("expires_at", "When the session ends").when_set(),
  };
  out["LoggedOut"] = {boolean("logged_out", "Always true")};
  out["Language"] = {text("language", "ru, en, zh or bg").eg("\"en\"")};
  out["PasswordSet"] = {key("user_id", "Whose password"), boolean("password_set", "Always true")};
  std::vector<FieldSpec> letter = {
      record_id(),
      text("connector", "The connector").eg("\"onec\""),
      text("direction", "inbound or outbound").eg("\"inbound\""),
      text("kind", "What it carried").eg("\"order\""),
      text("source", "The source of an inbound record").or_null(),
      text("external_id", "Its id there").or_null(),
      text("idempotency_key", "The key it was written under"),
      text("payload", "What came or was to go, as it was (it may not even be JSON)"),
      text("code", "The error's code").eg("\"invalid_argument\""),
      text("reason", "Why it failed"),
      integer("attempts", "How often it was tried"),
      instant("failed_at", "When it failed"),
      instant("replayed_at", "When a replay delivered it").or_null(),
      text("event_type", "The event an event delivery or automation carries"),
      objects("replays",
              {instant("at", "When"), text("outcome", "failed, requeued, delivered, received_again"),
               text("code", "The error's code"), text("reason", "Why")},
              "Each replay and its outcome"),
  };
  out["DeadLetter"] = Fields(letter);
  letter.push_back(text("outcome", "What the replay did").eg("\"applied\""));
  out["DeadLetterReplayed"] = Fields(letter);
}

}  // namespace salescore::cli
