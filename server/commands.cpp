#include "commands.h"

#include <iostream>

namespace salescore::cli {

int fail(std::string_view command, std::string_view what, const Status& status) {
  // The engine's code (and reason) as REST's error body and Python's exception carry them.
  std::cerr << "salescore " << command << ": " << what << ": " << status.message() << " [" << code_name(status.code())
            << (status.reason().empty() ? "" : "/" + status.reason()) << "]\n";
  for (const auto& [field, problem] : status.fields()) std::cerr << "  " << field << ": " << problem << "\n";
  return kExitFailure;
}

int fail(std::string_view command, std::string_view message) {
  std::cerr << "salescore " << command << ": " << message << "\n";
  return kExitFailure;
}

int usage_error(std::string_view command, std::string_view message) {
  std::cerr << "salescore " << command << ": " << message << "\n"
            << "Run 'salescore " << command << " --help' for usage.\n";
  return kExitUsage;
}

}  // namespace salescore::cli
