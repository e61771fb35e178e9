// A batch (batch_begin .. batch_end) applied while the connector is still emitting it:
// a thread of its own opens one engine transaction at batch_begin and applies each
// record as it arrives through a bounded queue, so a 200 MB 1C catalog costs a few
// thousand records of memory instead of all of them, and parsing overlaps applying.
// batch_end(commit) waits for the queue to drain and commits; a refused record, or
// batch_end(discard), rolls the whole transaction back: all or nothing, as before.
//
// Catalog products (entity "product" with the SC_KEY_STATE key, or handed over as
// fields with ABI 1.2's emit_products, as 1C's catalog and offers files send them) take
// the engine's set-based path: push() reads them on the connector's thread, and the
// batch thread applies them in chunks through ProductService::import_catalog, so the
// two cores split the parse and the writes.
//
// A batch opened with RefusedRecord::kDeadLetter (ABI 1.3's batch_begin_keeping, as the
// 1C exchange opens one per file) keeps going past a record refused for what it says:
// the record is applied under a savepoint (Engine::attempt), and when it is refused its
// writes are undone and it becomes a dead letter with its reason, in the same
// transaction. A retryable failure, a refused catalog product, or a discarded batch
// still lose the whole batch, dead letters included.
//
// While a batch is open its transaction holds the engine (SQLite has one writer), so
// between batch_begin and batch_end a connector should only emit and log.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "host/catalog_products.h"
#include "host/record_apply.h"

namespace salescore::plugins {

class StreamingBatch {
 public:
  // What a record refused for what it says does to the batch.
  enum class RefusedRecord { kLosesTheBatch, kDeadLetter };
  // A record the batch dead-lettered, for the runtime to log.
  struct DeadLettered {
    Id letter = 0;
    std::string record;  // "order onec/92"
    std::string reason;
  };

  static constexpr std::size_t kQueueCapacity = 2000;  // records queued before push() waits

  StreamingBatch(Engine& engine, Actor actor, std::string connector, std::size_t capacity = kQueueCapacity,
                 RefusedRecord refused = RefusedRecord::kLosesTheBatch);
  // Discards the batch if it was not finished.
  ~StreamingBatch();
  StreamingBatch(const StreamingBatch&) = delete;
  StreamingBatch& operator=(const StreamingBatch&) = delete;

  // Queues the records in order, waiting while the queue is over its capacity. Once a
  // record has been refused the batch is lost: later records are dropped (finish()
  // reports why).
  void push(std::vector<NormalizedRecord> records);
  // The same for catalog products handed over as fields (ABI 1.2's emit_products).
  void push(std::vector<CatalogProduct> products);
  // Loses the batch from outside (records of it were refused before reaching push):
  // finish() then rolls back and returns `why`, whatever it is asked.
  void abandon(const Status& why);
  // Ends the batch: commit applies what is left and commits; otherwise rolls back.
  // Returns the refused record's error (nothing applied), or ok.
  Status finish(bool commit);

  std::int64_t applied() const { return applied_; }
  std::int64_t duplicates() const { return duplicates_; }
  std::int64_t records() const { return records_; }
  // Records dead-lettered in the batch's transaction (kDeadLetter); the first few of them.
  std::int64_t dead_lettered() const { return dead_lettered_; }
  const std::vector<DeadLettered>& dead_letters() const { return dead_letters_; }

 private:
  // A record on its way to the batch thread; a catalog product already read.
  struct Queued {
    NormalizedRecord record;  // a catalog product keeps only its key, for errors
    std::optional<Result<CatalogItem>> product;
    std::optional<Result<JsonFields>> fields;  // any other record's JSON, parsed by push()
  };
  // Catalog products applied together (import_catalog), and the records they came from.
  struct Chunk {
    std::vector<CatalogItem> entries;
    std::vector<NormalizedRecord> records;
  };

  // Queues what push() read, waiting while the queue is over its capacity.
  void enqueue(std::vector<Queued> read);
  void run();
  // Applies the record, or adds it to `chunk` (applying a full chunk). False once refused.
  bool take(Queued& queued, Chunk& chunk);
  bool apply_chunk(Chunk& chunk);
  // kDeadLetter: applies the record under a savepoint, or dead-letters it. False once
  // the batch is lost.
  bool apply_or_dead_letter(Queued& queued);
  // Loses the batch over `record`; the transaction rolls back with result_.
  bool refuse(const NormalizedRecord& record, const Status& why);

  Engine& engine_;
  Actor actor_;
  std::string connector_;
  std::size_t capacity_;
  RefusedRecord refused_record_;

  std::mutex mutex_;
  std::condition_variable has_records_, has_room_;
  std::deque<Queued> queue_;
  bool ended_ = false;
  bool commit_ = false;
  bool failed_ = false;
  bool finished_ = false;
  Status result_;
  Status refused_;  // why the batch thread gave up (kept to return from the transaction)
  std::int64_t applied_ = 0, duplicates_ = 0, records_ = 0, dead_lettered_ = 0;
  static constexpr std::size_t kDeadLettersKept = 20;  // told one by one; the rest counted
  std::vector<DeadLettered> dead_letters_;
  std::thread thread_;
};

}  // namespace salescore::plugins
