#include "api/server_settings.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/Util/IniFileConfiguration.h>

namespace salescore::cli {

Result<ServerSettings> read_server_settings(const std::string& path) {
  ServerSettings settings;
  if (path.empty()) return settings;
  try {
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini(new Poco::Util::IniFileConfiguration(path));
    if (ini->hasProperty("server.rate_limit")) {
      const std::string text = ini->getString("server.rate_limit");
      Poco::Int64 value = 0;
      if (!Poco::NumberParser::tryParse64(text, value) || value < 0 || value > 1'000'000)
        return Status::invalid("[server] rate_limit = '" + text + "': expected a whole number 0..1000000",
                               {{"server.rate_limit", "expected 0..1000000"}});
      settings.rate_limit = value;
    }
  } catch (const Poco::Exception& e) {
    return Status::invalid("cannot read " + path + ": " + e.displayText());
  }
  return settings;
}

}  // namespace salescore::cli
