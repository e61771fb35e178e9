#include "pbx_plan.h"

#include <algorithm>
#include <cctype>

namespace salescore::telephony {

namespace {
bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}
}  // namespace

bool glob_match(std::string_view p, std::string_view t) {
  // Iterative wildcard match with one backtrack point: linear enough for short names.
  std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (pi < p.size() && p[pi] == t[ti]) {
      ++pi;
      ++ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

std::string party_of(std::string_view channel) {
  if (channel.size() > 2 && channel[channel.size() - 2] == ';') channel.remove_suffix(2);
  return std::string(channel);
}

std::string endpoint_of(std::string_view channel) {
  std::string party = party_of(channel);
  const std::size_t dash = party.rfind('-');
  const std::size_t slash = party.find('/');
  if (dash != std::string::npos && slash != std::string::npos && dash > slash) party.resize(dash);
  return party;
}

bool uniqueid_less(std::string_view a, std::string_view b) {
  auto split = [](std::string_view u) {
    const std::size_t dot = u.find('.');
    auto num = [](std::string_view s) {
      long long v = 0;
      for (char c : s)
        if (c >= '0' && c <= '9') v = v * 10 + (c - '0');
      return v;
    };
    return std::pair<long long, long long>{num(u.substr(0, dot)),
                                           dot == std::string_view::npos ? 0 : num(u.substr(dot + 1))};
  };
  const auto x = split(a), y = split(b);
  return x != y ? x < y : a < b;
}

std::vector<std::string> split_list(std::string_view text, char separator) {
  std::vector<std::string> out;
  while (true) {
    const std::size_t at = text.find(separator);
    std::string_view item = text.substr(0, at);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) item.remove_prefix(1);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    if (at == std::string_view::npos) return out;
    text.remove_prefix(at + 1);
  }
}

bool PbxPlan::is_trunk(std::string_view endpoint) const {
  return std::any_of(trunks.begin(), trunks.end(), [&](const std::string& p) { return glob_match(p, endpoint); });
}

bool PbxPlan::is_extension(std::string_view number) const {
  if (logins.count(std::string(number))) return true;
  return all_digits(number) && number.size() <= internal_max_digits;
}

std::string PbxPlan::extension_of(std::string_view endpoint) const {
  const std::size_t slash = endpoint.find('/');
  if (slash == std::string_view::npos) return "";
  std::string_view resource = endpoint.substr(slash + 1);
  resource = resource.substr(0, resource.find('@'));
  return is_extension(resource) ? std::string(resource) : "";
}

}  // namespace salescore::telephony
