// salescore_connector_onec: 1C:Enterprise (УТ, КА, УНФ, Розница) over the standard
// CommerceML exchange. 1C is pointed at http://HOST:PORT/exchange/1c with the login and
// password of [connector.onec] and exchanges catalog and orders as with a web site.
#include <Poco/Path.h>

#include <memory>
#include <string>

#include "exchange.h"
#include "salescore/plugin_api.h"

namespace {

using salescore::onec::Exchange;
using salescore::onec::ExchangeSettings;

const sc_host_api* g_host = nullptr;

const sc_config_option kConfig[] = {
    {"login", SC_CONFIG_STRING, nullptr, 1, 0, "the login 1C's exchange settings use", nullptr},
    {"password", SC_CONFIG_STRING, nullptr, 1, 1, "the password 1C's exchange settings use", nullptr},
    {"path", SC_CONFIG_STRING, "/exchange/1c", 0, 0, "the URL path 1C is pointed at", nullptr},
    {"work_dir", SC_CONFIG_STRING, "", 0, 0,
     "where uploaded files are kept until imported (default: <temp>/salescore-onec)", nullptr},
    // 1C cuts larger files into chunks of this size; each chunk is held in memory while it
    // arrives, so the limit bounds the memory an upload takes.
    {"file_limit", SC_CONFIG_INT, "4194304", 0, 0, "largest chunk 1C may send in one request, bytes", nullptr},
    {"zip", SC_CONFIG_BOOL, "true", 0, 0, "let 1C send zip archives", nullptr},
    {"import_step_seconds", SC_CONFIG_INT, "20", 0, 0,
     "how long one mode=import request works before answering progress", nullptr},
    {"query_limit", SC_CONFIG_INT, "500", 0, 0, "most orders sent to 1C in one mode=query", nullptr},
    {"query_encoding", SC_CONFIG_STRING, "utf-8", 0, 0, "encoding of the orders document sent to 1C",
     "utf-8|windows-1251"},
    {"schema_version", SC_CONFIG_STRING, "2.08", 0, 0, "CommerceML version of the orders document",
     "2.03|2.04|2.05|2.06|2.07|2.08|2.09|2.10|3.1"},
    {"time_zone_offset", SC_CONFIG_STRING, "+03:00", 0, 0, "UTC offset of 1C's local dates and times", nullptr},
};

struct Instance {
  std::unique_ptr<Exchange> exchange;
};

sc_status handle_exchange(void* self, const sc_http_request* request, sc_http_response* response) {
  return static_cast<Instance*>(self)->exchange->handle(request, response);
}

std::string config_text(sc_host* h, const char* key) {
  const char* v = g_host->config_get(h, key);
  return v ? v : "";
}

sc_status create(sc_host* h, void** self) {
  ExchangeSettings s;
  s.login = config_text(h, "login");
  s.password = config_text(h, "password");
  s.work_dir = config_text(h, "work_dir");
  if (s.work_dir.empty()) s.work_dir = Poco::Path::temp() + "salescore-onec";
  s.file_limit = g_host->config_get_int(h, "file_limit", s.file_limit);
  if (s.file_limit < 1024) return g_host->fail(h, SC_INVALID_ARGUMENT, "file_limit: at least 1024 bytes");
  s.zip = g_host->config_get_bool(h, "zip", 1) != 0;
  s.import_step_ms = static_cast<int>(g_host->config_get_int(h, "import_step_seconds", 20) * 1000);
  if (s.import_step_ms < 1000) return g_host->fail(h, SC_INVALID_ARGUMENT, "import_step_seconds: at least 1");
  s.query_limit = static_cast<std::size_t>(g_host->config_get_int(h, "query_limit", 500));
  s.query_windows_1251 = config_text(h, "query_encoding") == "windows-1251";
  s.export_settings.schema_version = config_text(h, "schema_version");
  s.utc_offset = config_text(h, "time_zone_offset");
  if (!salescore::onec::parse_utc_offset(s.utc_offset, s.export_settings.utc_offset_minutes))
    return g_host->fail(h, SC_INVALID_ARGUMENT,
                        ("time_zone_offset: '" + s.utc_offset + "' is not like +03:00").c_str());
  const std::string path = config_text(h, "path");
  auto instance = std::make_unique<Instance>();
  instance->exchange = std::make_unique<Exchange>(g_host, h, s);
  for (const char* method : {"GET", "POST"}) {
    if (sc_status st = g_host->route_add(h, method, path.c_str(), handle_exchange); st != SC_OK)
      return g_host->fail(h, st, ("cannot serve " + path + ": another connector has it").c_str());
  }
  *self = instance.release();
  return SC_OK;
}

void destroy(void* self) { delete static_cast<Instance*>(self); }

const sc_connector_v1 kConnector = {
    .struct_size = sizeof(sc_connector_v1),
    .abi_major = SC_ABI_MAJOR,
    .abi_minor = SC_ABI_MINOR,
    .name = "onec",
    .version = "1.0.0",
    .description = "1C:Enterprise over the CommerceML exchange (catalog, prices, stock, counterparties, orders)",
    .capabilities = SC_CAP_ROUTES,
    .config = kConfig,
    .config_count = sizeof(kConfig) / sizeof(kConfig[0]),
    .config_option_size = sizeof(sc_config_option),
    .subscriptions = nullptr,
    .poll_interval_ms = 0,
    .create = create,
    .destroy = destroy,
    .poll = nullptr,
    .session_run = nullptr,
    .session_stop = nullptr,
    .deliver = nullptr,
};

}  // namespace

extern "C" SC_EXPORT int salescore_connector_entry(const sc_host_api* host, sc_connector_v1* out) {
  g_host = host;
  return sc_connector_export(host, out, &kConnector);
}
