#include "bindings.h"
#include "collection.h"
#include "more_codecs.h"
#include "record_tables.h"

namespace salescore::python {

namespace {

struct RoleCodec {
  using type = Role;
  static py::object to(type v) { return py::str(role_name(v)); }
};

// A deal discount asked for, as a Decimal percent ("12.50"); None for other subjects.
struct DiscountPercent {
  using type = std::int64_t;
  static py::object to(type v) { return v ? amount_to_py(v) : py::object(py::none()); }
};

const FieldTable<ApprovalQuery>& approval_query_fields() {
  static const FieldTable<ApprovalQuery> table = {
      optional<codec::Ref>("approver_id", &ApprovalQuery::approver_id),
      optional<codec::Ref>("requester_id", &ApprovalQuery::requester_id),
      optional<codec::Number>("subject_id", &ApprovalQuery::subject_id),
      optional<codec::ApprovalSubjectName>("subject", &ApprovalQuery::subject),
      optional<codec::ApprovalStatusName>("status", &ApprovalQuery::status),
  };
  return table;
}

}  // namespace

// Every field is the engine's: an approval is asked for through its subject
// (proposals.request_approval, approvals.request_deal_discount, ...), never added.
const FieldTable<Approval>& approval_fields() {
  static const FieldTable<Approval> table = {
      computed<codec::Number>("id", &Approval::id),
      computed<codec::ApprovalSubjectName>("subject", &Approval::subject),
      computed<codec::Number>("subject_id", &Approval::subject_id),
      computed<codec::Ref>("client_id", &Approval::client_id),
      computed<codec::Ref>("deal_id", &Approval::deal_id),
      computed<codec::Ref>("owner_id", &Approval::owner_id),
      computed<codec::Ref>("requester_id", &Approval::requester_id),
      computed<codec::Ref>("on_behalf_of_id", &Approval::on_behalf_of_id),
      computed<codec::Texts>("rules", &Approval::rules),
      computed<codec::Text>("summary", &Approval::summary),
      computed<codec::Text>("reason", &Approval::reason),
      computed<DiscountPercent>("discount_percent", &Approval::discount_bp),
      computed<codec::MaybeWhen>("visit_at", &Approval::visit_at),
      computed<RoleCodec>("approver_role", &Approval::approver_role),
      computed<codec::Ref>("approver_id", &Approval::approver_id),
      computed<codec::ApprovalStatusName>("status", &Approval::status),
      computed<codec::MaybeWhen>("due_at", &Approval::due_at),
      computed<codec::SmallInt>("escalations", &Approval::escalations),
      computed<codec::Ref>("task_id", &Approval::task_id),
      computed<codec::Ref>("decided_by", &Approval::decided_by),
      computed<codec::MaybeWhen>("decided_at", &Approval::decided_at),
      computed<codec::Text>("comment", &Approval::comment),
      computed<codec::When>("created_at", &Approval::created_at),
      computed<codec::When>("updated_at", &Approval::updated_at),
  };
  return table;
}

void bind_approvals(py::module_& m) {
  using Native = NativeCollection<ApprovalService>;
  auto cls = bind_collection(m, "Approvals",
                             CollectionSpec<ApprovalService, Approval, NoPatch, ApprovalQuery>{
                                 "approval", &Engine::approvals, &approval_fields(), nullptr, &approval_query_fields()});
  cls.def("decide", [](const Native& c, Actor actor, Id id, bool approve, const std::string& comment) {
    return to_dict(approval_fields(), c.engine->call([&](Engine& e) {
                     return approve ? e.approvals().approve(actor, id, comment) : e.approvals().reject(actor, id, comment);
                   }));
  });
  cls.def("request_deal_discount",
          [](const Native& c, Actor actor, Id deal_id, py::object discount_percent, const std::string& reason) {
            const std::int64_t discount_bp =
                convert_argument("discount_percent", [&] { return amount_from_py(discount_percent); });
            return to_dict(approval_fields(), c.engine->call([&](Engine& e) {
                             return e.approvals().request_deal_discount(actor, deal_id, discount_bp, reason);
                           }));
          });
  cls.def("request_visit", [](const Native& c, Actor actor, Id client_id, py::object at, const std::string& reason) {
    Instant when = convert_argument("at", [&] { return instant_from_py(at); });
    return to_dict(approval_fields(), c.engine->call([&](Engine& e) {
                     return e.approvals().request_visit(actor, client_id, when, reason);
                   }));
  });
}

}  // namespace salescore::python
