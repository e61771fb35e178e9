#include "host/loader.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include "host/host_api_table.h"

#ifndef SALESCORE_CONNECTOR_INSTALL_DIR
#define SALESCORE_CONNECTOR_INSTALL_DIR "/usr/local/lib/salescore/connectors"
#endif

namespace salescore::plugins {
namespace fs = std::filesystem;

namespace {
const std::string kPrefix = "salescore_connector_";
const std::string kSuffix = ".so";

std::string canonical_or_same(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return ec ? p.string() : c.string();
}
}  // namespace

bool is_connector_file_name(const std::string& name) {
  return name.size() > kPrefix.size() + kSuffix.size() && name.compare(0, kPrefix.size(), kPrefix) == 0 &&
         name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0;
}

std::vector<std::string> default_connector_dirs() {
  std::vector<fs::path> candidates;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.push_back(exe.parent_path());
    // The install prefix's: bin/../<libdir>/salescore/connectors, with the libdir it was
    // built for (lib, lib64, lib/x86_64-linux-gnu), then plain lib.
    candidates.push_back(exe.parent_path().parent_path() / SALESCORE_CONNECTOR_RELATIVE_DIR);
    candidates.push_back(exe.parent_path().parent_path() / "lib" / "salescore" / "connectors");
  }
  candidates.emplace_back(SALESCORE_CONNECTOR_INSTALL_DIR);
  std::vector<std::string> out;
  for (const auto& c : candidates)
    if (fs::is_directory(c, ec)) out.push_back(canonical_or_same(c));
  return out;
}

LoadReport load_connector_libraries(const LoaderOptions& options, const sc_host_api* host_api) {
  if (!host_api) host_api = host_api_table();
  LoadReport report;
  std::vector<std::string> dirs = options.dirs;
  if (options.include_default_dirs)
    for (auto& d : default_connector_dirs()) dirs.push_back(d);

  std::set<std::string> seen_dirs, seen_files;
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    const bool configured = i < options.dirs.size();
    std::string dir = canonical_or_same(dirs[i]);
    if (!seen_dirs.insert(dir).second) continue;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      // A directory someone configured and got wrong is worth saying; a default one is not.
      if (configured) report.refused.push_back({dirs[i], dirs[i] + ": connector directory does not exist"});
      continue;
    }
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (is_connector_file_name(it->path().filename().string())) files.push_back(it->path());
    if (ec) {
      report.refused.push_back({dir, dir + ": cannot list connector directory: " + ec.message()});
      continue;
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::string file = canonical_or_same(f);
      if (!seen_files.insert(file).second) continue;
      auto lib = ConnectorLibrary::open(file, host_api);
      if (lib.ok()) report.loaded.push_back(std::move(*lib));
      else report.refused.push_back({file, lib.status().message()});
    }
  }
  return report;
}

}  // namespace salescore::plugins
