#include "salescore/config.h"
#include "salescore/values.h"
#include "model/contact_points.h"
#include "model/time_zone.h"

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

// A whole number of at least zero (thresholds where 0 means "any" or "no such level").
Result<int> parse_count(const std::string& key, const std::string& v) {
  try {
    std::size_t used = 0;
    int n = std::stoi(v, &used);
    if (used == v.size() && n >= 0) return n;
  } catch (...) {
  }
  return Status::invalid(key + ": '" + v + "' is not a whole number of at least 0",
                         {{key, "expected a number >= 0"}});
}

// "12.5" -> 1250 hundredths of a percent, between 0 and 100 %.
Result<std::int64_t> parse_percent(const std::string& key, const std::string& v) {
  auto bp = parse_amount(v);
  if (bp.ok() && *bp >= 0 && *bp <= 100'00) return *bp;
  return Status::invalid(key + ": '" + v + "' is not a percentage between 0 and 100",
                         {{key, "expected e.g. 10 or 12.5"}});
}

// The [segments] setting a key names, or null.
int* segment_days(SegmentConfig& c, const std::string& key) {
  const std::map<std::string, int*> keys = {
      {"segments.new_days", &c.new_days},
      {"segments.hot_days", &c.hot_days},
      {"segments.warm_days", &c.warm_days},
      {"segments.sleeping_days", &c.sleeping_days},
      {"segments.hot_contact_days", &c.hot_contact_days},
      {"segments.warm_contact_days", &c.warm_contact_days},
      {"segments.cooling_contact_days", &c.cooling_contact_days},
      {"segments.sleeping_contact_days", &c.sleeping_contact_days}};
  auto it = keys.find(key);
  return it == keys.end() ? nullptr : it->second;
}

// The thresholds must follow each other; checked once the whole file is read, since
// its keys come in any order.
Status check_segments(const SegmentConfig& c) {
  if (c.hot_days >= c.warm_days)
    return Status::invalid("segments.warm_days (" + std::to_string(c.warm_days) + ") must be above hot_days (" +
                               std::to_string(c.hot_days) + ")",
                           {{"segments.warm_days", "must be above hot_days"}});
  if (c.warm_days > c.sleeping_days)
    return Status::invalid("segments.sleeping_days (" + std::to_string(c.sleeping_days) +
                               ") must be at least warm_days (" + std::to_string(c.warm_days) + ")",
                           {{"segments.sleeping_days", "must be at least warm_days"}});
  return Status::ok();
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
    // Checked here so that a typo fails at start-up, not when "tasks today" runs.
    auto zone = detail::find_time_zone(value);
    if (!zone.ok()) return Status::invalid(key + ": " + zone.status().message(), {{key, "unknown time zone"}});
    timezone = value;
  } else if (key == "company.phone_region") {
    if (value.size() != 2) return Status::invalid(key + ": '" + value + "' is not a two-letter region", {{key, "expected e.g. RU"}});
    phone_region = Poco::toUpper(value);
  } else if (key == "company.currency") {
    std::string c = Poco::toUpper(value);
    if (c.size() != 3) return Status::invalid(key + ": '" + value + "' is not an ISO 4217 code", {{key, "expected e.g. RUB"}});
    currency = c;
  } else if (key == "company.language") {
    if (value != "ru" && value != "en" && value != "zh" && value != "bg")
      return Status::invalid(key + ": '" + value + "' is not a report language", {{key, "expected ru, en, zh or bg"}});
    language = value;
  } else if (key == "storage.durable") {
    auto b = parse_bool(key, value);
    if (!b.ok()) return b.status();
    durable = *b;
  } else if (key == "storage.busy_timeout_ms" || key == "storage.statement_timeout_ms" || key == "storage.pool_size") {
    int n = 0;
    try {
      std::size_t used = 0;
      n = std::stoi(value, &used);
      if (used != value.size() || n < 0) throw std::invalid_argument(value);
    } catch (...) {
      return Status::invalid(key + ": '" + value + "' is not a number", {{key, key == "storage.pool_size" ? "expected a count" : "expected milliseconds"}});
    }
    (key == "storage.busy_timeout_ms" ? busy_timeout_ms : key == "storage.pool_size" ? pool_size : statement_timeout_ms) = n;
  } else if (key == "storage.sslmode") {
    static const std::set<std::string> kModes = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"};
    if (!kModes.count(value))
      return Status::invalid(key + ": '" + value + "' is not an sslmode", {{key, "expected disable, allow, prefer, require, verify-ca or verify-full"}});
    sslmode = value;
  } else if (key == "storage.application_name") {
    application_name = value;
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
  } else if (key.starts_with("pipeline.attestable.")) {
    auto documents = parse_list(value);
    for (const auto& d : documents)
      if (is_engine_known_document(d))
        return Status::invalid(key + ": " + d + " is derived by the engine from its records and cannot be attested",
                               {{key, d + " is derived from records"}});
    pipeline.attestable[key.substr(20)] = documents;
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
  } else if (key == "approvals.discount_percent" || key == "approvals.director_discount_percent") {
    auto bp = parse_percent(key, value);
    if (!bp.ok()) return bp.status();
    (key.starts_with("approvals.director_") ? approvals.director_discount_bp : approvals.discount_bp) = *bp;
  } else if (key == "approvals.deferral_days" || key == "approvals.director_deferral_days") {
    auto days = parse_count(key, value);
    if (!days.ok()) return days.status();
    (key.starts_with("approvals.director_") ? approvals.director_deferral_days : approvals.deferral_days) = *days;
  } else if (key == "approvals.contract_amount" || key == "approvals.director_contract_amount") {
    auto minor = parse_amount(value);
    if (!minor.ok() || *minor < 0)
      return Status::invalid(key + ": '" + value + "' is not an amount of at least 0",
                             {{key, "expected e.g. 1000000.00"}});
    (key.starts_with("approvals.director_") ? approvals.director_contract_amount_minor
                                            : approvals.contract_amount_minor) = *minor;
  } else if (key.starts_with("approvals.role.")) {
    std::string rule = key.substr(15);
    if (!approvals.roles.count(rule))
      return Status::invalid("[approvals] role." + rule + ": unknown rule", {{key, "unknown approval rule"}});
    if (value != "head" && value != "director")
      return Status::invalid(key + ": '" + value + "' is not head or director", {{key, "expected head or director"}});
    approvals.roles[rule] = value;
  } else if (key == "approvals.escalate_after_hours" || key == "approvals.receipt_check_hours") {
    auto hours = parse_minutes(key, value);
    if (!hours.ok()) return hours.status();
    (key == "approvals.escalate_after_hours" ? approvals.escalate_after_hours : approvals.receipt_check_hours) = *hours;
  } else if (key == "api.idempotency_hours") {
    auto hours = parse_minutes(key, value);
    if (!hours.ok()) return hours.status();
    idempotency_hours = *hours;
  } else if (key == "access.systems_of_record") {
    systems_of_record = parse_list(value);
  } else if (key == "email.free_mail_domains") {
    free_mail_domains.clear();
    for (const std::string& domain : parse_list(value)) free_mail_domains.push_back(search_key(domain));
  } else if (int* days = segment_days(segments, key)) {
    auto n = parse_minutes(key, value);
    if (!n.ok()) return n.status();
    *days = *n;
  } else if (key.starts_with("company.") || key.starts_with("storage.") || key.starts_with("pipeline.") ||
             key.starts_with("leads.") || key.starts_with("approvals.") || key.starts_with("segments.") ||
             key.starts_with("access.") || key.starts_with("api.") || key.starts_with("email.")) {
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
    std::vector<std::string> pending = {"company", "storage", "mandatory", "pipeline", "leads", "approvals", "segments",
                                        "access", "api", "email"};
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
  if (Status st = check_segments(config.segments); !st.is_ok())
    return Status::invalid(path + ": " + st.message(), st.fields());
  return config;
}

bool is_attestable_document(const PipelineConfig& pipeline, const std::string& document) {
  for (const auto& [stage, documents] : pipeline.attestable)
    if (std::find(documents.begin(), documents.end(), document) != documents.end()) return true;
  return false;
}

bool is_deal_document(const PipelineConfig& pipeline, const std::string& name) {
  return is_engine_known_document(name) || is_attestable_document(pipeline, name);
}

}  // namespace salescore
