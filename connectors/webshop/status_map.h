// Which shop status is which salescore status, per shop: "pending=new, processing=confirmed".
// In: the shop's status through the map (an unmapped one keeps salescore's). Out: the
// first shop status mapped to salescore's, unless `status_out` names one
// ("shipped=completed"), so a status set in salescore reaches the shop.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace salescore::webshop {

class StatusMap {
 public:
  // Throws std::invalid_argument naming the bad pair or status.
  StatusMap(const std::string& in, const std::string& out);
  std::optional<std::string> to_salescore(const std::string& shop_status) const;
  std::optional<std::string> to_shop(const std::string& salescore_status) const;

 private:
  std::map<std::string, std::string> in_;
  std::map<std::string, std::string> out_;
};

}  // namespace salescore::webshop
