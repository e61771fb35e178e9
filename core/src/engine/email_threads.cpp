// The store look-ups behind the e-mail rules (salescore/emails.h): threads by Message-ID
// and by subject, clients by their company's mail domain, open leads by address.
#include "engine/email_replies.h"
#include "engine/engine_registry.h"
#include "engine/engine_state.h"
#include "salescore/connectors.h"
#include "store/email_letter_rows.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

namespace salescore {
using namespace detail;

namespace {

// A Message-ID as stored: one too long for an index is kept as its hash.
std::string stored_id(const std::string& message_id) {
  if (message_id.size() <= store::kMaxKeyBytes) return message_id;
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(message_id);
  return "sha256:" + Poco::DigestEngine::digestToHex(sha.digest());
}

std::string stored_text(const std::string& text) {
  if (text.size() <= store::kMaxKeyBytes) return text;
  std::size_t cut = store::kMaxKeyBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // a whole UTF-8 character
  return text.substr(0, cut);
}

}  // namespace

Result<std::optional<ConnectorService::EmailThreadHit>> ConnectorService::email_thread_by_ids(
    const std::vector<std::string>& message_ids) {
  std::vector<std::string> ids;
  for (const auto& id : message_ids) ids.push_back(stored_id(id));
  return read<std::optional<EmailThreadHit>>(*s_, [&]() -> Result<std::optional<EmailThreadHit>> {
    SC_ASSIGN_OR_RETURN(auto hit, store::email_thread_by_message_ids(*s_->conn, ids));
    if (!hit) return std::optional<EmailThreadHit>();
    return std::optional<EmailThreadHit>(EmailThreadHit{hit->thread_id, hit->client_id});
  });
}

Result<std::optional<ConnectorService::EmailThreadHit>> ConnectorService::email_thread_by_subject(
    const std::string& subject_key, const std::string& counterpart) {
  return read<std::optional<EmailThreadHit>>(*s_, [&]() -> Result<std::optional<EmailThreadHit>> {
    SC_ASSIGN_OR_RETURN(auto hit, store::email_thread_by_subject(*s_->conn, stored_text(subject_key), stored_text(counterpart)));
    if (!hit) return std::optional<EmailThreadHit>();
    return std::optional<EmailThreadHit>(EmailThreadHit{hit->thread_id, hit->client_id});
  });
}

Result<Id> ConnectorService::file_email(Id interaction_id, const std::string& message_id, Id thread_id,
                                        const std::string& subject_key, const std::string& counterpart,
                                        const std::string& answers) {
  return write<Id>(*s_, [&]() -> Result<Id> {
    SC_ASSIGN_OR_RETURN(auto filed, store::email_thread_of(*s_->conn, interaction_id));
    if (filed) return *filed;
    store::EmailLetterRow row{interaction_id,           stored_id(message_id),     thread_id ? thread_id : interaction_id,
                              stored_text(subject_key), stored_text(counterpart), answers.empty() ? "" : stored_id(answers)};
    SC_RETURN_IF_ERROR(store::insert_email_letter(*s_->conn, row));
    if (!message_id.empty()) SC_RETURN_IF_ERROR(store::adopt_replies(*s_->conn, row.message_id, row.thread_id));
    return row.thread_id;
  });
}

Result<std::optional<Id>> ConnectorService::email_thread_of(Id interaction_id) {
  return read<std::optional<Id>>(*s_, [&] { return store::email_thread_of(*s_->conn, interaction_id); });
}

Result<std::vector<Id>> ConnectorService::email_thread_letters(Id thread_id) {
  return read<std::vector<Id>>(*s_, [&] { return store::email_thread_letters(*s_->conn, thread_id); });
}

Result<std::optional<Id>> ConnectorService::only_client_at_domain(const std::string& domain) {
  return read<std::optional<Id>>(*s_, [&]() -> Result<std::optional<Id>> {
    SC_ASSIGN_OR_RETURN(auto found, store::clients_with_email_domain(*s_->conn, domain, 2));
    return found.size() == 1 ? std::optional<Id>(found.front()) : std::optional<Id>();
  });
}

Result<std::optional<Id>> ConnectorService::open_lead_with_email(const std::string& email) {
  return read<std::optional<Id>>(*s_, [&] { return store::open_lead_with_email(*s_->conn, email); });
}

Result<std::vector<EarlyReply>> detail::clientless_early_replies(Engine& engine, const std::string& message_id) {
  EngineState& s = *state_of(engine);
  return read<std::vector<EarlyReply>>(s, [&]() -> Result<std::vector<EarlyReply>> {
    SC_ASSIGN_OR_RETURN(auto rows, store::clientless_letters_answering(*s.conn, stored_id(message_id)));
    std::vector<EarlyReply> out;
    for (auto& r : rows) out.push_back(EarlyReply{r.interaction_id, std::move(r.counterpart)});
    return out;
  });
}

}  // namespace salescore
