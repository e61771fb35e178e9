#include "http/response_format.h"

#include <charconv>

namespace salescore::http {

void append_response(std::string& out, const HttpResponse& response, const ReplyFraming& framing,
                     std::string_view date) {
  char number[24];
  auto add_number = [&](std::uint64_t n) {
    auto end = std::to_chars(number, number + sizeof number, n).ptr;
    out.append(number, static_cast<std::size_t>(end - number));
  };
  out.reserve(out.size() + 160 + response.body.size());
  out += "HTTP/1.1 ";
  add_number(static_cast<std::uint64_t>(response.status));
  out += ' ';
  out += reason_phrase(response.status);
  out += "\r\nServer: salescore\r\nDate: ";
  out += date;
  out += "\r\nContent-Type: ";
  out += response.content_type;
  const bool streamed = static_cast<bool>(response.stream);
  if (!streamed) {
    out += "\r\nContent-Length: ";
    add_number(response.body.size());
  } else if (!framing.http10) {
    out += "\r\nTransfer-Encoding: chunked";
  }
  if (!framing.keep_alive)
    out += "\r\nConnection: close";
  else if (framing.http10)
    out += "\r\nConnection: keep-alive";
  for (const auto& h : response.headers) {
    out += "\r\n";
    out += h.name;
    out += ": ";
    out += h.value;
  }
  out += "\r\n\r\n";
  if (framing.head_only) return;
  if (streamed)
    append_piece(out, response.body, !framing.http10);
  else
    out += response.body;
}

void append_piece(std::string& out, std::string_view data, bool chunked) {
  if (data.empty()) return;
  if (!chunked) {
    out += data;
    return;
  }
  char size[20];
  auto end = std::to_chars(size, size + sizeof size, data.size(), 16).ptr;
  out.reserve(out.size() + data.size() + 24);
  out.append(size, static_cast<std::size_t>(end - size));
  out += "\r\n";
  out += data;
  out += "\r\n";
}

std::string_view HttpDate::now() {
  std::time_t t = std::time(nullptr);
  if (t != second_ || size_ == 0) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    size_ = std::strftime(text_, sizeof text_, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    second_ = t;
  }
  return {text_, size_};
}

}  // namespace salescore::http
