// salescore_connector_email: a mailbox over IMAP in (every letter once, on the client's
// timeline) and SMTP out (the outbox's email.send items). See docs/connectors/email.md.
#include <algorithm>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include "interaction_record.h"
#include "mail_text.h"
#include "mailbox_set.h"
#include "mailbox_sync.h"
#include "outgoing_mail.h"
#include "salescore/plugin_api.h"
#include "smtp_sender.h"

namespace {

using namespace salescore::email;

const sc_host_api* g_host = nullptr;

const sc_config_option kConfig[] = {
    {"imap_host", SC_CONFIG_STRING, nullptr, 1, 0, "the IMAP server", nullptr},
    {"imap_port", SC_CONFIG_INT, "993", 0, 0, "the IMAP port (993 with tls, 143 with starttls)", nullptr},
    {"imap_security", SC_CONFIG_STRING, "tls", 0, 0,
     "tls (implicit, preferred), starttls, or plain (refused unless the host is loopback)", "tls|starttls|plain"},
    {"login", SC_CONFIG_STRING, nullptr, 1, 0, "the mailbox's login (IMAP and SMTP)", nullptr},
    {"password", SC_CONFIG_STRING, "", 0, 1, "password, app password, or an OAuth2 access token", nullptr},
    {"password_file", SC_CONFIG_STRING, "", 0, 0,
     "read the password or OAuth2 token from this file at every connect instead (a token helper refreshes it)",
     nullptr},
    {"auth", SC_CONFIG_STRING, "password", 0, 0, "how the password is used", "password|xoauth2"},
    {"tls_ca_file", SC_CONFIG_STRING, "", 0, 0, "extra trusted CA certificates (PEM) beside the system's", nullptr},
    {"folders", SC_CONFIG_STRING, "INBOX", 0, 0,
     "folders to sync, comma-separated, or all (every folder but \\All, \\Junk, \\Trash and \\Drafts; \\Sent found by its flag)",
     nullptr},
    {"user", SC_CONFIG_STRING, "", 0, 0, "the salescore login whose mailbox it is (empty: a shared mailbox)", nullptr},
    {"addresses", SC_CONFIG_STRING, "", 0, 0,
     "the mailbox's own addresses, comma-separated: letters from them are outbound (default: from_address)", nullptr},
    {"from_address", SC_CONFIG_STRING, "", 0, 0, "the From of letters sent (default: the login)", nullptr},
    {"size_cap", SC_CONFIG_INT, "26214400", 0, 0, "bytes; a larger message is kept as its header only", nullptr},
    {"page_size", SC_CONFIG_INT, "100", 0, 0, "messages fetched per request", nullptr},
    {"idle_refresh_seconds", SC_CONFIG_INT, "600", 0, 0, "IDLE is re-issued after this (servers drop it at 29 min)",
     nullptr},
    {"horizon_days", SC_CONFIG_INT, "0", 0, 0, "skip messages older than this many days; 0: all", nullptr},
    {"timeout_seconds", SC_CONFIG_INT, "60", 0, 0, "network timeout of one IMAP or SMTP command", nullptr},
    {"parse_seconds", SC_CONFIG_INT, "10", 0, 0, "a message taking longer to parse becomes a dead letter", nullptr},
    {"attachments_dir", SC_CONFIG_STRING, "", 0, 0,
     "keep attachments' contents here by SHA-256 (beside the database, e.g. /var/lib/salescore/attachments); "
     "empty: fingerprints only",
     nullptr},
    {"attachments_max_bytes", SC_CONFIG_INT, "10485760", 0, 0, "larger attachments keep only their fingerprint",
     nullptr},
    {"smtp_host", SC_CONFIG_STRING, "", 0, 0, "the SMTP server (empty: no sending)", nullptr},
    {"smtp_port", SC_CONFIG_INT, "587", 0, 0, "the SMTP port (465 with tls, 587 with starttls)", nullptr},
    {"smtp_security", SC_CONFIG_STRING, "starttls", 0, 0, "tls, starttls, or plain (loopback only)",
     "tls|starttls|plain"},
    {"smtp_login", SC_CONFIG_STRING, "", 0, 0, "SMTP login (default: login; '-' for none)", nullptr},
    {"mailboxes", SC_CONFIG_STRING, "", 0, 0,
     "more mailboxes on the same servers, comma-separated login=salescore_login (a manager's) or login alone "
     "(shared, as sales@); each one's password or token is the file secrets_dir/<login>",
     nullptr},
    {"secrets_dir", SC_CONFIG_STRING, "", 0, 0, "the folder of the mailboxes' password files (see mailboxes)", nullptr},
    {"append_sent", SC_CONFIG_BOOL, "false", 0, 0,
     "APPEND each sent letter to the \\Sent folder (leave off where the provider files submissions itself: Gmail)",
     nullptr},
};

// One mailbox the connector reads, and sends from.
struct Mailbox {
  SyncSettings sync;
  std::string from_address;
};

struct Instance {
  sc_host* host = nullptr;
  std::vector<Mailbox> mailboxes;  // the first is the section's own login
  SmtpSettings smtp;               // login and password: the sending mailbox's
  bool append_sent = false;
};

std::string text(sc_host* h, const char* key) {
  const char* v = g_host->config_get(h, key);
  return v ? v : "";
}

std::vector<std::string> list(const std::string& csv, bool lower) {
  std::vector<std::string> out;
  std::stringstream in(csv);
  std::string item;
  while (std::getline(in, item, ',')) {
    auto b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(lower ? ascii_lower(item.substr(b, e - b + 1)) : item.substr(b, e - b + 1));
  }
  return out;
}

bool loopback(const std::string& host) { return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1"; }

// The mailboxes of `mailboxes`: "login=user" or "login", the password in secrets_dir.
sc_status add_more_mailboxes(sc_host* h, Instance& in) {
  const std::vector<std::string> entries = list(text(h, "mailboxes"), false);
  const std::string dir = text(h, "secrets_dir");
  if (!entries.empty() && dir.empty())
    return g_host->fail(h, SC_INVALID_ARGUMENT, "mailboxes: name secrets_dir, the folder of their password files");
  for (const std::string& entry : entries) {
    Mailbox m;
    m.sync = in.mailboxes.front().sync;
    const auto eq = entry.find('=');
    m.sync.imap.login = entry.substr(0, eq);
    m.sync.owner.user = eq == std::string::npos ? "" : entry.substr(eq + 1);
    m.sync.imap.password.clear();
    m.sync.imap.password_file = dir + "/" + m.sync.imap.login;
    std::string secret;
    if (ImapError e = read_secret_file(m.sync.imap.password_file, secret))
      return g_host->fail(h, SC_INVALID_ARGUMENT, ("mailboxes: " + m.sync.imap.login + ": " + e.reason).c_str());
    for (const Mailbox& other : in.mailboxes)
      if (ascii_lower(other.sync.imap.login) == ascii_lower(m.sync.imap.login))
        return g_host->fail(h, SC_INVALID_ARGUMENT, ("mailboxes: " + m.sync.imap.login + " is named twice").c_str());
    m.from_address = m.sync.imap.login;
    m.sync.owner.addresses = {ascii_lower(m.from_address)};
    in.mailboxes.push_back(std::move(m));
  }
  // Every mailbox's addresses are the company's: a letter from any of them is outbound,
  // and the person whose mailbox sent it is its user.
  std::vector<std::string> own;
  std::map<std::string, std::string> users;
  for (const Mailbox& m : in.mailboxes)
    for (const std::string& a : m.sync.owner.addresses) {
      own.push_back(a);
      users.emplace(a, m.sync.owner.user);
    }
  for (Mailbox& m : in.mailboxes) {
    m.sync.owner.addresses = own;
    m.sync.owner.users_by_address = users;
  }
  return SC_OK;
}

sc_status create(sc_host* h, void** self) {
  auto in = std::make_unique<Instance>();
  in->host = h;
  Mailbox first;
  SyncSettings& sync = first.sync;
  ImapSettings& imap = sync.imap;
  imap.host = text(h, "imap_host");
  imap.port = static_cast<int>(g_host->config_get_int(h, "imap_port", 993));
  imap.security = text(h, "imap_security");
  imap.ca_file = text(h, "tls_ca_file");
  imap.login = text(h, "login");
  imap.password = text(h, "password");
  imap.password_file = text(h, "password_file");
  if (imap.password.empty() == imap.password_file.empty())
    return g_host->fail(h, SC_INVALID_ARGUMENT, "password or password_file: set one of them");
  imap.xoauth2 = text(h, "auth") == "xoauth2";
  imap.timeout_s = static_cast<int>(g_host->config_get_int(h, "timeout_seconds", 60));
  // A password in the clear only over loopback (a test server, a local relay).
  if (imap.security == "plain" && !loopback(imap.host))
    return g_host->fail(h, SC_INVALID_ARGUMENT, "imap_security = plain: only for a loopback imap_host");
  sync.folders = list(text(h, "folders"), false);
  if (sync.folders.empty()) return g_host->fail(h, SC_INVALID_ARGUMENT, "folders: name at least one, or all");
  sync.size_cap = static_cast<std::uint32_t>(g_host->config_get_int(h, "size_cap", 26214400));
  sync.page = static_cast<std::size_t>(std::max<std::int64_t>(1, g_host->config_get_int(h, "page_size", 100)));
  sync.idle_refresh_s = static_cast<int>(g_host->config_get_int(h, "idle_refresh_seconds", 600));
  if (sync.idle_refresh_s < 1 || sync.idle_refresh_s > 1740)
    return g_host->fail(h, SC_INVALID_ARGUMENT, "idle_refresh_seconds: 1 to 1740 (servers end IDLE after 30 minutes)");
  sync.horizon_days = static_cast<int>(g_host->config_get_int(h, "horizon_days", 0));
  sync.parse_budget_ms = static_cast<int>(std::clamp<std::int64_t>(g_host->config_get_int(h, "parse_seconds", 10), 1, 600) * 1000);
  sync.attachments_dir = text(h, "attachments_dir");
  sync.attachment_max_bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(0, g_host->config_get_int(h, "attachments_max_bytes", 10485760)));
  sync.owner.user = text(h, "user");
  first.from_address = text(h, "from_address");
  if (first.from_address.empty()) first.from_address = imap.login;
  sync.owner.addresses = list(text(h, "addresses"), true);
  if (sync.owner.addresses.empty()) sync.owner.addresses = {ascii_lower(first.from_address)};
  in->mailboxes.push_back(std::move(first));
  if (sc_status st = add_more_mailboxes(h, *in); st != SC_OK) return st;
  in->smtp.host = text(h, "smtp_host");
  in->smtp.port = static_cast<int>(g_host->config_get_int(h, "smtp_port", 587));
  in->smtp.security = text(h, "smtp_security");
  in->smtp.ca_file = imap.ca_file;
  in->smtp.login = text(h, "smtp_login");
  in->smtp.xoauth2 = imap.xoauth2;
  in->smtp.timeout_s = imap.timeout_s;
  in->append_sent = g_host->config_get_bool(h, "append_sent", 0) != 0;
  if (!in->smtp.host.empty() && in->smtp.security == "plain" && !loopback(in->smtp.host))
    return g_host->fail(h, SC_INVALID_ARGUMENT, "smtp_security = plain: only for a loopback smtp_host");
  *self = in.release();
  return SC_OK;
}

void destroy(void* self) { delete static_cast<Instance*>(self); }

sc_status session_run(void* self) {
  auto* in = static_cast<Instance*>(self);
  std::vector<SyncSettings> syncs;
  for (const Mailbox& m : in->mailboxes) syncs.push_back(m.sync);
  return run_mailboxes(g_host, in->host, syncs);
}

// The sent letter on the client's timeline, under the key the IMAP sync would give it, so
// that its copy in the Sent folder (or a Bcc) is the same interaction.
void log_sent(Instance* in, const Mailbox& from, const std::string& rendered) {
  std::string error;
  auto parsed = parse_mail(rendered, error);
  if (!parsed) return;
  std::string json = interaction_json(*parsed, from.sync.owner, g_host->now_ms(in->host));
  emit_interaction(g_host, in->host, from.sync.source, letter_key(*parsed), json);
}

// The copy in \Sent, for mail clients that show what was sent. The letter is out already:
// a failure here is logged, never retried (a retry would send it again).
void file_in_sent(Instance* in, const Mailbox& from, const std::string& rendered) {
  ImapClient imap;
  std::vector<std::string> folders;
  std::string sent;
  ImapError e = imap.connect(from.sync.imap);
  if (!e) e = imap.list_folders(folders, sent);
  if (!e && sent.empty()) e = ImapError{SC_NOT_FOUND, "the mailbox has no folder flagged \\Sent"};
  if (!e) e = imap.append(sent, rendered);
  if (e) g_host->log(in->host, SC_LOG_WARN, ("sent, but not filed in Sent: " + e.reason).c_str());
}

// The mailbox a letter goes out from: the one of its From, else the one of the person who
// queued it (their own mailbox, so the reply comes back to them), else the first.
const Mailbox& sending_mailbox(const Instance& in, const OutgoingMail& mail) {
  for (const Mailbox& m : in.mailboxes)
    if (!mail.from.empty() ? ascii_lower(m.from_address) == ascii_lower(mail.from)
                           : !mail.sent_by_login.empty() && m.sync.owner.user == mail.sent_by_login)
      return m;
  return in.mailboxes.front();
}

sc_status deliver(void* self, const sc_outbound* item) {
  auto* in = static_cast<Instance*>(self);
  if (std::string(item->kind) != "email.send") return SC_OK;  // events it does not subscribe to
  if (in->smtp.host.empty())
    return g_host->fail(in->host, SC_FAILED_PRECONDITION, "smtp_host is not set: this mailbox does not send");
  OutgoingMail mail;
  try {
    mail = outgoing_mail_from_json(std::string(item->payload, item->payload_size));
  } catch (const std::invalid_argument& e) {
    return g_host->fail(in->host, SC_INVALID_ARGUMENT, e.what());
  }
  const Mailbox& from = sending_mailbox(*in, mail);
  if (mail.from.empty()) mail.from = from.from_address;
  if (ascii_lower(mail.from) != ascii_lower(from.from_address))
    return g_host->fail(in->host, SC_PERMISSION_DENIED, ("from: no mailbox of this connector sends as " + mail.from).c_str());
  SmtpSettings smtp = in->smtp;
  if (smtp.login.empty()) smtp.login = from.sync.imap.login;
  if (smtp.login == "-") smtp.login.clear();
  smtp.password = from.sync.imap.password;
  if (!from.sync.imap.password_file.empty())
    if (ImapError e = read_secret_file(from.sync.imap.password_file, smtp.password))
      return g_host->fail(in->host, e.code, e.reason.c_str());
  mail.message_id = message_id_for(item->idempotency_key, mail.from);
  // Date is this attempt's; the body (boundaries derived from the Message-ID) is the same
  // on every attempt, so a retried letter keeps its key (interaction_record.h).
  mail.date_ms = g_host->now_ms(in->host);
  std::string rendered = render(mail);
  std::vector<std::string> recipients = mail.to;
  recipients.insert(recipients.end(), mail.cc.begin(), mail.cc.end());
  SmtpOutcome sent = send_mail(smtp, mail.from, recipients, rendered);
  if (sent.code != SC_OK) return g_host->fail(in->host, sent.code, sent.reason.c_str());
  log_sent(in, from, rendered);
  if (in->append_sent) file_in_sent(in, from, rendered);
  if (!sent.refused.empty())
    g_host->log(in->host, SC_LOG_WARN, ("letter <" + mail.message_id + "> sent, but refused for " + sent.refusal).c_str());
  return SC_OK;
}

const sc_connector_v1 kConnector = {
    .struct_size = sizeof(sc_connector_v1),
    .abi_major = SC_ABI_MAJOR,
    .abi_minor = SC_ABI_MINOR,
    .name = "email",
    .version = "1.0.0",
    .description = "a mailbox: IMAP in (every letter once, on its client's timeline), SMTP out (email.send)",
    .capabilities = SC_CAP_SESSION | SC_CAP_DELIVER,
    .config = kConfig,
    .config_count = sizeof(kConfig) / sizeof(kConfig[0]),
    .config_option_size = sizeof(sc_config_option),
    .subscriptions = nullptr,
    .poll_interval_ms = 0,
    .create = create,
    .destroy = destroy,
    .poll = nullptr,
    .session_run = session_run,
    .session_stop = nullptr,
    .deliver = deliver,
};

}  // namespace

extern "C" SC_EXPORT int salescore_connector_entry(const sc_host_api* host, sc_connector_v1* out) {
  g_host = host;
  return sc_connector_export(host, out, &kConnector);
}
