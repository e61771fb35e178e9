#include "host/status_codes.h"

namespace salescore::plugins {

Code code_from_abi(sc_status status) {
  switch (status) {
    case SC_OK: return Code::kOk;
    case SC_INVALID_ARGUMENT: return Code::kInvalidArgument;
    case SC_DEADLINE_EXCEEDED: return Code::kDeadlineExceeded;
    case SC_NOT_FOUND: return Code::kNotFound;
    case SC_PERMISSION_DENIED: return Code::kPermissionDenied;
    case SC_RESOURCE_EXHAUSTED: return Code::kResourceExhausted;
    case SC_FAILED_PRECONDITION: return Code::kFailedPrecondition;
    case SC_UNAVAILABLE: return Code::kUnavailable;
    case SC_UNAUTHENTICATED: return Code::kUnauthenticated;
    default: return Code::kInternal;
  }
}

sc_status abi_from_code(Code code) {
  switch (code) {
    case Code::kOk: return SC_OK;
    case Code::kInvalidArgument: return SC_INVALID_ARGUMENT;
    case Code::kNotFound: return SC_NOT_FOUND;
    case Code::kAlreadyExists: return SC_FAILED_PRECONDITION;
    case Code::kFailedPrecondition: return SC_FAILED_PRECONDITION;
    case Code::kPermissionDenied: return SC_PERMISSION_DENIED;
    case Code::kUnauthenticated: return SC_UNAUTHENTICATED;
    case Code::kConflict: return SC_UNAVAILABLE;  // a concurrent change won: trying again works
    case Code::kUnavailable: return SC_UNAVAILABLE;
    case Code::kDeadlineExceeded: return SC_DEADLINE_EXCEEDED;
    case Code::kResourceExhausted: return SC_RESOURCE_EXHAUSTED;
    case Code::kInternal: return SC_INTERNAL;
  }
  return SC_INTERNAL;
}

std::string abi_status_name(sc_status status) {
  Code code = code_from_abi(status);
  if (code == Code::kInternal && status != SC_INTERNAL) return "status " + std::to_string(status);
  return code_name(code);
}

bool is_retryable_abi(sc_status status) { return is_retryable(code_from_abi(status)); }

int http_status_for(sc_status status) {
  switch (status) {
    case SC_OK: return 200;
    case SC_INVALID_ARGUMENT: return 400;
    case SC_UNAUTHENTICATED: return 401;
    case SC_PERMISSION_DENIED: return 403;
    case SC_NOT_FOUND: return 404;
    case SC_FAILED_PRECONDITION: return 409;
    case SC_RESOURCE_EXHAUSTED: return 429;
    case SC_UNAVAILABLE: return 503;
    case SC_DEADLINE_EXCEEDED: return 504;
    default: return 500;
  }
}

}  // namespace salescore::plugins
