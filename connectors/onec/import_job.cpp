#include "import_job.h"

#include <fstream>
#include <vector>

#include "json_out.h"
#include "record_buffer.h"
#include "records.h"

namespace salescore::onec {
namespace {

std::string last_error(const sc_host_api* api, sc_host* host) {
  if (!SC_HAS_FIELD(api, sc_host_api, last_error) || !api->last_error) return "";
  std::string why(api->last_error(host, nullptr, 0), '\0');
  if (!why.empty()) {
    std::vector<char> buffer(why.size() + 1);
    api->last_error(host, buffer.data(), buffer.size());
    why.assign(buffer.data(), why.size());
  }
  return why;
}

}  // namespace

ImportJob::ImportJob(const sc_host_api* api, sc_host* host, std::string path, std::string file,
                     ImportSettings settings, Classifier& classifier, std::mutex& batch_mutex)
    : api_(api),
      host_(host),
      path_(std::move(path)),
      file_(std::move(file)),
      settings_(std::move(settings)),
      classifier_(classifier),
      batch_mutex_(batch_mutex) {
  thread_ = std::thread([this] { run(); });
}

ImportJob::~ImportJob() {
  if (thread_.joinable()) thread_.join();
}

ImportJob::State ImportJob::wait(std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  done_cv_.wait_for(lock, limit, [&] { return state_ != State::kRunning; });
  return state_;
}

std::string ImportJob::message() const {
  std::lock_guard lock(mutex_);
  return message_;
}

std::vector<std::string> ImportJob::take_present() {
  std::lock_guard lock(mutex_);
  return std::move(present_);
}

bool ImportJob::changes_only_catalog() const {
  std::lock_guard lock(mutex_);
  return changes_only_catalog_;
}

std::string apply_full_catalog(const sc_host_api* api, sc_host* host, const std::vector<std::string>& present) {
  if (api->batch_begin(host) != SC_OK) return "salescore could not open a batch: " + last_error(api, host);
  try {
    RecordBuffer buffer(api, host);
    buffer.add(full_catalog_record(present));
    buffer.flush();
  } catch (const std::exception& e) {
    api->batch_end(host, 0);
    return e.what();
  }
  if (api->batch_end(host, 1) != SC_OK) return last_error(api, host);
  return "";
}

void ImportJob::finish(State state, std::string message) {
  {
    std::lock_guard lock(mutex_);
    state_ = state;
    message_ = std::move(message);
  }
  done_cv_.notify_all();
}

void ImportJob::run() {
  std::lock_guard batch_lock(batch_mutex_);
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    finish(State::kFailed, file_ + ": no such file was uploaded");
    return;
  }
  // A record salescore refuses (a buyer it cannot name, an order of nothing it knows)
  // becomes a dead letter and the rest of the file is applied: 1C sends a refused file
  // again at every exchange, so one bad record would hold back all the others for ever.
  // Hosts before ABI 1.3 refuse the whole file instead.
  const bool keeping = SC_HAS_FIELD(api_, sc_host_api, note_sent) && api_->batch_begin_keeping &&
                       api_->batch_end_counted;
  if ((keeping ? api_->batch_begin_keeping(host_) : api_->batch_begin(host_)) != SC_OK) {
    finish(State::kFailed, file_ + ": salescore could not open a batch: " + last_error(api_, host_));
    return;
  }
  RecordBuffer buffer(api_, host_);
  std::int64_t products = 0, offers = 0, clients = 0, orders = 0, skipped = 0;
  std::vector<std::string> present;  // every product of a full catalog file
  CommerceMlSink sink;
  sink.product = [&](const Product& p) {
    buffer.add(product_fields(p, classifier_));
    present.push_back(p.id);
    ++products;
    records_.store(buffer.count());
  };
  sink.offer = [&](const Offer& o) {
    buffer.add(offer_fields(o, classifier_));
    ++offers;
    records_.store(buffer.count());
  };
  sink.counterparty = [&](const Counterparty& c) {
    if (c.id.empty()) throw std::runtime_error("a Контрагент without Ид");
    buffer.add(client_record(c));
    ++clients;
  };
  sink.document = [&](const Document& d) {
    std::string why;
    auto order = order_record(d, settings_.utc_offset, why);
    if (!order) {
      api_->log(host_, SC_LOG_INFO, (file_ + ": " + why + "; skipped").c_str());
      ++skipped;
      return;
    }
    for (const Counterparty& c : d.counterparties) {
      if (c.id.empty() || (!c.role.empty() && c.role != "Покупатель")) continue;
      buffer.add(client_record(c));
      ++clients;
    }
    buffer.add(std::move(*order));
    ++orders;
    records_.store(buffer.count());
  };

  FileFacts facts;
  ParseError error;
  bool parsed = false;
  try {
    parsed = read_commerceml(in, classifier_, sink, facts, error);
    // A full 2.x catalog: what it leaves out is no longer sold. A 3.x catalog comes in
    // portions, each saying "false" alike: 1C says mode=deactivate once all are in
    // (Exchange::deactivate, from the products every portion listed).
    if (parsed && facts.has_catalog && !facts.catalog_changes_only && !is_version_3(facts.schema_version))
      buffer.add(full_catalog_record(present));
    if (parsed) buffer.flush();
  } catch (const std::exception& e) {
    parsed = false;
    error.reason = e.what();
  }
  if (!parsed) {
    api_->batch_end(host_, 0);
    std::string where = error.line > 0 ? ": line " + std::to_string(error.line) : "";
    finish(State::kFailed, file_ + where + ": " + error.reason + "; nothing of this file was applied");
    return;
  }
  std::int64_t dead_letters = 0;
  if ((keeping ? api_->batch_end_counted(host_, 1, &dead_letters) : api_->batch_end(host_, 1)) != SC_OK) {
    finish(State::kFailed, file_ + ": " + last_error(api_, host_) + "; nothing of this file was applied");
    return;
  }
  {
    // A full 3.x portion's products are kept for the exchange's mode=deactivate (a 2.x
    // file has applied its own already); a changes-only catalog makes it go by nothing.
    std::lock_guard lock(mutex_);
    changes_only_catalog_ = facts.has_catalog && facts.catalog_changes_only;
    if (is_version_3(facts.schema_version) && facts.has_catalog && !facts.catalog_changes_only)
      present_ = std::move(present);
  }
  std::string summary = file_ + ": " + std::to_string(products) + " products, " + std::to_string(offers) +
                        " offers, " + std::to_string(clients) + " counterparties, " + std::to_string(orders) +
                        " orders";
  if (skipped) summary += ", " + std::to_string(skipped) + " other documents skipped";
  if (dead_letters)
    summary += ", " + std::to_string(dead_letters) + (dead_letters == 1 ? " dead letter" : " dead letters") +
               " (salescore deadletters list)";
  if (facts.has_catalog) summary += facts.catalog_changes_only ? " (changes only)" : " (full catalog)";
  finish(State::kSucceeded, summary);
}

}  // namespace salescore::onec
