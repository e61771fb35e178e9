// One file's import: parsed on a thread of its own and applied as one batch, so a
// 200 MB catalog does not hold 1C's HTTP request past its timeout. mode=import waits
// for it a few seconds at a time and answers "progress" until it is done, then
// "success" or "failure\n<reason>": the file is applied whole or not at all.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "commerceml.h"
#include "salescore/plugin_api.h"

namespace salescore::onec {

struct ImportSettings {
  std::string utc_offset = "+03:00";  // of 1C's Дата/Время
};

class ImportJob {
 public:
  enum class State { kRunning, kSucceeded, kFailed };

  // Starts at once. `batch_mutex` serializes imports: the host holds one batch per
  // connector. `classifier` is shared by the files of one exchange (3.1 sends groups,
  // properties and price types in files of their own) and guarded by the same mutex.
  ImportJob(const sc_host_api* api, sc_host* host, std::string path, std::string file, ImportSettings settings,
            Classifier& classifier, std::mutex& batch_mutex);
  ~ImportJob();
  ImportJob(const ImportJob&) = delete;
  ImportJob& operator=(const ImportJob&) = delete;

  // Waits up to `limit` for the job to finish.
  State wait(std::chrono::milliseconds limit);
  // "imported 100000 products ..." when done, or the reason of the failure.
  std::string message() const;
  std::int64_t records() const { return records_.load(); }
  // The external ids of the catalog products the file listed, once it succeeded (taken
  // once: a 3.x exchange gathers its portions' for mode=deactivate).
  std::vector<std::string> take_present();
  // The file held a catalog of changes only (СодержитТолькоИзменения), once it succeeded.
  bool changes_only_catalog() const;

 private:
  void run();
  void finish(State state, std::string message);

  const sc_host_api* api_;
  sc_host* host_;
  std::string path_, file_;
  ImportSettings settings_;
  Classifier& classifier_;
  std::mutex& batch_mutex_;

  mutable std::mutex mutex_;
  std::condition_variable done_cv_;
  State state_ = State::kRunning;
  std::string message_;
  std::vector<std::string> present_;
  bool changes_only_catalog_ = false;
  std::atomic<std::int64_t> records_{0};
  std::thread thread_;
};

// Deactivates the products of 1C that are not in `present`, as a full catalog file does,
// in one batch of its own (the caller holds the batch mutex). "" or the reason it failed.
std::string apply_full_catalog(const sc_host_api* api, sc_host* host, const std::vector<std::string>& present);

}  // namespace salescore::onec
