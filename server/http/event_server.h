// The HTTP/1.1 front end of `salescore serve`: a few event loops (epoll) own every
// connection, read and parse requests, and write replies; a pool of worker threads runs
// the requests that may take a while.
//
// Why not a thread per connection (Poco's HTTPServer, which served until 2026-11): a
// kept-alive connection held its thread while idle, so connections beyond the thread
// count waited for ever, and every request paid a thread wake-up and a poll set of its
// own. Here an idle connection costs a file descriptor and a few hundred bytes, and a
// loop answers the requests of many ready connections per wake-up.
//
// Which thread answers (HttpService::lane): requests that take tens of microseconds and
// never wait for the writer (a read of one record) are answered on the loop that read
// them. Writes, which may wait for a long import, lists, reports and connector routes go
// to a worker, and the loop goes on with other connections meanwhile. Requests that
// mostly wait (long polls) go to a pool of their own, so they never hold back the writes. One request per connection is in progress at a time, so
// pipelined requests are answered in order.
//
// Streamed replies (HttpResponse::stream, the exports): the loop sends the head, then
// asks a worker for one piece at a time, and only while what it still has to send the
// client is under `stream_high_water`. A client that reads slowly therefore costs at
// most that much memory and holds no thread while it does not read; one that stops
// reading is dropped after `request_timeout` like any reply it does not take, and the
// piece in progress is the last one asked for.
//
// Limits: the head is bounded (HeadLimits), the body by what the service allows for the
// route (413 beyond it), a request must arrive within `request_timeout` once begun, an
// idle kept-alive connection is closed after `idle_timeout`, a reply that the client
// does not read for `request_timeout` is dropped.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

#include "http/http_message.h"
#include "http/request_parser.h"

namespace salescore::http {

class WorkerPool;

class HttpService {
 public:
  virtual ~HttpService() = default;
  // The largest body the request may have, from its head.
  virtual std::size_t body_limit(const HttpRequest& head) = 0;
  // Where a request is answered:
  //  kLoop    on the event loop: it takes so little time, and never waits for a lock
  //           held across a long operation, that the loop can answer it itself;
  //  kWorker  on a worker;
  //  kWaiting on a thread of the waiting pool: it mostly waits (a long poll), and on a
  //           worker it would hold back the writes queued behind it.
  enum class Lane { kLoop, kWorker, kWaiting };
  virtual Lane lane(const HttpRequest& request) = 0;
  // Answers a request, on the thread its lane says, from several threads at once. An
  // exception becomes a 500.
  virtual HttpResponse answer(HttpRequest& request) = 0;
  // The reply to a request that could not be read (malformed, over a limit): `status`
  // and a message for people, in the service's format.
  virtual HttpResponse refuse(int status, const std::string& message) = 0;
};

struct EventServerOptions {
  int loops = 2;     // event loops (threads); `salescore serve` runs two per core
  int workers = 16;  // threads for requests of the kWorker lane
  int waiting_workers = 64;  // threads for requests of the kWaiting lane (long polls)
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds request_timeout{10'000};
  // Above the 10,000 idle clients the server is tested to hold while it serves others
  // (tests/connectors/test_faults.py): an idle connection costs a descriptor and a few
  // hundred bytes. `salescore serve` raises its descriptor limit to match.
  std::size_t max_connections = 16384;
  HeadLimits head_limits;
  // A streamed reply's next piece is asked for only while less than this is waiting to
  // be sent to its client.
  std::size_t stream_high_water = 256 * 1024;
};

class EventServer {
 public:
  // `listen_fd` is a bound, listening TCP socket; the server does not close it.
  EventServer(HttpService& service, int listen_fd, EventServerOptions options);
  ~EventServer();
  EventServer(const EventServer&) = delete;
  EventServer& operator=(const EventServer&) = delete;

  void start();
  // Stops accepting; requests already received are answered (with Connection: close),
  // idle connections are closed. Waits up to `drain` for connections to finish, then
  // stops the loops and waits for every worker's request to end.
  void stop(std::chrono::milliseconds drain);

  std::size_t open_connections() const { return open_.load(); }

 private:
  class Loop;

  HttpService& service_;
  int listen_fd_;
  EventServerOptions options_;
  std::atomic<std::size_t> open_{0};
  std::atomic<bool> refusing_{false};  // stopping: queued requests are answered 503
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<WorkerPool> waiters_;
  std::vector<std::unique_ptr<Loop>> loops_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace salescore::http
