// ServeProcesses (salescore/serve_processes.h): the heartbeat rows of serve_processes.
#include "salescore/serve_processes.h"

#include "store/sql.h"
#include "store/store_url.h"

namespace salescore {

struct ServeProcesses::Impl {
  std::unique_ptr<store::Connection> conn;
};

ServeProcesses::ServeProcesses(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ServeProcesses::~ServeProcesses() = default;

Result<std::unique_ptr<ServeProcesses>> ServeProcesses::open(const std::string& url, const Config& config) {
  store::OpenOptions options;
  options.busy_timeout_ms = config.busy_timeout_ms;
  options.statement_timeout_ms = config.statement_timeout_ms;
  options.sslmode = config.sslmode;
  options.application_name = config.application_name.empty() ? "salescore heartbeat" : config.application_name;
  auto impl = std::make_unique<Impl>();
  SC_ASSIGN_OR_RETURN(impl->conn, store::open_connection(url, options));
  return std::unique_ptr<ServeProcesses>(new ServeProcesses(std::move(impl)));
}

Result<int> ServeProcesses::beat(const std::string& process, std::int64_t now_ms, std::int64_t live_ms) {
  store::Connection& c = *impl_->conn;
  // Not the engine's writer lock (begin_write): a heartbeat touches no record a rule
  // reads, and must not queue behind a long import.
  SC_RETURN_IF_ERROR(c.exec("BEGIN"));
  Status st = [&]() -> Status {
    SC_ASSIGN_OR_RETURN(store::Statement * up, c.prepare(c.dialect().upsert("serve_processes", {"name", "seen_at"},
                                                                             {"name"})));
    store::StatementUse use_up(*up);
    up->bind_all(process, now_ms);
    SC_RETURN_IF_ERROR(up->run());
    SC_ASSIGN_OR_RETURN(store::Statement * gone, c.prepare("DELETE FROM serve_processes WHERE seen_at < ?"));
    store::StatementUse use_gone(*gone);
    gone->bind_all(now_ms - 10 * live_ms);
    return gone->run();
  }();
  if (!st.is_ok()) {
    (void)c.rollback();
    return st;
  }
  SC_RETURN_IF_ERROR(c.commit());
  SC_ASSIGN_OR_RETURN(store::Statement * live, c.prepare("SELECT COUNT(*) FROM serve_processes WHERE seen_at >= ?"));
  store::StatementUse use_live(*live);
  live->bind_all(now_ms - live_ms);
  SC_ASSIGN_OR_RETURN(bool row, live->step());
  return std::max<int>(1, row ? static_cast<int>(live->column_int(0)) : 1);
}

Status ServeProcesses::leave(const std::string& process) {
  store::Connection& c = *impl_->conn;
  SC_ASSIGN_OR_RETURN(store::Statement * gone, c.prepare("DELETE FROM serve_processes WHERE name = ?"));
  store::StatementUse use(*gone);
  gone->bind_all(process);
  return gone->run();
}

}  // namespace salescore
