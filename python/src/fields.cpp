#include "fields.h"

namespace salescore::python {

void raise_invalid(const std::string& what, const Problems& problems, const std::vector<std::string>& known) {
  std::string message = "invalid " + what + ": ";
  bool unknown = false;
  bool first = true;
  for (const auto& [name, problem] : problems) {
    message += (first ? "" : "; ") + name + ": " + problem;
    first = false;
    unknown = unknown || problem == "unknown field";
  }
  if (unknown && !known.empty()) {
    message += " (accepted:";
    for (const auto& name : known) message += " " + name;
    message += ")";
  }
  throw StatusError(Status::invalid(message, problems));
}

}  // namespace salescore::python
