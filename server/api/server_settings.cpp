#include "api/server_settings.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/Util/IniFileConfiguration.h>

namespace salescore::cli {

namespace {

// Reads [server] KEY into `out` when the file has it: a whole number in [low, high].
Status read_number(Poco::Util::IniFileConfiguration& ini, const std::string& key, std::int64_t low,
                   std::int64_t high, std::int64_t& out) {
  if (!ini.hasProperty("server." + key)) return Status::ok();
  const std::string text = ini.getString("server." + key);
  Poco::Int64 value = 0;
  const std::string range = std::to_string(low) + ".." + std::to_string(high);
  if (!Poco::NumberParser::tryParse64(text, value) || value < low || value > high)
    return Status::invalid("[server] " + key + " = '" + text + "': expected a whole number " + range,
                           {{"server." + key, "expected " + range}});
  out = value;
  return Status::ok();
}

// Reads [server] KEY into `out` when the file has it: true or false.
Status read_flag(Poco::Util::IniFileConfiguration& ini, const std::string& key, bool& out) {
  if (!ini.hasProperty("server." + key)) return Status::ok();
  const std::string text = ini.getString("server." + key);
  if (text != "true" && text != "false")
    return Status::invalid("[server] " + key + " = '" + text + "': expected true or false",
                           {{"server." + key, "expected true or false"}});
  out = text == "true";
  return Status::ok();
}

}  // namespace

Result<ServerSettings> read_server_settings(const std::string& path) {
  ServerSettings settings;
  if (path.empty()) return settings;
  try {
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini(new Poco::Util::IniFileConfiguration(path));
    SC_RETURN_IF_ERROR(read_number(*ini, "rate_limit", 0, 1'000'000, settings.rate_limit));
    SC_RETURN_IF_ERROR(read_number(*ini, "threads", 1, 256, settings.threads));
    SC_RETURN_IF_ERROR(read_number(*ini, "loops", 0, 64, settings.loops));
    SC_RETURN_IF_ERROR(read_flag(*ini, "secure_cookies", settings.secure_cookies));
  } catch (const Poco::Exception& e) {
    return Status::invalid("cannot read " + path + ": " + e.displayText());
  }
  return settings;
}

}  // namespace salescore::cli
