// salescore emails send: a letter to a client queued for the running salescore serve's
// e-mail connector, with the sender's access (core's ConnectorService::send_email, the
// same rules as POST /api/v1/emails and crm.emails.send).
#include <Poco/Base64Encoder.h>

#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>

#include "commands.h"
#include "engine_open.h"
#include "salescore/connectors.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "emails",
    .summary = "queue a letter to a client for the e-mail connector",
    .positionals = "send",
    .min_positionals = 1,
    .max_positionals = 1,
    .options = {db_option(),
                {"user", "LOGIN", "the sender: their access applies, their mailbox sends", true, false},
                {"client", "ID", "the client the letter is for", true, false},
                {"contact", "ID", "to this contact of the client", false, false},
                {"to", "ADDRESS", "a recipient (default: the contact's, else the client's first e-mail)", false, true},
                {"cc", "ADDRESS", "a copy to", false, true},
                {"subject", "TEXT", "the subject (with --reply-to, default: Re: the letter's subject)", false, false},
                {"text", "TEXT", "the text body", false, false},
                {"text-file", "FILE", "the text body from a UTF-8 file", false, false},
                {"html-file", "FILE", "an HTML body from a file", false, false},
                {"attach", "FILE", "attach a file (its name as the file name)", false, true},
                {"in-reply-to", "MESSAGE-ID", "the Message-ID answered (without <>), for the thread", false, false},
                {"reply-to", "ID", "the e-mail interaction of the client answered, in its thread", false, false},
                {"key", "KEY", "sending twice with one key queues once", false, false}},
    .details =
        "send: the letter is queued in the outbox; the running salescore serve's e-mail\n"
        "connector sends it (retries, dead letters) and logs it on the client's timeline.\n"
        "Every address must be the client's or its contacts'; the user must see the client.",
};

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::invalid("cannot read " + path);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string base64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(76);
  encoder << bytes;
  encoder.close();
  return out.str();
}

Result<Id> id_option(const Args& args, const char* name) {
  return args.get_int(name, 0, 1, std::numeric_limits<std::int64_t>::max());
}

int run(const Args& args) {
  if (args.positionals()[0] != "send") return usage_error(kSpec.name, "unknown action '" + args.positionals()[0] + "' (send)");
  EmailDraft d;
  for (const auto& [option, target] : {std::pair{"client", &d.client_id}, std::pair{"contact", &d.contact_id},
                                       std::pair{"reply-to", &d.reply_to}}) {
    if (!args.has(option)) continue;
    auto id = id_option(args, option);
    if (!id.ok()) return usage_error(kSpec.name, id.status().message());
    *target = *id;
  }
  d.to = args.all("to");
  d.cc = args.all("cc");
  d.subject = args.get("subject");
  d.text = args.get("text");
  d.key = args.get("key");
  d.in_reply_to = args.get("in-reply-to");
  for (const auto& [option, target] : {std::pair{"text-file", &d.text}, std::pair{"html-file", &d.html}}) {
    if (!args.has(option)) continue;
    auto body = read_file(args.get(option));
    if (!body.ok()) return fail(kSpec.name, "cannot read --" + std::string(option), body.status());
    *target = *body;
  }
  for (const std::string& path : args.all("attach")) {
    auto bytes = read_file(path);
    if (!bytes.ok()) return fail(kSpec.name, "cannot attach " + path, bytes.status());
    d.attachments.push_back({path.substr(path.find_last_of('/') + 1), "", base64(*bytes)});
  }
  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {.read_only = false, .must_exist = true}, engine); rc != kExitOk)
    return rc;
  auto user = engine->users().by_login(Actor::system(), args.get("user"));
  if (!user.ok()) return fail(kSpec.name, "no user " + args.get("user"), user.status());
  auto queued = engine->connectors().send_email(Actor{user->id, user->role}, d);
  if (!queued.ok()) return fail(kSpec.name, "cannot send the letter", queued.status());
  if (*queued)
    std::cout << "Queued letter " << **queued << "; the running salescore serve's e-mail connector sends it.\n";
  else
    std::cout << "Already queued: a letter with this key.\n";
  return kExitOk;
}

}  // namespace

const Command& emails_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
