#include "upload_dir.h"

#include <Poco/File.h>
#include <Poco/Delegate.h>
#include <Poco/Path.h>
#include <Poco/Zip/Decompress.h>

#include <fstream>
#include <stdexcept>
#include <vector>

namespace salescore::onec {
namespace {
// Entries Poco's Zip refuses (a path leaving the directory, a bad checksum) arrive as
// events; the first one is what the operator is told.
struct RefusedEntries {
  std::string first;
  void on_error(const void*, std::pair<const Poco::Zip::ZipLocalFileHeader, const std::string>& e) {
    if (first.empty()) first = e.first.getFileName() + ": " + e.second;
  }
};
}  // namespace

std::optional<std::string> UploadDir::safe_name(const std::string& filename, std::string& why) {
  std::string name = filename;
  for (char& c : name)
    if (c == '\\') c = '/';  // 1C on Windows may send import_files\ab\cd.jpg
  if (name.empty()) {
    why = "no filename";
    return std::nullopt;
  }
  if (name.find('\0') != std::string::npos || name.front() == '/' || name.find(':') != std::string::npos) {
    why = "filename '" + filename + "' is not a relative path";
    return std::nullopt;
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    const std::string part = name.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") {
      why = "filename '" + filename + "' has an empty, '.' or '..' part";
      return std::nullopt;
    }
    start = end + 1;
  }
  return name;
}

void UploadDir::reset() const {
  Poco::File dir(root_);
  if (dir.exists()) dir.remove(true);
  dir.createDirectories();
}

void UploadDir::append(const std::string& name, const void* data, std::size_t size) const {
  Poco::Path path(path_of(name));
  Poco::File(path.parent()).createDirectories();
  std::ofstream out(path.toString(), std::ios::binary | std::ios::app);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) throw std::runtime_error("cannot write " + path.toString());
}

bool UploadDir::exists(const std::string& name) const { return Poco::File(path_of(name)).exists(); }

bool UploadDir::unpack_archives() const {
  Poco::File dir(root_);
  if (!dir.exists()) return false;
  std::vector<std::string> names;
  dir.list(names);
  bool any = false;
  for (const auto& name : names) {
    if (name.size() < 4 || name.compare(name.size() - 4, 4, ".zip") != 0) continue;
    const std::string archive = path_of(name);
    {
      std::ifstream in(archive, std::ios::binary);
      Poco::Zip::Decompress unzip(in, Poco::Path(root_ + "/"), /*flattenDirs=*/false, /*keepIncompleteFiles=*/false);
      RefusedEntries refused;
      unzip.EError += Poco::delegate(&refused, &RefusedEntries::on_error);
      unzip.decompressAllFiles();
      unzip.EError -= Poco::delegate(&refused, &RefusedEntries::on_error);
      if (!refused.first.empty()) throw std::runtime_error("archive " + name + ": " + refused.first);
    }
    Poco::File(archive).remove();
    any = true;
  }
  return any;
}

}  // namespace salescore::onec
