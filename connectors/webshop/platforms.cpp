// The platforms by name, and what the unsigned ones share.
#include <Poco/URI.h>

#include "platform.h"

namespace salescore::webshop {

std::unique_ptr<Platform> make_platform(const std::string& name, const PlatformSettings& s) {
  if (name == "woocommerce") return make_woocommerce(s);
  if (name == "medusa") return make_medusa(s);
  if (name == "shopify") return make_shopify(s);
  if (name == "insales") return make_insales(s);
  return nullptr;
}

std::string route_secret_problem(const WebhookDelivery& d, const WebhookSecrets& s) {
  std::string given;
  try {
    for (const auto& [name, value] : Poco::URI("/?" + d.query).getQueryParameters())
      if (name == "key") given = value;
  } catch (const std::exception&) {
    return "the query string cannot be read";
  }
  if (given.empty()) return "no key= in the webhook's address";
  for (const std::string* secret : {&s.current, &s.previous})
    if (!secret->empty() && same_secret(given, *secret)) return "";
  return "the webhook's key does not match";
}

}  // namespace salescore::webshop
