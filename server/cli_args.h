// A small command-line parser shared by every salescore command.
//
// Each command describes its options once (CommandSpec); the same description parses
// argv, checks required options and produces the --help text, so help and behaviour
// cannot drift apart. Options are GNU-style: `--name VALUE`, `--name=VALUE`, `--flag`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "salescore/status.h"

namespace salescore::cli {

struct OptionSpec {
  std::string name;        // "db" for --db
  std::string value_name;  // "URL"; empty for a flag that takes no value
  std::string help;
  bool required = false;
  bool repeatable = false;  // may be given several times (e.g. --set)
};

struct CommandSpec {
  std::string name = {};         // "export"
  std::string summary = {};      // one line, shown by `salescore --help`
  std::string positionals = {};  // usage fragment for positional arguments, e.g. "clients|orders"
  std::size_t min_positionals = 0;
  std::size_t max_positionals = 0;
  std::vector<OptionSpec> options = {};
  std::string details = {};  // further paragraphs for `salescore CMD --help`
};

// The parsed command line of one command.
class Args {
 public:
  bool help_requested() const { return help_; }
  const std::vector<std::string>& positionals() const { return positionals_; }

  bool has(const std::string& name) const { return values_.count(name) > 0; }
  // The last value given for the option, or `fallback`.
  std::string get(const std::string& name, const std::string& fallback = {}) const;
  // Every value given for a repeatable option, in command-line order.
  std::vector<std::string> all(const std::string& name) const;
  // An integer option within [min, max]; the error names the option.
  Result<std::int64_t> get_int(const std::string& name, std::int64_t fallback, std::int64_t min,
                               std::int64_t max) const;

 private:
  friend Result<Args> parse_args(const CommandSpec& spec, const std::vector<std::string>& argv);
  bool help_ = false;
  std::vector<std::string> positionals_;
  std::map<std::string, std::vector<std::string>> values_;  // flags hold one empty value
};

// Parses the arguments that follow the command name. A usage mistake comes back as
// kInvalidArgument with a message fit to show the user. `--help` anywhere short-cuts
// the checks for required options, so `salescore demo --help` works without --db.
Result<Args> parse_args(const CommandSpec& spec, const std::vector<std::string>& argv);

// The full --help text of a command.
std::string help_text(const CommandSpec& spec);

}  // namespace salescore::cli
