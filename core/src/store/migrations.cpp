#include "store/migrations.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <vector>

#include "store/deal_document_rows.h"
#include "store/record_version_rows.h"

namespace salescore::store {
namespace {

struct Migration {
  int version;
  const char* description;
  const char* ddl;  // portable DDL; {id} is the dialect's auto primary key
  // Rewrites data the DDL made room for, in the same transaction (none: nullptr). It
  // sees the schema as of this migration, so it names its columns instead of using the
  // row mappers, which follow the latest schema.
  Status (*data)(Connection& conn, Instant now) = nullptr;
};

// Append only. Never edit a migration that has shipped: add a new one.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kAll = {
      {1, "core model: users, clients, contacts, products, deals, orders, interactions, tasks, events",
       R"SQL(
CREATE TABLE users (
  id {id},
  login TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  manager_id BIGINT REFERENCES users(id),
  head_id BIGINT REFERENCES users(id),
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);
CREATE TABLE clients (
  id {id},
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  legal_form TEXT NOT NULL DEFAULT '',
  inn TEXT NOT NULL DEFAULT '',
  kpp TEXT NOT NULL DEFAULT '',
  addresses TEXT NOT NULL DEFAULT '[]',
  price_type TEXT NOT NULL DEFAULT '',
  payment_terms TEXT NOT NULL DEFAULT '',
  shipping_terms TEXT NOT NULL DEFAULT '',
  tier TEXT NOT NULL DEFAULT 'regular',
  owner_id BIGINT REFERENCES users(id),
  assistant_id BIGINT REFERENCES users(id),
  notes TEXT NOT NULL DEFAULT '',
  custom TEXT NOT NULL DEFAULT '{}',
  source TEXT,
  external_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX clients_name_key ON clients(name_key);
CREATE INDEX clients_inn ON clients(inn) WHERE inn <> '';
CREATE INDEX clients_owner ON clients(owner_id);
CREATE UNIQUE INDEX clients_source_key ON clients(source, external_id);
CREATE TABLE contacts (
  id {id},
  client_id BIGINT NOT NULL REFERENCES clients(id),
  name TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX contacts_client ON contacts(client_id);
-- Phones and e-mails of clients and their contacts, one row each, so that an incoming
-- call or letter finds its client by index.
CREATE TABLE contact_points (
  client_id BIGINT NOT NULL REFERENCES clients(id),
  contact_id BIGINT REFERENCES contacts(id),
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  position INTEGER NOT NULL
);
CREATE INDEX contact_points_value ON contact_points(kind, value);
CREATE INDEX contact_points_client ON contact_points(client_id);
CREATE INDEX contact_points_contact ON contact_points(contact_id) WHERE contact_id IS NOT NULL;
CREATE TABLE products (
  id {id},
  sku TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  unit TEXT NOT NULL DEFAULT 'pcs',
  stock_milli BIGINT NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  source TEXT,
  external_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX products_name_key ON products(name_key);
CREATE TABLE product_prices (
  product_id BIGINT NOT NULL REFERENCES products(id),
  price_type TEXT NOT NULL,
  amount_minor BIGINT NOT NULL,
  currency TEXT NOT NULL,
  PRIMARY KEY (product_id, price_type)
);
CREATE TABLE deals (
  id {id},
  client_id BIGINT NOT NULL REFERENCES clients(id),
  title TEXT NOT NULL,
  stage TEXT NOT NULL,
  amount_minor BIGINT NOT NULL DEFAULT 0,
  currency TEXT NOT NULL,
  expected_close BIGINT,
  owner_id BIGINT REFERENCES users(id),
  lost_reason TEXT NOT NULL DEFAULT '',
  source TEXT,
  external_id TEXT,
  stage_changed_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX deals_client ON deals(client_id);
CREATE INDEX deals_owner ON deals(owner_id);
CREATE UNIQUE INDEX deals_source_key ON deals(source, external_id);
CREATE TABLE orders (
  id {id},
  number TEXT NOT NULL,
  client_id BIGINT NOT NULL REFERENCES clients(id),
  deal_id BIGINT REFERENCES deals(id),
  owner_id BIGINT REFERENCES users(id),
  status TEXT NOT NULL,
  currency TEXT NOT NULL,
  total_minor BIGINT NOT NULL,
  ordered_at BIGINT NOT NULL,
  source TEXT,
  external_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX orders_client ON orders(client_id, ordered_at);
CREATE INDEX orders_owner ON orders(owner_id, ordered_at);
CREATE INDEX orders_ordered_at ON orders(ordered_at);
CREATE UNIQUE INDEX orders_source_key ON orders(source, external_id);
CREATE TABLE order_lines (
  order_id BIGINT NOT NULL REFERENCES orders(id),
  line_no INTEGER NOT NULL,
  sku TEXT NOT NULL,
  product_id BIGINT REFERENCES products(id),
  name TEXT NOT NULL DEFAULT '',
  quantity_milli BIGINT NOT NULL,
  price_minor BIGINT NOT NULL,
  discount_minor BIGINT NOT NULL DEFAULT 0,
  amount_minor BIGINT NOT NULL,
  PRIMARY KEY (order_id, line_no)
);
CREATE TABLE interactions (
  id {id},
  kind TEXT NOT NULL,
  direction TEXT NOT NULL,
  occurred_at BIGINT NOT NULL,
  duration_s BIGINT NOT NULL DEFAULT 0,
  user_id BIGINT REFERENCES users(id),
  client_id BIGINT REFERENCES clients(id),
  contact_id BIGINT REFERENCES contacts(id),
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  source TEXT,
  external_id TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX interactions_client ON interactions(client_id, occurred_at);
CREATE INDEX interactions_user ON interactions(user_id, occurred_at);
CREATE UNIQUE INDEX interactions_source_key ON interactions(source, external_id);
CREATE TABLE tasks (
  id {id},
  title TEXT NOT NULL,
  due_at BIGINT,
  assignee_id BIGINT REFERENCES users(id),
  client_id BIGINT REFERENCES clients(id),
  deal_id BIGINT REFERENCES deals(id),
  order_id BIGINT REFERENCES orders(id),
  status TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  done_at BIGINT
);
CREATE INDEX tasks_assignee ON tasks(assignee_id, status, due_at);
CREATE INDEX tasks_client ON tasks(client_id);
CREATE TABLE events (
  seq {id},
  at BIGINT NOT NULL,
  actor_id BIGINT,
  type TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX events_entity ON events(entity, entity_id);
)SQL"},
      {2, "connector runtime: inbox, connector state, outbox, dead letters",
       R"SQL(
-- Idempotency keys of the records a connector delivered and the engine applied,
-- written in the same transaction as the change: a record delivered twice is applied once.
CREATE TABLE connector_inbox (
  connector TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  entity TEXT NOT NULL,
  source TEXT NOT NULL,
  external_id TEXT NOT NULL,
  applied_at BIGINT NOT NULL,
  PRIMARY KEY (connector, idempotency_key)
);
CREATE TABLE connector_state (
  connector TEXT PRIMARY KEY,
  checkpoint TEXT,
  event_offset BIGINT,
  last_success_at BIGINT,
  last_error TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL
);
CREATE TABLE connector_outbox (
  id {id},
  connector TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX connector_outbox_key ON connector_outbox(connector, idempotency_key);
CREATE INDEX connector_outbox_due ON connector_outbox(connector, next_attempt_at);
CREATE TABLE dead_letters (
  id {id},
  connector TEXT NOT NULL,
  direction TEXT NOT NULL,
  kind TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  external_id TEXT NOT NULL DEFAULT '',
  idempotency_key TEXT NOT NULL,
  payload TEXT NOT NULL,
  code TEXT NOT NULL,
  reason TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  failed_at BIGINT NOT NULL,
  replayed_at BIGINT
);
CREATE INDEX dead_letters_connector ON dead_letters(connector, id);
)SQL"},
      {3, "absences and delegation",
       R"SQL(
CREATE TABLE absences (
  id {id},
  user_id BIGINT NOT NULL REFERENCES users(id),
  deputy_id BIGINT NOT NULL REFERENCES users(id),
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  reason TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  cancelled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX absences_deputy ON absences(deputy_id, starts_at);
CREATE INDEX absences_user ON absences(user_id, starts_at);
)SQL"},
      {4, "leads with response SLA; small key-value state of the rules",
       R"SQL(
CREATE TABLE leads (
  id {id},
  channel TEXT NOT NULL,
  contact_name TEXT NOT NULL DEFAULT '',
  company TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  inn TEXT NOT NULL DEFAULT '',
  request TEXT NOT NULL DEFAULT '',
  concrete INTEGER NOT NULL DEFAULT 0,
  client_id BIGINT REFERENCES clients(id),
  assignee_id BIGINT REFERENCES users(id),
  status TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  sla_due_at BIGINT NOT NULL,
  first_action_at BIGINT,
  reassignments INTEGER NOT NULL DEFAULT 0,
  escalated INTEGER NOT NULL DEFAULT 0,
  deal_id BIGINT REFERENCES deals(id),
  lost_reason TEXT NOT NULL DEFAULT '',
  source TEXT,
  external_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX leads_sla ON leads(status, sla_due_at);
CREATE INDEX leads_assignee ON leads(assignee_id, status);
CREATE UNIQUE INDEX leads_source_key ON leads(source, external_id);
-- Every missed first response, for the SLA-breach KPIs.
CREATE TABLE lead_breaches (
  lead_id BIGINT NOT NULL REFERENCES leads(id),
  user_id BIGINT REFERENCES users(id),
  due_at BIGINT NOT NULL,
  breached_at BIGINT NOT NULL
);
CREATE INDEX lead_breaches_user ON lead_breaches(user_id, breached_at);
ALTER TABLE tasks ADD COLUMN lead_id BIGINT REFERENCES leads(id);
CREATE INDEX tasks_lead ON tasks(lead_id) WHERE lead_id IS NOT NULL;
CREATE TABLE rule_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)SQL"},
      {5, "deal pipeline: documents, custom fields, stage history",
       R"SQL(
ALTER TABLE deals ADD COLUMN documents TEXT NOT NULL DEFAULT '[]';
ALTER TABLE deals ADD COLUMN custom TEXT NOT NULL DEFAULT '{}';
CREATE TABLE deal_stages (
  id {id},
  deal_id BIGINT NOT NULL REFERENCES deals(id),
  stage TEXT NOT NULL,
  entered_at BIGINT NOT NULL,
  left_at BIGINT
);
CREATE INDEX deal_stages_deal ON deal_stages(deal_id, entered_at);
CREATE INDEX deal_stages_open ON deal_stages(deal_id) WHERE left_at IS NULL;
)SQL"},
      {6, "commercial proposals, approvals by authority level, contracts",
       R"SQL(
-- One row per request for approval; the subject is a proposal, contract, deal (discount)
-- or client (visit). owner_id is the subject's owner: their department's head decides.
CREATE TABLE approvals (
  id {id},
  subject TEXT NOT NULL,
  subject_id BIGINT NOT NULL,
  client_id BIGINT REFERENCES clients(id),
  deal_id BIGINT REFERENCES deals(id),
  owner_id BIGINT REFERENCES users(id),
  requester_id BIGINT REFERENCES users(id),
  on_behalf_of_id BIGINT REFERENCES users(id),
  rules TEXT NOT NULL DEFAULT '[]',
  summary TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  discount_bp BIGINT NOT NULL DEFAULT 0,
  visit_at BIGINT,
  approver_role TEXT NOT NULL,
  approver_id BIGINT REFERENCES users(id),
  status TEXT NOT NULL,
  due_at BIGINT,
  escalations INTEGER NOT NULL DEFAULT 0,
  task_id BIGINT REFERENCES tasks(id),
  decided_by BIGINT REFERENCES users(id),
  decided_at BIGINT,
  comment TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX approvals_due ON approvals(status, due_at);
CREATE INDEX approvals_approver ON approvals(approver_id, status);
CREATE INDEX approvals_subject ON approvals(subject, subject_id);
CREATE TABLE proposals (
  id {id},
  kind TEXT NOT NULL,
  client_id BIGINT NOT NULL REFERENCES clients(id),
  deal_id BIGINT REFERENCES deals(id),
  owner_id BIGINT REFERENCES users(id),
  status TEXT NOT NULL,
  currency TEXT NOT NULL,
  total_minor BIGINT NOT NULL,
  payment_terms TEXT NOT NULL DEFAULT '',
  deferral_days INTEGER NOT NULL DEFAULT 0,
  shipping_terms TEXT NOT NULL DEFAULT '',
  valid_until BIGINT,
  special_terms TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  approval_id BIGINT REFERENCES approvals(id),
  sent_at BIGINT,
  received_at BIGINT,
  answered_at BIGINT,
  decline_reason TEXT NOT NULL DEFAULT '',
  receipt_task_id BIGINT REFERENCES tasks(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX proposals_client ON proposals(client_id);
CREATE INDEX proposals_owner ON proposals(owner_id, status);
CREATE INDEX proposals_deal ON proposals(deal_id) WHERE deal_id IS NOT NULL;
CREATE TABLE proposal_lines (
  proposal_id BIGINT NOT NULL REFERENCES proposals(id),
  line_no INTEGER NOT NULL,
  sku TEXT NOT NULL,
  product_id BIGINT REFERENCES products(id),
  name TEXT NOT NULL DEFAULT '',
  quantity_milli BIGINT NOT NULL,
  price_minor BIGINT NOT NULL,
  discount_bp BIGINT NOT NULL DEFAULT 0,
  amount_minor BIGINT NOT NULL,
  PRIMARY KEY (proposal_id, line_no)
);
CREATE TABLE contracts (
  id {id},
  type TEXT NOT NULL,
  client_id BIGINT NOT NULL REFERENCES clients(id),
  deal_id BIGINT REFERENCES deals(id),
  owner_id BIGINT REFERENCES users(id),
  number TEXT NOT NULL,
  amount_minor BIGINT NOT NULL DEFAULT 0,
  currency TEXT NOT NULL,
  deferral_days INTEGER NOT NULL DEFAULT 0,
  special_terms TEXT NOT NULL DEFAULT '',
  risk_note TEXT NOT NULL DEFAULT '',
  valid_from BIGINT,
  valid_to BIGINT,
  signed_at BIGINT,
  status TEXT NOT NULL,
  approved INTEGER NOT NULL DEFAULT 0,
  approval_id BIGINT REFERENCES approvals(id),
  termination_reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX contracts_number ON contracts(number);
CREATE INDEX contracts_client ON contracts(client_id);
CREATE INDEX contracts_owner ON contracts(owner_id, status);
CREATE INDEX contracts_expiry ON contracts(status, valid_to);
)SQL"},
      {7, "shipments, payment schedules, payments, claims, client segments, reasons of rule tasks",
       R"SQL(
CREATE TABLE shipments (
  id {id},
  order_id BIGINT NOT NULL REFERENCES orders(id),
  planned_at BIGINT NOT NULL,
  shipped_at BIGINT,
  delivered_at BIGINT,
  status TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX shipments_order ON shipments(order_id, planned_at);
-- A schedule is in force from created_at until replaced_at, so receivables can be
-- computed at any instant.
CREATE TABLE payment_schedules (
  id {id},
  order_id BIGINT NOT NULL REFERENCES orders(id),
  created_at BIGINT NOT NULL,
  replaced_at BIGINT
);
CREATE INDEX payment_schedules_order ON payment_schedules(order_id, created_at);
-- mid_reminder_at / eve_reminder_at are null when the term is too short for them;
-- paid_at is set once payments cover the installment (payments are never taken back).
CREATE TABLE installments (
  id {id},
  schedule_id BIGINT NOT NULL REFERENCES payment_schedules(id),
  order_id BIGINT NOT NULL REFERENCES orders(id),
  number INTEGER NOT NULL,
  term_start BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  amount_minor BIGINT NOT NULL,
  currency TEXT NOT NULL,
  mid_reminder_at BIGINT,
  eve_reminder_at BIGINT,
  paid_at BIGINT
);
CREATE INDEX installments_schedule ON installments(schedule_id, number);
CREATE INDEX installments_open ON installments(due_at) WHERE paid_at IS NULL;
-- What the reminder timer sent: one row per installment and kind (mid, eve, overdue),
-- so each fires once however often run_due runs.
CREATE TABLE installment_reminders (
  installment_id BIGINT NOT NULL REFERENCES installments(id),
  kind TEXT NOT NULL,
  sent_at BIGINT NOT NULL,
  task_id BIGINT REFERENCES tasks(id),
  PRIMARY KEY (installment_id, kind)
);
CREATE TABLE payments (
  id {id},
  order_id BIGINT NOT NULL REFERENCES orders(id),
  client_id BIGINT NOT NULL REFERENCES clients(id),
  amount_minor BIGINT NOT NULL,
  currency TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  method TEXT NOT NULL,
  reference TEXT NOT NULL DEFAULT '',
  source TEXT,
  external_id TEXT,
  recorded_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX payments_order ON payments(order_id, received_at);
CREATE INDEX payments_client ON payments(client_id, received_at);
CREATE UNIQUE INDEX payments_source_key ON payments(source, external_id);
-- contract_id has no foreign key on purpose: claims and contracts were built at the
-- same time; a later migration may add the constraint.
CREATE TABLE claims (
  id {id},
  client_id BIGINT NOT NULL REFERENCES clients(id),
  order_id BIGINT REFERENCES orders(id),
  contract_id BIGINT,
  kind TEXT NOT NULL,
  description TEXT NOT NULL,
  cause TEXT NOT NULL DEFAULT '',
  cause_key TEXT NOT NULL DEFAULT '',
  measures TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  resolved_at BIGINT,
  owner_id BIGINT REFERENCES users(id),
  registered_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX claims_client ON claims(client_id, created_at);
CREATE INDEX claims_order ON claims(order_id) WHERE order_id IS NOT NULL;
CREATE INDEX claims_created ON claims(created_at);
-- The segment each client was last put in; next_change_at is when time alone moves it
-- on, so run_due reads only the clients due to move.
-- {id} makes client_id SQLite's rowid: the lookup every new order makes is one b-tree
-- search. Rows are always inserted with the client's id.
CREATE TABLE client_segments (
  client_id {id} REFERENCES clients(id),
  segment TEXT NOT NULL,
  last_order_at BIGINT,
  since BIGINT NOT NULL,
  next_change_at BIGINT
);
CREATE INDEX client_segments_next ON client_segments(next_change_at) WHERE next_change_at IS NOT NULL;
CREATE INDEX client_segments_segment ON client_segments(segment);
-- Why a rule gave someone a task, and the record it is about, so the day's list can
-- say why and the rule can close the task when its reason goes away.
CREATE TABLE task_reasons (
  task_id {id} REFERENCES tasks(id),
  reason TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id BIGINT NOT NULL
);
CREATE INDEX task_reasons_entity ON task_reasons(entity, entity_id);
)SQL"},
      {8, "route sales: outlet channels, routes, must-have SKUs, visits and the stock seen",
       R"SQL(
-- An outlet is a client; its channel picks the must-have list that applies to it.
CREATE TABLE outlet_profiles (
  client_id BIGINT PRIMARY KEY REFERENCES clients(id),
  channel TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX outlet_profiles_channel ON outlet_profiles(channel);
CREATE TABLE route_stops (
  rep_id BIGINT NOT NULL REFERENCES users(id),
  weekday INTEGER NOT NULL,
  position INTEGER NOT NULL,
  client_id BIGINT NOT NULL REFERENCES clients(id),
  PRIMARY KEY (rep_id, weekday, position)
);
CREATE TABLE must_have_skus (
  channel TEXT NOT NULL,
  position INTEGER NOT NULL,
  sku TEXT NOT NULL,
  PRIMARY KEY (channel, position)
);
CREATE TABLE visits (
  id {id},
  rep_id BIGINT NOT NULL REFERENCES users(id),
  client_id BIGINT NOT NULL REFERENCES clients(id),
  planned INTEGER NOT NULL,
  checked_in_at BIGINT NOT NULL,
  checked_out_at BIGINT,
  stock_recorded_at BIGINT,
  missing_must_have TEXT NOT NULL DEFAULT '[]',
  order_id BIGINT REFERENCES orders(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX visits_rep ON visits(rep_id, checked_in_at);
CREATE INDEX visits_client ON visits(client_id, checked_in_at);
-- One open visit per rep, held by the database too.
CREATE UNIQUE INDEX visits_open ON visits(rep_id) WHERE checked_out_at IS NULL;
CREATE TABLE visit_stock (
  visit_id BIGINT NOT NULL REFERENCES visits(id),
  sku TEXT NOT NULL,
  quantity_milli BIGINT NOT NULL,
  PRIMARY KEY (visit_id, sku)
);
)SQL"},
      {9, "KPI aggregates by company-zone day and month, sales plans with history",
       R"SQL(
-- Sums of KPI facts (docs/kpi.md) per local day and user: `value` is the fact's amount
-- (money, milliseconds, seconds) and `n` how many records it sums. `dim` splits a fact
-- where its KPI has a breakdown (currency, direction, lost reason, stage). Maintained in
-- the transaction of every change; KpiService::rebuild recomputes them.
CREATE TABLE kpi_daily (
  day BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  fact TEXT NOT NULL,
  dim TEXT NOT NULL,
  value BIGINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (day, user_id, fact, dim)
);
-- The same sums per local month (yyyymm), so a month or a quarter reads a few rows.
CREATE TABLE kpi_monthly (
  month BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  fact TEXT NOT NULL,
  dim TEXT NOT NULL,
  value BIGINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (month, user_id, fact, dim)
);
-- A plan is in force until replaced_at; replaced plans stay as the history.
CREATE TABLE sales_plans (
  id {id},
  user_id BIGINT NOT NULL REFERENCES users(id),
  month BIGINT NOT NULL,
  amount_minor BIGINT NOT NULL,
  currency TEXT NOT NULL,
  set_by BIGINT REFERENCES users(id),
  set_at BIGINT NOT NULL,
  replaced_at BIGINT
);
CREATE INDEX sales_plans_month ON sales_plans(month, user_id) WHERE replaced_at IS NULL;
CREATE INDEX sales_plans_user ON sales_plans(user_id, month, set_at);
)SQL"},
      {10, "order attributes of other systems (1C number, posting, payment dates); product groups and properties",
       R"SQL(
ALTER TABLE orders ADD COLUMN custom TEXT NOT NULL DEFAULT '{}';
ALTER TABLE products ADD COLUMN product_group TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN properties TEXT NOT NULL DEFAULT '{}';
-- Offers (prices, stock) find their product by the id the catalog gave it.
CREATE INDEX products_source_key ON products(source, external_id) WHERE source IS NOT NULL;
)SQL"},
      {11, "automations: the event log offset of each Python automation and its retry state",
       R"SQL(
-- One row per automation ("automation.<module>.<function>"). `event_offset` is the seq
-- of the last event it handled (or gave up on): a restart resumes after it. While an
-- event keeps failing, `failures` counts the attempts and `retry_at` says when to try
-- again, so a failing automation waits without holding up the others.
CREATE TABLE automation_state (
  automation TEXT PRIMARY KEY,
  event_offset BIGINT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  retry_at BIGINT,
  last_error TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL
);
)SQL"},
      {12, "API tokens of `salescore serve`, stored as SHA-256 hashes",
       R"SQL(
-- The secret itself is never stored: a request's token is hashed and looked up here.
CREATE TABLE api_tokens (
  id {id},
  user_id BIGINT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL DEFAULT '',
  prefix TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
)SQL"},
      {13, "product prices keyed by product and price type alone",
       R"SQL(
-- A price is only ever found by its product and type. Without a rowid beside that key
-- the table is one B-tree instead of two, so a 1C offers file (two prices for each of
-- 100,000 products) writes every price once and reads it in one search.
CREATE TABLE product_prices_keyed (
  product_id BIGINT NOT NULL REFERENCES products(id),
  price_type TEXT NOT NULL,
  amount_minor BIGINT NOT NULL,
  currency TEXT NOT NULL,
  PRIMARY KEY (product_id, price_type)
){keyed};
INSERT INTO product_prices_keyed (product_id, price_type, amount_minor, currency)
  SELECT product_id, price_type, amount_minor, currency FROM product_prices;
DROP TABLE product_prices;
ALTER TABLE product_prices_keyed RENAME TO product_prices;
)SQL"},
      {14, "connector inbox by record; what the running connectors are doing, and operators' requests",
       R"SQL(
-- A key the host derives from a record's content is a duplicate only while it is the
-- last one claimed for that record (ConnectorService::claim_inbox, InboxClaim::kLatest).
CREATE INDEX connector_inbox_record ON connector_inbox(connector, entity, source, external_id);
-- `salescore serve` writes each connector's state (running, retrying, backpressure,
-- paused, failed) when it changes, so `salescore plugins list` shows it; `salescore
-- plugins pause|resume` leave a request that the running server carries out.
ALTER TABLE connector_state ADD COLUMN runtime_state TEXT NOT NULL DEFAULT '';
ALTER TABLE connector_state ADD COLUMN runtime_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE connector_state ADD COLUMN runtime_at BIGINT;
ALTER TABLE connector_state ADD COLUMN operator_request TEXT NOT NULL DEFAULT '';
)SQL"},
      {15, "deal documents derived from records; documents people attested",
       R"SQL(
-- A deal's engine-known documents (proposal_sent, contract_signed, ...) are derived from
-- its proposals, contracts and approvals (store/deal_document_rows.cpp); the others are
-- attested by a person, or kept by this migration from a list typed in by hand.
-- IF NOT EXISTS: a database rolled back by hand past 14 (tests do) runs this again.
CREATE TABLE IF NOT EXISTS deal_attestations (
  id {id},
  deal_id BIGINT NOT NULL REFERENCES deals(id),
  document TEXT NOT NULL,
  attested_by BIGINT REFERENCES users(id),
  by_migration INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT '',
  attested_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS deal_attestations_document ON deal_attestations(deal_id, document);
CREATE INDEX IF NOT EXISTS deal_attestations_review ON deal_attestations(by_migration, id);
CREATE INDEX IF NOT EXISTS contracts_deal ON contracts(deal_id) WHERE deal_id IS NOT NULL;
)SQL",
       derive_documents_of_every_deal},
      {16, "idempotency keys of API writes and the replies kept under them",
       R"SQL(
-- A write sent again under the same Idempotency-Key gets the kept reply (idempotency.h).
-- Keyed per user: two users' scripts may well pick the same key. Only a hash of the
-- request is kept, to tell "the same request" from "another request under this key".
CREATE TABLE IF NOT EXISTS idempotency_keys (
  user_id BIGINT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  reply_status INTEGER NOT NULL,
  reply_body TEXT NOT NULL,
  claimed_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, idempotency_key)
){keyed};
-- Expired keys are purged by age.
CREATE INDEX IF NOT EXISTS idempotency_keys_age ON idempotency_keys(claimed_at);
)SQL"},
      {17, "dead letters keep their reason: each replay recorded beside it; outbox items name the letter they replay",
       R"SQL(
-- What each replay of a dead letter did and when (ConnectorService::record_replay). The
-- letter's own code, reason and failed_at stay what it was given up for.
CREATE TABLE dead_letter_replays (
  id {id},
  dead_letter_id BIGINT NOT NULL REFERENCES dead_letters(id),
  at BIGINT NOT NULL,
  outcome TEXT NOT NULL,
  code TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dead_letter_replays_letter ON dead_letter_replays(dead_letter_id, id);
-- An item queued by a replay names its letter, so that its delivery or its failure is
-- recorded on that letter rather than making a new one.
ALTER TABLE connector_outbox ADD COLUMN dead_letter_id BIGINT;
CREATE INDEX connector_outbox_dead_letter ON connector_outbox(dead_letter_id) WHERE dead_letter_id IS NOT NULL;
)SQL"},
      {18, "ids under which connectors sent salescore's records to their systems",
       R"SQL(
-- 1C's mode=query sends order 42 as "SC-42": a document 1C sends back under that id
-- changes order 42, and a bare "42" (never sent) changes nothing of ours.
CREATE TABLE IF NOT EXISTS connector_sent_ids (
  connector TEXT NOT NULL,
  entity TEXT NOT NULL,
  external_id TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  sent_at BIGINT NOT NULL,
  PRIMARY KEY (connector, entity, external_id)
);
)SQL"},
      {19, "e-mail threads: each letter on the timeline by its Message-ID and its thread",
       R"SQL(
-- One row per e-mail interaction (salescore/emails.h): a reply finds the letter it
-- answers by In-Reply-To/References, or by its subject without Re:/AW:/Отв:/回复: sent
-- to or from the same address; thread_id is the interaction id of the thread's first
-- letter. Message-IDs and subjects are kept short enough for a btree index. `answers` is
-- the Message-ID the letter answers, so that a reply read before that letter (another
-- mailbox read first) joins its thread when the letter comes.
CREATE TABLE IF NOT EXISTS email_letters (
  interaction_id BIGINT PRIMARY KEY REFERENCES interactions(id),
  message_id TEXT NOT NULL,
  thread_id BIGINT NOT NULL,
  subject_key TEXT NOT NULL,
  counterpart TEXT NOT NULL,
  answers TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS email_letters_message_id ON email_letters(message_id);
CREATE INDEX IF NOT EXISTS email_letters_subject ON email_letters(subject_key, counterpart);
CREATE INDEX IF NOT EXISTS email_letters_thread ON email_letters(thread_id);
CREATE INDEX IF NOT EXISTS email_letters_answers ON email_letters(answers);
)SQL"},
      {20, "calls as data: who called whom, the manager's extension, ring time, disposition, hangup cause, recording, the PBX's call id",
       R"SQL(
-- What a PBX says of a call (model.h CallFacts), so that reports and scripts read it as
-- columns instead of parsing the body. Empty for the other kinds of interaction; the
-- talk time is duration_s, the direction and the contact are the interaction's own.
ALTER TABLE interactions ADD COLUMN call_caller TEXT NOT NULL DEFAULT '';
ALTER TABLE interactions ADD COLUMN call_callee TEXT NOT NULL DEFAULT '';
ALTER TABLE interactions ADD COLUMN call_manager TEXT NOT NULL DEFAULT '';
ALTER TABLE interactions ADD COLUMN call_ring_s BIGINT NOT NULL DEFAULT 0;
ALTER TABLE interactions ADD COLUMN call_disposition TEXT NOT NULL DEFAULT '';
ALTER TABLE interactions ADD COLUMN call_hangup_cause TEXT NOT NULL DEFAULT '';
ALTER TABLE interactions ADD COLUMN call_recording TEXT NOT NULL DEFAULT '';
ALTER TABLE interactions ADD COLUMN call_pbx_id TEXT NOT NULL DEFAULT '';
ALTER TABLE interactions ADD COLUMN call_rang_not_answered TEXT NOT NULL DEFAULT '';
)SQL"},
      {22, "people log in: password hashes, browser sessions, login attempts, each user's language",
       R"SQL(
-- Argon2id hashes in libsodium's string form (accounts.h); a user without a row has no
-- password and logs in only with an API token.
CREATE TABLE IF NOT EXISTS user_passwords (
  user_id BIGINT PRIMARY KEY REFERENCES users(id),
  password_hash TEXT NOT NULL,
  changed_at BIGINT NOT NULL
);
-- A browser session: the SHA-256 of the cookie's secret, never the secret itself.
CREATE TABLE IF NOT EXISTS user_sessions (
  id {id},
  user_id BIGINT NOT NULL REFERENCES users(id),
  secret_hash TEXT NOT NULL UNIQUE,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX IF NOT EXISTS user_sessions_user ON user_sessions(user_id);
-- Every login attempt, so that guessing is throttled per login and per address.
CREATE TABLE IF NOT EXISTS login_attempts (
  id {id},
  login TEXT NOT NULL,
  address TEXT NOT NULL,
  at BIGINT NOT NULL,
  succeeded INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS login_attempts_login ON login_attempts(login, at);
CREATE INDEX IF NOT EXISTS login_attempts_address ON login_attempts(address, at);
-- The screens' language, remembered per user (ru, en, zh, bg; '' not chosen).
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
)SQL"},
      {23, "market and competitor information",
       R"SQL(
-- What managers and assistants learn of the market: competitors' prices and offers,
-- changes in demand, customers' requirements (salescore/market.h). A price is money:
-- minor units and the currency; the rest is text as it was heard.
CREATE TABLE IF NOT EXISTS market_notes (
  id {id},
  kind TEXT NOT NULL,
  competitor TEXT NOT NULL DEFAULT '',
  product_id BIGINT REFERENCES products(id),
  product_group TEXT NOT NULL DEFAULT '',
  region TEXT NOT NULL DEFAULT '',
  value TEXT NOT NULL DEFAULT '',
  price_minor BIGINT,
  currency TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  observed_at BIGINT NOT NULL,
  client_id BIGINT REFERENCES clients(id),
  recorded_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS market_notes_observed ON market_notes(observed_at);
CREATE INDEX IF NOT EXISTS market_notes_client ON market_notes(client_id);
CREATE INDEX IF NOT EXISTS market_notes_recorded_by ON market_notes(recorded_by, observed_at);
)SQL"},
      {24, "lines and quantities that left with a shipment; the orders a contract covers",
       R"SQL(
-- A partial shipment: which order lines left with it and how much of each (thousandths,
-- as Quantity). line_no is the line's number in the order, from 1; the SKU is kept as
-- the order had it so a line stays readable after the order changes.
CREATE TABLE IF NOT EXISTS shipment_lines (
  shipment_id BIGINT NOT NULL REFERENCES shipments(id),
  line_no BIGINT NOT NULL,
  sku TEXT NOT NULL DEFAULT '',
  quantity_milli BIGINT NOT NULL,
  PRIMARY KEY (shipment_id, line_no)
);
-- The orders a contract covers; an order is covered by one contract at most.
CREATE TABLE IF NOT EXISTS contract_orders (
  order_id BIGINT NOT NULL PRIMARY KEY REFERENCES orders(id),
  contract_id BIGINT NOT NULL REFERENCES contracts(id)
);
CREATE INDEX IF NOT EXISTS contract_orders_contract ON contract_orders(contract_id, order_id);
)SQL"},
      {25, "several processes on one database: outbox claims with leases, the inbox's claim order",
       R"SQL(
-- An outbox item being delivered is claimed by one process (claimed_by: host:pid) until
-- lease_until; a claim of a process that died runs out and another process takes it.
ALTER TABLE connector_outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE connector_outbox ADD COLUMN lease_until BIGINT;
-- The order in which a record's idempotency keys were claimed (the newest is its state):
-- SQLite's rowid already keeps it, a PostgreSQL heap does not.
ALTER TABLE connector_inbox ADD COLUMN claim_seq {serial};
)SQL"},
      {21, "the newest version of each record a source sent, kept by the host, not in the order's custom fields; "
           "the payment transactions of a source's orders",
       R"SQL(
-- The monotonic guard of connector records (record_apply.h): a shop's modified time per
-- (source, entity, external id). A record older than the version kept is skipped, so a
-- stale retry never overwrites a newer state. Only the connector host writes it: no
-- REST route or Python call reaches it (it lived in the order's custom fields before,
-- which anyone who may edit the order could change).
CREATE TABLE IF NOT EXISTS connector_record_versions (
  source TEXT NOT NULL,
  entity TEXT NOT NULL,
  external_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  applied_at BIGINT NOT NULL,
  PRIMARY KEY (source, entity, external_id)
);
-- Which of a source's orders each payment transaction paid (a shop's transaction id):
-- orders sharing one are flagged (a double charge recorded twice, a payment reused).
CREATE TABLE IF NOT EXISTS connector_payment_references (
  source TEXT NOT NULL,
  reference TEXT NOT NULL,
  external_id TEXT NOT NULL,
  noted_at BIGINT NOT NULL,
  PRIMARY KEY (source, reference, external_id)
);
)SQL",
       move_record_versions_out_of_orders},
      {26, "the serve processes of a database: a heartbeat each, for limits shared across processes",
       R"SQL(
-- Each `salescore serve` records itself (host:pid) every few seconds; the live ones share
-- the API rate limit between them (salescore/serve_processes.h). One row per process.
CREATE TABLE IF NOT EXISTS serve_processes (
  name TEXT PRIMARY KEY,
  seen_at BIGINT NOT NULL
){keyed};
)SQL"},
      {27, "clients found by their company's mail domain through an index",
       R"SQL(
-- A letter no address matches looks for the one client at its sender's company domain
-- (email_threads.cpp). Without this index that read every e-mail in contact_points, for
-- every such letter (17 ms each at 50,000 clients, bench/RESULTS.md). An expression
-- index rather than a stored column: contact_points has one writer today, but an index
-- cannot be left unfilled by a writer added tomorrow, nor by rows older than it.
CREATE INDEX IF NOT EXISTS contact_points_email_domain ON contact_points({email_domain(value)}) WHERE kind = 'email';
)SQL"},
      {28, "refunds of orders: partial or whole, kept and counted against the sales KPIs",
       R"SQL(
-- Money given back on an order (salescore/refunds.h). One refund per (order, reference):
-- a refund recorded again under its reference is the same refund.
CREATE TABLE IF NOT EXISTS order_refunds (
  id {id},
  order_id BIGINT NOT NULL REFERENCES orders(id),
  amount_minor BIGINT NOT NULL,
  currency TEXT NOT NULL,
  refunded_at BIGINT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  reference TEXT NOT NULL,
  recorded_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  UNIQUE (order_id, reference)
);
)SQL"},
      {29, "the active products of a source, for a full catalog's deactivation of what it leaves out",
       R"SQL(
-- A full 1C catalog deactivates the products of its source that it leaves out
-- (ProductService::deactivate_absent). It reads only the active ones: a product
-- discontinued years ago is not read again on every exchange. The index answers that
-- read alone: `active` is a column of it as well as its condition, because SQLite 3.40
-- reads the table for a column the WHERE names unless the index holds it; `id` for
-- PostgreSQL, whose index does not carry the row's id.
CREATE INDEX IF NOT EXISTS products_source_active ON products(source, active, external_id, id)
  WHERE active = 1 AND source IS NOT NULL;
)SQL"}
  };
  return kAll;
}

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Every version recorded, not just the highest: a migration numbered below one already
// applied (two branches of work that each added one, merged in either order) still runs.
Result<std::set<int>> applied_versions(Connection& conn) {
  SC_ASSIGN_OR_RETURN(Statement * q, conn.prepare("SELECT version FROM schema_version"));
  StatementUse use(*q);
  std::set<int> applied;
  while (true) {
    SC_ASSIGN_OR_RETURN(bool row, q->step());
    if (!row) break;
    applied.insert(static_cast<int>(q->column_int(0)));
  }
  return applied;
}

}  // namespace

int latest_schema_version() {
  int latest = 0;
  for (const Migration& m : migrations()) latest = std::max(latest, m.version);
  return latest;
}

Result<int> migrate(Connection& conn) {
  // Does the version table exist? Reading sqlite_master is SQLite-specific, so ask in a
  // portable way: try to read it.
  bool have_table = conn.exec("SELECT version FROM schema_version LIMIT 1").is_ok();
  std::set<int> applied;
  if (have_table) {
    SC_ASSIGN_OR_RETURN(applied, applied_versions(conn));
  }
  const int version = applied.empty() ? 0 : *applied.rbegin();
  const int latest = latest_schema_version();
  if (version > latest)
    return Status(Code::kFailedPrecondition,
                  "this database was written by a newer salescore (schema version " + std::to_string(version) +
                      "; this build knows up to " + std::to_string(latest) + "): upgrade salescore to open it",
                  {}, "schema_too_new");
  std::string missing;
  for (const Migration& m : migrations())
    if (!applied.count(m.version)) missing += (missing.empty() ? "" : ", ") + std::to_string(m.version);
  if (missing.empty()) return version;
  if (conn.read_only())
    return Status::failed_precondition("the database is read-only and needs schema migrations " + missing +
                                       ": open it writable once to upgrade it");
  if (!have_table) {
    SC_RETURN_IF_ERROR(conn.exec(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
        "applied_at BIGINT NOT NULL)"));
  }
  for (const Migration& m : migrations()) {
    if (applied.count(m.version)) continue;
    SC_RETURN_IF_ERROR(conn.begin_write());
    Status st = conn.exec(conn.dialect().ddl(m.ddl));
    if (st.is_ok() && m.data) st = m.data(conn, Instant{now_ms()});
    if (st.is_ok()) {
      auto ins = conn.prepare(conn.dialect().insert("schema_version", {"version", "description", "applied_at"}));
      if (!ins.ok()) {
        st = ins.status();
      } else {
        StatementUse use(**ins);
        use->bind_all(m.version, m.description, now_ms());
        st = use->run();
      }
    }
    if (!st.is_ok()) {
      conn.rollback();
      return Status(st.code(), "migration " + std::to_string(m.version) + " failed: " + st.message());
    }
    SC_RETURN_IF_ERROR(conn.commit());
  }
  return latest;
}

}  // namespace salescore::store
