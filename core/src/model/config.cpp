#include "salescore/config.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/Util/IniFileConfiguration.h>

#include <algorithm>
#include <fstream>
#include <set>

namespace salescore {
namespace {

const std::set<std::string> kMandatoryEntities = {"client", "contact", "product", "deal",
                                                  "order",  "interaction", "task"};

std::vector<std::vector<std::string>> parse_mandatory(const std::string& spec) {
  std::vector<std::vector<std::string>> groups;
  std::string item;
  auto flush = [&] {
    std::vector<std::string> group;
    std::string alt;
    for (char c : item + "|") {
      if (c == '|') {
        std::string t = Poco::trim(alt);
        if (!t.empty()) group.push_back(t);
        alt.clear();
      } else {
        alt += c;
      }
    }
    if (!group.empty()) groups.push_back(group);
    item.clear();
  };
  for (char c : spec) {
    if (c == ',') flush();
    else item += c;
  }
  flush();
  return groups;
}

std::vector<std::string> parse_list(const std::string& spec) {
  std::vector<std::string> out;
  std::string item;
  for (char c : spec + ",") {
    if (c == ',') {
      std::string t = Poco::trim(item);
      if (!t.empty()) out.push_back(t);
      item.clear();
    } else {
      item += c;
    }
  }
  return out;
}

Result<int> parse_minutes(const std::string& key, const std::string& v) {
  try {
    std::size_t used = 0;
    int n = std::stoi(v, &used);
    if (used == v.size() && n > 0) return n;
  } catch (...) {
  }
  return Status::invalid(key + ": '" + v + "' is not a positive number", {{key, "expected a positive number"}});
}

Result<bool> parse_bool(const std::string& key, const std::string& v) {
  std::string s = Poco::toLower(Poco::trim(v));
  if (s == "true" || s == "yes" || s == "on" || s == "1") return true;
  if (s == "false" || s == "no" || s == "off" || s == "0") return false;
  return Status::invalid(key + ": '" + v + "' is not true or false", {{key, "expected true or false"}});
}

}  // namespace

Status Config::set(const std::string& key, const std::string& raw) {
  std::string value = Poco::trim(raw);
  if (key == "company.timezone") {
    timezone = value;
  } else if (key == "company.phone_region") {
    if (value.size() != 2) return Status::invalid(key + ": '" + value + "' is not a two-letter region", {{key, "expected e.g. RU"}});
    phone_region = Poco::toUpper(value);
  } else if (key == "company.currency") {
    std::string c = Poco::toUpper(value);
    if (c.size() != 3) return Status::invalid(key + ": '" + value + "' is not an ISO 4217 code", {{key, "expected e.g. RUB"}});
    currency = c;
  } else if (key == "storage.durable") {
    auto b = parse_bool(key, value);
    if (!b.ok()) return b.status();
    durable = *b;
  } else if (key == "storage.busy_timeout_ms") {
    try {
      busy_timeout_ms = std::stoi(value);
    } catch (...) {
      return Status::invalid(key + ": '" + value + "' is not a number", {{key, "expected milliseconds"}});
    }
  } else if (key.starts_with("mandatory.")) {
    std::string entity = key.substr(10);
    if (!kMandatoryEntities.count(entity))
      return Status::invalid("[mandatory] " + entity + ": unknown entity", {{key, "unknown entity"}});
    mandatory[entity] = parse_mandatory(value);
  } else if (key == "pipeline.stages") {
    auto stages = parse_list(value);
    bool has_won = std::find(stages.begin(), stages.end(), "won") != stages.end();
    bool has_lost = std::find(stages.begin(), stages.end(), "lost") != stages.end();
    if (stages.size() < 3 || !has_won || !has_lost)
      return Status::invalid(key + ": the pipeline needs at least one open stage and the stages won and lost",
                             {{key, "missing won, lost or an open stage"}});
    pipeline.stages = stages;
  } else if (key.starts_with("pipeline.requires.")) {
    pipeline.requires_[key.substr(18)] = parse_list(value);
  } else if (key == "pipeline.lost_reasons") {
    auto reasons = parse_list(value);
    if (reasons.empty()) return Status::invalid(key + ": needs at least one reason", {{key, "empty"}});
    pipeline.lost_reasons = reasons;
  } else if (key == "leads.assignment") {
    if (value != "round_robin" && value != "least_loaded" && value != "owner")
      return Status::invalid(key + ": '" + value + "' is not round_robin, least_loaded or owner",
                             {{key, "expected round_robin, least_loaded or owner"}});
    leads.assignment = value;
  } else if (key == "leads.sla_minutes") {
    auto m = parse_minutes(key, value);
    if (!m.ok()) return m.status();
    leads.sla_minutes = *m;
  } else if (key.starts_with("leads.sla_minutes.")) {
    auto m = parse_minutes(key, value);
    if (!m.ok()) return m.status();
    leads.sla_minutes_by_channel[key.substr(18)] = *m;
  } else if (key == "leads.max_reassignments") {
    try {
      leads.max_reassignments = std::stoi(value);
    } catch (...) {
      return Status::invalid(key + ": '" + value + "' is not a number", {{key, "expected a number"}});
    }
  } else if (key.starts_with("company.") || key.starts_with("storage.") || key.starts_with("pipeline.") ||
             key.starts_with("leads.")) {
    return Status::invalid("unknown setting '" + key + "'", {{key, "unknown setting"}});
  }
  // Other sections ([rules], [connector.*], [server]) belong to other parts of salescore.
  return Status::ok();
}

Result<Config> Config::load(const std::string& path) {
  if (!std::ifstream(path).good()) return Status::invalid("cannot read config file '" + path + "'");
  Config config;
  try {
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini(new Poco::Util::IniFileConfiguration(path));
    // Keys may be dotted inside a section ("requires.proposal" in [pipeline]), so walk
    // the key tree down to its leaves.
    std::vector<std::string> pending = {"company", "storage", "mandatory", "pipeline", "leads"};
    while (!pending.empty()) {
      std::string prefix = pending.back();
      pending.pop_back();
      Poco::Util::AbstractConfiguration::Keys keys;
      ini->keys(prefix, keys);
      for (const auto& k : keys) {
        std::string dotted = prefix + "." + k;
        if (ini->has(dotted)) {
          Status st = config.set(dotted, ini->getString(dotted));
          if (!st.is_ok()) return Status::invalid(path + ": " + st.message(), st.fields());
        } else {
          pending.push_back(dotted);
        }
      }
    }
  } catch (const Poco::Exception& e) {
    return Status::invalid("cannot parse config file '" + path + "': " + e.displayText());
  }
  return config;
}

}  // namespace salescore
