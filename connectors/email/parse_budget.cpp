#include "parse_budget.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace salescore::email {
namespace {

// What the worker and the waiting sync share; the last of the two to let go frees it.
struct Shared {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::string raw;
  BudgetedParse out;
};

}  // namespace

BudgetedParse parse_within(const std::string& raw, int budget_ms, std::uint64_t keep_bytes, const MailParser& parser) {
  auto shared = std::make_shared<Shared>();
  shared->raw = raw;
  std::thread([shared, keep_bytes, parser] {
    std::string error;
    auto mail = parser(shared->raw, error, keep_bytes);
    std::lock_guard lock(shared->mutex);
    shared->out.mail = std::move(mail);
    shared->out.error = std::move(error);
    shared->done = true;
    shared->done_cv.notify_all();
  }).detach();
  std::unique_lock lock(shared->mutex);
  if (!shared->done_cv.wait_for(lock, std::chrono::milliseconds(budget_ms), [&] { return shared->done; })) {
    BudgetedParse late;
    late.over_budget = true;
    late.error = "parsing took longer than " + std::to_string(budget_ms) +
                 " ms (parse_seconds); the message was left unread";
    return late;
  }
  return std::move(shared->out);
}

}  // namespace salescore::email
