// The money and paperwork records of the API: payments, shipments, claims, approvals,
// contracts, as the server writes them; write routes pick their request fields here.
#include "api/api_fields.h"
#include "salescore/approvals.h"
#include "salescore/claims.h"
#include "salescore/model.h"
#include "salescore/payments.h"

namespace salescore::cli {

using namespace field;  // NOLINT: the tables read as a list of builders

void add_money_schemas(std::map<std::string, Fields>& out) {
  out["Payment"] = {
      record_id(),
      key("order_id", "The order paid"),
      key("client_id", "The order's client"),
      amount("amount", "The sum received"),
      text("currency", "ISO 4217 code; absent: the order's").eg("\"RUB\""),
      instant("received_at", "When the money came in; absent: now"),
      choice("method", parse_payment_method, "How it was paid"),
      text("reference", "The bank's or the cashbox's reference").eg("\"п/п 1234\""),
      source(),
      external_id(),
      id("recorded_by", "Who registered it"),
      created_at(),
  };
  out["Shipment"] = {
      record_id(),
      key("order_id", "The order shipped"),
      instant("planned_at", "When it is planned to leave").or_null(),
      instant("shipped_at", "When it left").or_null(),
      instant("delivered_at", "When the client got it").or_null(),
      choice("status", parse_shipment_status, "Where the shipment is"),
      text("notes", "Free notes").eg("\"до обеда\""),
      created_at(),
      updated_at(),
  };
  // Partial shipments and the orders a contract covers (salescore/fulfilment.h).
  out["ShipmentLines"] = {
      key("shipment_id", "The shipment"),
      objects("lines",
              {integer("line", "The line's number in the order, from 1"), text("sku", "The line's SKU"),
               quantity("quantity", "How much of the line leaves with the shipment")},
              "The order lines that leave with it, in line order"),
  };
  out["OrderToShip"] = {
      key("order_id", "The order"),
      objects("lines",
              {integer("line", "The line's number in the order, from 1"), text("sku", "The line's SKU"),
               text("name", "The line's name"), quantity("ordered", "Ordered"),
               quantity("shipped", "Left with shipments shipped or delivered"),
               quantity("planned", "Held by shipments still planned"),
               quantity("remaining", "ordered - shipped - planned: what no shipment covers yet")},
              "Every line of the order"),
      boolean("complete", "Every line has left in full"),
  };
  // Refunds of orders (salescore/refunds.h).
  out["Refund"] = {
      record_id(),
      key("order_id", "The order refunded"),
      amount("amount", "The sum given back; at most what is left unrefunded of the order's total"),
      text("currency", "ISO 4217 code; absent: the order's (another is refused)").eg("\"RUB\""),
      instant("refunded_at", "When the money went back; absent: now"),
      text("reason", "Why").eg("\"damaged bags\""),
      text("reference", "What it came under (a credit note, a shop's refund): one refund per order and "
                        "reference").eg("\"КН-17\""),
      id("recorded_by", "Who recorded it"),
      created_at(),
  };
  out["OrderRefunds"] = {
      key("order_id", "The order"),
      text("currency", "ISO 4217 code").eg("\"RUB\""),
      amount("total", "The order's total"),
      amount("refunded", "What its refunds add up to"),
      amount("left", "total - refunded: what may still be refunded"),
      objects("refunds",
              {integer("id", "The refund"), integer("order_id", "The order"), amount("amount", "The sum given back"),
               text("currency", "ISO 4217 code"), instant("refunded_at", "When"), text("reason", "Why"),
               text("reference", "What it came under"), integer("recorded_by", "Who recorded it").or_null(),
               instant("created_at", "When it was recorded")},
              "The refunds, oldest first"),
  };
  out["OrderContract"] = {
      key("order_id", "The order"),
      id("contract_id", "The contract covering it; null when none does"),
  };
  out["ContractOrders"] = {
      key("contract_id", "The contract"),
      ids("order_ids", "The orders it covers, in id order"),
  };
  out["PaymentSchedule"] = {
      record_id(),
      key("order_id", "The order"),
      text("currency", "ISO 4217 code").eg("\"RUB\""),
      objects("installments",
              {integer("number", "1, 2, ... in due order"), instant("due_at", "When it is due"),
               amount("amount", "How much")},
              "The installments"),
      created_at(),
  };
  out["CauseCount"] = {
      text("cause", "The cause of the claims").eg("\"damaged in transit\""),
      integer("count", "Claims with that cause"),
  };
  out["Claim"] = {
      record_id(),
      key("client_id", "The client who claims"),
      id("order_id", "The order it is about"),
      id("contract_id", "The contract it is about"),
      choice("kind", parse_claim_kind, "What is wrong"),
      text("description", "The client's words").eg("\"брак упаковки\""),
      text("cause", "The cause found"),
      text("measures", "What was done about it"),
      choice("status", parse_claim_status, "Where the claim is; resolved closes it"),
      instant("resolved_at", "When it was resolved").or_null(),
      id("owner_id", "Who handles it"),
      id("registered_by", "Who registered it"),
      created_at(),
      updated_at(),
  };
  out["Approval"] = {
      record_id(),
      choice("subject", parse_approval_subject, "What is to be decided"),
      key("subject_id", "The proposal, contract, deal or visit"),
      id("client_id", "The client concerned"),
      id("deal_id", "The deal concerned"),
      id("owner_id", "The owner of the subject"),
      id("requester_id", "Who asked"),
      id("on_behalf_of_id", "The manager an assistant asked for"),
      texts("rules", "Matrix rules tripped (individual_proposal, discount, deferral, ...)").eg("[\"discount\"]"),
      text("summary", "What is asked, in one line"),
      text("reason", "Why the requester asks"),
      amount("discount_percent", "A discount asked, in percent; null when not a discount").or_null().eg("\"25.00\""),
      instant("visit_at", "A visit: when it is planned").or_null(),
      choice("approver_role", parse_role, "Who decides"),
      id("approver_id", "The person addressed"),
      choice("status", parse_approval_status, "Where the request is"),
      instant("due_at", "Unanswered by then, it escalates; null once at the top").or_null(),
      integer("escalations", "How often it escalated"),
      id("task_id", "The approver's task"),
      id("decided_by", "Who decided"),
      instant("decided_at", "When").or_null(),
      text("comment", "The decision's comment"),
      created_at(),
      updated_at(),
  };
  out["Contract"] = {
      record_id(),
      choice("type", parse_contract_type, "What kind of contract"),
      key("client_id", "The client"),
      id("deal_id", "The deal it belongs to"),
      id("owner_id", "The manager responsible"),
      text("number", "The contract's number").eg("\"Д-2026/17\""),
      amount("amount", "The contract's sum"),
      text("currency", "ISO 4217 code").eg("\"RUB\""),
      integer("deferral_days", "Days of payment deferral").range(0, 3650).eg("30"),
      text("special_terms", "Special terms (need an approval)"),
      text("risk_note", "Risks the lawyer noted"),
      instant("valid_from", "Valid from").or_null(),
      instant("valid_to", "Valid until").or_null(),
      instant("signed_at", "When it was signed").or_null(),
      choice("status", parse_contract_status, "Where the contract is"),
      boolean("approved", "Approved (or needed no approval)"),
      id("approval_id", "Its approval request"),
      text("termination_reason", "Why it ended"),
      created_at(),
      updated_at(),
  };
}

}  // namespace salescore::cli
