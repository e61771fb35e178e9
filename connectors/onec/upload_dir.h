// Where 1C's files land between mode=file and mode=import: one directory per exchange
// type (catalog, sale), emptied by mode=init. File names come from the network, so each
// is checked before it touches the disk: no absolute paths, no "..", no NUL.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace salescore::onec {

class UploadDir {
 public:
  explicit UploadDir(std::string root) : root_(std::move(root)) {}

  // The relative path a file may be stored under ("import_files/ab/cd.jpg"), or nullopt
  // with `why` for a name that would leave the directory.
  static std::optional<std::string> safe_name(const std::string& filename, std::string& why);

  // Empties the directory for a new exchange (mode=init), all but import_files/: the
  // products' pictures are referenced from there, and an exchange of changes only does
  // not send the unchanged ones again.
  void reset() const;
  // Writes a piece of a file: the first piece of an exchange replaces what was there (a
  // picture sent again), the next ones are appended (1C sends big files in pieces of
  // file_limit bytes).
  void write(const std::string& name, const void* data, std::size_t size, bool first_piece) const;
  std::string path_of(const std::string& name) const { return root_ + "/" + name; }
  bool exists(const std::string& name) const;
  // Unpacks every .zip archive at the top of the directory and removes it; true when
  // there was one. Entries that would leave the directory are refused by Poco's Zip.
  bool unpack_archives() const;
  // Unpacks one archive and removes it; the names of the files it held.
  std::vector<std::string> unpack_archive(const std::string& name) const;
  // True once the archive's last piece is in: its end-of-central-directory record is
  // there and the central directory it points to ends right before it. 1C sends an
  // archive bigger than file_limit in pieces, with no word on which piece is the last.
  bool archive_complete(const std::string& name) const;

 private:
  std::string root_;
};

}  // namespace salescore::onec
