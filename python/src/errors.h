// How an engine Status becomes a Python exception.
//
// Binding code throws StatusError; one translator (registered in module.cpp) turns it
// into the matching class of salescore._errors, so the code -> class mapping lives in
// one place, on the Python side, where users read it.
#pragma once

#include <exception>
#include <string>
#include <utility>

#include "salescore/status.h"

namespace salescore::python {

class StatusError : public std::exception {
 public:
  explicit StatusError(Status status) : status_(std::move(status)), what_(status_.to_string()) {}
  const Status& status() const { return status_; }
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  Status status_;
  std::string what_;
};

inline void raise_if_error(const Status& status) {
  if (!status.is_ok()) throw StatusError(status);
}

template <class T>
T unwrap(Result<T>&& result) {
  if (!result.ok()) throw StatusError(result.status());
  return std::move(result).value();
}

void register_error_translator();

}  // namespace salescore::python
