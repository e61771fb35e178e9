#include "upload_dir.h"

#include <Poco/File.h>
#include <Poco/Delegate.h>
#include <Poco/Path.h>
#include <Poco/Zip/Decompress.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace salescore::onec {
namespace {
// Where 1C puts the products' pictures, kept from one exchange to the next.
const char* const kPictures = "import_files";

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
  if (!dir.exists()) {
    dir.createDirectories();
    return;
  }
  std::vector<std::string> names;
  dir.list(names);
  for (const auto& name : names)
    if (name != kPictures) Poco::File(path_of(name)).remove(true);
}

void UploadDir::write(const std::string& name, const void* data, std::size_t size, bool first_piece) const {
  Poco::Path path(path_of(name));
  Poco::File(path.parent()).createDirectories();
  std::ofstream out(path.toString(), std::ios::binary | (first_piece ? std::ios::trunc : std::ios::app));
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) throw std::runtime_error("cannot write " + path.toString());
}

bool UploadDir::exists(const std::string& name) const { return Poco::File(path_of(name)).exists(); }

std::vector<std::string> UploadDir::unpack_archive(const std::string& name) const {
  const std::string archive = path_of(name);
  std::vector<std::string> held;
  {
    std::ifstream in(archive, std::ios::binary);
    Poco::Zip::Decompress unzip(in, Poco::Path(root_ + "/"), /*flattenDirs=*/false, /*keepIncompleteFiles=*/false);
    RefusedEntries refused;
    unzip.EError += Poco::delegate(&refused, &RefusedEntries::on_error);
    unzip.decompressAllFiles();
    unzip.EError -= Poco::delegate(&refused, &RefusedEntries::on_error);
    if (!refused.first.empty()) throw std::runtime_error("archive " + name + ": " + refused.first);
    for (const auto& [entry, path] : unzip.mapping()) held.push_back(path.toString(Poco::Path::PATH_UNIX));
  }
  Poco::File(archive).remove();
  return held;
}

bool UploadDir::unpack_archives() const {
  Poco::File dir(root_);
  if (!dir.exists()) return false;
  std::vector<std::string> names;
  dir.list(names);
  bool any = false;
  for (const auto& name : names) {
    if (name.size() < 4 || name.compare(name.size() - 4, 4, ".zip") != 0) continue;
    unpack_archive(name);
    any = true;
  }
  return any;
}

bool UploadDir::archive_complete(const std::string& name) const {
  // The end record is 22 bytes plus a comment of at most 65,535.
  constexpr std::streamoff kEndRecord = 22, kMaxTail = kEndRecord + 65535;
  std::ifstream in(path_of(name), std::ios::binary | std::ios::ate);
  if (!in) return false;
  const std::streamoff size = in.tellg();
  if (size < kEndRecord) return false;
  const std::streamoff tail_size = std::min(size, kMaxTail);
  std::string tail(static_cast<std::size_t>(tail_size), '\0');
  in.seekg(size - tail_size);
  if (!in.read(tail.data(), tail_size)) return false;
  auto u32 = [&](std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(tail[at])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(tail[at + 1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(tail[at + 2])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(tail[at + 3])) << 24;
  };
  for (std::size_t at = tail.size() - kEndRecord + 1; at-- > 0;) {
    if (tail.compare(at, 4, "PK\x05\x06") != 0) continue;
    const std::uint32_t directory_size = u32(at + 12), directory_offset = u32(at + 16);
    // ZIP64 keeps the real figures elsewhere; its locator sits right before this record.
    if (directory_offset == 0xFFFFFFFFu || directory_size == 0xFFFFFFFFu)
      return at >= 20 && tail.compare(at - 20, 4, "PK\x06\x07") == 0;
    const std::streamoff end_record_at = size - tail_size + static_cast<std::streamoff>(at);
    if (static_cast<std::streamoff>(directory_offset) + directory_size == end_record_at) return true;
  }
  return false;
}

}  // namespace salescore::onec
