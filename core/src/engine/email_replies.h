// A reply read before the letter it answers (another mailbox was synced first) finds no
// client when its sender is unknown: it is recorded without one, and a person's reply
// becomes a lead. When the letter comes and its thread adopts the reply
// (store::adopt_replies), the reply moves onto the letter's client, and the sender's open
// lead is matched to that client. Internal to record_email (email_intake.cpp).
#pragma once

#include <string>
#include <vector>

#include "salescore/engine.h"

namespace salescore::detail {

struct EarlyReply {
  Id interaction_id = 0;
  std::string counterpart;  // the other side's first address, as filed
};

// The letters without a client in the threads that replies to `message_id` started
// because they were read before it (what file_email is about to adopt).
Result<std::vector<EarlyReply>> clientless_early_replies(Engine& engine, const std::string& message_id);

// The sender's open lead without a client gets `client_id`, as a lead matched on arrival
// has it (lead_service.cpp). It stays open, with its assignee and SLA: docs/rules.md.
Status match_open_lead(Engine& engine, const Actor& actor, const std::string& email, Id client_id);

}  // namespace salescore::detail
