#include "host/streaming_batch.h"

#include "host/inbox.h"

namespace salescore::plugins {
namespace {
// Returned from the transaction to roll it back when the connector discards the batch.
const char* kDiscarded = "batch discarded by the connector";
}  // namespace

StreamingBatch::StreamingBatch(Engine& engine, Actor actor, std::string connector, std::size_t capacity)
    : engine_(engine), actor_(actor), connector_(std::move(connector)), capacity_(capacity ? capacity : 1) {
  thread_ = std::thread([this] { run(); });
}

StreamingBatch::~StreamingBatch() {
  if (!finished_) finish(false);
}

void StreamingBatch::push(std::vector<NormalizedRecord> records) {
  // A whole emit_records call goes in under one lock with one wake-up: a hand-over per
  // record cost a context switch each (bench/run onec).
  std::unique_lock lock(mutex_);
  has_room_.wait(lock, [&] { return failed_ || queue_.size() < capacity_; });
  if (failed_) return;  // the batch is lost already; finish() says why
  records_ += static_cast<std::int64_t>(records.size());
  for (auto& r : records) queue_.push_back(std::move(r));
  has_records_.notify_one();
}

Status StreamingBatch::finish(bool commit) {
  {
    std::lock_guard lock(mutex_);
    ended_ = true;
    commit_ = commit;
  }
  has_records_.notify_all();
  if (thread_.joinable()) thread_.join();
  finished_ = true;
  return result_;
}

void StreamingBatch::run() {
  bool discarded = false;
  Status st = engine_.batch([&]() -> Status {
    std::deque<NormalizedRecord> taken;
    while (true) {
      {
        // Takes everything queued at once, then applies it without the lock.
        std::unique_lock lock(mutex_);
        has_records_.wait(lock, [&] { return ended_ || !queue_.empty(); });
        if (queue_.empty()) break;      // ended and drained
        if (ended_ && !commit_) break;  // discarded: no point applying the rest
        taken.swap(queue_);
      }
      has_room_.notify_all();
      for (NormalizedRecord& record : taken) {
        auto outcome = apply_once(engine_, actor_, connector_, record);  // joins this transaction
        if (!outcome.ok()) {
          const Status& e = outcome.status();
          std::lock_guard lock(mutex_);
          failed_ = true;
          queue_.clear();
          has_room_.notify_all();
          // Among many records, say which one was refused.
          return Status(e.code(), record.entity + " " + record.source + "/" + record.external_id + ": " + e.message(),
                        e.fields());
        }
        ++(*outcome == InboxOutcome::kApplied ? applied_ : duplicates_);
      }
      taken.clear();
    }
    std::lock_guard lock(mutex_);
    if (commit_) return Status::ok();
    discarded = true;
    return Status(Code::kFailedPrecondition, kDiscarded);  // any error rolls back
  });
  std::lock_guard lock(mutex_);
  result_ = discarded ? Status::ok() : st;
  if (!st.is_ok()) failed_ = true;
  has_room_.notify_all();
}

}  // namespace salescore::plugins
