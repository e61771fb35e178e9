// The Python handle of one open Engine, shared by the collection objects built on it.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <optional>
#include <type_traits>

#include "convert.h"
#include "errors.h"
#include "salescore/engine.h"

namespace salescore::python {

class NativeEngine {
 public:
  explicit NativeEngine(std::unique_ptr<Engine> engine);

  // Runs `work(engine)` with the GIL released, so other Python threads run meanwhile,
  // and returns the value of its Result, or throws StatusError. `work` must not touch
  // Python objects: convert arguments before the call and results after it.
  template <class Work>
  auto call(Work&& work) const {
    // A copy, so close() on another thread cannot pull the engine from under this call.
    std::shared_ptr<Engine> engine = acquire();
    using R = std::invoke_result_t<Work&, Engine&>;
    std::optional<R> out;
    {
      py::gil_scoped_release unlocked;
      out.emplace(work(*engine));
    }
    if constexpr (std::is_same_v<R, Status>)
      raise_if_error(*out);
    else
      return unwrap(std::move(*out));
  }

  const ConvertContext& context() const { return context_; }
  const Config& config() const;
  bool closed() const { return engine_ == nullptr; }
  void close();

 private:
  std::shared_ptr<Engine> acquire() const;

  std::shared_ptr<Engine> engine_;
  Config config_;  // a copy, so settings stay readable after close()
  ConvertContext context_;
};

using NativeEngineRef = std::shared_ptr<NativeEngine>;

}  // namespace salescore::python
