// Codecs for the records bound after the first collections: the rules' enumerations,
// small integers, money kept with its currency, and nested dicts (proposal terms).
#pragma once

#include "fields.h"
#include "salescore/engine.h"

namespace salescore::python::codec {

using LeadChannelName = Enum<LeadChannel, lead_channel_name, parse_lead_channel>;
using LeadStatusName = Enum<LeadStatus, lead_status_name, parse_lead_status>;
using AbsenceReasonName = Enum<AbsenceReason, absence_reason_name, parse_absence_reason>;
using ProposalKindName = Enum<ProposalKind, proposal_kind_name, parse_proposal_kind>;
using ProposalStatusName = Enum<ProposalStatus, proposal_status_name, parse_proposal_status>;
using ApprovalSubjectName = Enum<ApprovalSubject, approval_subject_name, parse_approval_subject>;
using ApprovalStatusName = Enum<ApprovalStatus, approval_status_name, parse_approval_status>;
using ContractTypeName = Enum<ContractType, contract_type_name, parse_contract_type>;
using ContractStatusName = Enum<ContractStatus, contract_status_name, parse_contract_status>;
using ShipmentStatusName = Enum<ShipmentStatus, shipment_status_name, parse_shipment_status>;
using PaymentMethodName = Enum<PaymentMethod, payment_method_name, parse_payment_method>;
using ClaimKindName = Enum<ClaimKind, claim_kind_name, parse_claim_kind>;
using ClaimStatusName = Enum<ClaimStatus, claim_status_name, parse_claim_status>;
using MarketKindName = Enum<MarketKind, market_kind_name, parse_market_kind>;

// Day counts, weekdays: an int that fits the engine's int.
struct SmallInt {
  using type = int;
  static type from(py::handle v, const ConvertContext& ctx) {
    auto n = Number::from(v, ctx);
    if (n < -1'000'000 || n > 1'000'000) reject("out of range: " + std::to_string(n));
    return static_cast<int>(n);
  }
  static py::object to(type v) { return py::int_(v); }
};

// Money as Money(amount, currency). A bare amount leaves the currency empty, which the
// engine reads as "the usual one here" (the configured currency, or the order's).
struct MoneyOf {
  using type = Money;
  static type from(py::handle v, const ConvertContext&) { return money_from_py(v, ""); }
  static py::object to(const type& v) { return money_to_py(v); }
};

// A price that may be absent: None, or Money(amount, currency) as MoneyOf.
struct MaybeMoney {
  using type = std::optional<Money>;
  static type from(py::handle v, const ConvertContext& ctx) {
    return v.is_none() ? type() : type(MoneyOf::from(v, ctx));
  }
  static py::object to(const type& v) { return v ? MoneyOf::to(*v) : py::object(py::none()); }
};

struct Ids {
  using type = std::vector<Id>;
  static type from(py::handle v, const ConvertContext& ctx) {
    if (!py::isinstance<py::list>(v) && !py::isinstance<py::tuple>(v)) reject("expected a list of ids, got " + type_name(v));
    type out;
    for (py::handle item : v) out.push_back(Number::from(item, ctx));
    return out;
  }
  static py::object to(const type& v) { return py::cast(v); }
};

// SKU -> quantity (stock seen at an outlet).
struct StockMap {
  using type = std::map<std::string, Quantity>;
  static type from(py::handle v, const ConvertContext& ctx) {
    if (!py::isinstance<py::dict>(v)) reject("expected a dict of SKU -> quantity, got " + type_name(v));
    type out;
    Problems problems;
    for (auto [key, value] : py::reinterpret_borrow<py::dict>(v)) {
      std::string sku = Text::from(key, ctx);
      try {
        out[sku] = quantity_from_py(value);
      } catch (const FieldProblems& bad) {
        problems["[" + sku + "]"] = bad.problems().begin()->second;
      }
    }
    if (!problems.empty()) throw FieldProblems(std::move(problems));
    return out;
  }
  static py::object to(const type& v) {
    py::dict out;
    for (const auto& [sku, q] : v) out[py::str(sku)] = quantity_to_py(q);
    return out;
  }
};

}  // namespace salescore::python::codec

namespace salescore::python {

// One dict converted with `table` (a proposal's terms), its problems named under the
// field's own name ("terms.valid_until").
template <class T>
T nested_from(const FieldTable<T>& table, py::handle value, const ConvertContext& ctx) {
  if (!py::isinstance<py::dict>(value)) reject("expected a dict, got " + type_name(value));
  T parsed{};
  Problems problems;
  for (auto& [name, problem] : assign(table, parsed, py::reinterpret_borrow<py::dict>(value), ctx, {}, true))
    problems["." + name] = problem;
  if (!problems.empty()) throw FieldProblems(std::move(problems));
  return parsed;
}

}  // namespace salescore::python
