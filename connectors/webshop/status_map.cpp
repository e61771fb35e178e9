#include "status_map.h"

#include <stdexcept>
#include <vector>

namespace salescore::webshop {
namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

const std::vector<std::string> kSalescore = {"new", "confirmed", "shipped", "delivered", "completed", "cancelled"};

bool is_salescore(const std::string& s) {
  for (const auto& x : kSalescore)
    if (x == s) return true;
  return false;
}

// "a=b, c=d" -> pairs, in order; throws naming a malformed pair.
std::vector<std::pair<std::string, std::string>> pairs_of(const std::string& text, const char* key) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string item;
  for (char c : text + ",") {
    if (c != ',') {
      item += c;
      continue;
    }
    if (!trim(item).empty()) {
      auto eq = item.find('=');
      if (eq == std::string::npos || trim(item.substr(0, eq)).empty() || trim(item.substr(eq + 1)).empty())
        throw std::invalid_argument(std::string(key) + ": '" + trim(item) + "' is not shop_status=salescore_status");
      out.emplace_back(trim(item.substr(0, eq)), trim(item.substr(eq + 1)));
    }
    item.clear();
  }
  return out;
}

void check_status(const std::string& s, const char* key) {
  if (!is_salescore(s))
    throw std::invalid_argument(std::string(key) + ": '" + s +
                                "' is no salescore status (new, confirmed, shipped, delivered, completed, cancelled)");
}

}  // namespace

StatusMap::StatusMap(const std::string& in, const std::string& out) {
  for (auto& [shop, ours] : pairs_of(in, "status_map")) {
    check_status(ours, "status_map");
    in_[shop] = ours;
    out_.emplace(ours, shop);  // the first shop status named for ours goes out
  }
  for (auto& [shop, ours] : pairs_of(out, "status_out")) {
    check_status(ours, "status_out");
    out_[ours] = shop;
  }
}

std::optional<std::string> StatusMap::to_salescore(const std::string& shop_status) const {
  auto it = in_.find(shop_status);
  if (it == in_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> StatusMap::to_shop(const std::string& salescore_status) const {
  auto it = out_.find(salescore_status);
  if (it == out_.end()) return std::nullopt;
  return it->second;
}

}  // namespace salescore::webshop
