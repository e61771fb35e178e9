// Shipments, payment schedules, payments received and receivables (ДЗ / ПДЗ) of orders.
//
// A schedule splits an order's total into installments with due dates; payments are
// allocated to the earliest open installments; what is not paid is the receivable, and
// what is not paid by its due date is overdue, aged in buckets of days. Reminders for
// installments run in Engine::run_due. The rules are in docs/rules.md, "Shipments,
// payments and receivables".
//
// Include salescore/engine.h, or this header: each includes the other, and this one's
// declarations need Saved and Page from engine.h, hence the guard below the include
// instead of #pragma once.
//
// Thread-safety: like every service, calls are serialized on the engine's connection.
#include "salescore/engine.h"

#ifndef SALESCORE_PAYMENTS_H_
#define SALESCORE_PAYMENTS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salescore/record_fields.h"

namespace salescore {

// ---- shipments ----

enum class ShipmentStatus { kPlanned, kShipped, kDelivered, kCancelled };
const char* shipment_status_name(ShipmentStatus s);
Result<ShipmentStatus> parse_shipment_status(std::string_view name);

// One shipment (отгрузка) of an order; an order may leave in several.
struct Shipment {
  Id id = 0;
  Id order_id = 0;
  Instant planned_at;                   // when it is planned to leave
  std::optional<Instant> shipped_at;    // when it left
  std::optional<Instant> delivered_at;  // when the client received it
  ShipmentStatus status = ShipmentStatus::kPlanned;
  std::string notes;
  Instant created_at;
  Instant updated_at;
};

struct ShipmentQuery {
  std::optional<Id> order_id;
  std::optional<ShipmentStatus> status;
  std::optional<Instant> from, to;  // planned_at in [from, to)
  Page page;
};

struct ShipmentPatch {
  std::optional<Instant> planned_at;  // only while the shipment is planned
  std::optional<std::string> notes;
};

class ShipmentService {
 public:
  explicit ShipmentService(detail::EngineState* s) : s_(s) {}
  // Plans a shipment of an order that is not cancelled. One recorded after the fact may
  // carry shipped_at and delivered_at (not in the future); its status follows from them.
  Result<Shipment> add(const Actor& actor, Shipment shipment);
  Result<Shipment> get(const Actor& actor, Id id);
  Result<Saved<Shipment>> update(const Actor& actor, Id id, const ShipmentPatch& patch);
  // planned -> shipped at `at` (default: now). Refused for any other status.
  Result<Shipment> ship(const Actor& actor, Id id, std::optional<Instant> at = std::nullopt);
  // planned or shipped -> delivered at `at` (default: now); a planned one is taken as
  // shipped at the same moment (a courier's delivery).
  Result<Shipment> deliver(const Actor& actor, Id id, std::optional<Instant> at = std::nullopt);
  // planned -> cancelled. What has left cannot be cancelled.
  Result<Shipment> cancel(const Actor& actor, Id id);
  // The order's shipments by planned date.
  Result<std::vector<Shipment>> of_order(const Actor& actor, Id order_id);
  // Shipments of the orders the actor may see, in id order (keyset pages).
  Result<std::vector<Shipment>> find(const Actor& actor, const ShipmentQuery& query);
  Result<std::int64_t> count(const Actor& actor, const ShipmentQuery& query);

 private:
  detail::EngineState* s_;
};

// ---- payment schedules and payments ----

enum class PaymentMethod { kCash, kCard, kBankTransfer, kOffset, kOther };
const char* payment_method_name(PaymentMethod m);
Result<PaymentMethod> parse_payment_method(std::string_view name);

// One installment as the caller plans it. An empty currency means the order's.
struct InstallmentPlan {
  Instant due_at;
  Money amount;
};

enum class InstallmentStatus { kOpen, kPaid, kOverdue };
const char* installment_status_name(InstallmentStatus s);

struct Installment {
  Id id = 0;
  int number = 0;       // 1, 2, ... in due order
  Instant term_start;   // the schedule's creation for the first, the previous due date after
  Instant due_at;       // paid by this instant is on time; from it on the rest is overdue
  Money amount;
  std::int64_t paid_minor = 0;                // allocated to it so far
  std::optional<Instant> paid_at;             // when the payment that completed it was received
  InstallmentStatus status = InstallmentStatus::kOpen;  // at the clock's now
  std::vector<std::string> reminders_sent;    // "mid", "eve", "overdue", in the order sent
};

struct PaymentSchedule {
  Id id = 0;
  Id order_id = 0;
  std::string currency;
  std::vector<Installment> installments;
  Instant created_at;
};

// A payment received from the client against one order.
struct Payment {
  Id id = 0;
  Id order_id = 0;
  Id client_id = 0;       // the order's client, filled in by the engine
  Money amount;           // an empty currency means the order's
  Instant received_at;    // default: now; never in the future
  PaymentMethod method = PaymentMethod::kBankTransfer;
  std::string reference;  // payment order number, receipt number
  std::string source;     // system it came from ("1c", "bank"); with external_id, its key
  std::string external_id;
  Id recorded_by = 0;
  Instant created_at;
};

struct PaymentQuery {
  std::optional<Id> order_id, client_id;
  std::optional<Instant> from, to;  // received_at in [from, to)
  Page page;
};

// ---- receivables ----

enum class ReceivablesGrouping { kClient, kManager, kDepartment };
const char* receivables_grouping_name(ReceivablesGrouping g);
Result<ReceivablesGrouping> parse_receivables_grouping(std::string_view name);

struct ReceivablesQuery {
  ReceivablesGrouping by = ReceivablesGrouping::kClient;
  std::optional<Instant> at;  // the instant to compute at; default: the clock's now
  std::optional<Id> client_id;
  std::optional<Id> owner_id;  // the client's manager
  std::optional<Id> head_id;   // the department: the head and everyone reporting to them
};

// Overdue amounts by whole days past the due date (0-30, 31-60, 61-90, more than 90).
struct AgingBuckets {
  std::int64_t days_0_30 = 0;
  std::int64_t days_31_60 = 0;
  std::int64_t days_61_90 = 0;
  std::int64_t days_over_90 = 0;
  bool operator==(const AgingBuckets&) const = default;
};

// One line per group and currency, in minor units; lines with nothing owed are left out.
struct ReceivablesLine {
  Id key = 0;            // the client, the manager (the client's owner) or the head; 0: none
  std::string name;      // of that client or person
  std::string currency;
  std::int64_t receivable_minor = 0;  // ДЗ: everything scheduled and not paid
  std::int64_t overdue_minor = 0;     // ПДЗ: the part past its due date
  AgingBuckets aging;                 // ПДЗ by days overdue
};

class PaymentService {
 public:
  explicit PaymentService(detail::EngineState* s) : s_(s) {}
  // Sets the order's payment schedule, replacing the one in force (whose open reminder
  // tasks are cancelled). Installments need amounts in the order's currency adding up
  // to the order total, and strictly increasing due dates. Payments already received
  // are allocated to the new installments.
  Result<PaymentSchedule> set_schedule(const Actor& actor, Id order_id, const std::vector<InstallmentPlan>& plan);
  // The schedule in force with what is paid of each installment; not_found without one.
  Result<PaymentSchedule> schedule(const Actor& actor, Id order_id);
  // Records a payment and allocates it to the earliest open installments. A payment
  // above the order's open balance (total minus payments so far) is refused: the excess
  // belongs to another order or goes back to the client. Idempotent by (source,
  // external_id) when both are given.
  Result<Saved<Payment>> record(const Actor& actor, Payment payment);
  Result<Payment> get(const Actor& actor, Id id);
  Result<std::vector<Payment>> find(const Actor& actor, const PaymentQuery& query);
  Result<std::int64_t> count(const Actor& actor, const PaymentQuery& query);
  // ДЗ and ПДЗ with aging, per client, manager or department, at `query.at`. A manager
  // sees their own clients, a head their department, a director or admin everything.
  Result<std::vector<ReceivablesLine>> receivables(const Actor& actor, const ReceivablesQuery& query);

 private:
  detail::EngineState* s_;
};

FieldList fields_of(const Shipment& s);
FieldList fields_of(const Payment& p);
FieldList fields_of(const PaymentSchedule& s);

}  // namespace salescore

#endif  // SALESCORE_PAYMENTS_H_
