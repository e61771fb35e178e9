#include "salescore/status.h"

namespace salescore {

const char* code_name(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: return "invalid_argument";
    case Code::kNotFound: return "not_found";
    case Code::kAlreadyExists: return "already_exists";
    case Code::kFailedPrecondition: return "failed_precondition";
    case Code::kPermissionDenied: return "permission_denied";
    case Code::kUnauthenticated: return "unauthenticated";
    case Code::kConflict: return "conflict";
    case Code::kUnavailable: return "unavailable";
    case Code::kDeadlineExceeded: return "deadline_exceeded";
    case Code::kResourceExhausted: return "resource_exhausted";
    case Code::kInternal: return "internal";
  }
  return "unknown";
}

bool is_retryable(Code code) {
  return code == Code::kUnavailable || code == Code::kDeadlineExceeded ||
         code == Code::kResourceExhausted || code == Code::kConflict;
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return rep_ ? rep_->message : kEmpty;
}

const std::map<std::string, std::string>& Status::fields() const {
  static const std::map<std::string, std::string> kNone;
  return rep_ ? rep_->fields : kNone;
}

const std::string& Status::reason() const {
  static const std::string kNone;
  return rep_ ? rep_->reason : kNone;
}

std::string Status::to_string() const {
  if (is_ok()) return "ok";
  std::string out = std::string(code_name(code())) + ": " + message();
  for (const auto& [field, problem] : fields()) {
    out += "\n  " + field + ": " + problem;
  }
  return out;
}

}  // namespace salescore
