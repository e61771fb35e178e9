// Status and Result: how the engine reports an expected failure.
//
// Every engine call that can fail for a reason the caller should handle (the record is
// not there, a field is invalid, a rule forbids the change) returns a Status or a
// Result<T> instead of throwing. The code tells the caller what to do next, in the
// spirit of absl::StatusCode: retry (kUnavailable, kDeadlineExceeded,
// kResourceExhausted) or fix the input / state first (everything else).
// A Status is cheap when OK: no allocation.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace salescore {

enum class Code {
  kOk = 0,
  kInvalidArgument,     // the input is wrong; `fields` names each bad field. Don't retry.
  kNotFound,            // the addressed record does not exist (or is not visible).
  kAlreadyExists,       // a unique key (SKU, login, source+external_id) is taken.
  kFailedPrecondition,  // the state forbids it (stage gate, schema too new). Don't retry as is.
  kPermissionDenied,    // the acting user may not do this.
  kUnauthenticated,     // no or bad credentials.
  kConflict,            // a concurrent change won; re-read and retry.
  kUnavailable,         // transient (database busy/locked, peer down): retry with backoff.
  kDeadlineExceeded,    // took too long: retry with backoff.
  kResourceExhausted,   // a limit was hit: retry later.
  kInternal,            // a bug or a broken invariant; the message says where.
};

// Stable lower-case name of a code ("not_found"), used in JSON errors and logs.
const char* code_name(Code code);

// True for the codes a caller should retry with backoff.
bool is_retryable(Code code);

class Status {
 public:
  Status() = default;  // OK

  static Status ok() { return Status(); }
  static Status invalid(std::string message, std::map<std::string, std::string> fields = {}) {
    return Status(Code::kInvalidArgument, std::move(message), std::move(fields));
  }
  static Status not_found(std::string message) { return Status(Code::kNotFound, std::move(message)); }
  static Status already_exists(std::string message, std::map<std::string, std::string> fields = {}) {
    return Status(Code::kAlreadyExists, std::move(message), std::move(fields));
  }
  static Status failed_precondition(std::string message) {
    return Status(Code::kFailedPrecondition, std::move(message));
  }
  static Status permission_denied(std::string message) {
    return Status(Code::kPermissionDenied, std::move(message));
  }
  static Status unavailable(std::string message) { return Status(Code::kUnavailable, std::move(message)); }
  static Status internal(std::string message) { return Status(Code::kInternal, std::move(message)); }

  // `reason` refines the code for callers that map errors to types: "stage_gate",
  // "approval_required", "read_only", "schema_too_new". Empty when the code says it all.
  Status(Code code, std::string message, std::map<std::string, std::string> fields = {}, std::string reason = "")
      : rep_(code == Code::kOk ? nullptr
                               : std::make_shared<Rep>(
                                     Rep{code, std::move(message), std::move(fields), std::move(reason)})) {}

  bool is_ok() const { return rep_ == nullptr; }
  explicit operator bool() const { return is_ok(); }
  Code code() const { return rep_ ? rep_->code : Code::kOk; }
  const std::string& message() const;
  // Field name -> what is wrong with it. Empty unless the error is about fields.
  const std::map<std::string, std::string>& fields() const;
  const std::string& reason() const;

  bool is_not_found() const { return code() == Code::kNotFound; }
  bool is_invalid() const { return code() == Code::kInvalidArgument; }

  // "not_found: client 42 does not exist"
  std::string to_string() const;

 private:
  struct Rep {
    Code code;
    std::string message;
    std::map<std::string, std::string> fields;
    std::string reason;
  };
  std::shared_ptr<const Rep> rep_;
};

// A value or the Status saying why there is none.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT
  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace salescore

// Return early from the enclosing function when a Status-returning call fails.
#define SC_RETURN_IF_ERROR(expr)                  \
  do {                                            \
    ::salescore::Status sc_status_ = (expr);      \
    if (!sc_status_.is_ok()) return sc_status_;   \
  } while (0)

#define SC_CONCAT_INNER(a, b) a##b
#define SC_CONCAT(a, b) SC_CONCAT_INNER(a, b)
// `SC_ASSIGN_OR_RETURN(auto x, call());` — unwrap a Result or return its Status.
#define SC_ASSIGN_OR_RETURN(lhs, expr) SC_ASSIGN_OR_RETURN_IMPL(SC_CONCAT(sc_result_, __LINE__), lhs, expr)
#define SC_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
