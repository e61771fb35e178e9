#include "host/config_file.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/IniFileConfiguration.h>

namespace salescore::plugins {
namespace {
std::string trim(const std::string& s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}
}  // namespace

std::string library_of(const std::string& instance, const Settings& section) {
  auto it = section.find("library");
  return it == section.end() || it->second.empty() ? instance : it->second;
}

Result<ConnectorFileConfig> read_connector_config(const std::string& path) {
  ConnectorFileConfig out;
  try {
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini(new Poco::Util::IniFileConfiguration(path));
    std::string dirs = ini->getString("plugins.dirs", "");
    std::string item;
    for (char c : dirs + ",") {
      if (c == ',') {
        if (!trim(item).empty()) out.plugin_dirs.push_back(trim(item));
        item.clear();
      } else {
        item += c;
      }
    }
    Poco::Util::AbstractConfiguration::Keys names;
    ini->keys("connector", names);
    for (const auto& name : names) {
      Settings& settings = out.connectors[name];
      Poco::Util::AbstractConfiguration::Keys keys;
      ini->keys("connector." + name, keys);
      for (const auto& key : keys) settings[key] = trim(ini->getRawString("connector." + name + "." + key));
    }
  } catch (const Poco::Exception& e) {
    return Status::invalid("cannot read the config file '" + path + "': " + e.displayText(), {{"config", path}});
  }
  return out;
}

}  // namespace salescore::plugins
