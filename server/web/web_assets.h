// The screens' files (web/static and the pinned charting library), embedded in the
// binary at build time, and the answers `salescore serve` gives for them at / .
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "http/http_message.h"

namespace salescore::web {

struct EmbeddedFile {
  std::string_view url;   // "/app.js", "/vendor/uPlot.iife.min.js"
  std::string_view body;
};

// Generated from the files (cmake/embed_assets.cmake).
const std::vector<EmbeddedFile>& embedded_files();

// The answer for a GET or HEAD of a screen or asset: "/" and the screens' paths give the
// application's page; null for anything else (the API, /healthz, the connectors' routes).
std::optional<http::HttpResponse> asset_response(const http::HttpRequest& request);

}  // namespace salescore::web
