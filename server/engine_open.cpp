#include "engine_open.h"

#include <Poco/File.h>
#include <Poco/Path.h>

#include "commands.h"

namespace salescore::cli {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";
constexpr std::string_view kSqliteMemory = "sqlite::memory:";

// The file behind a sqlite: URL; empty for anything else.
std::string sqlite_file(const std::string& url) {
  if (!url.starts_with(kSqlitePrefix) || url == kSqliteMemory) return {};
  return url.substr(kSqlitePrefix.size());
}

}  // namespace

OptionSpec db_option() {
  return {"db", "URL", "the database: sqlite:PATH (a file), sqlite::memory: or postgresql://user:password@host:port/db",
          true, false};
}

OptionSpec config_option() { return {"config", "FILE", "an INI configuration file", false, false}; }

OptionSpec set_option() {
  return {"set", "SECTION.KEY=VALUE", "override one configuration setting, e.g. company.currency=RUB", false, true};
}

int load_config(std::string_view command, const Args& args, Config& out) {
  if (args.has("config")) {
    auto loaded = Config::load(args.get("config"));
    if (!loaded.ok()) return fail(command, "cannot load the configuration", loaded.status());
    out = std::move(loaded).value();
  }
  for (const std::string& item : args.all("set")) {
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      return usage_error(command, "--set '" + item + "': expected SECTION.KEY=VALUE");
    Status st = out.set(item.substr(0, eq), item.substr(eq + 1));
    if (!st.is_ok()) return usage_error(command, "--set " + st.message());
  }
  return kExitOk;
}

int open_engine(std::string_view command, const Args& args, OpenMode mode, std::unique_ptr<Engine>& out) {
  EngineOptions options;
  options.read_only = mode.read_only;
  if (int rc = load_config(command, args, options.config); rc != kExitOk) return rc;

  const std::string url = args.get("db");
  const std::string file = sqlite_file(url);
  if (mode.must_exist && !file.empty() && !Poco::File(file).exists())
    return fail(command, "there is no database at " + database_location(url) +
                             " (create one with 'salescore init --db " + url + "')");
  // Checked here because the store, asked to create a file in a missing directory, only
  // gives up after Poco's 60-second connection timeout.
  if (!file.empty()) {
    const Poco::Path directory = Poco::Path(file).absolute().parent();
    if (!Poco::File(directory).exists())
      return fail(command,
                  "cannot open the database " + url + ": the directory " + directory.toString() + " does not exist");
  }
  auto engine = Engine::open(url, std::move(options));
  if (!engine.ok()) return fail(command, "cannot open the database " + redacted_store_url(url), engine.status());
  out = std::move(engine).value();
  return kExitOk;
}

std::string database_location(const std::string& url) {
  const std::string file = sqlite_file(url);
  if (file.empty()) return redacted_store_url(url);
  return Poco::Path(file).absolute().toString();
}

}  // namespace salescore::cli
