#include "imap_client.h"

#include <libetpan/libetpan.h>
#include <poll.h>

#include <algorithm>
#include <ctime>
#include <fstream>

#include "tls_verify.h"

namespace salescore::email {
namespace {

struct ServerName {
  std::string host;
};

void set_server_name(struct mailstream_ssl_context* ctx, void* data) {
  mailstream_ssl_set_server_name(ctx, const_cast<char*>(static_cast<ServerName*>(data)->host.c_str()));
}

std::vector<std::string> certificate_chain(mailimap* imap) {
  std::vector<std::string> out;
  carray* chain = mailstream_get_certificate_chain(imap->imap_stream);
  if (!chain) return out;
  for (unsigned i = 0; i < carray_count(chain); ++i) {
    auto* der = static_cast<MMAPString*>(carray_get(chain, i));
    out.emplace_back(der->str, der->len);
  }
  mailstream_certificate_chain_free(chain);
  return out;
}

std::int64_t unix_ms(const mailimap_date_time* d) {
  if (!d) return 0;
  struct tm t = {};
  t.tm_year = d->dt_year - 1900;
  t.tm_mon = d->dt_month - 1;
  t.tm_mday = d->dt_day;
  t.tm_hour = d->dt_hour;
  t.tm_min = d->dt_min;
  t.tm_sec = d->dt_sec;
  // dt_zone is +HHMM as a number: 300 is UTC+3.
  const int zone_s = (d->dt_zone / 100) * 3600 + (d->dt_zone % 100) * 60;
  return (static_cast<std::int64_t>(timegm(&t)) - zone_s) * 1000;
}

// Reads UID, RFC822.SIZE, INTERNALDATE and a body section out of one FETCH response.
FetchedMessage read_message(mailimap_msg_att* att) {
  FetchedMessage m;
  for (clistiter* it = clist_begin(att->att_list); it; it = clist_next(it)) {
    auto* item = static_cast<mailimap_msg_att_item*>(clist_content(it));
    if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC) continue;
    mailimap_msg_att_static* s = item->att_data.att_static;
    switch (s->att_type) {
      case MAILIMAP_MSG_ATT_UID: m.uid = s->att_data.att_uid; break;
      case MAILIMAP_MSG_ATT_RFC822_SIZE: m.size = s->att_data.att_rfc822_size; break;
      case MAILIMAP_MSG_ATT_INTERNALDATE: m.internal_date_ms = unix_ms(s->att_data.att_internal_date); break;
      case MAILIMAP_MSG_ATT_BODY_SECTION:
        if (s->att_data.att_body_section->sec_body_part)
          m.bytes.assign(s->att_data.att_body_section->sec_body_part, s->att_data.att_body_section->sec_length);
        break;
      default: break;
    }
  }
  return m;
}

}  // namespace

ImapClient::ImapClient() = default;
ImapClient::~ImapClient() { close(); }

void ImapClient::close() {
  if (!imap_) return;
  if (imap_->imap_stream) mailimap_logout(imap_);
  mailimap_free(imap_);
  imap_ = nullptr;
}

ImapError ImapClient::fail(int code, const std::string& what) {
  std::string said = imap_ && imap_->imap_response ? imap_->imap_response : "";
  std::string reason = what + (said.empty() ? "" : ": " + said) + " (libetpan error " + std::to_string(code) + ")";
  switch (code) {
    case MAILIMAP_ERROR_LOGIN:
      return {SC_UNAUTHENTICATED, reason};
    case MAILIMAP_ERROR_STREAM:
    case MAILIMAP_ERROR_CONNECTION_REFUSED:
    case MAILIMAP_ERROR_SSL:
    case MAILIMAP_ERROR_MEMORY:
      return {SC_UNAVAILABLE, reason};
    default:
      // A NO or BAD to a command (SELECT of a folder that is gone, a server limit): the
      // session starts over after a backoff rather than stopping for an operator.
      return {SC_UNAVAILABLE, reason};
  }
}

ImapError read_secret_file(const std::string& path, std::string& secret) {
  std::ifstream in(path);
  if (!in || !std::getline(in, secret)) return {SC_FAILED_PRECONDITION, "cannot read the password file " + path};
  while (!secret.empty() && (secret.back() == '\r' || secret.back() == ' ')) secret.pop_back();
  if (secret.empty()) return {SC_FAILED_PRECONDITION, "the password file " + path + " is empty"};
  return {};
}

ImapError ImapClient::connect(const ImapSettings& settings) {
  close();
  ImapSettings s = settings;
  if (!s.password_file.empty())
    if (ImapError e = read_secret_file(s.password_file, s.password)) return e;
  imap_ = mailimap_new(0, nullptr);
  mailimap_set_timeout(imap_, s.timeout_s);
  ServerName name{s.host};
  const auto port = static_cast<uint16_t>(s.port);
  int r = s.security == "tls" ? mailimap_ssl_connect_with_callback(imap_, s.host.c_str(), port, set_server_name, &name)
                              : mailimap_socket_connect(imap_, s.host.c_str(), port);
  if (r != MAILIMAP_NO_ERROR_AUTHENTICATED && r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED)
    return fail(r, "cannot connect to " + s.host + ":" + std::to_string(s.port));
  if (s.security == "starttls") {
    r = mailimap_socket_starttls_with_callback(imap_, set_server_name, &name);
    if (r != MAILIMAP_NO_ERROR) return fail(r, "STARTTLS refused by " + s.host);
  }
  if (s.security != "plain") {
    std::string why = verify_server_chain(certificate_chain(imap_), s.host, s.ca_file);
    if (!why.empty()) {
      close();
      // Not a retry: a wrong certificate does not right itself, and a password must not go to it.
      return {SC_PERMISSION_DENIED, why};
    }
  }
  r = s.xoauth2 ? mailimap_oauth2_authenticate(imap_, s.login.c_str(), s.password.c_str())
                : mailimap_login(imap_, s.login.c_str(), s.password.c_str());
  if (r != MAILIMAP_NO_ERROR) {
    ImapError e = fail(r, "login as " + s.login + " refused");
    e.code = SC_UNAUTHENTICATED;  // a refused login: do not repeat it until someone fixes the config
    return e;
  }
  // The capabilities after login can differ from those before (Yandex, Mail.ru).
  mailimap_capability_data* caps = nullptr;
  if (mailimap_capability(imap_, &caps) == MAILIMAP_NO_ERROR && caps) mailimap_capability_data_free(caps);
  return {};
}

ImapError ImapClient::list_folders(std::vector<std::string>& folders, std::string& sent) {
  clist* result = nullptr;
  int r = mailimap_list(imap_, "", "*", &result);
  if (r != MAILIMAP_NO_ERROR) return fail(r, "LIST");
  for (clistiter* it = clist_begin(result); it; it = clist_next(it)) {
    auto* mb = static_cast<mailimap_mailbox_list*>(clist_content(it));
    bool skip = false, is_sent = false;
    if (mb->mb_flag) {
      if (mb->mb_flag->mbf_type == MAILIMAP_MBX_LIST_FLAGS_SFLAG && mb->mb_flag->mbf_sflag == MAILIMAP_MBX_LIST_SFLAG_NOSELECT)
        skip = true;
      for (clistiter* f = clist_begin(mb->mb_flag->mbf_oflags); f; f = clist_next(f)) {
        auto* flag = static_cast<mailimap_mbx_list_oflag*>(clist_content(f));
        if (flag->of_type != MAILIMAP_MBX_LIST_OFLAG_FLAG_EXT || !flag->of_flag_ext) continue;
        std::string ext = flag->of_flag_ext;
        // \Drafts too: a mail program saves a draft again and again (a new message each
        // time, the old one expunged), which would put every revision on the timeline
        // (Twenty's bug, research/email.md); what is sent arrives through \Sent.
        if (ext == "All" || ext == "Junk" || ext == "Trash" || ext == "Drafts" || ext == "Noselect" ||
            ext == "NonExistent")
          skip = true;
        if (ext == "Sent") is_sent = true;
      }
    }
    if (skip) continue;
    folders.emplace_back(mb->mb_name);
    if (is_sent) sent = mb->mb_name;
  }
  mailimap_list_result_free(result);
  return {};
}

ImapError ImapClient::select(const std::string& folder, FolderStatus& status) {
  std::uint64_t modseq = 0;
  const bool condstore = mailimap_has_condstore(imap_);
  int r = condstore ? mailimap_select_condstore(imap_, folder.c_str(), &modseq) : mailimap_select(imap_, folder.c_str());
  if (r != MAILIMAP_NO_ERROR) return fail(r, "SELECT " + folder);
  status.highestmodseq = modseq;
  status.uidvalidity = imap_->imap_selection_info->sel_uidvalidity;
  status.uidnext = imap_->imap_selection_info->sel_uidnext;
  return {};
}

ImapError ImapClient::sizes_from(std::uint32_t first_uid, std::vector<MessageSize>& out) {
  mailimap_set* set = mailimap_set_new_interval(first_uid, 0);
  mailimap_fetch_type* type = mailimap_fetch_type_new_fetch_att_list_empty();
  mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_uid());
  mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_rfc822_size());
  mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_internaldate());
  clist* result = nullptr;
  int r = mailimap_uid_fetch(imap_, set, type, &result);
  mailimap_fetch_type_free(type);
  mailimap_set_free(set);
  if (r != MAILIMAP_NO_ERROR) return fail(r, "UID FETCH " + std::to_string(first_uid) + ":* (UID RFC822.SIZE INTERNALDATE)");
  for (clistiter* it = clist_begin(result); it; it = clist_next(it)) {
    FetchedMessage m = read_message(static_cast<mailimap_msg_att*>(clist_content(it)));
    // "n:*" names the last message even when its UID is below n (RFC 3501 6.4.8).
    if (m.uid >= first_uid) out.push_back({m.uid, m.size, m.internal_date_ms});
  }
  mailimap_fetch_list_free(result);
  std::sort(out.begin(), out.end(), [](const MessageSize& a, const MessageSize& b) { return a.uid < b.uid; });
  return {};
}

ImapError ImapClient::fetch(const std::vector<std::uint32_t>& uids, bool header_only, std::vector<FetchedMessage>& out) {
  if (uids.empty()) return {};
  mailimap_set* set = mailimap_set_new_empty();
  for (std::uint32_t uid : uids) mailimap_set_add_single(set, uid);
  mailimap_fetch_type* type = mailimap_fetch_type_new_fetch_att_list_empty();
  mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_uid());
  mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_rfc822_size());
  mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_internaldate());
  mailimap_section* section = header_only ? mailimap_section_new_header() : mailimap_section_new(nullptr);
  mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_body_peek_section(section));
  clist* result = nullptr;
  int r = mailimap_uid_fetch(imap_, set, type, &result);
  mailimap_fetch_type_free(type);
  mailimap_set_free(set);
  if (r != MAILIMAP_NO_ERROR) return fail(r, "UID FETCH (BODY.PEEK)");
  for (clistiter* it = clist_begin(result); it; it = clist_next(it)) {
    FetchedMessage m = read_message(static_cast<mailimap_msg_att*>(clist_content(it)));
    if (m.uid == 0) continue;  // an unsolicited FETCH (flags changed elsewhere)
    m.header_only = header_only;
    out.push_back(std::move(m));
  }
  mailimap_fetch_list_free(result);
  std::sort(out.begin(), out.end(), [](const FetchedMessage& a, const FetchedMessage& b) { return a.uid < b.uid; });
  return {};
}

bool ImapClient::has_idle() const { return imap_ && mailimap_has_idle(imap_); }

ImapError ImapClient::idle(int wake_after_s, const std::function<bool()>& stop, bool& changed) {
  changed = false;
  int r = mailimap_idle(imap_);
  if (r != MAILIMAP_NO_ERROR) return fail(r, "IDLE");
  // Dovecot answers "+ idling" and at once the EXISTS of what came in since the SELECT,
  // often in one segment; libetpan reads both while it waits for the continuation, and
  // what it holds in its buffer never makes the socket readable. Such an answer is a
  // change now, not at the next wake.
  if (imap_->imap_stream && imap_->imap_stream->read_buffer_len > 0) changed = true;
  pollfd p{mailimap_idle_get_fd(imap_), POLLIN, 0};
  for (int waited = 0; !changed && waited < wake_after_s && !stop(); ++waited) {
    int n = ::poll(&p, 1, 1000);
    if (n < 0) break;
    if (n > 0) {
      changed = true;
      break;
    }
  }
  r = mailimap_idle_done(imap_);
  if (r != MAILIMAP_NO_ERROR) return fail(r, "IDLE DONE");
  return {};
}

ImapError ImapClient::append(const std::string& folder, const std::string& message) {
  mailimap_flag_list* flags = mailimap_flag_list_new_empty();
  mailimap_flag_list_add(flags, mailimap_flag_new_seen());
  int r = mailimap_append(imap_, folder.c_str(), flags, nullptr, message.data(), message.size());
  mailimap_flag_list_free(flags);
  if (r != MAILIMAP_NO_ERROR) return fail(r, "APPEND to " + folder);
  return {};
}

}  // namespace salescore::email
