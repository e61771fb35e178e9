// Names of the payment enumerations and the field lists of shipments, schedules and
// payments (event payloads, exports).
#include "model/enum_names.h"
#include "model/json_text.h"
#include "salescore/payments.h"

namespace salescore {
using detail::name_of;
using detail::parse_from;

namespace {
constexpr std::array<std::pair<ShipmentStatus, const char*>, 4> kShipmentStatuses{
    {{ShipmentStatus::kPlanned, "planned"},
     {ShipmentStatus::kShipped, "shipped"},
     {ShipmentStatus::kDelivered, "delivered"},
     {ShipmentStatus::kCancelled, "cancelled"}}};
constexpr std::array<std::pair<PaymentMethod, const char*>, 5> kPaymentMethods{
    {{PaymentMethod::kCash, "cash"},
     {PaymentMethod::kCard, "card"},
     {PaymentMethod::kBankTransfer, "bank_transfer"},
     {PaymentMethod::kOffset, "offset"},
     {PaymentMethod::kOther, "other"}}};
constexpr std::array<std::pair<InstallmentStatus, const char*>, 3> kInstallmentStatuses{
    {{InstallmentStatus::kOpen, "open"}, {InstallmentStatus::kPaid, "paid"}, {InstallmentStatus::kOverdue, "overdue"}}};
constexpr std::array<std::pair<ReceivablesGrouping, const char*>, 3> kGroupings{
    {{ReceivablesGrouping::kClient, "client"},
     {ReceivablesGrouping::kManager, "manager"},
     {ReceivablesGrouping::kDepartment, "department"}}};
}  // namespace

const char* shipment_status_name(ShipmentStatus s) { return name_of(kShipmentStatuses, s); }
Result<ShipmentStatus> parse_shipment_status(std::string_view n) {
  return parse_from(kShipmentStatuses, n, "shipment status");
}
const char* payment_method_name(PaymentMethod m) { return name_of(kPaymentMethods, m); }
Result<PaymentMethod> parse_payment_method(std::string_view n) {
  return parse_from(kPaymentMethods, n, "payment method");
}
const char* installment_status_name(InstallmentStatus s) { return name_of(kInstallmentStatuses, s); }
const char* receivables_grouping_name(ReceivablesGrouping g) { return name_of(kGroupings, g); }
Result<ReceivablesGrouping> parse_receivables_grouping(std::string_view n) {
  return parse_from(kGroupings, n, "receivables grouping");
}

FieldList fields_of(const Shipment& s) {
  FieldList f;
  f.number("id", s.id);
  f.number("order_id", s.order_id);
  f.instant("planned_at", s.planned_at);
  f.instant("shipped_at", s.shipped_at);
  f.instant("delivered_at", s.delivered_at);
  f.string("status", shipment_status_name(s.status));
  f.string("notes", s.notes);
  f.instant("created_at", s.created_at);
  f.instant("updated_at", s.updated_at);
  return f;
}

FieldList fields_of(const Payment& p) {
  FieldList f;
  f.number("id", p.id);
  f.number("order_id", p.order_id);
  f.number("client_id", p.client_id);
  f.amount("amount", p.amount.minor);
  f.string("currency", p.amount.currency);
  f.instant("received_at", p.received_at);
  f.string("method", payment_method_name(p.method));
  f.string("reference", p.reference);
  p.source.empty() ? f.null("source") : f.string("source", p.source);
  p.external_id.empty() ? f.null("external_id") : f.string("external_id", p.external_id);
  f.id("recorded_by", p.recorded_by);
  f.instant("created_at", p.created_at);
  return f;
}

FieldList fields_of(const PaymentSchedule& s) {
  FieldList f;
  f.number("id", s.id);
  f.number("order_id", s.order_id);
  f.string("currency", s.currency);
  std::string items = "[";
  for (std::size_t i = 0; i < s.installments.size(); ++i) {
    const Installment& in = s.installments[i];
    if (i) items += ',';
    items += "{\"number\":" + std::to_string(in.number) + ",\"due_at\":" + json_string(format_iso8601(in.due_at)) +
             ",\"amount\":" + json_string(format_amount(in.amount.minor)) + "}";
  }
  f.json("installments", items + "]");
  f.instant("created_at", s.created_at);
  return f;
}

}  // namespace salescore
