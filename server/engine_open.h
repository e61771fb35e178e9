// How every command finds its database and configuration: --db, --config, --set.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "cli_args.h"
#include "salescore/engine.h"

namespace salescore::cli {

OptionSpec db_option();
OptionSpec config_option();
OptionSpec set_option();

struct OpenMode {
  bool read_only = false;
  // Refuse to open a database file that is not there yet, instead of creating an empty
  // one: an export from a mistyped path should say so, not export nothing.
  bool must_exist = false;
};

// Loads --config and applies --set overrides into `out`; on failure prints why and
// returns the exit code (as open_engine), kExitOk otherwise.
int load_config(std::string_view command, const Args& args, Config& out);

// Loads --config, applies --set overrides and opens --db. On failure prints why to
// stderr and returns the exit code (kExitUsage for a malformed --set, kExitFailure
// otherwise); on success stores the engine in `out` and returns kExitOk.
int open_engine(std::string_view command, const Args& args, OpenMode mode, std::unique_ptr<Engine>& out);

// Where the data lives, for messages: the absolute file path of a sqlite: URL, the URL
// itself otherwise (its password, if any, starred out).
std::string database_location(const std::string& url);

}  // namespace salescore::cli
