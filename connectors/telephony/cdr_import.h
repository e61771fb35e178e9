// CDR import: a Master.csv posted to the connector's route (the CLI's
// `salescore telephony import-cdr FILE` posts it in-process), its calls recorded once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cdr_reader.h"

#include "pbx_plan.h"
#include "salescore/plugin_api.h"

namespace salescore::telephony {

struct CdrCounts {
  std::int64_t rows = 0, calls = 0, recorded = 0, internal = 0;
  std::vector<CdrError> errors;
};

struct CdrImport {
  const sc_host_api* api = nullptr;
  sc_host* host = nullptr;
  PbxPlan plan;
  std::string token;            // the route's Bearer token; "" refuses every upload
  int utc_offset_minutes = 0;   // of the CDR's times

  // POST /telephony/cdr: answers {"rows","calls","recorded","internal","errors":[{"line","reason"}]}.
  sc_status handle(const sc_http_request* request, sc_http_response* response) const;
  // Records the calls of a Master.csv text (the route's body, a polled file's new rows).
  // SC_RESOURCE_EXHAUSTED / SC_UNAVAILABLE: the host took nothing more; send them again.
  sc_status record(std::string_view text, CdrCounts& counts) const;
};

// "+03:00" -> 180; false for anything else.
bool parse_utc_offset(const std::string& text, int& minutes);

}  // namespace salescore::telephony
