#include "ami_frame.h"

#include <strings.h>

namespace salescore::telephony {

namespace {
bool same_key(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}
}  // namespace

std::string_view AmiFrame::get(std::string_view key) const {
  for (const auto& [k, v] : headers)
    if (same_key(k, key)) return v;
  return {};
}

bool AmiFrame::has(std::string_view key) const {
  for (const auto& [k, v] : headers)
    if (same_key(k, key)) return true;
  return false;
}

void AmiFrameParser::reset() {
  partial_.clear();
  overlong_ = false;
  banner_expected_ = true;
  current_ = AmiFrame{};
}

void AmiFrameParser::feed(std::string_view bytes, std::vector<AmiFrame>& out) {
  while (!bytes.empty()) {
    const std::size_t nl = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, nl);
    if (!overlong_) {
      if (partial_.size() + piece.size() > limits_.max_line) {
        overlong_ = true;
        partial_.clear();
      } else {
        partial_.append(piece);
      }
    }
    if (nl == std::string_view::npos) return;
    bytes.remove_prefix(nl + 1);
    if (overlong_) {
      ++malformed_;
      overlong_ = false;
      continue;
    }
    std::string_view text = partial_;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    line(text, out);
    partial_.clear();
  }
}

void AmiFrameParser::line(std::string_view text, std::vector<AmiFrame>& out) {
  if (banner_expected_) {
    // "Asterisk Call Manager/X.Y.Z": the only line without a colon-space that is valid.
    banner_expected_ = false;
    if (text.find(": ") == std::string_view::npos && !text.empty()) {
      AmiFrame banner;
      banner.headers.emplace_back("", std::string(text));
      out.push_back(std::move(banner));
      return;
    }
  }
  if (text.empty()) {
    if (!current_.headers.empty()) out.push_back(std::move(current_));
    current_ = AmiFrame{};
    return;
  }
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    ++malformed_;
    return;
  }
  std::string_view value = text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  current_.headers.emplace_back(std::string(text.substr(0, colon)), std::string(value));
  if (current_.headers.size() >= limits_.max_headers) {
    out.push_back(std::move(current_));
    current_ = AmiFrame{};
  }
}

}  // namespace salescore::telephony
