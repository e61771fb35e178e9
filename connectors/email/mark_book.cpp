#include "mark_book.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace salescore::email {
namespace {

Poco::JSON::Object folders_json(const FolderMarks& marks) {
  Poco::JSON::Object folders;
  for (const auto& [name, mark] : marks) {
    Poco::JSON::Object m;
    m.set("uidvalidity", static_cast<Poco::UInt64>(mark.uidvalidity));
    m.set("last_uid", static_cast<Poco::UInt64>(mark.last_uid));
    if (mark.modseq) m.set("modseq", static_cast<Poco::UInt64>(mark.modseq));
    folders.set(name, m);
  }
  return folders;
}

FolderMarks folders_from(const Poco::JSON::Object::Ptr& holder) {
  FolderMarks out;
  auto folders = holder ? holder->getObject("folders") : nullptr;
  if (!folders) return out;
  for (const auto& name : folders->getNames()) {
    auto m = folders->getObject(name);
    out[name] = FolderMark{static_cast<std::uint32_t>(m->getValue<Poco::UInt64>("uidvalidity")),
                           static_cast<std::uint32_t>(m->getValue<Poco::UInt64>("last_uid")),
                           m->has("modseq") ? m->getValue<Poco::UInt64>("modseq") : 0};
  }
  return out;
}

}  // namespace

std::string book_to_json(const std::map<std::string, FolderMarks>& book) {
  Poco::JSON::Object root, others;
  for (const auto& [mailbox, marks] : book) {
    if (mailbox.empty()) {
      root.set("folders", folders_json(marks));
    } else {
      Poco::JSON::Object one;
      one.set("folders", folders_json(marks));
      others.set(mailbox, one);
    }
  }
  if (others.size()) root.set("mailboxes", others);
  std::ostringstream out;
  root.stringify(out);
  return out.str();
}

std::map<std::string, FolderMarks> book_from_json(const std::string& json) {
  std::map<std::string, FolderMarks> out;
  if (json.empty()) return out;
  auto root = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  out[""] = folders_from(root);
  if (auto others = root->getObject("mailboxes"))
    for (const auto& name : others->getNames()) out[name] = folders_from(others->getObject(name));
  return out;
}

sc_status MarkBook::load() {
  std::size_t size = 0;
  if (api_->checkpoint_read(host_, nullptr, 0, &size) != SC_OK) return SC_OK;  // a first run
  std::string text(size, '\0');
  api_->checkpoint_read(host_, text.data(), text.size(), &size);
  try {
    std::lock_guard lock(mutex_);
    book_ = book_from_json(text);
  } catch (const std::exception& e) {
    return api_->fail(host_, SC_FAILED_PRECONDITION, ("the checkpoint is no folder list: " + std::string(e.what())).c_str());
  }
  return SC_OK;
}

FolderMarks MarkBook::marks_of(const std::string& mailbox) {
  std::lock_guard lock(mutex_);
  return book_[mailbox];
}

sc_status MarkBook::save(const std::string& mailbox, const FolderMarks& marks) {
  // Under the lock: the checkpoints reach the host in the order their contents were made.
  std::lock_guard lock(mutex_);
  book_[mailbox] = marks;
  const std::string text = book_to_json(book_);
  return api_->checkpoint_save(host_, text.data(), text.size());
}

}  // namespace salescore::email
