// How the connector reads an office's PBX: which channels are the operator's lines
// (trunks), which contexts carry outside calls when no trunk says so, and which manager
// sits at which extension. From [connector.telephony] (telephony_connector.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace salescore::telephony {

struct PbxPlan {
  // Channel endpoints of the operator's lines, '*' matching any text: "PJSIP/operator*",
  // "Local/*@trunk-in". A channel is matched without its "-0000001a;1" tail.
  std::vector<std::string> trunks;
  // Fallback when no trunk is configured or matched (context names change between
  // FreePBX versions, so they are only a fallback): a leg seen in one of these contexts
  // is the outside party of an inbound / outbound call.
  std::vector<std::string> inbound_contexts, outbound_contexts;
  std::map<std::string, std::string> logins;  // extension -> salescore login
  std::size_t internal_max_digits = 5;        // "101" is an extension, "84951234567" is not

  bool is_trunk(std::string_view endpoint) const;
  // The extension behind an endpoint ("PJSIP/101", "Local/101@phones", "SIP/101"), or "".
  std::string extension_of(std::string_view endpoint) const;
  // A number short enough to be an internal extension (or one in the login map).
  bool is_extension(std::string_view number) const;
};

// "PJSIP/101-0000001a" -> "PJSIP/101"; "Local/101@phones-00000001;2" -> "Local/101@phones".
std::string endpoint_of(std::string_view channel);
// The channel without a Local channel's ";1"/";2": both halves are one party.
std::string party_of(std::string_view channel);
// '*' wildcard match of a whole string.
bool glob_match(std::string_view pattern, std::string_view text);
// "1796607077.12" before "1796607077.3"? Compared as (seconds, sequence) numbers.
bool uniqueid_less(std::string_view a, std::string_view b);
// "a, b ,c" -> {"a","b","c"}
std::vector<std::string> split_list(std::string_view text, char separator = ',');

}  // namespace salescore::telephony
