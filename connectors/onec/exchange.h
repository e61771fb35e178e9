// The CommerceML exchange as a site speaks it, on one HTTP route (GET and POST):
//
//   ?type=catalog|sale&mode=checkauth   Basic auth -> "success\n<cookie name>\n<cookie value>"
//   ...&mode=init                        "zip=yes|no\nfile_limit=<bytes>" (a new exchange)
//   ...&mode=file&filename=F             the body appended to F (chunks; zip archives)
//   type=catalog&mode=import&filename=F  "progress" while the file is applied, then
//                                        "success" or "failure\n<reason>"
//   type=sale&mode=query                 salescore's changed orders as a CommerceML document
//   type=sale&mode=success               1C has them: the next query starts after them
//   type=catalog&mode=deactivate         3.x, after a full exchange: 1C's products none of
//                                        its catalog portions listed are deactivated
//
// Every mode but checkauth needs the cookie checkauth gave. An orders file sent to
// type=sale (mode=file) is applied as soon as it is whole, as 1C expects: an .xml once a
// piece shorter than file_limit came (1C sends pieces of exactly file_limit bytes before
// the last), a .zip once its central directory is in (every .xml in it, by name).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "commerceml.h"
#include "import_job.h"
#include "order_export.h"
#include "salescore/plugin_api.h"
#include "upload_dir.h"

namespace salescore::onec {

struct ExchangeSettings {
  std::string login, password;
  std::string work_dir;
  // 4 MiB: a chunk is held in memory while it arrives, and buffers of this size are
  // reused by the allocator, where 16 MiB ones were mapped fresh for every request: the
  // upload of a 181 MB catalog took 0.35-0.40 s of the server's CPU with 16 MiB chunks,
  // 0.18-0.29 s with 4 MiB (bench/RESULTS.md, onec). Over a slow link more requests cost
  // a round trip each; `file_limit` in the config raises it.
  std::int64_t file_limit = 4 * 1024 * 1024;
  bool zip = true;
  int import_step_ms = 20'000;
  std::size_t query_limit = 500;
  bool query_windows_1251 = false;
  ExportSettings export_settings;
  std::string utc_offset = "+03:00";
  std::int64_t session_ttl_ms = 12LL * 3600 * 1000;
};

class Exchange {
 public:
  Exchange(const sc_host_api* api, sc_host* host, ExchangeSettings settings);
  ~Exchange();

  // The route handler's body; builds the reply with the host's response_* services.
  sc_status handle(const sc_http_request* request, sc_http_response* response);

  static constexpr const char* kCookieName = "salescore_1c";
  using Params = std::map<std::string, std::string>;  // the decoded query string

 private:
  struct Session {
    std::int64_t last_seen_ms = 0;
    std::optional<std::int64_t> queried_up_to;  // the seq mode=query reached, until mode=success
    // A 3.x catalog exchange's products for its mode=deactivate: those its full catalog
    // portions listed. `catalog_partial` once a catalog file of it was changes only or
    // failed: then the list is not the whole catalog, and nothing is deactivated.
    std::vector<std::string> catalog_present;
    bool catalog_partial = false;
  };
  struct Reply {
    int status = 200;
    std::string body;
    std::string content_type = "text/plain; charset=utf-8";
  };
  Reply checkauth(const sc_http_request* request);
  Reply init(const std::string& type, const std::string& cookie);
  Reply file(const std::string& type, const Params& params, const sc_http_request* request,
             const std::string& cookie);
  Reply import(const std::string& type, const std::string& filename, int wait_ms, const std::string& cookie);
  // A zipped orders file (type=sale): once its last piece is in, every .xml in it applied.
  Reply import_sale_archive(const std::string& name, bool last_piece, const std::string& cookie);
  // 3.x, the end of a full exchange: 1C's products no catalog portion of it listed are
  // deactivated (2.x full files do it each on its own).
  Reply deactivate(const std::string& type, const std::string& cookie);
  Reply query(const std::string& cookie);
  Reply success(const std::string& cookie);
  std::optional<std::string> session_of(const sc_http_request* request);
  UploadDir dir_of(const std::string& type) const;
  void log(int level, const std::string& line) const;

  const sc_host_api* api_;
  sc_host* host_;
  ExchangeSettings settings_;

  std::mutex mutex_;  // sessions_, jobs_, uploaded_
  std::map<std::string, Session> sessions_;
  // "type/filename". Shared: a mode=import waits on its job outside mutex_, while another
  // session's init or import may take the job out of the map meanwhile (1C's scheduled
  // exchange and a manual one overlap); the last holder joins the job's thread.
  std::map<std::string, std::shared_ptr<ImportJob>> jobs_;
  std::mutex batch_mutex_;   // one import at a time: the host holds one batch per connector
  Classifier classifier_;    // of the current catalog exchange, guarded by batch_mutex_
  std::map<std::string, std::set<std::string>> uploaded_;  // type -> files written since init (mutex_)
};

}  // namespace salescore::onec
