#include "parse_budget.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace salescore::email {
namespace {

// What the page's workers and the waiting sync share; the last to let go frees it.
struct Page {
  std::mutex mutex;
  std::condition_variable progress;
  std::vector<std::string> raws;  // read by the workers outside the lock; never resized
  std::vector<BudgetedParse> out;
  std::size_t done = 0;       // messages finished (parsed or given up), in order
  unsigned generation = 0;    // the worker of another generation was given up: it writes nothing
};

void work(std::shared_ptr<Page> page, std::size_t i, unsigned generation, std::uint64_t keep_bytes,
          MailParser parser) {
  for (;; ++i) {
    const std::string* raw = nullptr;
    {
      std::lock_guard lock(page->mutex);
      if (page->generation != generation || i >= page->raws.size()) return;
      raw = &page->raws[i];
    }
    std::string error;
    auto mail = parser(*raw, error, keep_bytes);
    std::lock_guard lock(page->mutex);
    if (page->generation != generation) return;  // given up meanwhile: the sync went on without it
    page->out[i].mail = std::move(mail);
    page->out[i].error = std::move(error);
    page->done = i + 1;
    page->progress.notify_all();
  }
}

void start_worker(const std::shared_ptr<Page>& page, std::uint64_t keep_bytes, const MailParser& parser) {
  std::thread(work, page, page->done, page->generation, keep_bytes, parser).detach();
}

}  // namespace

std::vector<BudgetedParse> parse_page_within(std::vector<std::string> raws, int budget_ms, std::uint64_t keep_bytes,
                                             const MailParser& parser) {
  auto page = std::make_shared<Page>();
  const std::size_t n = raws.size();
  page->raws = std::move(raws);
  page->out.resize(n);
  if (n == 0) return {};
  std::unique_lock lock(page->mutex);
  start_worker(page, keep_bytes, parser);
  while (page->done < n) {
    const std::size_t at = page->done;
    if (page->progress.wait_for(lock, std::chrono::milliseconds(budget_ms), [&] { return page->done != at; }))
      continue;
    // Message `at` has had its budget: given up, and the rest of the page goes to a new
    // worker (the stuck one cannot be killed; it ends when the library comes back).
    BudgetedParse& late = page->out[at];
    late.over_budget = true;
    late.error = "parsing took longer than " + std::to_string(budget_ms) +
                 " ms (parse_seconds); the message was left unread";
    page->done = at + 1;
    ++page->generation;
    if (page->done < n) start_worker(page, keep_bytes, parser);
  }
  return std::move(page->out);
}

BudgetedParse parse_within(const std::string& raw, int budget_ms, std::uint64_t keep_bytes, const MailParser& parser) {
  return std::move(parse_page_within({raw}, budget_ms, keep_bytes, parser).front());
}

}  // namespace salescore::email
