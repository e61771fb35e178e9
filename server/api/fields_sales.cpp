// The selling records of the API: deals, orders, proposals, leads, as the server writes
// them; write routes pick their request fields from these tables.
#include "api/api_fields.h"
#include "salescore/approvals.h"
#include "salescore/model.h"

namespace salescore::cli {

using namespace field;  // NOLINT: the tables read as a list of builders

namespace {

FieldSpec currency() { return text("currency", "ISO 4217 code; empty or absent: the configured one").eg("\"RUB\""); }
FieldSpec custom(const char* of) {
  return text_map("custom", std::string("Custom fields configured for ") + of).eg("{\"region\": \"Москва\"}");
}

// A line as the server writes it: product_id and name only when known.
std::vector<FieldSpec> line_out(FieldSpec discount) {
  return {text("sku", "The product's SKU").eg("\"A-100\""),
          key("product_id", "The catalog product of the SKU").when_set(),
          text("name", "The product's name on the line").when_set(),
          quantity("quantity", "How many"),
          amount("price", "Price of one unit"),
          std::move(discount),
          amount("amount", "The line's sum after discount, computed by the engine")};
}

std::vector<FieldSpec> line_in(FieldSpec discount) {
  return {text("sku", "The product's SKU").eg("\"A-100\""), text("name", "Name, when the SKU is not in the catalog"),
          quantity("quantity", "How many"), amount("price", "Price of one unit; absent: the client's catalog price"),
          std::move(discount)};
}

}  // namespace

void add_sales_schemas(std::map<std::string, Fields>& out) {
  out["Deal"] = {
      record_id(),
      key("client_id", "The client the deal is with"),
      text("title", "What is being sold").eg("\"Поставка красок на 2027 год\""),
      text("stage", "The pipeline stage (configured stages, docs/pipeline.md)").eg("\"qualification\""),
      amount("expected_amount", "The sum expected"),
      currency(),
      instant("expected_close", "When the deal is expected to close").or_null(),
      id("owner_id", "The manager who owns the deal"),
      text("lost_reason", "Why it was lost (a configured reason); empty while open"),
      texts("documents", "Documents the deal has (specification, contract, ...)").eg("[\"specification\"]"),
      custom("deals"),
      source(),
      external_id(),
      instant("stage_changed_at", "When the deal entered its stage"),
      created_at(),
      updated_at(),
  };
  out["StageVisit"] = {
      text("stage", "A stage the deal was in"),
      instant("entered_at", "When it entered"),
      instant("left_at", "When it left; null for the current stage").or_null(),
  };
  out["DocumentAttestation"] = {
      text("document", "The document vouched for").eg("\"specification\""),
      id("attested_by", "Who vouched; null: kept by a migration, nobody known"),
      boolean("by_migration", "Kept from before attestations were recorded"),
      text("note", "What the person said"),
      instant("attested_at", "When"),
  };
  out["Order"] = {
      record_id(),
      text("number", "The order's number").eg("\"З-00123\""),
      key("client_id", "The client who ordered"),
      id("deal_id", "The deal the order closes"),
      id("owner_id", "The manager credited with the order"),
      choice("status", parse_order_status, "Where the order is"),
      currency(),
      objects("lines", line_out(amount("discount", "Discount on the line, as a sum")), "The ordered lines"),
      amount("total", "The order's total, computed by the engine"),
      instant("ordered_at", "When the client ordered").or_null(),
      custom("orders"),
      source(),
      external_id(),
      created_at(),
      updated_at(),
  };
  out["OrderLineInput"] = Fields(line_in(amount("discount", "Discount on the line, as a sum")));
  const FieldSpec percent = amount("discount_percent", "Discount on the line in percent (\"12.50\")").eg("\"5.00\"");
  out["Proposal"] = {
      record_id(),
      choice("kind", parse_proposal_kind, "What kind of proposal"),
      key("client_id", "The client it is made to"),
      id("deal_id", "The deal it belongs to"),
      id("owner_id", "The manager who makes it"),
      choice("status", parse_proposal_status, "Where the proposal is"),
      currency(),
      objects("lines", line_out(percent), "The proposed lines"),
      amount("total", "The total, computed by the engine"),
      text("payment_terms", "Payment terms offered").eg("\"deferral\""),
      integer("deferral_days", "Days of payment deferral").range(0, 3650).eg("30"),
      text("shipping_terms", "Shipping terms offered"),
      instant("valid_until", "Until when the offer holds").or_null(),
      text("special_terms", "Special terms (these need an approval)"),
      text("notes", "Free notes"),
      id("approval_id", "The approval request, when one was needed"),
      instant("sent_at", "When it went out").or_null(),
      instant("received_at", "When the client confirmed receipt").or_null(),
      instant("answered_at", "When the client answered").or_null(),
      text("decline_reason", "Why the client declined"),
      id("receipt_task_id", "The task to get the client's receipt"),
      created_at(),
      updated_at(),
  };
  out["ProposalLineInput"] = Fields(line_in(percent));
  out["Lead"] = {
      record_id(),
      choice("channel", parse_lead_channel, "Where the lead came from"),
      text("contact_name", "Who asked").eg("\"Сергей\""),
      text("company", "Their company"),
      text("phone", "Their phone").eg("\"+79161234567\""),
      text("email", "Their e-mail"),
      text("inn", "Their company's INN"),
      text("request", "What they asked for"),
      boolean("concrete", "A concrete request (goods, quantities): a shorter SLA"),
      id("client_id", "The client the lead was matched to"),
      id("assignee_id", "Who works the lead"),
      choice("status", parse_lead_status, "Where the lead is"),
      instant("received_at", "When it came in"),
      instant("sla_due_at", "When the first action is due"),
      instant("first_action_at", "When someone first acted on it").or_null(),
      integer("reassignments", "How often the SLA moved it on"),
      boolean("escalated", "Reported to the head"),
      id("deal_id", "The deal it became"),
      text("lost_reason", "Why it was lost"),
      source(),
      external_id(),
      created_at(),
      updated_at(),
  };
  out["LeadConversion"] = {
      object("lead", out["Lead"].specs(), "The lead, converted"),
      key("client_id", "The client it became or was matched to"),
      boolean("client_created", "True when a new client was made"),
      key("deal_id", "The deal opened"),
  };
}

}  // namespace salescore::cli
