// Calls from a PBX (salescore/calls.h). The follow-up of a missed call is a rule of the
// engine: it runs inside the call's own write, so the call and its call-back task (with
// its reason, for the day's list) or lead commit together or not at all.
#include "salescore/calls.h"

#include "engine/engine_state.h"
#include "engine/rule_tasks.h"
#include "engine/people_texts.h"
#include "model/contact_points.h"
#include "salescore/connectors.h"
#include "store/client_rows.h"

#include <algorithm>

namespace salescore {
using namespace detail;

namespace {

// Missed: an inbound call nobody answered. A PBX says so in its disposition; a call
// logged without one (by hand, an older connector) was missed if nobody talked.
bool is_missed_inbound(const Interaction& i) {
  if (i.kind != InteractionKind::kCall || i.direction != Direction::kInbound) return false;
  return i.call.disposition.empty() ? i.duration_s == 0 : i.call.disposition != "answered";
}

// "2026-12-07 01:31 UTC"
std::string when(Instant t) { return format_iso8601(t).substr(0, 10) + " " + format_iso8601(t).substr(11, 5) + " UTC"; }

// Whoever acts for `user` now: their deputy while they are away, else themself.
Result<Id> acting_for(EngineState& s, Id user) {
  AbsenceQuery q;
  q.user_id = user;
  q.active_at = s.now();
  q.page.limit = 1;
  SC_ASSIGN_OR_RETURN(auto away, AbsenceService(&s).find(Actor::system(), q));
  return away.empty() || away.front().deputy_id == 0 ? user : away.front().deputy_id;
}

Status follow_up(EngineState& s, const Actor& actor, const Interaction& call, const std::string& phone) {
  if (call.client_id) {
    SC_ASSIGN_OR_RETURN(Client client, ClientService(&s).get(Actor::system(), call.client_id));
    if (client.owner_id == 0) return Status::ok();
    SC_ASSIGN_OR_RETURN(Id assignee, acting_for(s, client.owner_id));
    Task t;
    t.title = detail::people_text(s.config.language, "call.back", {phone.empty() ? client.name : phone, when(call.occurred_at)});
    t.assignee_id = assignee;
    t.client_id = call.client_id;
    t.due_at = Instant{call.occurred_at.ms + s.config.leads.sla_minutes_for("phone") * 60'000LL};
    t.notes = "interaction " + std::to_string(call.id);
    // The engine's rule gives the task, whoever recorded the call (a connector may not
    // assign work to a manager itself); its reason names the missed call.
    return give_rule_task(s, Actor::system(), std::move(t), "call.missed", "interaction", call.id).status();
  }
  if (phone.empty()) return Status::ok();  // a withheld number: nobody to call back
  Lead lead;
  lead.channel = LeadChannel::kPhone;
  lead.phone = phone;
  lead.request = "missed call " + when(call.occurred_at);
  lead.received_at = call.occurred_at;
  lead.source = call.source;
  lead.external_id = call.external_id;
  return LeadService(&s).add(actor, std::move(lead)).status();
}

// The client, then the contact, that has the number: only when exactly one has it (a
// number two clients share names neither; one two contacts share names the client).
Status match_number(EngineState& s, Interaction& call, const std::string& phone) {
  if (phone.empty()) return Status::ok();
  if (call.client_id == 0 && call.contact_id == 0) {
    ClientQuery q;
    q.phone = phone;
    q.page.limit = 2;
    SC_ASSIGN_OR_RETURN(auto found, ClientService(&s).find(Actor::system(), q));
    if (found.size() == 1) call.client_id = found.front().id;
  }
  if (call.client_id && call.contact_id == 0) {
    SC_ASSIGN_OR_RETURN(auto contacts, store::contacts_with_phone(*s.conn, call.client_id, phone));
    if (contacts.size() == 1) call.contact_id = contacts.front();
  }
  return Status::ok();
}

}  // namespace

Result<Saved<Interaction>> InteractionService::record_call(const Actor& actor, Interaction call,
                                                           const std::string& phone) {
  if (call.source.empty() || call.external_id.empty())
    return Status::invalid("a call needs its source and external_id", {{"external_id", "required"}});
  call.kind = InteractionKind::kCall;
  std::string normalized;
  if (!phone.empty()) {
    auto p = normalize_phone(phone, s_->config.phone_region);
    if (!p.ok()) return Status::invalid("phone: " + p.status().message(), {{"phone", p.status().message()}});
    normalized = *p;
  }
  return write<Saved<Interaction>>(*s_, [&]() -> Result<Saved<Interaction>> {
    SC_RETURN_IF_ERROR(match_number(*s_, call, normalized));
    SC_ASSIGN_OR_RETURN(auto saved, upsert(actor, call));
    if (saved.outcome == WriteOutcome::kCreated && is_missed_inbound(saved.record))
      SC_RETURN_IF_ERROR(follow_up(*s_, actor, saved.record, normalized));
    return saved;
  });
}

Result<Saved<Interaction>> record_call(Engine& engine, const Actor& actor, Interaction call, const std::string& phone) {
  return engine.interactions().record_call(actor, std::move(call), phone);
}

Result<Dialled> dial(Engine& engine, const Actor& actor, const DialRequest& request) {
  if (actor.user_id == 0) return Status::invalid("a call is placed by a person: their phone rings first", {{"user", "required"}});
  Id client_id = request.client_id;
  std::vector<std::string> numbers;
  if (request.contact_id) {
    SC_ASSIGN_OR_RETURN(Contact contact, engine.contacts().get(actor, request.contact_id));
    if (client_id && client_id != contact.client_id)
      return Status::invalid("contact " + std::to_string(contact.id) + " belongs to another client",
                             {{"contact_id", "not the client's"}});
    client_id = contact.client_id;
    numbers = contact.phones;
  }
  if (client_id == 0) return Status::invalid("a call needs a client or a contact", {{"client_id", "required"}});
  SC_ASSIGN_OR_RETURN(Client client, engine.clients().get(actor, client_id));  // the access check
  numbers.insert(numbers.end(), client.phones.begin(), client.phones.end());
  Dialled out;
  if (!request.phone.empty()) {
    auto p = normalize_phone(request.phone, engine.config().phone_region);
    if (!p.ok()) return Status::invalid("phone: " + p.status().message(), {{"phone", p.status().message()}});
    if (std::find(numbers.begin(), numbers.end(), *p) == numbers.end())
      return Status::invalid("phone " + *p + " is not one of the client's numbers", {{"phone", "not the client's"}});
    out.phone = *p;
  } else if (!numbers.empty()) {
    out.phone = numbers.front();
  } else {
    return Status::invalid("client " + std::to_string(client_id) + " has no phone", {{"phone", "none to call"}});
  }
  SC_ASSIGN_OR_RETURN(User caller, engine.users().get(Actor::system(), actor.user_id));
  OutboxItem item;
  item.connector = "telephony";
  item.kind = "call";
  std::string login;  // as a JSON string's content
  for (char c : caller.login) {
    if (c == '"' || c == '\\') login += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) login += c;
  }
  item.payload = "{\"login\":\"" + login + "\",\"phone\":\"" + out.phone + "\",\"client_id\":" +
                 std::to_string(client_id) + ",\"contact_id\":" + std::to_string(request.contact_id) + "}";
  item.idempotency_key = !request.key.empty() ? "dial:" + request.key
                                              : "dial:" + caller.login + ":" + out.phone + ":" +
                                                    std::to_string(engine.clock().now().ms / 60'000);
  SC_ASSIGN_OR_RETURN(out.outbox_id, engine.connectors().enqueue(item));
  return out;
}

}  // namespace salescore
