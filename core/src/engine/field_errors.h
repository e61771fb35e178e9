// Collects every problem with a record before answering, so one error names all the
// bad fields instead of making the caller fix them one round-trip at a time.
#pragma once

#include <map>
#include <string>

#include "salescore/status.h"

namespace salescore::detail {

class FieldErrors {
 public:
  void add(const std::string& field, const std::string& problem) {
    if (!errors_.count(field)) errors_[field] = problem;
  }
  // Records `st`'s message under `field` when it failed; returns whether it was OK.
  bool check(const std::string& field, const Status& st) {
    if (!st.is_ok()) add(field, st.message());
    return st.is_ok();
  }
  bool empty() const { return errors_.empty(); }
  Status to_status(const std::string& what) const {
    if (errors_.empty()) return Status::ok();
    std::string msg = "invalid " + what + ": ";
    bool first = true;
    for (const auto& [field, problem] : errors_) {
      msg += (first ? "" : "; ") + field + ": " + problem;
      first = false;
    }
    return Status::invalid(msg, errors_);
  }

 private:
  std::map<std::string, std::string> errors_;
};

}  // namespace salescore::detail
