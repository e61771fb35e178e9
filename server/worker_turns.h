// How `salescore serve`'s workers share themselves among connections.
//
// Poco's server gives a worker thread to one connection for as long as the client keeps
// it alive. With more open connections than workers, the others waited for ever (no
// answer at all, bench/run api's 64 connections on 16 threads). So a connection that has
// sent its `turn` requests yields its worker when connections are waiting: the reply says
// "Connection: close" and the client reconnects, queued behind them. With no one waiting,
// nothing is closed, so a server sized to its clients pays nothing.
//
// Workers are also batch-scheduled (SCHED_BATCH): a worker woken by its client's next
// request does not preempt one in the middle of a request, so requests run to the end of
// their few dozen microseconds instead of being cut into time slices among up to
// `--threads` runnable workers. Measured on 2 cores with 64 workers: about a quarter more
// requests per second and a third lower p99 (bench/RESULTS.md, api).
#pragma once

#include <functional>

#include <Poco/Net/SocketAddress.h>

namespace salescore::cli {

class WorkerTurns {
 public:
  static WorkerTurns& instance();
  // `queued`: how many accepted connections wait for a worker while every worker is taken.
  void configure(int turn_requests, std::function<int()> queued);
  // Called by a worker for each request on `peer`'s connection: true when this reply
  // should close the connection to let a waiting one in.
  bool should_yield(const Poco::Net::SocketAddress& peer);
  // Puts the calling worker thread in SCHED_BATCH, once per thread.
  static void batch_schedule_this_thread();

 private:
  int turn_requests_ = 20;
  std::function<int()> queued_;
};

}  // namespace salescore::cli
