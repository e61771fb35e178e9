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
  // Digit strings compared as numbers of any length (no integer to overflow): by their
  // length without leading zeros, then digit by digit.
  auto numeric_less = [](std::string_view x, std::string_view y, bool& equal) {
    while (!x.empty() && x.front() == '0') x.remove_prefix(1);
    while (!y.empty() && y.front() == '0') y.remove_prefix(1);
    equal = x == y;
    return x.size() != y.size() ? x.size() < y.size() : x < y;
  };
  const std::size_t da = a.find('.'), db = b.find('.');
  const std::string_view sa = a.substr(0, da), sb = b.substr(0, db);
  const std::string_view qa = da == std::string_view::npos ? "" : a.substr(da + 1);
  const std::string_view qb = db == std::string_view::npos ? "" : b.substr(db + 1);
  bool equal = false;
  if (bool less = numeric_less(sa, sb, equal); !equal) return less;
  if (bool less = numeric_less(qa, qb, equal); !equal) return less;
  return a < b;
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
