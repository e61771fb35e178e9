#include "store/migrations.h"

#include <chrono>
#include <vector>

namespace salescore::store {
namespace {

struct Migration {
  int version;
  const char* description;
  const char* ddl;  // portable DDL; {id} is the dialect's auto primary key
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
)SQL"}
  };
  return kAll;
}

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Result<int> current_version(Connection& conn) {
  SC_ASSIGN_OR_RETURN(Statement * q, conn.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
  StatementUse use(*q);
  SC_ASSIGN_OR_RETURN(bool row, q->step());
  return row ? static_cast<int>(q->column_int(0)) : 0;
}

}  // namespace

int latest_schema_version() { return migrations().back().version; }

Result<int> migrate(Connection& conn) {
  // Does the version table exist? Reading sqlite_master is SQLite-specific, so ask in a
  // portable way: try to read it.
  bool have_table = conn.exec("SELECT version FROM schema_version LIMIT 1").is_ok();
  int version = 0;
  if (have_table) {
    SC_ASSIGN_OR_RETURN(version, current_version(conn));
  }
  const int latest = latest_schema_version();
  if (version > latest)
    return Status(Code::kFailedPrecondition,
                  "this database was written by a newer salescore (schema version " + std::to_string(version) +
                      "; this build knows up to " + std::to_string(latest) + "): upgrade salescore to open it",
                  {}, "schema_too_new");
  if (version == latest) return version;
  if (conn.read_only())
    return Status::failed_precondition("the database is read-only and needs schema migrations " +
                                       std::to_string(version + 1) + ".." + std::to_string(latest) +
                                       ": open it writable once to upgrade it");
  if (!have_table) {
    SC_RETURN_IF_ERROR(conn.exec(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
        "applied_at BIGINT NOT NULL)"));
  }
  for (const Migration& m : migrations()) {
    if (m.version <= version) continue;
    SC_RETURN_IF_ERROR(conn.begin_write());
    Status st = conn.exec(conn.dialect().ddl(m.ddl));
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
    version = m.version;
  }
  return version;
}

}  // namespace salescore::store
