#include "exchange.h"

#include <Poco/Base64Decoder.h>
#include <Poco/RandomStream.h>
#include <Poco/TextConverter.h>
#include <Poco/URI.h>
#include <Poco/UTF8Encoding.h>
#include <Poco/Windows1251Encoding.h>

#include <algorithm>
#include <sstream>
#include <string_view>
#include <vector>

namespace salescore::onec {
namespace {

Exchange::Params parse_query(const char* query) {
  Exchange::Params out;
  std::string q = query ? query : "";
  std::size_t start = 0;
  while (start < q.size()) {
    std::size_t end = q.find('&', start);
    if (end == std::string::npos) end = q.size();
    std::string pair = q.substr(start, end - start);
    std::size_t eq = pair.find('=');
    std::string key = pair.substr(0, eq), value = eq == std::string::npos ? "" : pair.substr(eq + 1);
    std::string k, v;
    try {
      Poco::URI::decode(key, k, true);
      Poco::URI::decode(value, v, true);
    } catch (...) {
      k = key;
      v = value;
    }
    out[k] = v;
    start = end + 1;
  }
  return out;
}

// Compares without an early exit, so the time taken does not tell how much matched.
bool same_secret(const std::string& given, const std::string& expected) {
  std::size_t diff = given.size() ^ expected.size();
  for (std::size_t i = 0; i < given.size(); ++i)
    diff |= static_cast<unsigned char>(given[i]) ^ static_cast<unsigned char>(i < expected.size() ? expected[i] : 0);
  return diff == 0 && !expected.empty();
}

std::string random_token() {
  Poco::RandomInputStream random;
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    unsigned char c = static_cast<unsigned char>(random.get());
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

std::optional<std::pair<std::string, std::string>> basic_credentials(const char* header) {
  if (!header) return std::nullopt;
  std::string h = header;
  if (h.size() < 6 || (h.compare(0, 6, "Basic ") != 0 && h.compare(0, 6, "basic ") != 0)) return std::nullopt;
  std::istringstream encoded(h.substr(6));
  Poco::Base64Decoder decoder(encoded);
  std::string plain;
  try {
    std::getline(decoder, plain, '\0');
  } catch (...) {
    return std::nullopt;
  }
  std::size_t colon = plain.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::make_pair(plain.substr(0, colon), plain.substr(colon + 1));
}

std::string cookie_value(const char* header, const std::string& name) {
  if (!header) return "";
  std::string h = header;
  std::size_t start = 0;
  while (start < h.size()) {
    std::size_t end = h.find(';', start);
    if (end == std::string::npos) end = h.size();
    std::string part = h.substr(start, end - start);
    while (!part.empty() && part.front() == ' ') part.erase(0, 1);
    if (part.compare(0, name.size() + 1, name + "=") == 0) return part.substr(name.size() + 1);
    start = end + 1;
  }
  return "";
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// 1C waits for the answer to an orders file; the import is not cut short.
constexpr int kSaleWaitMs = 24 * 3600 * 1000;

std::string to_windows_1251(const std::string& utf8) {
  Poco::UTF8Encoding from;
  Poco::Windows1251Encoding to;
  Poco::TextConverter converter(from, to, '?');
  std::string out;
  converter.convert(utf8, out);
  return out;
}

}  // namespace

Exchange::Exchange(const sc_host_api* api, sc_host* host, ExchangeSettings settings)
    : api_(api), host_(host), settings_(std::move(settings)) {}

Exchange::~Exchange() {
  std::lock_guard lock(mutex_);
  jobs_.clear();  // joins running imports
}

void Exchange::log(int level, const std::string& line) const { api_->log(host_, level, line.c_str()); }

UploadDir Exchange::dir_of(const std::string& type) const { return UploadDir(settings_.work_dir + "/" + type); }

sc_status Exchange::handle(const sc_http_request* request, sc_http_response* response) {
  const Params params = parse_query(request->query);
  auto param = [&](const char* k) {
    auto it = params.find(k);
    return it == params.end() ? std::string() : it->second;
  };
  const std::string type = param("type"), mode = param("mode");
  Reply reply;
  try {
    if (type != "catalog" && type != "sale") {
      reply = {400, "failure\ntype must be catalog or sale, not '" + type + "'\n"};
    } else if (mode == "checkauth") {
      reply = checkauth(request);
    } else if (auto cookie = session_of(request); !cookie) {
      reply = {401, "failure\nnot authorized: call mode=checkauth first and send its cookie\n"};
    } else if (mode == "init") {
      reply = init(type, *cookie);
    } else if (mode == "file") {
      reply = file(type, params, request, *cookie);
    } else if (mode == "import") {
      reply = import(type, param("filename"), settings_.import_step_ms, *cookie);
    } else if (mode == "query" && type == "sale") {
      reply = query(*cookie);
    } else if (mode == "success" && type == "sale") {
      reply = success(*cookie);
    } else if (mode == "deactivate") {
      reply = deactivate(type, *cookie);
    } else if (mode == "complete") {
      reply = {200, "success\n"};  // 3.x end of the exchange: each file was applied on its own
    } else {
      reply = {400, "failure\nmode '" + mode + "' is not known for type=" + type + "\n"};
    }
  } catch (const std::exception& e) {
    log(SC_LOG_ERROR, "exchange " + type + "/" + mode + " failed: " + e.what());
    reply = {500, std::string("failure\n") + e.what() + "\n"};
  }
  api_->response_status(response, reply.status);
  api_->response_header(response, "Content-Type", reply.content_type.c_str());
  api_->response_write(response, reply.body.data(), reply.body.size());
  return SC_OK;
}

Exchange::Reply Exchange::checkauth(const sc_http_request* request) {
  auto credentials = basic_credentials(api_->request_header(request, "Authorization"));
  if (!credentials || !same_secret(credentials->first, settings_.login) ||
      !same_secret(credentials->second, settings_.password)) {
    log(SC_LOG_WARN, std::string("refused checkauth from ") + (request->remote_address ? request->remote_address : "?") +
                         (credentials ? " (wrong login or password)" : " (no Basic credentials)"));
    return {401, "failure\nwrong login or password\n"};
  }
  const std::string token = random_token();
  const std::int64_t now = api_->now_ms(host_);
  {
    std::lock_guard lock(mutex_);
    for (auto it = sessions_.begin(); it != sessions_.end();)  // forget stale sessions
      it = now - it->second.last_seen_ms > settings_.session_ttl_ms ? sessions_.erase(it) : std::next(it);
    sessions_[token].last_seen_ms = now;
  }
  return {200, "success\n" + std::string(kCookieName) + "\n" + token + "\n"};
}

std::optional<std::string> Exchange::session_of(const sc_http_request* request) {
  std::string token = cookie_value(api_->request_header(request, "Cookie"), kCookieName);
  if (token.empty()) return std::nullopt;
  const std::int64_t now = api_->now_ms(host_);
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(token);
  if (it == sessions_.end() || now - it->second.last_seen_ms > settings_.session_ttl_ms) return std::nullopt;
  it->second.last_seen_ms = now;
  return token;
}

Exchange::Reply Exchange::init(const std::string& type, const std::string& cookie) {
  // Imports of the previous exchange finish first (destroying a job waits for it).
  std::vector<std::shared_ptr<ImportJob>> finishing;
  {
    std::lock_guard lock(mutex_);
    for (auto it = jobs_.begin(); it != jobs_.end();) {
      if (it->first.compare(0, type.size() + 1, type + "/") == 0) {
        finishing.push_back(std::move(it->second));
        it = jobs_.erase(it);
      } else {
        ++it;
      }
    }
  }
  finishing.clear();
  // The exchange's sessid (3.x): this init's own, answered as it is (it was kept in a map
  // and read back after the lock, while another 1C's init could be writing it).
  const std::string exchange_id = std::to_string(api_->now_ms(host_));
  {
    std::lock_guard batch(batch_mutex_);
    std::lock_guard lock(mutex_);
    uploaded_[type].clear();
    if (type == "catalog") {
      classifier_ = Classifier{};
      sessions_[cookie].catalog_present.clear();
      sessions_[cookie].catalog_partial = false;
    }
    dir_of(type).reset();
  }
  std::string body = std::string("zip=") + (settings_.zip ? "yes" : "no") + "\nfile_limit=" +
                     std::to_string(settings_.file_limit) + "\n";
  if (is_version_3(settings_.export_settings.schema_version))
    body += "sessid=" + exchange_id + "\nversion=" + settings_.export_settings.schema_version + "\n";
  return {200, body};
}

Exchange::Reply Exchange::file(const std::string& type, const Params& params, const sc_http_request* request,
                               const std::string& cookie) {
  auto it = params.find("filename");
  std::string why;
  auto name = UploadDir::safe_name(it == params.end() ? "" : it->second, why);
  if (!name) return {400, "failure\n" + why + "\n"};
  if (static_cast<std::int64_t>(request->body_size) > settings_.file_limit)
    return {413, "failure\nthe chunk is larger than file_limit=" + std::to_string(settings_.file_limit) + "\n"};
  bool first_piece;
  {
    std::lock_guard lock(mutex_);
    first_piece = uploaded_[type].insert(*name).second;
  }
  dir_of(type).write(*name, request->body, request->body_size, first_piece);
  if (type != "sale") return {200, "success\n"};  // catalog files wait for mode=import
  // Orders from 1C are applied as soon as the file is in; 1C sends a file bigger than
  // file_limit in pieces of exactly file_limit bytes, so a full piece means more follow.
  const bool last_piece = static_cast<std::int64_t>(request->body_size) < settings_.file_limit;
  if (ends_with(*name, ".zip")) return import_sale_archive(*name, last_piece, cookie);
  if (!ends_with(*name, ".xml")) return {200, "success\n"};
  if (!last_piece) {
    log(SC_LOG_INFO, *name + ": a piece of file_limit bytes; waiting for the rest before applying it");
    return {200, "success\n"};
  }
  return import(type, *name, kSaleWaitMs, cookie);
}

Exchange::Reply Exchange::import_sale_archive(const std::string& name, bool last_piece, const std::string& cookie) {
  UploadDir dir = dir_of("sale");
  if (!dir.archive_complete(name)) {
    if (!last_piece) return {200, "success\n"};  // more pieces to come
    // A piece shorter than file_limit is the last, and the archive still does not end
    // as a zip does: refused, or 1C would count these orders delivered.
    log(SC_LOG_WARN, name + ": its last piece is in and it is not a complete zip archive; not applied");
    return {200, "failure\n" + name + ": not a complete zip archive (no central directory at its end); nothing "
                 "of it was applied\n"};
  }
  std::vector<std::string> held;
  {
    std::lock_guard lock(mutex_);  // as import() unpacks: no other request reads the directory meanwhile
    held = dir.unpack_archive(name);
  }
  std::sort(held.begin(), held.end());
  std::string applied;
  for (const auto& file : held) {
    if (!ends_with(file, ".xml")) continue;
    Reply reply = import("sale", file, kSaleWaitMs, cookie);
    if (reply.body.rfind("success", 0) != 0) return reply;  // the first failure, as 1C expects it
    applied += reply.body.substr(reply.body.find('\n') + 1);
  }
  if (applied.empty()) return {200, "failure\n" + name + " holds no .xml file to apply\n"};
  return {200, "success\n" + applied};
}

Exchange::Reply Exchange::import(const std::string& type, const std::string& filename, int wait_ms,
                                 const std::string& cookie) {
  std::string why;
  auto name = UploadDir::safe_name(filename, why);
  if (!name) return {400, "failure\n" + why + "\n"};
  const std::string key = type + "/" + *name;
  std::shared_ptr<ImportJob> job;
  {
    std::lock_guard lock(mutex_);
    auto found = jobs_.find(key);
    if (found == jobs_.end()) {
      UploadDir dir = dir_of(type);
      if (!dir.exists(*name)) dir.unpack_archives();
      if (!dir.exists(*name)) return {200, "failure\n" + *name + " was not uploaded in this exchange\n"};
      ImportSettings settings;
      settings.utc_offset = settings_.utc_offset;
      found = jobs_.emplace(key, std::make_shared<ImportJob>(api_, host_, dir.path_of(*name), *name, settings,
                                                             classifier_, batch_mutex_))
                  .first;
      log(SC_LOG_INFO, "importing " + *name);
    }
    job = found->second;
  }
  ImportJob::State state = job->wait(std::chrono::milliseconds(wait_ms));
  if (state == ImportJob::State::kRunning)
    return {200, "progress\n" + *name + ": " + std::to_string(job->records()) + " records read\n"};
  std::string message = job->message();
  {
    std::lock_guard lock(mutex_);
    // Only this job: a newer exchange may have started another import of the file.
    if (auto it = jobs_.find(key); it != jobs_.end() && it->second == job) jobs_.erase(it);
  }
  if (type == "catalog") {
    // What this session's mode=deactivate (3.x) may go by: the products of every full
    // portion, and whether a portion was changes only or failed.
    std::vector<std::string> listed = job->take_present();
    std::lock_guard lock(mutex_);
    Session& session = sessions_[cookie];
    if (state == ImportJob::State::kFailed || job->changes_only_catalog()) session.catalog_partial = true;
    session.catalog_present.insert(session.catalog_present.end(), std::make_move_iterator(listed.begin()),
                                   std::make_move_iterator(listed.end()));
  }
  if (state == ImportJob::State::kFailed) {
    log(SC_LOG_WARN, "import failed: " + message);
    return {200, "failure\n" + message + "\n"};
  }
  log(SC_LOG_INFO, "imported " + message);
  return {200, "success\n" + message + "\n"};
}

Exchange::Reply Exchange::deactivate(const std::string& type, const std::string& cookie) {
  if (type != "catalog") return {200, "success\n"};
  std::vector<std::string> present;
  {
    std::lock_guard lock(mutex_);
    const Session& session = sessions_[cookie];
    if (session.catalog_partial) {
      log(SC_LOG_WARN, "mode=deactivate: a catalog file of this exchange was changes only or failed; nothing "
                       "deactivated");
      return {200, "success\na catalog file of this exchange was changes only or failed; nothing deactivated\n"};
    }
    present = session.catalog_present;
  }
  // An empty list would deactivate every product of 1C: an exchange that imported no
  // catalog (or only failed ones) deactivates nothing.
  if (present.empty()) {
    log(SC_LOG_WARN, "mode=deactivate: no catalog was imported in this exchange; nothing deactivated");
    return {200, "success\nno catalog was imported in this exchange; nothing deactivated\n"};
  }
  std::lock_guard batch(batch_mutex_);
  const std::string failed = apply_full_catalog(api_, host_, present);
  if (!failed.empty()) {
    log(SC_LOG_WARN, "mode=deactivate failed: " + failed);
    return {200, "failure\n" + failed + "; nothing was deactivated\n"};
  }
  log(SC_LOG_INFO, "mode=deactivate: kept the " + std::to_string(present.size()) +
                       " products of this exchange's catalog, deactivated 1C's others");
  return {200, "success\n"};
}

Exchange::Reply Exchange::query(const std::string& cookie) {
  if (!SC_HAS_FIELD(api_, sc_host_api, changes_read) || !api_->changes_read)
    return {500, "failure\nthis salescore is too old to export orders (needs plugin ABI 1.1)\n"};
  std::int64_t after = 0;
  size_t size = 0;
  if (api_->checkpoint_read(host_, nullptr, 0, &size) == SC_OK && size > 0) {
    std::string text(size, '\0');
    api_->checkpoint_read(host_, text.data(), size, &size);
    after = std::stoll(text);
  }
  std::vector<std::string> orders;
  std::int64_t next = after;
  auto visit = [](void* ctx, const char* json, size_t n) -> int {
    static_cast<std::vector<std::string>*>(ctx)->emplace_back(json, n);
    return 0;
  };
  sc_status st = api_->changes_read(host_, "order", after, settings_.query_limit, visit, &orders, &next);
  if (st != SC_OK) {
    std::vector<char> why(512);
    if (api_->last_error) api_->last_error(host_, why.data(), why.size());
    return {503, "failure\ncannot read orders: " + std::string(why.data()) + "\n"};
  }
  {
    std::lock_guard lock(mutex_);
    sessions_[cookie].queried_up_to = next;
  }
  std::vector<SentOrder> ours;
  std::string xml = orders_document(orders, settings_.export_settings, api_->now_ms(host_), &ours);
  // Noted before 1C has them: a document 1C sends back under one of these Ид changes
  // that order of ours, and no other Ид can (a host before ABI 1.3 cannot tell).
  if (SC_HAS_FIELD(api_, sc_host_api, note_sent) && api_->note_sent) {
    for (const SentOrder& order : ours) {
      if (api_->note_sent(host_, "order", order.id, order.external_id.c_str()) != SC_OK) {
        std::vector<char> why(512);
        api_->last_error(host_, why.data(), why.size());
        return {503, "failure\ncannot note the orders sent: " + std::string(why.data()) + "\n"};
      }
    }
  }
  log(SC_LOG_INFO, "sent " + std::to_string(orders.size()) + " orders to 1C");
  if (!settings_.query_windows_1251) return {200, xml, "application/xml; charset=utf-8"};
  const std::string decl = "encoding=\"UTF-8\"";
  xml.replace(xml.find(decl), decl.size(), "encoding=\"windows-1251\"");
  return {200, to_windows_1251(xml), "application/xml; charset=windows-1251"};
}

Exchange::Reply Exchange::success(const std::string& cookie) {
  std::optional<std::int64_t> up_to;
  {
    std::lock_guard lock(mutex_);
    up_to = sessions_[cookie].queried_up_to;
    sessions_[cookie].queried_up_to.reset();
  }
  if (up_to) {
    const std::string value = std::to_string(*up_to);
    if (api_->checkpoint_save(host_, value.data(), value.size()) != SC_OK)
      return {503, "failure\nthe exported orders could not be marked\n"};
  }
  return {200, "success\n"};
}

}  // namespace salescore::onec
