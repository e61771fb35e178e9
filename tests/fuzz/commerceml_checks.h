// What must hold for any bytes 1C (or anyone who knows the exchange's password) uploads
// as a CommerceML file: the reader (connectors/onec/commerceml.h) reads it or refuses
// it with a line and a reason, whatever its version (2.0x, 3.1) or encoding (UTF-8 with
// or without BOM, windows-1251); a zip archive (the input starts "PK") is unpacked as
// the exchange does (upload_dir.h) and each file in it read, and nothing it holds lands
// outside the upload directory. commerceml_fuzz.cpp checks it on every input,
// FuzzCorpora on the checked-in seeds.
#pragma once

#include <unistd.h>

#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "commerceml.h"
#include "upload_dir.h"

namespace salescore::fuzz {

inline std::string check_commerceml_stream(std::istream& in) {
  onec::Classifier classifier;
  onec::CommerceMlSink sink;
  std::size_t records = 0;
  sink.product = [&](const onec::Product&) { ++records; };
  sink.offer = [&](const onec::Offer&) { ++records; };
  sink.counterparty = [&](const onec::Counterparty&) { ++records; };
  sink.document = [&](const onec::Document&) { ++records; };
  onec::FileFacts facts;
  onec::ParseError error;
  if (!onec::read_commerceml(in, classifier, sink, facts, error) && error.reason.empty())
    return "a file refused without a reason";
  return {};
}

inline std::string check_commerceml_zip(std::string_view bytes) {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("salescore-fuzz-upload-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root);
  const onec::UploadDir dir(root.string());
  dir.write("upload.zip", bytes.data(), bytes.size(), true);
  std::string broken;
  if (dir.archive_complete("upload.zip")) {
    try {
      for (const std::string& held : dir.unpack_archive("upload.zip")) {
        const fs::path file = fs::weakly_canonical(fs::path(held).is_absolute() ? fs::path(held) : root / held);
        const std::string inside = fs::weakly_canonical(root).string() + "/";
        if (file.string().rfind(inside, 0) != 0) {
          broken = "an archive entry landed outside the upload directory: " + held;
          break;
        }
        if (!fs::is_regular_file(file)) continue;
        std::ifstream in(file, std::ios::binary);
        broken = check_commerceml_stream(in);
        if (!broken.empty()) break;
      }
    } catch (const std::exception&) {
      // A refused archive: the exchange answers 1C "failure" with e.what().
    }
  }
  fs::remove_all(root);
  return broken;
}

inline std::string check_commerceml(std::string_view bytes) {
  if (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) return check_commerceml_zip(bytes);
  std::istringstream in{std::string(bytes)};
  return check_commerceml_stream(in);
}

}  // namespace salescore::fuzz
