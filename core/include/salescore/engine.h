// salescore::Engine — the one entry point to the sales engine.
//
// An Engine owns one store (SQLite file or in-memory database) and hands out one
// service per aggregate. Every call carries the acting user (Actor) so the audit trail
// and the access rules need no global state. Expected failures come back as
// Status/Result; nothing here throws for bad input.
//
// Thread-safety: an Engine may be shared between threads; calls are serialized on the
// store's connection (SQLite allows one writer at a time anyway).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salescore/clock.h"
#include "salescore/config.h"
#include "salescore/connectors.h"
#include "salescore/model.h"
#include "salescore/status.h"

namespace salescore {

namespace detail {
struct EngineState;
}

// What a write did. An upsert that finds the record identical reports kUnchanged and
// emits no event.
enum class WriteOutcome { kCreated, kUpdated, kUnchanged };
const char* write_outcome_name(WriteOutcome o);

template <class T>
struct Saved {
  T record;
  WriteOutcome outcome = WriteOutcome::kCreated;
  // Other clients sharing a phone, email or INN with this one (create/update of clients
  // only): reported, not refused, because two branches of one company may share an INN.
  std::vector<Id> possible_duplicates;
};

// Keyset pagination: rows with id > after_id, at most `limit` of them (0: no limit).
struct Page {
  Id after_id = 0;
  int limit = 100;
};

// ---- users ----
class UserService {
 public:
  explicit UserService(detail::EngineState* s) : s_(s) {}
  Result<User> add(const Actor& actor, User user);
  Result<User> get(const Actor& actor, Id id);
  Result<User> by_login(const Actor& actor, const std::string& login);
  Result<std::vector<User>> list(const Actor& actor);

 private:
  detail::EngineState* s_;
};

// ---- clients ----
struct ClientPatch {
  std::optional<std::string> name, legal_form, inn, kpp, price_type, payment_terms,
      shipping_terms, notes;
  std::optional<std::vector<Address>> addresses;
  std::optional<std::vector<std::string>> phones, emails;
  std::optional<Tier> tier;
  std::optional<Id> owner_id, assistant_id;
  std::optional<std::map<std::string, std::string>> custom;  // replaces the whole map
};

struct ClientQuery {
  std::optional<std::string> phone;        // any format; normalized before matching
  std::optional<std::string> email;        // case-insensitive
  std::optional<std::string> inn;
  std::optional<std::string> name_prefix;  // case-insensitive, Cyrillic included
  std::optional<Id> owner_id;
  std::optional<Tier> tier;
  // The recorded segment's name ("sleeping": "my sleeping clients"); another name is
  // refused naming the field "segment".
  std::optional<std::string> segment;
  Page page;
};

class ClientService {
 public:
  explicit ClientService(detail::EngineState* s) : s_(s) {}
  Result<Saved<Client>> add(const Actor& actor, Client client);
  Result<Client> get(const Actor& actor, Id id);
  Result<Saved<Client>> update(const Actor& actor, Id id, const ClientPatch& patch);
  // Creates or updates the client keyed by (source, external_id); both must be set.
  Result<Saved<Client>> upsert(const Actor& actor, Client client);
  Result<std::vector<Client>> find(const Actor& actor, const ClientQuery& query);
  Result<std::int64_t> count(const Actor& actor, const ClientQuery& query);
  // Streams every client in id order without materializing them all (exports).
  Status for_each(const Actor& actor, const std::function<bool(const Client&)>& visit);

 private:
  detail::EngineState* s_;
};

// ---- contacts ----
struct ContactPatch {
  std::optional<std::string> name, role, notes;
  std::optional<std::vector<std::string>> phones, emails;
};

class ContactService {
 public:
  explicit ContactService(detail::EngineState* s) : s_(s) {}
  Result<Contact> add(const Actor& actor, Contact contact);
  Result<Contact> get(const Actor& actor, Id id);
  Result<Contact> update(const Actor& actor, Id id, const ContactPatch& patch);
  Result<std::vector<Contact>> of_client(const Actor& actor, Id client_id);

 private:
  detail::EngineState* s_;
};

// ---- products ----
struct ProductPatch {
  std::optional<std::string> name, unit;
  std::optional<std::map<std::string, Money>> prices;  // replaces the price list
  std::optional<Quantity> stock;
  std::optional<bool> active;
  std::optional<std::string> group;
  std::optional<std::map<std::string, std::string>> properties;  // replaces the map
};

struct ProductQuery {
  std::optional<std::string> sku;
  std::optional<std::string> name_prefix;
  std::optional<bool> active;
  Page page;
};

// One product of a catalog import (a 1C catalog or offers file, a shop's feed): the
// product the source knows as `external_id` and the fields it sent.
struct CatalogItem {
  std::string source;
  std::string external_id;
  // Keys a product new to the source: one with this SKU is taken over (a product entered
  // by hand before the import); empty means the external id (a 1C base without articles).
  std::string sku;
  ProductPatch patch;
};

// What import_catalog did; `refused` is the index of the entry that failed it.
struct CatalogImport {
  std::int64_t created = 0, updated = 0, unchanged = 0;
  std::optional<std::size_t> refused;
};

class ProductService {
 public:
  explicit ProductService(detail::EngineState* s) : s_(s) {}
  Result<Saved<Product>> add(const Actor& actor, Product product);
  Result<Product> get(const Actor& actor, Id id);
  Result<Product> by_sku(const Actor& actor, const std::string& sku);
  Result<Saved<Product>> update(const Actor& actor, Id id, const ProductPatch& patch);
  // Keyed by SKU: a catalog import from 1C or the web shop repeats it safely.
  Result<Saved<Product>> upsert(const Actor& actor, Product product);
  // A full catalog from `source` (1C's file without СодержитТолькоИзменения) lists every
  // product it sells: deactivates this source's active products whose external id is not
  // in `present`, each with its "product.updated" event. Returns how many.
  // `variant_separator` (1C: "#"): a product whose external id is "<parent><separator>..."
  // is a variant of that parent (a 1C characteristic, "size 42" of a shoe) that the
  // catalog does not list itself; it stays while its parent is present.
  Result<std::int64_t> deactivate_absent(const Actor& actor, const std::string& source,
                                         const std::vector<std::string>& present,
                                         std::string_view variant_separator = {});
  // Applies a chunk of catalog entries in order, as upsert/update would one by one (the
  // same checks, the same product.created / product.updated events, nothing written for
  // an entry that changes nothing) but set-based: the chunk's products are looked up
  // together, the actor's rights read once, and an update writes only the columns and
  // prices that changed. In one transaction (joining the caller's): the first refused
  // entry rolls the chunk back, its index in `report->refused`. The entries are taken by
  // value: their text moves into the products instead of being copied.
  Status import_catalog(const Actor& actor, std::vector<CatalogItem> entries, CatalogImport* report);
  Result<std::vector<Product>> find(const Actor& actor, const ProductQuery& query);
  Result<std::int64_t> count(const Actor& actor, const ProductQuery& query);

 private:
  detail::EngineState* s_;
};

// ---- deals ----
struct DealPatch {
  std::optional<std::string> title, stage, lost_reason;
  std::optional<Money> expected_amount;  // an empty currency keeps the deal's
  std::optional<std::optional<Instant>> expected_close;
  std::optional<Id> owner_id;
  // A deal's documents are derived from its records or attested (attest_document), never
  // written: a list that differs from the deal's is refused naming each document, so a
  // caller learns why instead of seeing it dropped.
  std::optional<std::vector<std::string>> documents;
  std::optional<std::map<std::string, std::string>> custom;  // replaces the map
};

// A document a person vouched for on a deal (DealService::attest_document), or one that
// migration 15 found typed onto a deal with no record behind it (by_migration: who typed
// it is unknown), kept so the deal still passes its gates until a head reviews it.
struct DocumentAttestation {
  Id id = 0;
  Id deal_id = 0;
  std::string document;
  Id attested_by = 0;  // 0: the system, or unknown (by_migration)
  bool by_migration = false;
  std::string note;
  Instant attested_at;
};

struct AttestationQuery {
  std::optional<Id> deal_id;
  bool by_migration_only = false;
  Page page;
};

// Time a deal spent in one stage, for cycle-time KPIs.
struct StageVisit {
  std::string stage;
  Instant entered_at;
  std::optional<Instant> left_at;  // none while the deal is still there
};

struct DealQuery {
  std::optional<Id> client_id, owner_id;
  std::optional<std::string> stage;
  Page page;
};

class DealService {
 public:
  explicit DealService(detail::EngineState* s) : s_(s) {}
  Result<Saved<Deal>> add(const Actor& actor, Deal deal);
  Result<Deal> get(const Actor& actor, Id id);
  // A change of stage goes through the pipeline's gates (see advance).
  Result<Saved<Deal>> update(const Actor& actor, Id id, const DealPatch& patch);
  // Moves the deal to `stage`, applying `with` first (the fields the stage needs). The
  // move is refused with reason "stage_gate" and `fields` naming everything missing for
  // this stage and the ones it skips; "lost" needs a reason from the configured list;
  // a closed deal (won or lost) is reopened only by a head, director or admin.
  Result<Saved<Deal>> advance(const Actor& actor, Id id, const std::string& stage, const DealPatch& with = {});
  Result<Saved<Deal>> lose(const Actor& actor, Id id, const std::string& reason);
  Result<std::vector<Deal>> find(const Actor& actor, const DealQuery& query);
  Result<std::int64_t> count(const Actor& actor, const DealQuery& query);
  // Every stage the deal has been in, oldest first.
  Result<std::vector<StageVisit>> stage_history(const Actor& actor, Id id);
  // Records that the actor vouches for `document` on the deal (a scanned specification):
  // it must be attestable for some stage ([pipeline] attestable.<stage>); documents the
  // engine derives from records are refused naming them. Logged as
  // "deal.document_attested" with the actor and `note`; attesting again changes nothing.
  Result<Saved<Deal>> attest_document(const Actor& actor, Id id, const std::string& document,
                                      const std::string& note = "");
  // Attestations on the deals the actor may see, in id order (`salescore doctor` lists
  // those kept by the migration for a head to review).
  Result<std::vector<DocumentAttestation>> attestations(const Actor& actor, const AttestationQuery& query);

 private:
  detail::EngineState* s_;
};

// ---- orders ----
struct OrderPatch {
  std::optional<std::string> number;
  std::optional<OrderStatus> status;
  std::optional<std::vector<OrderLine>> lines;  // replaces the lines; totals recomputed
  std::optional<Id> deal_id, owner_id;
  std::optional<Instant> ordered_at;
  std::optional<std::map<std::string, std::string>> custom;  // replaces the map
};

struct OrderQuery {
  std::optional<Id> client_id, owner_id, deal_id;
  std::optional<OrderStatus> status;
  std::optional<Instant> from, to;  // ordered_at in [from, to)
  std::optional<std::string> source;
  Page page;
};

class OrderService {
 public:
  explicit OrderService(detail::EngineState* s) : s_(s) {}
  Result<Saved<Order>> add(const Actor& actor, Order order);
  Result<Order> get(const Actor& actor, Id id);
  Result<Saved<Order>> update(const Actor& actor, Id id, const OrderPatch& patch);
  // Keyed by (source, external_id): applying the same order twice changes nothing.
  Result<Saved<Order>> upsert(const Actor& actor, Order order);
  Result<std::vector<Order>> find(const Actor& actor, const OrderQuery& query);
  Result<std::int64_t> count(const Actor& actor, const OrderQuery& query);
  Status for_each(const Actor& actor, const std::function<bool(const Order&)>& visit);

 private:
  detail::EngineState* s_;
};

// ---- interactions ----
struct InteractionQuery {
  std::optional<Id> client_id, user_id;
  std::optional<InteractionKind> kind;
  std::optional<Instant> from, to;
  Page page;
};

class InteractionService {
 public:
  explicit InteractionService(detail::EngineState* s) : s_(s) {}
  Result<Saved<Interaction>> add(const Actor& actor, Interaction interaction);
  Result<Interaction> get(const Actor& actor, Id id);
  // Keyed by (source, external_id): a call record or an email seen twice is kept once.
  Result<Saved<Interaction>> upsert(const Actor& actor, Interaction interaction);
  // A call from a PBX, upserted as above and followed up if missed (salescore/calls.h).
  Result<Saved<Interaction>> record_call(const Actor& actor, Interaction call, const std::string& phone);
  Result<std::vector<Interaction>> find(const Actor& actor, const InteractionQuery& query);
  Result<std::int64_t> count(const Actor& actor, const InteractionQuery& query);

 private:
  detail::EngineState* s_;
};

// ---- tasks ----
struct TaskPatch {
  std::optional<std::string> title, notes;
  std::optional<std::optional<Instant>> due_at;
  std::optional<Id> assignee_id;
  std::optional<TaskStatus> status;
};

struct TaskQuery {
  std::optional<Id> assignee_id, client_id, lead_id;
  std::optional<TaskStatus> status;
  std::optional<Instant> due_before;
  Page page;
};

// One line of a user's day (TaskService::today).
enum class TodaySection { kOverdue, kDueToday, kReminder };
const char* today_section_name(TodaySection s);

struct TodayItem {
  TodaySection section = TodaySection::kDueToday;
  Task task;
  std::string client_name;  // empty when the task has no client
  // Why the task exists: "lead.answer", "installment.reminder", "installment.overdue",
  // "claim.registered", "segment.hot" (.warm, .cooling, .sleeping), "call.missed" (a
  // call-back), or "manual".
  std::string reason;
};

class TaskService {
 public:
  explicit TaskService(detail::EngineState* s) : s_(s) {}
  Result<Task> add(const Actor& actor, Task task);
  Result<Task> get(const Actor& actor, Id id);
  Result<Task> update(const Actor& actor, Id id, const TaskPatch& patch);
  Result<std::vector<Task>> find(const Actor& actor, const TaskQuery& query);
  Result<std::int64_t> count(const Actor& actor, const TaskQuery& query);
  // The open tasks of `user_id` for today in the company time zone: overdue first
  // (due before now, oldest first), then due later today, then installment reminders
  // due on a later day. The user themself, whoever has them in scope (their head, an
  // assistant of theirs, their deputy), a director or an admin may ask.
  Result<std::vector<TodayItem>> today(const Actor& actor, Id user_id);

 private:
  detail::EngineState* s_;
};

// ---- absences and delegation ----
struct AbsenceQuery {
  std::optional<Id> user_id, deputy_id;
  std::optional<Instant> active_at;  // only absences covering this instant
  bool include_cancelled = false;
  Page page;
};

class AbsenceService {
 public:
  explicit AbsenceService(detail::EngineState* s) : s_(s) {}
  // Records an absence. The user themself, their head, a director or an admin may do
  // it; the deputy must be an active user other than the absent one. Overlapping
  // absences of the same user are refused (one deputy at a time keeps rights clear).
  Result<Absence> add(const Actor& actor, Absence absence);
  Result<Absence> get(const Actor& actor, Id id);
  // Ends an absence early (or withdraws a future one); rights revert at once.
  Result<Absence> cancel(const Actor& actor, Id id);
  Result<std::vector<Absence>> find(const Actor& actor, const AbsenceQuery& query);
  Result<std::int64_t> count(const Actor& actor, const AbsenceQuery& query);

 private:
  detail::EngineState* s_;
};

// ---- leads ----
struct LeadQuery {
  std::optional<Id> assignee_id;
  std::optional<LeadStatus> status;
  // The leads behind the KPI leads.sla_breaches: those whose first response was missed
  // in [breached_from, breached_to); with assignee_id, missed by that user (who had the
  // lead then: it may have been reassigned since). Either bound alone is open-ended.
  std::optional<Instant> breached_from, breached_to;
  // The leads behind leads.received, .converted and .conversion: received in
  // [received_from, received_to), credited (as the KPI credits them) to their assignee.
  std::optional<Instant> received_from, received_to;
  Page page;
};

// What converting a lead made.
struct LeadConversion {
  Lead lead;
  Id client_id = 0;
  bool client_created = false;
  Id deal_id = 0;
};

class LeadService {
 public:
  explicit LeadService(detail::EngineState* s) : s_(s) {}
  // Receives a lead: normalizes its phone and e-mail, matches it to a client by phone,
  // e-mail or INN, assigns it by the configured rule to a manager on duty, sets its SLA,
  // and gives the assignee a task to answer it. Idempotent by (source, external_id).
  Result<Saved<Lead>> add(const Actor& actor, Lead lead);
  Result<Lead> get(const Actor& actor, Id id);
  // The work queue: concrete requests first, then oldest first.
  Result<std::vector<Lead>> queue(const Actor& actor, const LeadQuery& query);
  // The same leads in id order, page by page (exports, scripts), and how many there are.
  Result<std::vector<Lead>> find(const Actor& actor, const LeadQuery& query);
  Result<std::int64_t> count(const Actor& actor, const LeadQuery& query);
  // A first (or later) action on the lead: "call", "email" or "status". The first one
  // stops its SLA clock and closes the answer task.
  Result<Lead> touch(const Actor& actor, Id id, const std::string& kind);
  // Turns the lead into a client (the matched one, or a new one) and a deal in stage
  // "new", keeping the lead with links to both.
  Result<LeadConversion> convert(const Actor& actor, Id id, const std::string& deal_title = "");
  Result<Lead> lose(const Actor& actor, Id id, const std::string& reason);

 private:
  detail::EngineState* s_;
};

// What Engine::run_due() did, one line per action, for logs and tests.
struct DueReport {
  int leads_reassigned = 0;
  int leads_escalated = 0;
  int approvals_escalated = 0;
  int contracts_expired = 0;
  int installment_reminders = 0;  // mid-term and day-before reminders sent
  int installments_overdue = 0;   // installments that became overdue (one task each)
  int segment_moves = 0;          // clients moved to another segment by time
  int overdue_tasks_reported = 0;  // overdue tasks of absent users reported to their head
  std::vector<std::string> actions;
};

// ---- event log ----
class EventService {
 public:
  explicit EventService(detail::EngineState* s) : s_(s) {}
  // Events with seq > after, oldest first, at most `limit` (0: all).
  Result<std::vector<Event>> since(std::int64_t after, int limit = 1000);
  // The same for a user of the API: the log carries every record's content, so only
  // those who see everything (director, admin, a system-of-record integration) may read
  // it; anyone else is refused (and audited).
  Result<std::vector<Event>> since(const Actor& actor, std::int64_t after, int limit);
  // The highest seq written so far (0 when the log is empty).
  Result<std::int64_t> last_seq();
  // Waits until the log may have moved past `after` (a write with events committed in
  // this process, or on PostgreSQL announced by another process with NOTIFY) or
  // `at_most_ms` passed, whichever is first. A hint for long polls: the caller reads the
  // log again either way, and the table stays the only truth.
  void wait_for_more(std::int64_t after, int at_most_ms);

 private:
  detail::EngineState* s_;
};

}  // namespace salescore

// Services declared in their own headers; they use Saved and Page from above.
#include "salescore/approvals.h"
#include "salescore/claims.h"
#include "salescore/market.h"
#include "salescore/kpi.h"
#include "salescore/payments.h"
#include "salescore/routes.h"
#include "salescore/segments.h"
#include "salescore/columns.h"  // after payments.h: it reads with PaymentQuery
#include "salescore/automations.h"
#include "salescore/tokens.h"
#include "salescore/accounts.h"
#include "salescore/idempotency.h"

namespace salescore {

// A store URL fit for messages and logs: a PostgreSQL URL's password becomes "***".
std::string redacted_store_url(const std::string& url);

struct EngineOptions {
  Config config;
  std::shared_ptr<Clock> clock;  // null: the system clock
  bool read_only = false;
};

class Engine {
 public:
  // Opens (creating if needed) the store at `url`:
  //   sqlite:PATH        a database file
  //   sqlite::memory:    a private in-memory database
  //   postgresql://user:password@host:port/db   a PostgreSQL 15 database (also postgres://)
  // Applies pending migrations. A database written by a newer salescore is refused.
  static Result<std::unique_ptr<Engine>> open(const std::string& url, EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  UserService& users() { return users_; }
  ClientService& clients() { return clients_; }
  ContactService& contacts() { return contacts_; }
  ProductService& products() { return products_; }
  DealService& deals() { return deals_; }
  OrderService& orders() { return orders_; }
  InteractionService& interactions() { return interactions_; }
  TaskService& tasks() { return tasks_; }
  EventService& events() { return events_; }
  AbsenceService& absences() { return absences_; }
  LeadService& leads() { return leads_; }
  ProposalService& proposals() { return proposals_; }
  ApprovalService& approvals() { return approvals_; }
  ContractService& contracts() { return contracts_; }
  ShipmentService& shipments() { return shipments_; }
  PaymentService& payments() { return payments_; }
  ClaimService& claims() { return claims_; }
  // Market and competitor information (market.h).
  MarketService& market() { return market_; }
  SegmentService& segments() { return segments_; }
  RouteService& routes() { return routes_; }
  VisitService& visits() { return visits_; }
  MustHaveService& must_have() { return must_have_; }
  // Rows of orders, clients, interactions and payments as typed columns (columns.h).
  ColumnService& columns() { return columns_; }
  // Event offsets and retry state of the Python automations (automations.h).
  AutomationService& automations() { return automations_; }
  // API tokens of `salescore serve` (tokens.h).
  TokenService& tokens() { return tokens_; }
  // Passwords, browser sessions and login attempts of the web application (accounts.h).
  AccountService& accounts() { return accounts_; }
  // Writes sent again under the same key get the first reply (idempotency.h).
  IdempotencyService& idempotency() { return idempotency_; }

  // Runs every timer due at the clock's now: SLA reassignments and escalations of
  // unanswered leads, approval escalations, installment reminders and overdue
  // installments, segment moves (docs/rules.md). Safe to call as often as liked: what is
  // not due does nothing.
  Result<DueReport> run_due();
  // The connector runtime's inbox, checkpoints, outbox and dead letters (connectors.h).
  ConnectorService& connectors() { return connectors_; }
  // KPIs and reports (kpi.h), and the monthly sales plans they measure against.
  KpiService& kpi() { return kpi_; }
  PlanService& plans() { return plans_; }

  // Runs `work` in one write transaction: every call inside joins it, and it commits
  // only if `work` returns OK (otherwise nothing of it is applied). Bulk imports use
  // this to pay for one commit instead of one per record.
  Status batch(const std::function<Status()>& work);
  // Inside batch(): runs `work` so that its failure undoes only what `work` wrote (a
  // savepoint) and the batch goes on, to keep a bad record out of a batch without losing
  // the others. Returns `work`'s status (kUnavailable if its writes could not be undone:
  // then the batch must be given up). Outside a batch it is batch().
  Status attempt(const std::function<Status()>& work);

  // Runs `work` with every read inside it on one snapshot of the database (one reader
  // connection, one read transaction), as of when it starts: the server answers each GET
  // this way. Writes inside it still go to the writer and commit as usual.
  Status reading(const std::function<Status()>& work);
  // True when a read would get a reader connection of its own at once, so it cannot wait
  // for a write in progress: false on an in-memory database (one connection for reads
  // and writes) and while every reader is out (a read then waits for one to come back).
  bool reader_free() const;

  const Config& config() const;
  const Clock& clock() const;
  int schema_version() const;
  // Highest schema version this build knows.
  static int latest_schema_version();

 private:
  explicit Engine(std::unique_ptr<detail::EngineState> state);
  std::unique_ptr<detail::EngineState> state_;
  UserService users_;
  ClientService clients_;
  ContactService contacts_;
  ProductService products_;
  DealService deals_;
  OrderService orders_;
  InteractionService interactions_;
  TaskService tasks_;
  EventService events_;
  AbsenceService absences_;
  LeadService leads_;
  ProposalService proposals_;
  ApprovalService approvals_;
  ContractService contracts_;
  ShipmentService shipments_;
  PaymentService payments_;
  ClaimService claims_;
  MarketService market_;
  SegmentService segments_;
  RouteService routes_;
  VisitService visits_;
  MustHaveService must_have_;
  ConnectorService connectors_;
  KpiService kpi_;
  PlanService plans_;
  ColumnService columns_;
  AutomationService automations_;
  TokenService tokens_;
  AccountService accounts_;
  IdempotencyService idempotency_;
};

}  // namespace salescore
