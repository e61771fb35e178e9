#include "cli_args.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace salescore::cli {
namespace {

const OptionSpec* find_option(const CommandSpec& spec, std::string_view name) {
  for (const auto& o : spec.options)
    if (o.name == name) return &o;
  return nullptr;
}

std::string usage_line(const CommandSpec& spec) {
  std::string line = "salescore " + spec.name;
  if (!spec.positionals.empty()) line += " " + spec.positionals;
  for (const auto& o : spec.options) {
    std::string item = "--" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
    line += o.required ? " " + item : " [" + item + "]";
  }
  return line;
}

}  // namespace

std::string Args::get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> Args::all(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

Result<std::int64_t> Args::get_int(const std::string& name, std::int64_t fallback, std::int64_t min,
                                   std::int64_t max) const {
  if (!has(name)) return fallback;
  std::string text = get(name);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    return Status::invalid("--" + name + ": '" + text + "' is not a whole number", {{name, "expected a number"}});
  if (value < min || value > max)
    return Status::invalid(
        "--" + name + ": " + text + " is out of range (" + std::to_string(min) + ".." + std::to_string(max) + ")",
        {{name, "out of range"}});
  return value;
}

Result<Args> parse_args(const CommandSpec& spec, const std::vector<std::string>& argv) {
  Args args;
  bool options_done = false;  // after "--" everything is positional
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (options_done || arg.size() < 2 || !arg.starts_with("-")) {
      args.positionals_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      args.help_ = true;
      continue;
    }
    if (!arg.starts_with("--")) return Status::invalid("unknown option '" + arg + "'");
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const OptionSpec* option = find_option(spec, name);
    if (!option) return Status::invalid("unknown option '--" + name + "'");
    std::string value;
    if (option->value_name.empty()) {
      if (inline_value) return Status::invalid("--" + name + " takes no value");
    } else if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < argv.size()) {
      value = argv[++i];
    } else {
      return Status::invalid("--" + name + " needs a value (" + option->value_name + ")");
    }
    auto& slot = args.values_[name];
    if (!slot.empty() && !option->repeatable && !option->value_name.empty() && slot.back() != value)
      return Status::invalid("--" + name + " is given twice with different values");
    slot.push_back(std::move(value));
  }
  if (args.help_) return args;
  for (const auto& o : spec.options)
    if (o.required && !args.has(o.name)) return Status::invalid("--" + o.name + " is required");
  if (args.positionals_.size() < spec.min_positionals)
    return Status::invalid(spec.positionals.empty() ? "missing argument"
                                                    : "missing argument: expected " + spec.positionals);
  if (args.positionals_.size() > spec.max_positionals)
    return Status::invalid("unexpected argument '" + args.positionals_[spec.max_positionals] + "'");
  return args;
}

std::string help_text(const CommandSpec& spec) {
  std::string summary = spec.summary;
  if (!summary.empty()) summary[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(summary[0])));
  std::string out = "Usage: " + usage_line(spec) + "\n\n" + summary + ".\n";
  if (!spec.details.empty()) out += "\n" + spec.details + "\n";
  out += "\nOptions:\n";
  std::size_t width = std::string("--help").size();
  std::vector<std::string> left;
  for (const auto& o : spec.options) {
    left.push_back("--" + o.name + (o.value_name.empty() ? "" : " " + o.value_name));
    width = std::max(width, left.back().size());
  }
  auto row = [&](const std::string& l, const std::string& help) {
    out += "  " + l + std::string(width - l.size() + 2, ' ') + help + "\n";
  };
  for (std::size_t i = 0; i < spec.options.size(); ++i) {
    const auto& o = spec.options[i];
    std::string help = o.help;
    if (o.required) help += " (required)";
    if (o.repeatable) help += " (may be repeated)";
    row(left[i], help);
  }
  row("--help", "show this help and exit");
  return out;
}

}  // namespace salescore::cli
