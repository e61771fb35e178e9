// Leads: inbound requests with a first-response SLA. Assignment is in
// rules/lead_assignment.cpp; the SLA timers run in Engine::run_due (engine/run_due.cpp).
#include "engine/email_replies.h"
#include "engine/engine_registry.h"
#include "engine/people_texts.h"
#include "engine/lead_tasks.h"
#include "engine/record_writes.h"
#include "model/contact_points.h"
#include "rules/access.h"
#include "rules/lead_assignment.h"
#include "store/activity_rows.h"
#include "store/client_rows.h"
#include "store/email_letter_rows.h"
#include "store/lead_rows.h"

namespace salescore {
using namespace detail;

namespace detail {

// The task that asks the assignee to answer the lead by its SLA.
Status give_answer_task(EngineState& s, const Actor& actor, const Lead& lead) {
  if (lead.assignee_id == 0) return Status::ok();
  Task t;
  t.title = say(s, lead.escalated ? "lead.answer.escalated" : "lead.answer",
                {std::to_string(lead.id), lead_channel_name(lead.channel)}) +
            (lead.request.empty() ? "" : ": " + lead.request.substr(0, 80));
  t.assignee_id = lead.assignee_id;
  t.client_id = lead.client_id;
  t.lead_id = lead.id;
  t.due_at = lead.sla_due_at;
  t.created_at = t.updated_at = s.now();
  SC_ASSIGN_OR_RETURN(t.id, store::insert_task(*s.conn, t));
  return log_created(s, actor, "task", t);
}

// Closes the lead's open tasks: answered (done) or passed on to someone else (cancelled).
Status close_lead_tasks(EngineState& s, const Actor& actor, Id lead_id, TaskStatus how) {
  TaskQuery q;
  q.lead_id = lead_id;
  q.status = TaskStatus::kOpen;
  q.page.limit = 0;
  SC_ASSIGN_OR_RETURN(auto open, store::find_tasks(*s.conn, q));
  for (Task t : open) {
    Task before = t;
    t.status = how;
    t.done_at = s.now();
    SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(s, actor, "task", before, t, [&](const Task& x) {
                          return store::update_task(*s.conn, x);
                        }));
    (void)outcome;
  }
  return Status::ok();
}

}  // namespace detail

namespace {

Result<Lead> load_or_not_found(EngineState& s, Id id) {
  SC_ASSIGN_OR_RETURN(auto l, store::load_lead(*s.conn, id));
  if (!l) return not_found("lead", id);
  return std::move(*l);
}

Status check_lead(EngineState& s, const Actor& actor, const Lead& l, const char* action) {
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  SC_ASSIGN_OR_RETURN(bool ok, covers_activity(s, scope, l.assignee_id, l.client_id, l.source));
  return ok ? Status::ok() : deny(s, actor, action, "lead", l.id);
}

// Normalizes what the lead left and finds the client they are, if we know them.
Status normalize_and_match(EngineState& s, Lead& l, Id& owner_of_client) {
  FieldErrors errors;
  if (!l.phone.empty()) {
    auto p = normalize_phone(l.phone, s.config.phone_region);
    if (errors.check("phone", p.status())) l.phone = *p;
  }
  if (!l.email.empty()) {
    auto e = normalize_email(l.email);
    if (errors.check("email", e.status())) l.email = *e;
  }
  if (!l.inn.empty()) errors.check("inn", validate_inn(l.inn));
  if (l.phone.empty() && l.email.empty() && l.contact_name.empty() && l.company.empty())
    errors.add("contact_name", "a lead needs at least a name, a company, a phone or an e-mail");
  SC_RETURN_IF_ERROR(errors.to_status("lead"));
  if (l.client_id == 0) {
    // Strongest evidence first: the INN names a company, a phone or e-mail a person.
    std::vector<ClientQuery> tries;
    if (!l.inn.empty()) tries.emplace_back().inn = l.inn;
    if (!l.phone.empty()) tries.emplace_back().phone = l.phone;
    if (!l.email.empty()) tries.emplace_back().email = l.email;
    for (auto& q : tries) {
      q.page.limit = 1;
      SC_ASSIGN_OR_RETURN(auto found, store::find_clients(*s.conn, q));
      if (!found.empty()) {
        l.client_id = found.front().id;
        break;
      }
    }
  }
  owner_of_client = 0;
  if (l.client_id) {
    SC_ASSIGN_OR_RETURN(auto owner, store::client_owner(*s.conn, l.client_id));
    if (!owner) return Status::invalid("client " + std::to_string(l.client_id) + " does not exist",
                                       {{"client_id", "no such client"}});
    owner_of_client = *owner;
  }
  return Status::ok();
}

}  // namespace

Result<Saved<Lead>> LeadService::add(const Actor& actor, Lead lead) {
  return write<Saved<Lead>>(*s_, [&]() -> Result<Saved<Lead>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    (void)scope;  // anyone who may act at all may register a lead
    if (!lead.source.empty() && !lead.external_id.empty()) {
      SC_ASSIGN_OR_RETURN(auto existing, store::lead_id_by_source(*s_->conn, lead.source, lead.external_id));
      if (existing) {
        SC_ASSIGN_OR_RETURN(Lead same, load_or_not_found(*s_, *existing));
        return Saved<Lead>{std::move(same), WriteOutcome::kUnchanged, {}};
      }
    }
    Id owner_of_client = 0;
    SC_RETURN_IF_ERROR(normalize_and_match(*s_, lead, owner_of_client));
    const Instant now = s_->now();
    if (lead.received_at.ms == 0) lead.received_at = now;
    lead.status = LeadStatus::kNew;
    lead.first_action_at.reset();
    lead.reassignments = 0;
    lead.escalated = false;
    if (lead.assignee_id == 0) {
      SC_ASSIGN_OR_RETURN(lead.assignee_id, pick_assignee(*s_, owner_of_client, 0));
    } else {
      SC_RETURN_IF_ERROR(check_user_exists(*s_, lead.assignee_id, "assignee_id"));
    }
    lead.sla_due_at = Instant{lead.received_at.ms + s_->config.leads.sla_minutes_for(lead_channel_name(lead.channel)) * 60'000LL};
    lead.created_at = lead.updated_at = now;
    SC_ASSIGN_OR_RETURN(lead.id, store::insert_lead(*s_->conn, lead));
    SC_RETURN_IF_ERROR(log_created(*s_, actor, "lead", lead));
    SC_RETURN_IF_ERROR(give_answer_task(*s_, actor, lead));
    return Saved<Lead>{std::move(lead), WriteOutcome::kCreated, {}};
  });
}

Result<Lead> LeadService::get(const Actor& actor, Id id) {
  return read<Lead>(*s_, [&]() -> Result<Lead> {
    SC_ASSIGN_OR_RETURN(Lead l, load_or_not_found(*s_, id));
    SC_RETURN_IF_ERROR(check_lead(*s_, actor, l, "read"));
    return l;
  });
}

Result<std::vector<Lead>> LeadService::queue(const Actor& actor, const LeadQuery& query) {
  return read<std::vector<Lead>>(*s_, [&]() -> Result<std::vector<Lead>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::lead_queue(*s_->conn, query, activity_condition(scope, "assignee_id", "source"));
  });
}

Result<std::vector<Lead>> LeadService::find(const Actor& actor, const LeadQuery& query) {
  return read<std::vector<Lead>>(*s_, [&]() -> Result<std::vector<Lead>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::find_leads(*s_->conn, query, activity_condition(scope, "assignee_id", "source"));
  });
}

Result<std::int64_t> LeadService::count(const Actor& actor, const LeadQuery& query) {
  return read<std::int64_t>(*s_, [&]() -> Result<std::int64_t> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::count_leads(*s_->conn, query, activity_condition(scope, "assignee_id", "source"));
  });
}

Result<Lead> LeadService::touch(const Actor& actor, Id id, const std::string& kind) {
  return write<Lead>(*s_, [&]() -> Result<Lead> {
    if (kind != "call" && kind != "email" && kind != "status")
      return Status::invalid("a lead is touched by a call, an email or a status change, not '" + kind + "'",
                             {{"kind", "expected call, email or status"}});
    SC_ASSIGN_OR_RETURN(Lead lead, load_or_not_found(*s_, id));
    SC_RETURN_IF_ERROR(check_lead(*s_, actor, lead, "work on"));
    if (lead.status == LeadStatus::kConverted || lead.status == LeadStatus::kLost)
      return Status::failed_precondition("lead " + std::to_string(id) + " is already " + lead_status_name(lead.status));
    Lead before = lead;
    const Instant now = s_->now();
    if (!lead.first_action_at) {
      lead.first_action_at = now;
      lead.status = LeadStatus::kInProgress;
      SC_RETURN_IF_ERROR(close_lead_tasks(*s_, actor, id, TaskStatus::kDone));
    }
    if (kind != "status" && lead.client_id) {
      Interaction i;
      i.kind = kind == "call" ? InteractionKind::kCall : InteractionKind::kEmail;
      i.direction = Direction::kOutbound;
      i.occurred_at = now;
      i.user_id = actor.user_id ? actor.user_id : lead.assignee_id;
      i.client_id = lead.client_id;
      i.subject = "Lead #" + std::to_string(id);
      i.created_at = now;
      SC_ASSIGN_OR_RETURN(i.id, store::insert_interaction(*s_->conn, i));
      SC_RETURN_IF_ERROR(log_created(*s_, actor, "interaction", i));
    }
    SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(*s_, actor, "lead", before, lead, [&](const Lead& l) {
                          return store::update_lead(*s_->conn, l);
                        }));
    (void)outcome;
    return lead;
  });
}

Result<LeadConversion> LeadService::convert(const Actor& actor, Id id, const std::string& deal_title) {
  return write<LeadConversion>(*s_, [&]() -> Result<LeadConversion> {
    SC_ASSIGN_OR_RETURN(Lead lead, load_or_not_found(*s_, id));
    SC_RETURN_IF_ERROR(check_lead(*s_, actor, lead, "convert"));
    if (lead.status == LeadStatus::kConverted)
      return Status(Code::kConflict, "lead " + std::to_string(id) + " was already converted to deal " +
                                         std::to_string(lead.deal_id));
    if (lead.status == LeadStatus::kLost)
      return Status::failed_precondition("lead " + std::to_string(id) + " is lost; it cannot be converted");
    LeadConversion out;
    Lead before = lead;
    if (lead.client_id == 0) {
      Client c;
      c.name = !lead.company.empty() ? lead.company : lead.contact_name;
      if (!lead.phone.empty()) c.phones.push_back(lead.phone);
      if (!lead.email.empty()) c.emails.push_back(lead.email);
      c.inn = lead.inn;
      c.owner_id = lead.assignee_id;
      c.notes = say(*s_, "lead.client_notes", {std::to_string(id)}) + (lead.request.empty() ? "" : ": " + lead.request);
      SC_ASSIGN_OR_RETURN(auto created, ClientService(s_).add(actor, c));
      lead.client_id = created.record.id;
      out.client_created = true;
    }
    Deal d;
    d.client_id = lead.client_id;
    d.title = !deal_title.empty() ? deal_title
                                  : (!lead.request.empty() ? lead.request.substr(0, 120) : say(*s_, "lead.deal_title", {std::to_string(id)}));
    d.owner_id = lead.assignee_id;
    SC_ASSIGN_OR_RETURN(auto deal, DealService(s_).add(actor, d));
    lead.deal_id = deal.record.id;
    lead.status = LeadStatus::kConverted;
    if (!lead.first_action_at) {
      lead.first_action_at = s_->now();
      SC_RETURN_IF_ERROR(close_lead_tasks(*s_, actor, id, TaskStatus::kDone));
    }
    SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(*s_, actor, "lead", before, lead, [&](const Lead& l) {
                          return store::update_lead(*s_->conn, l);
                        }));
    (void)outcome;
    SC_RETURN_IF_ERROR(append_event(*s_, actor, "lead.converted", "lead", id,
                                    "{\"client_id\":" + std::to_string(lead.client_id) +
                                        ",\"deal_id\":" + std::to_string(lead.deal_id) + "}"));
    out.client_id = lead.client_id;
    out.deal_id = lead.deal_id;
    out.lead = std::move(lead);
    return out;
  });
}

Result<Lead> LeadService::lose(const Actor& actor, Id id, const std::string& reason) {
  return write<Lead>(*s_, [&]() -> Result<Lead> {
    if (reason.empty()) return Status::invalid("a lost lead needs a reason", {{"reason", "required"}});
    SC_ASSIGN_OR_RETURN(Lead lead, load_or_not_found(*s_, id));
    SC_RETURN_IF_ERROR(check_lead(*s_, actor, lead, "close"));
    if (lead.status == LeadStatus::kConverted)
      return Status::failed_precondition("lead " + std::to_string(id) + " was converted; it cannot be lost");
    Lead before = lead;
    lead.status = LeadStatus::kLost;
    lead.lost_reason = reason;
    if (!lead.first_action_at) lead.first_action_at = s_->now();
    SC_RETURN_IF_ERROR(close_lead_tasks(*s_, actor, id, TaskStatus::kCancelled));
    SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(*s_, actor, "lead", before, lead, [&](const Lead& l) {
                          return store::update_lead(*s_->conn, l);
                        }));
    (void)outcome;
    return lead;
  });
}

Status detail::match_open_lead(Engine& engine, const Actor& actor, const std::string& email, Id client_id) {
  EngineState& s = *state_of(engine);
  auto normalized = normalize_email(email);
  if (!normalized.ok() || client_id == 0) return Status::ok();  // no address a lead could have
  return in_write_tx(s, [&]() -> Status {
    SC_ASSIGN_OR_RETURN(auto id, store::open_lead_with_email(*s.conn, *normalized));
    if (!id) return Status::ok();
    SC_ASSIGN_OR_RETURN(Lead lead, load_or_not_found(s, *id));
    if (lead.client_id) return Status::ok();  // matched already: a manager's (or the rules') choice stands
    SC_RETURN_IF_ERROR(check_lead(s, actor, lead, "work on"));
    Lead before = lead;
    lead.client_id = client_id;
    return save_if_changed(s, actor, "lead", before, lead, [&](const Lead& l) { return store::update_lead(*s.conn, l); })
        .status();
  });
}

}  // namespace salescore
