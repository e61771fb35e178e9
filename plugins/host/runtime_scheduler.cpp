// Creating instances and the scheduler step: what is due at the clock's now is done,
// then run_due returns. Polls back off with full jitter while they fail retryably, and
// stop on a dead-letter code (bad credentials): repeating a login that is refused can
// lock the account at the other end, so only an operator's resume starts them again.
#include <limits>

#include "host/integration_user.h"
#include "host/runtime_core.h"
#include "host/status_codes.h"

namespace salescore::plugins {

Status RuntimeCore::add(std::shared_ptr<ConnectorLibrary> library, const Settings& settings,
                        const std::string& instance) {
  const ConnectorDescriptor& d = library->descriptor();
  // "connector 'shop_spb' (webshop, /path/salescore_connector_webshop.so)" for a second
  // instance of a library, "connector 'onec' (/path/...)" for the usual one.
  const std::string who =
      "connector '" + instance + "' (" + (instance == d.name ? "" : d.name + ", ") + d.file + ")";
  if (!is_instance_name(instance))
    return Status::invalid(who + ": the name of [connector." + instance + "] must be made of a-z, 0-9 and _");
  if (find(instance)) return Status::already_exists(who + " is already running");
  auto config = validate_config(d, settings, instance);
  if (!config.ok()) {
    options.log(LogLevel::kError, instance, config.status().message());
    return config.status();
  }
  auto owned = std::make_unique<ConnectorSlot>(this, std::move(library), std::move(*config), instance);
  ConnectorSlot& slot = *owned;
  slots.push_back(std::move(owned));
  if (!slot.settings().enabled) {
    slot.disabled = true;
    log(&slot, LogLevel::kInfo, "disabled in the configuration: not started");
    return Status::ok();
  }

  auto actor = options.actor_for ? options.actor_for(engine, slot.name()) : connector_actor(engine, slot.name());
  if (!actor.ok())
    return Status(actor.status().code(), who + ": no user to write as: " + actor.status().message());
  slot.actor = *actor;
  SC_ASSIGN_OR_RETURN(ConnectorState state, engine.connectors().state(slot.name()));
  slot.checkpoint = state.checkpoint;
  slot.last_success = state.last_success_at;
  slot.last_error = state.last_error;
  if (slot.can(SC_CAP_DELIVER) && !slot.descriptor().subscriptions.empty()) {
    if (state.event_offset) {
      slot.event_offset = state.event_offset;
    } else {
      // A connector seen for the first time hears of changes from now on, not of the
      // whole history (a new web shop link must not push every past order).
      SC_ASSIGN_OR_RETURN(std::int64_t last, engine.events().last_seq());
      SC_RETURN_IF_ERROR(engine.connectors().save_event_offset(slot.name(), last));
      slot.event_offset = last;
    }
  }

  CallOutcome created = call(slot, CallKind::kCreate, [&] { return slot.table().create(&slot.handle, &slot.self); });
  if (!created.ok()) {
    remove_routes(slot);
    slot.failed = true;
    {
      std::lock_guard lock(slot.health_mutex);
      slot.failed_reason = "create failed: " + created.message;
    }
    Status refused(code_from_abi(created.code), who + ": create failed: " + created.message);
    log(&slot, LogLevel::kError, refused.message());
    return refused;
  }
  slot.created = true;
  auto runs_here = engine.connectors().hold_run_lock(slot.name());
  slot.runs_here = runs_here.ok() && *runs_here;
  if (slot.runs_here) {
    // After a kill -9 on SQLite, what the dead process had claimed goes out now, not
    // when its lease runs out (a no-op where another process may still hold claims).
    Status given_back = engine.connectors().release_stale_claims(slot.name(), holder);
    if (!given_back.is_ok()) log(&slot, LogLevel::kWarn, "claims of an earlier process kept: " + given_back.message());
  }
  std::string shown;
  for (const auto& [key, value] : slot.config.values()) shown += " " + key + "=" + slot.config.shown(key);
  log(&slot, LogLevel::kInfo, "started " + d.version + " (" + capability_names(d.capabilities) + ") from " + d.file +
                                  " with" + shown + (slot.runs_here ? "" : "; another process runs it for now"));
  return Status::ok();
}

bool RuntimeCore::claim_run_lock(ConnectorSlot& slot) {
  auto held = engine.connectors().hold_run_lock(slot.name());
  const bool here = held.ok() && *held;
  if (here == slot.runs_here) return here;
  if (!here) {
    slot.runs_here = false;
    interrupt_session(slot);
    log(&slot, LogLevel::kWarn, held.ok() ? "another process runs it now" :
                                            "lost its run lock (" + held.status().message() + "): stopped here");
    return false;
  }
  // Taken over: the process that ran it saved its position as it went.
  auto state = engine.connectors().state(slot.name());
  if (!state.ok()) {
    engine.connectors().release_run_lock(slot.name());
    return false;  // the database is busy: the next step takes it
  }
  {
    std::lock_guard lock(slot.intake_mutex);
    slot.checkpoint = state->checkpoint;
  }
  if (state->event_offset) slot.event_offset = state->event_offset;
  slot.runs_here = true;
  wake_session(slot);
  log(&slot, LogLevel::kInfo, "runs in this process now (" + holder + ")");
  return true;
}

void RuntimeCore::poll_if_due(ConnectorSlot& slot, Instant now) {
  if (!slot.can(SC_CAP_POLL) || slot.failed || slot.shutting_down || slot.intake_paused() || now < slot.next_poll_at)
    return;
  {
    // Records of an earlier poll still wait for the database: a new poll would only
    // stack more behind them.
    std::lock_guard lock(slot.intake_mutex);
    if (!slot.held.empty()) return;
  }
  ++slot.polls;
  CallOutcome out = call(slot, CallKind::kPoll, [&] { return slot.table().poll(slot.self); });
  if (!out.ok() && slot.shutting_down) {
    // Ended early because the server is stopping: not a failure of the peer, so no
    // backoff and nothing in the connector's health. Its checkpoint is where it stopped.
    log(&slot, LogLevel::kInfo, "poll ended for the shutdown: " + out.message);
    return;
  }
  if (out.ok()) {
    slot.poll_failures = 0;
    slot.next_poll_at = Instant{now.ms + slot.settings().poll_interval_ms};
    note_success(slot);
    return;
  }
  note_error(slot, out.message);
  if (is_retryable_abi(out.code)) {
    ++slot.poll_failures;
    std::int64_t wait = slot.backoff().delay_ms(slot.poll_failures, options.random);
    slot.next_poll_at = Instant{now.ms + wait};
    log(&slot, LogLevel::kWarn, "poll failed (" + std::to_string(slot.poll_failures) + " in a row): " + out.message +
                                    "; next poll in " + std::to_string(wait) + " ms");
    return;
  }
  slot.failed = true;
  {
    std::lock_guard lock(slot.health_mutex);
    slot.failed_reason = "poll failed: " + out.message;
  }
  log(&slot, LogLevel::kError, "poll failed: " + out.message + " (" + abi_status_name(out.code) +
                                   "): polling stopped until an operator resumes the connector");
}

bool RuntimeCore::run_due() {
  bool more = false;
  const Instant now = this->now();
  const std::int64_t back = last_run_at.ms > now.ms ? last_run_at.ms - now.ms : 0;
  last_run_at = now;
  for (auto& owned : slots) {
    ConnectorSlot& slot = *owned;
    if (!slot.created) {
      // One refused at start (a route another instance has) says so in `plugins list`,
      // written by the process holding its run lock (on SQLite, the only one).
      if (slot.failed) {
        if (!slot.runs_here) {
          auto held = engine.connectors().hold_run_lock(slot.name());
          slot.runs_here = held.ok() && *held;
        }
        save_state(slot);
      }
      continue;
    }
    if (back > 0) move_timers_back(slot, back, now);
    if (!claim_run_lock(slot)) {
      // Records this process took in (its routes) still go to the database.
      retry_held(slot, now);
      save_health(slot);
      continue;
    }
    take_operator_request(slot);
    update_backpressure(slot);
    retry_held(slot, now);
    poll_if_due(slot, now);
    more = fan_out(slot) | more;
    more = deliver_due(slot, now) | more;
    update_backpressure(slot);
    prune_inbox_if_due(slot, now);
    save_health(slot);
    save_state(slot);
  }
  return more;
}

// The wall clock stepped back (an administrator's `date`, an NTP step): every timer set
// from the later time would wait that much longer (a poll due in a minute, an hour and a
// minute), so each moves back with the clock and still fires once, after the wait it was
// given. A step forward needs nothing: a timer that is due fires once and is set again
// from the new time. Rare, so the outbox's waiting items are rewritten one by one.
void RuntimeCore::move_timers_back(ConnectorSlot& slot, std::int64_t back, Instant now) {
  slot.next_poll_at.ms -= back;
  slot.delivery_blocked_until.ms -= back;
  slot.next_inbox_prune_at.ms -= back;
  {
    std::lock_guard lock(slot.intake_mutex);
    for (HeldRecord& held : slot.held) held.next_attempt_at.ms -= back;
  }
  constexpr int kMostItems = 100'000;  // above any outbox_limit
  auto waiting = engine.connectors().due(slot.name(), Instant{std::numeric_limits<std::int64_t>::max()}, kMostItems);
  if (!waiting.ok()) return;  // the database is busy: those items wait longer, once
  for (const OutboxItem& item : *waiting)
    if (item.next_attempt_at.ms > now.ms)
      (void)engine.connectors().reschedule(item.id, item.attempts, Instant{item.next_attempt_at.ms - back},
                                           item.last_error);
  log(&slot, LogLevel::kInfo, "the clock went back " + std::to_string(back) + " ms; its timers moved back with it");
}

void RuntimeCore::prune_inbox_if_due(ConnectorSlot& slot, Instant now) {
  const std::int64_t days = slot.settings().inbox_days;
  if (days <= 0 || now < slot.next_inbox_prune_at) return;
  constexpr std::int64_t kDayMs = 86'400'000;
  Status st = engine.connectors().prune_inbox(slot.name(), Instant{now.ms - days * kDayMs});
  if (!st.is_ok()) {
    log(&slot, LogLevel::kDebug, "inbox not pruned yet: " + st.message());
    return;  // the database is busy: the next step tries again
  }
  slot.next_inbox_prune_at = Instant{now.ms + kDayMs / 24};  // hourly
}

ConnectorHealth RuntimeCore::health(const ConnectorSlot& slot) const {
  ConnectorHealth h;
  const ConnectorDescriptor& d = slot.descriptor();
  h.name = slot.name();
  h.library = d.name;
  h.version = d.version;
  h.file = d.file;
  h.abi = std::to_string(d.abi_major) + "." + std::to_string(d.abi_minor);
  h.routes = routes_of(&slot);
  h.polls = slot.polls;
  h.applied = slot.applied;
  h.duplicates = slot.duplicates;
  h.delivered = slot.delivered;
  h.dead_lettered = slot.dead_lettered;
  {
    std::lock_guard lock(slot.health_mutex);
    h.last_success = slot.last_success;
    h.last_error = slot.last_error;
    h.reason = slot.failed_reason;
  }
  if (auto pending = engine.connectors().pending(slot.name()); pending.ok()) h.backlog = *pending;
  if (auto letters = engine.connectors().count_dead_letters(slot.name()); letters.ok()) h.dead_letters = *letters;
  {
    std::lock_guard lock(slot.intake_mutex);
    h.waiting_records = static_cast<std::int64_t>(slot.held.size());
  }
  std::tie(h.state, h.reason) = state_of(slot);
  if (h.state == "backpressure")
    h.reason = "outbox backlog " + std::to_string(h.backlog) + " over its limit " +
               std::to_string(slot.settings().outbox_limit);
  return h;
}

}  // namespace salescore::plugins
