#include "store/pg_event_listener.h"

#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include "store/event_signal.h"

namespace salescore::store {
namespace {

// A session that listens, and the schema whose notices are ours; nullptr when the server
// cannot be reached now.
PGconn* listen_session(const std::string& url, const OpenOptions& options, std::string& schema) {
  const std::string application = options.application_name.empty() ? "salescore" : options.application_name;
  const char* keys[] = {"application_name", "sslmode", "dbname", nullptr};
  const char* values[] = {application.c_str(), options.sslmode.empty() ? nullptr : options.sslmode.c_str(),
                          url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    PQfinish(conn);
    return nullptr;
  }
  PGresult* res = PQexec(conn, (std::string("LISTEN ") + kEventChannel + "; SELECT current_schema()").c_str());
  const bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
  if (ok) schema = PQgetvalue(res, 0, 0);
  PQclear(res);
  if (!ok) {
    PQfinish(conn);
    return nullptr;
  }
  return conn;
}

}  // namespace

EventListener::EventListener(std::string url, OpenOptions options, std::function<void()> moved)
    : url_(std::move(url)), options_(std::move(options)), moved_(std::move(moved)) {
  if (pipe(wake_) != 0) wake_[0] = wake_[1] = -1;
  thread_ = std::thread([this] { run(); });
}

EventListener::~EventListener() {
  stopping_ = true;
  if (wake_[1] >= 0) (void)!write(wake_[1], "x", 1);
  thread_.join();
  for (int fd : wake_)
    if (fd >= 0) close(fd);
}

void EventListener::run() {
  PGconn* conn = nullptr;
  std::string schema;
  while (!stopping_) {
    if (!conn) {
      conn = listen_session(url_, options_, schema);
      if (conn) moved_();  // what was sent while no one listened: the waiters read again
    }
    pollfd fds[2] = {{wake_[0], POLLIN, 0}, {conn ? PQsocket(conn) : -1, POLLIN, 0}};
    // Without a session, try again in a second (the server restarting, say).
    if (poll(fds, 2, conn ? -1 : 1000) < 0) continue;
    if (stopping_ || !conn || !(fds[1].revents & (POLLIN | POLLERR | POLLHUP))) continue;
    if (!PQconsumeInput(conn) || PQstatus(conn) != CONNECTION_OK) {
      PQfinish(conn);
      conn = nullptr;
      continue;
    }
    bool ours = false;
    while (PGnotify* notice = PQnotifies(conn)) {
      ours |= schema == notice->extra;
      PQfreemem(notice);
    }
    if (ours) moved_();
  }
  PQfinish(conn);
}

}  // namespace salescore::store
