// The domain records the engine keeps. Plain values: no behaviour, no database handle.
// Services (engine.h) validate and store them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "salescore/values.h"

namespace salescore {

// ---- people -------------------------------------------------------------------------

enum class Role { kManager, kAssistant, kHead, kDirector, kAdmin, kIntegration };
const char* role_name(Role r);
Result<Role> parse_role(std::string_view name);

struct User {
  Id id = 0;
  std::string login;
  std::string name;
  Role role = Role::kManager;
  Id manager_id = 0;  // for an assistant: the manager they assist
  Id head_id = 0;     // the head of department this user reports to
  bool active = true;
  Instant created_at;
};

// Who performs a call. Every change records it; access rules read it.
struct Actor {
  Id user_id = 0;  // 0: the system itself (migrations, demo, CLI run by an operator)
  Role role = Role::kAdmin;
  static Actor system() { return Actor{}; }
};

// ---- clients and contacts -----------------------------------------------------------

enum class Tier { kRegular, kVip };
const char* tier_name(Tier t);
Result<Tier> parse_tier(std::string_view name);

struct Address {
  std::string kind;  // "legal", "shipping", "office", ...
  std::string text;
  bool operator==(const Address&) const = default;
};

struct Client {
  Id id = 0;
  std::string name;
  std::string legal_form;  // ООО, АО, ИП, ...
  std::string inn;         // 10 digits (company) or 12 (individual), checksum verified
  std::string kpp;         // 9 characters, companies only
  std::vector<Address> addresses;
  std::vector<std::string> phones;  // E.164, normalized on write
  std::vector<std::string> emails;  // lower-case
  std::string price_type;           // which product price list applies
  std::string payment_terms;        // e.g. "prepay", "net 30"
  std::string shipping_terms;
  Tier tier = Tier::kRegular;
  Id owner_id = 0;      // the manager who owns the client
  Id assistant_id = 0;  // the assistant working the client
  std::string notes;
  std::map<std::string, std::string> custom;  // custom fields
  std::string source;       // system the record came from ("1c", "webshop"); empty: typed in
  std::string external_id;  // its id there
  Instant created_at;
  Instant updated_at;
  // Read-only: the segment the rule last recorded ("new", "hot", "warm", "cooling",
  // "sleeping"; segments.h), empty until run_due or an order first classifies the client.
  // Kept here so every surface shows and filters it as a field of the client.
  std::string segment;
};

struct Contact {
  Id id = 0;
  Id client_id = 0;
  std::string name;
  std::string role;  // "director", "buyer", "accountant"
  std::vector<std::string> phones;
  std::vector<std::string> emails;
  std::string notes;
  Instant created_at;
  Instant updated_at;
};

// ---- catalog ------------------------------------------------------------------------

struct Product {
  Id id = 0;
  std::string sku;
  std::string name;
  std::string unit = "pcs";
  std::map<std::string, Money> prices;  // price type -> price
  Quantity stock;
  bool active = true;
  // Where the product sits in the supplier's catalog ("Tools / Drills", 1C's groups) and
  // its properties by name (1C's ЗначенияСвойств, a shop's attributes).
  std::string group;
  std::map<std::string, std::string> properties;
  std::string source;
  std::string external_id;
  Instant created_at;
  Instant updated_at;
  // Every member alike: lets a catalog import skip an unchanged product without
  // building its field lists (engine/catalog_import.cpp).
  bool operator==(const Product&) const = default;
};

// ---- pipeline and orders ------------------------------------------------------------

struct Deal {
  Id id = 0;
  Id client_id = 0;
  std::string title;
  std::string stage;  // empty: the first stage of the configured pipeline
  Money expected_amount;
  std::optional<Instant> expected_close;
  Id owner_id = 0;
  std::string lost_reason;
  // Documents the deal has reached: those the engine derives from its records
  // ("proposal_sent", "contract_signed", ...: engine_known_documents() in config.h) and
  // those a person attested (DealService::attest_document). Stage gates ask for them by
  // name. Kept by the engine alone: no caller writes this list.
  std::vector<std::string> documents;
  std::map<std::string, std::string> custom;  // custom fields; stage gates may require them too
  std::string source;
  std::string external_id;
  Instant stage_changed_at;
  Instant created_at;
  Instant updated_at;
};

struct OrderLine {
  std::string sku;
  Id product_id = 0;  // resolved from the SKU when the catalog knows it
  std::string name;
  Quantity quantity;
  std::int64_t price_minor = 0;     // per unit
  std::int64_t discount_minor = 0;  // on the whole line
  std::int64_t amount_minor = 0;    // price * quantity - discount, computed by the engine
  bool operator==(const OrderLine&) const = default;
};

enum class OrderStatus { kNew, kConfirmed, kShipped, kDelivered, kCompleted, kCancelled };
const char* order_status_name(OrderStatus s);
Result<OrderStatus> parse_order_status(std::string_view name);

struct Order {
  Id id = 0;
  std::string number;
  Id client_id = 0;
  Id deal_id = 0;   // optional
  Id owner_id = 0;  // the manager credited with the sale; defaults to the client's owner
  OrderStatus status = OrderStatus::kNew;
  std::string currency;  // defaults to the configured currency
  std::vector<OrderLine> lines;
  std::int64_t total_minor = 0;  // sum of line amounts, computed by the engine
  Instant ordered_at;            // defaults to now
  std::string source;
  std::string external_id;
  // What other systems know of the order and salescore keeps for them: 1C's own number
  // and date, posted, deletion mark, payment and shipment dates ("1c.number", ...).
  std::map<std::string, std::string> custom;
  Instant created_at;
  Instant updated_at;
};

// ---- activity -----------------------------------------------------------------------

enum class InteractionKind { kCall, kEmail, kMeeting, kVisit, kMessage, kNote };
const char* interaction_kind_name(InteractionKind k);
Result<InteractionKind> parse_interaction_kind(std::string_view name);

enum class Direction { kNone, kInbound, kOutbound };
const char* direction_name(Direction d);
Result<Direction> parse_direction(std::string_view name);

// What a PBX says of a call, kept as data so reports and scripts need not read the body.
// Talk time is the interaction's duration_s; direction and contact_id are its own too.
struct CallFacts {
  std::string caller, callee;  // the numbers as the PBX gave them
  std::string manager;         // the extension that answered (or placed) the call
  std::int64_t ring_s = 0;     // from the first ring to the answer (or the give-up)
  std::string disposition;     // "answered" | "busy" | "no_answer" | "failed" ("" not a PBX call)
  std::string hangup_cause;    // "16 Normal Clearing"
  std::string recording;       // the PBX's recording file or id
  std::string pbx_call_id;     // the PBX's id of the call: Asterisk's Linkedid, Zadarma's pbx_call_id
  // Extensions that rang and did not answer, comma-separated ("101,103"): in a ring group
  // or a ring-all queue the call is answered if anyone answered; this is the per-agent figure.
  std::string rang_not_answered;
  bool operator==(const CallFacts&) const = default;
};

struct Interaction {
  Id id = 0;
  InteractionKind kind = InteractionKind::kNote;
  Direction direction = Direction::kNone;
  Instant occurred_at;
  std::int64_t duration_s = 0;
  Id user_id = 0;
  Id client_id = 0;
  Id contact_id = 0;
  std::string subject;
  std::string body;
  std::string source;
  std::string external_id;
  CallFacts call;  // kind call only
  Instant created_at;
};

enum class TaskStatus { kOpen, kDone, kCancelled };
const char* task_status_name(TaskStatus s);
Result<TaskStatus> parse_task_status(std::string_view name);

struct Task {
  Id id = 0;
  std::string title;
  std::optional<Instant> due_at;
  Id assignee_id = 0;
  Id client_id = 0;
  Id deal_id = 0;
  Id order_id = 0;
  Id lead_id = 0;
  TaskStatus status = TaskStatus::kOpen;
  std::string notes;
  Instant created_at;
  Instant updated_at;
  std::optional<Instant> done_at;
};

// ---- leads --------------------------------------------------------------------------

enum class LeadChannel { kPhone, kEmail, kWeb, kSocial, kManual };
const char* lead_channel_name(LeadChannel c);
Result<LeadChannel> parse_lead_channel(std::string_view name);

enum class LeadStatus { kNew, kInProgress, kConverted, kLost };
const char* lead_status_name(LeadStatus s);
Result<LeadStatus> parse_lead_status(std::string_view name);

// An inbound request. Its assignee must take a first action within the channel's SLA or
// the lead passes to the next manager on duty; after too many passes it goes to the head.
struct Lead {
  Id id = 0;
  LeadChannel channel = LeadChannel::kManual;
  std::string contact_name;
  std::string company;
  std::string phone;  // E.164 after normalization
  std::string email;
  std::string inn;
  std::string request;    // what they asked for, in their words
  bool concrete = false;  // a concrete request (product, quantity, date) ranks first
  Id client_id = 0;       // matched by phone, e-mail or INN, or created on conversion
  Id assignee_id = 0;
  LeadStatus status = LeadStatus::kNew;
  Instant received_at;
  Instant sla_due_at;
  std::optional<Instant> first_action_at;
  int reassignments = 0;
  bool escalated = false;
  Id deal_id = 0;  // set on conversion
  std::string lost_reason;
  std::string source;
  std::string external_id;
  Instant created_at;
  Instant updated_at;
};

// ---- absences ----------------------------------------------------------------------

enum class AbsenceReason { kTrip, kLeave, kSickness, kOther };
const char* absence_reason_name(AbsenceReason r);
Result<AbsenceReason> parse_absence_reason(std::string_view name);

// A manager away on a trip, on leave or sick. While it lasts (starts_at <= now <
// ends_at by the engine's clock) the deputy acts with the absent user's rights over
// their clients, deals, orders and tasks; when it ends, that stops by itself.
struct Absence {
  Id id = 0;
  Id user_id = 0;
  Id deputy_id = 0;
  Instant starts_at;
  Instant ends_at;
  AbsenceReason reason = AbsenceReason::kLeave;
  std::string note;
  bool cancelled = false;
  Instant created_at;
};

// ---- event log ----------------------------------------------------------------------

struct Event {
  std::int64_t seq = 0;  // strictly increasing, never reused
  Instant at;
  Id actor_id = 0;
  std::string type;      // "client.created", "order.updated", ...
  std::string entity;    // "client"
  Id entity_id = 0;
  std::string payload;   // JSON object: the record, or {"changed": {field: [old, new]}}
};

}  // namespace salescore
