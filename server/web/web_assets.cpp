#include "web/web_assets.h"

#include <string>

namespace salescore::web {
namespace {

std::string_view content_type_of(std::string_view url) {
  auto ends = [&](std::string_view ext) {
    return url.size() >= ext.size() && url.substr(url.size() - ext.size()) == ext;
  };
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".txt") || ends("LICENSE")) return "text/plain; charset=utf-8";
  return "text/html; charset=utf-8";
}

// The page's paths: the single-page application answers all of them with index.html
// and picks the screen from the path.
bool is_screen(std::string_view path) {
  return path == "/" || path == "/login" || path == "/head" || path == "/manager" || path == "/route" ||
         path.substr(0, 8) == "/client/";
}

}  // namespace

std::optional<http::HttpResponse> asset_response(const http::HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  std::string_view path = request.target;
  path = path.substr(0, path.find('?'));
  if (path.substr(0, 5) == "/api/" || path == "/healthz" || path == "/metrics") return std::nullopt;
  const std::string_view wanted = is_screen(path) ? std::string_view("/index.html") : path;
  for (const EmbeddedFile& file : embedded_files()) {
    if (file.url != wanted) continue;
    http::HttpResponse response;
    response.content_type = std::string(content_type_of(file.url));
    response.body.assign(file.body);
    // Only our own files run on the page: a name that slipped into the markup as HTML
    // still could not load or run a script (the page also writes names as text).
    response.headers.push_back({"Content-Security-Policy",
                                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"});
    response.headers.push_back({"X-Content-Type-Options", "nosniff"});
    response.headers.push_back({"Referrer-Policy", "same-origin"});
    response.headers.push_back({"Cache-Control", wanted == "/index.html" ? "no-store" : "max-age=300"});
    return response;
  }
  return std::nullopt;
}

}  // namespace salescore::web
