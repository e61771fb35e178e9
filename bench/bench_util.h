// What every benchmark shares: a scratch directory, a stopwatch, argument parsing and
// the "fail loudly" exit. Header-only on purpose: bench/CMakeLists.txt turns every
// bench/*.cpp into its own executable, so shared code cannot live in a .cpp here.
//
// The contract each benchmark keeps (bench/run relies on it): progress and
// diagnostics go to stderr; the figures go to stdout, and the LAST line of stdout is
// "<name>: key=value key=value ...". Exit 0 on success, 1 when a check fails, 2 on bad
// arguments.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>

namespace bench {

// Prints the message and ends the benchmark with status 1: a benchmark whose checks
// fail must not print figures that look valid.
[[noreturn]] inline void fail(const std::string& what) {
  std::fflush(stdout);
  std::fprintf(stderr, "BENCHMARK FAILED: %s\n", what.c_str());
  std::exit(1);
}

[[noreturn]] inline void usage(const char* text) {
  std::fprintf(stderr, "usage: %s\n", text);
  std::exit(2);
}

// A positive integer argument, or `fallback` when the argument is absent.
inline long long int_arg(int argc, char** argv, int index, long long fallback, const char* usage_text) {
  if (index >= argc) return fallback;
  char* end = nullptr;
  long long v = std::strtoll(argv[index], &end, 10);
  if (end == argv[index] || *end != '\0' || v < 0) usage(usage_text);
  return v;
}

// CPU time of this process (user + system), in seconds.
inline double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Wall-clock time, the figure benchmarks report, and the process's CPU time alongside:
// on a machine shared with other work the CPU time moves much less from run to run.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()), cpu_start_(process_cpu_seconds()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  double cpu_seconds() const { return process_cpu_seconds() - cpu_start_; }

 private:
  std::chrono::steady_clock::time_point start_;
  double cpu_start_;
};

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on scope exit
// unless BENCH_KEEP=1 (to look at the databases afterwards).
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + prefix + "-XXXXXX";
    if (!mkdtemp(pattern.data())) fail("cannot create a scratch directory from " + pattern);
    path_ = pattern;
  }
  ~ScratchDir() {
    const char* keep = std::getenv("BENCH_KEEP");
    if (keep && std::string(keep) == "1") {
      std::fprintf(stderr, "kept %s\n", path_.c_str());
      return;
    }
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace bench
