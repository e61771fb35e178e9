#include "host/streaming_batch.h"

#include "host/inbox.h"
#include "salescore/plugin_api.h"
#include "salescore/status.h"

namespace salescore::plugins {
namespace {
// Returned from the transaction to roll it back when the connector discards the batch.
const char* kDiscarded = "batch discarded by the connector";

// How many catalog products go to the engine at once: enough that the chunk's lookups
// are a few IN (...) queries, few enough that the queue keeps the parser busy meanwhile.
constexpr std::size_t kChunkSize = 2000;

// A product that carries its whole state: applied as a catalog entry, no inbox key.
bool is_catalog_product(const NormalizedRecord& r) {
  return r.entity == "product" && r.idempotency_key == SC_KEY_STATE;
}
}  // namespace

StreamingBatch::StreamingBatch(Engine& engine, Actor actor, std::string connector, std::size_t capacity,
                               RefusedRecord refused)
    : engine_(engine),
      actor_(actor),
      connector_(std::move(connector)),
      capacity_(capacity ? capacity : 1),
      refused_record_(refused) {
  thread_ = std::thread([this] { run(); });
}

StreamingBatch::~StreamingBatch() {
  if (!finished_) finish(false);
}

void StreamingBatch::push(std::vector<NormalizedRecord> records) {
  // Reading the records' JSON here, on the connector's thread, overlaps it with the batch
  // thread's writes (bench/run onec).
  std::vector<Queued> read;
  read.reserve(records.size());
  for (auto& r : records) {
    Queued q;
    if (is_catalog_product(r)) {
      q.product.emplace(catalog_item_of(engine_, r));
      r.json.clear();
      r.json.shrink_to_fit();
    } else {
      // Parsed here too; applied in its turn, where a parse error refuses it as before.
      q.fields.emplace(JsonFields::parse(r.json));
    }
    q.record = std::move(r);
    read.push_back(std::move(q));
  }
  enqueue(std::move(read));
}

void StreamingBatch::push(std::vector<CatalogProduct> products) {
  std::vector<Queued> read;
  read.reserve(products.size());
  for (auto& p : products) read.push_back(Queued{std::move(p.record), std::move(p.item)});
  enqueue(std::move(read));
}

void StreamingBatch::enqueue(std::vector<Queued> read) {
  // A whole emit_records call goes in under one lock with one wake-up: a hand-over per
  // record cost a context switch each.
  std::unique_lock lock(mutex_);
  has_room_.wait(lock, [&] { return failed_ || queue_.size() < capacity_; });
  if (failed_) return;  // the batch is lost already; finish() says why
  records_ += static_cast<std::int64_t>(read.size());
  for (auto& q : read) queue_.push_back(std::move(q));
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

void StreamingBatch::abandon(const Status& why) {
  std::lock_guard lock(mutex_);
  if (failed_) return;  // lost already: the first reason stands
  failed_ = true;
  refused_ = why;
  queue_.clear();
  has_room_.notify_all();
  has_records_.notify_all();
}

bool StreamingBatch::refuse(const NormalizedRecord& record, const Status& why) {
  std::lock_guard lock(mutex_);
  if (failed_) return false;  // abandoned meanwhile: that reason stands
  failed_ = true;
  queue_.clear();
  has_room_.notify_all();
  // Among many records, say which one was refused.
  refused_ = Status(why.code(), record.entity + " " + record.source + "/" + record.external_id + ": " + why.message(),
                    why.fields());
  return false;
}

bool StreamingBatch::apply_chunk(Chunk& chunk) {
  if (chunk.entries.empty()) return true;
  CatalogImport report;
  const auto count = static_cast<std::int64_t>(chunk.entries.size());
  // Joins this transaction; the entries move into the engine's products.
  Status st = engine_.products().import_catalog(actor_, std::move(chunk.entries), &report);
  chunk.entries.clear();  // moved from: empty in practice, now by definition
  chunk.entries.reserve(kChunkSize);
  if (!st.is_ok()) return refuse(chunk.records[report.refused.value_or(0)], st);
  applied_ += count;
  chunk.records.clear();
  return true;
}

bool StreamingBatch::take(Queued& queued, Chunk& chunk) {
  if (queued.product) {
    if (!queued.product->ok()) return apply_chunk(chunk) && refuse(queued.record, queued.product->status());
    chunk.entries.push_back(std::move(**queued.product));
    chunk.records.push_back(std::move(queued.record));
    return chunk.entries.size() < kChunkSize || apply_chunk(chunk);
  }
  // Anything else keeps its place in the order: the products before it go first.
  if (!apply_chunk(chunk)) return false;
  if (refused_record_ == RefusedRecord::kDeadLetter) return apply_or_dead_letter(queued);
  auto outcome = queued.fields ? apply_once(engine_, actor_, connector_, queued.record, std::move(*queued.fields))
                               : apply_once(engine_, actor_, connector_, queued.record);  // joins this transaction
  if (!outcome.ok()) return refuse(queued.record, outcome.status());
  ++(*outcome == InboxOutcome::kApplied ? applied_ : duplicates_);
  return true;
}

bool StreamingBatch::apply_or_dead_letter(Queued& queued) {
  std::optional<Result<InboxOutcome>> outcome;
  Status st = engine_.attempt([&]() -> Status {
    outcome.emplace(queued.fields ? apply_once(engine_, actor_, connector_, queued.record, std::move(*queued.fields))
                                  : apply_once(engine_, actor_, connector_, queued.record));
    return outcome->ok() ? Status::ok() : outcome->status();
  });
  if (st.is_ok()) {
    ++(**outcome == InboxOutcome::kApplied ? applied_ : duplicates_);
    return true;
  }
  // The database failing, not the record: the batch is lost, and its sender sends it again.
  if (is_retryable(st.code())) return refuse(queued.record, st);
  auto letter = engine_.connectors().add_dead_letter(inbound_dead_letter(connector_, queued.record, st, 1));
  if (!letter.ok()) return refuse(queued.record, letter.status());
  ++dead_lettered_;
  if (dead_letters_.size() < kDeadLettersKept)
    dead_letters_.push_back({*letter, queued.record.entity + " " + queued.record.source + "/" +
                                          queued.record.external_id, st.message()});
  return true;
}

void StreamingBatch::run() {
  bool discarded = false;
  Status st = engine_.batch([&]() -> Status {
    std::deque<Queued> taken;
    Chunk chunk;
    while (true) {
      {
        // Takes everything queued at once, then applies it without the lock.
        std::unique_lock lock(mutex_);
        has_records_.wait(lock, [&] { return ended_ || failed_ || !queue_.empty(); });
        if (failed_) return refused_;   // abandoned from outside
        if (queue_.empty()) break;      // ended and drained
        if (ended_ && !commit_) break;  // discarded: no point applying the rest
        taken.swap(queue_);
      }
      has_room_.notify_all();
      for (Queued& queued : taken)
        if (!take(queued, chunk)) return refused_;
      taken.clear();
      // Applied before waiting again, so the next wait does not sit on a part-chunk.
      if (!apply_chunk(chunk)) return refused_;
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
