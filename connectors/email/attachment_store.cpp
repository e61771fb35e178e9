#include "attachment_store.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace salescore::email {

std::string attachment_path(const std::string& dir, const std::string& sha256) {
  return dir + "/" + sha256.substr(0, 2) + "/" + sha256;
}

std::string store_attachment(const std::string& dir, const MailAttachment& a) {
  namespace fs = std::filesystem;
  if (a.sha256.size() != 64 || a.content.size() != a.size) return "";  // not kept: over the size limit
  const fs::path target = attachment_path(dir, a.sha256);
  std::error_code ec;
  if (fs::exists(target, ec)) return "";
  fs::create_directories(target.parent_path(), ec);
  if (ec) return "cannot make " + target.parent_path().string() + ": " + ec.message();
  const fs::path part = target.string() + ".part." + std::to_string(::getpid());
  {
    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    out.write(a.content.data(), static_cast<std::streamsize>(a.content.size()));
    if (!out.flush()) {
      fs::remove(part, ec);
      return "cannot write " + part.string();
    }
  }
  fs::rename(part, target, ec);
  if (ec) return "cannot rename " + part.string() + ": " + ec.message();
  return "";
}

}  // namespace salescore::email
