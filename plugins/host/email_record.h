// An interaction record that is an e-mail: the letter's facts handed to core's e-mail
// rules (salescore/emails.h: thread, company domain, lead), so that the connector only
// says what the letter is and the engine decides what it means.
#pragma once

#include "host/json_fields.h"
#include "salescore/engine.h"

namespace salescore::plugins {

// True when the record carries an "email" object (or the older "thread").
bool is_email_record(JsonFields& f);

// Records `letter` (its fields read by the host, its client found by the record's
// e-mails if any) with the facts of the record's "email" object:
//   message_id in_reply_to references[] automated sender_name
// and the other side's addresses from client.emails.
Result<Saved<Interaction>> apply_email(Engine& e, const Actor& a, Interaction letter, JsonFields& f);

}  // namespace salescore::plugins
