// What the connector runtime (plugins/host) keeps in the engine's database: the inbox
// of applied idempotency keys, each connector's checkpoint and event-log offset, the
// outbox of pending outbound deliveries, and the dead letters.
//
// These live in the engine, not in the plugin host, because they must be written in the
// same transaction as the domain change they belong to: an inbox row commits or rolls
// back together with the client it created (call them inside Engine::batch).
// This is the runtime's bookkeeping, not a domain record: no event is logged for it and
// no Actor is needed.
//
// Thread-safety: like every service, calls are serialized on the engine's connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "salescore/model.h"
#include "salescore/status.h"
#include "salescore/values.h"

namespace salescore {

namespace detail {
struct EngineState;
}

// The state a connector keeps between runs.
struct ConnectorState {
  std::string connector;
  std::optional<std::string> checkpoint;  // opaque to the host: a cursor, a timestamp
  std::optional<std::int64_t> event_offset;  // last event seq fanned out to its outbox
  std::optional<Instant> last_success_at;
  std::string last_error;
  // What `salescore serve` last said the connector was doing, and when; empty before.
  std::string runtime_state;  // running | retrying | backpressure | paused | failed
  std::string runtime_reason;
  std::optional<Instant> runtime_at;
  std::string operator_request;  // "pause" | "resume" | "": not carried out yet
};

// One outbound delivery waiting for its connector.
struct OutboxItem {
  Id id = 0;
  std::string connector;
  std::string kind;             // "event" or an action: "call", "email.send", "order.status"
  std::string payload;          // JSON
  std::string idempotency_key;  // stable across retries; unique among a connector's pending items
  int attempts = 0;             // failed attempts so far
  Instant next_attempt_at;
  std::string last_error;
  Instant created_at;
  Id dead_letter_id = 0;  // the dead letter this item replays; its outcome is recorded there
};

enum class DeadLetterDirection { kInbound, kOutbound };
const char* dead_letter_direction_name(DeadLetterDirection d);

// One replay of a dead letter: when, and how it went.
//   inbound    applied | duplicate (it had come again meanwhile) | failed
//   outbound   requeued (back in the outbox), then delivered | failed
struct ReplayAttempt {
  Instant at;
  std::string outcome;
  Code code = Code::kOk;  // a failure's code and message; kOk and "" otherwise
  std::string reason;

  static ReplayAttempt went(Instant at, std::string outcome) { return {at, std::move(outcome), Code::kOk, ""}; }
  static ReplayAttempt failed(Instant at, Code code, std::string reason) {
    return {at, "failed", code, std::move(reason)};
  }
};

// Something the runtime gave up on, kept with its error so that it can be fixed and
// replayed: nothing a connector hands over is dropped silently. What it was given up for
// (code, reason, failed_at) never changes; each replay is added to `replays`.
struct DeadLetter {
  Id id = 0;
  std::string connector;
  DeadLetterDirection direction = DeadLetterDirection::kInbound;
  std::string kind;         // inbound: the record's entity; outbound: the outbox item's kind
  std::string source;       // inbound only
  std::string external_id;  // inbound only
  std::string idempotency_key;
  std::string payload;      // inbound: the record's JSON; outbound: the item's payload
  Code code = Code::kInternal;
  std::string reason;
  int attempts = 0;  // failed attempts: deliveries before it was given up, then failed replays
  Instant failed_at;
  std::optional<Instant> replayed_at;  // when a replay applied or delivered it
  std::vector<ReplayAttempt> replays;  // oldest first
  // The event it carries: the type of an outbound "event" item, or an automation's event;
  // "" for a record or an action.
  std::string event_type;
};

// Python automations (salescore.automate) keep the events they give up on as inbound
// letters with this source, the event type as kind and its seq as external id. They
// are events for a handler, not records to apply: replaying one is refused.
inline constexpr const char* kAutomationLetterSource = "events";
bool is_automation_letter(const DeadLetter& letter);

struct DeadLetterQuery {
  std::optional<std::string> connector;
  bool include_replayed = false;
  Id after_id = 0;  // keyset pagination, as Page in engine.h
  int limit = 100;  // 0: no limit
};

// A letter to a client, for the e-mail connector to send (crm.emails.send, POST
// /api/v1/emails, automations). See ConnectorService::send_email.
struct EmailAttachment {
  std::string name;
  std::string content_type;  // "application/pdf"; empty: application/octet-stream
  std::string base64;        // the content
};

struct EmailDraft {
  Id client_id = 0;                   // required: whose timeline the letter goes on
  Id contact_id = 0;                  // optional: to this contact of the client
  std::vector<std::string> to, cc;    // default: the contact's, else the client's first e-mail
  std::string subject, text, html;    // text or html required
  std::string in_reply_to;            // Message-ID answered (without <>), for the thread
  std::vector<std::string> references;
  // A letter on the client's timeline this one answers (an e-mail interaction): its
  // Message-ID becomes In-Reply-To, its thread's the References, "Re: " its subject the
  // subject and its other side the recipient, unless given.
  Id reply_to = 0;
  std::vector<EmailAttachment> attachments;
  bool automated = false;             // sent by an automation: marked Auto-Submitted
  std::string key;                    // sending twice with one key queues once; default: from the content
};

inline constexpr const char* kEmailConnector = "email";

class ConnectorService {
 public:
  explicit ConnectorService(detail::EngineState* s) : s_(s) {}

  // ---- inbox ----
  // Claims `key` for `connector` in the current transaction: true when it is new,
  // false when the connector delivered it before (the record must not be applied
  // again). Call it inside Engine::batch with the domain change, so that a rolled-back
  // apply frees the key for the next delivery.
  //
  // How a claimed key counts as seen again (`how`):
  //   kOnce    the key is a duplicate for as long as the inbox keeps it: keys a connector
  //            gives (a message id, a webhook's event id) name one delivery.
  //   kLatest  the key is a duplicate only while it is the last one claimed for the same
  //            record (entity, source, external_id): keys derived from a record's content,
  //            so a record back at an earlier state (an order processing -> on hold ->
  //            processing) is applied again instead of being taken for a redelivery.
  enum class InboxClaim { kOnce, kLatest };
  Result<bool> claim_inbox(const std::string& connector, const std::string& key, const std::string& entity,
                           const std::string& source, const std::string& external_id,
                           InboxClaim how = InboxClaim::kOnce);
  Result<bool> inbox_contains(const std::string& connector, const std::string& key);
  // Forgets the keys of records applied before `before`: a record delivered again after
  // that is applied again, which an upsert by (source, external_id) makes harmless. Keeps
  // the inbox from growing with every delivery forever.
  Status prune_inbox(const std::string& connector, Instant before);

  // ---- state ----
  // The stored state; a connector never seen before has an empty one.
  Result<ConnectorState> state(const std::string& connector);
  Status save_checkpoint(const std::string& connector, const std::string& checkpoint);
  // What the running server's connector is doing (ConnectorHealth's state and reason).
  Status record_runtime_state(const std::string& connector, const std::string& state, const std::string& reason);
  // An operator's "pause" or "resume" for the running server to carry out; the newest
  // one replaces one not carried out yet.
  Status request_operator(const std::string& connector, const std::string& request);
  // The request waiting for `connector`, taken (cleared) in the same transaction.
  Result<std::optional<std::string>> take_operator_request(const std::string& connector);
  Status save_event_offset(const std::string& connector, std::int64_t seq);
  Status record_success(const std::string& connector, Instant at);
  Status record_error(const std::string& connector, const std::string& message);

  // ---- outbox ----
  // Queues an item; nullopt when an item with the same key is already pending (a
  // double click on "call" queues one call). An item replaying a dead letter takes over
  // a pending one with its key: that item's delivery then answers for the letter.
  Result<std::optional<Id>> enqueue(const OutboxItem& item);
  // Pending items of `connector` due at `now`, oldest first.
  Result<std::vector<OutboxItem>> due(const std::string& connector, Instant now, int limit);
  // Due items claimed for delivery by `holder` (a process: "host:pid") until
  // `lease_until`, oldest first. Items under another holder's lease are passed over; a
  // lease that ran out (its process died mid-delivery) is taken over. Delivering removes
  // an item, reschedule() frees it, release_claims() gives back what was not tried.
  Result<std::vector<OutboxItem>> claim_due(const std::string& connector, Instant now, int limit,
                                            const std::string& holder, Instant lease_until);
  Status release_claims(const std::string& connector, const std::string& holder);
  // Called by a host when it starts running `connector`: on a store one process writes
  // (SQLite), claims of any other holder are a dead process's (killed mid-delivery), so
  // they are given back now rather than when their lease runs out minutes later. On
  // PostgreSQL a no-op: another holder may be alive, and its lease decides.
  Status release_stale_claims(const std::string& connector, const std::string& holder);

  // ---- one process per connector ----
  // Several processes on one PostgreSQL database each load the same connectors; the
  // work of one that must run once (its polls, its session, its deliveries) runs in the
  // process that holds its run lock: a session-level advisory lock, which the server
  // drops when that process dies or loses its connection. True while this process holds
  // it (taken if free; asked again at every step, so another process takes over within a
  // step of a death). On SQLite (one process per database) always true.
  Result<bool> hold_run_lock(const std::string& connector);
  void release_run_lock(const std::string& connector);
  Result<std::optional<OutboxItem>> outbox_item(Id id);
  Result<std::int64_t> pending(const std::string& connector);
  // Removes a delivered (or dead-lettered) item.
  Status remove_from_outbox(Id id);
  Status reschedule(Id id, int attempts, Instant next_attempt_at, const std::string& last_error);

  // Queues `draft` as an email.send item of the "email" connector. The rules: the actor
  // must see the client (a manager mails their own clients), the contact must be the
  // client's, and every address must be one of the client's or its contacts' e-mails (the
  // CRM does not mail strangers in a client's name). nullopt when the same key is queued
  // already. Refusals: kNotFound, kPermissionDenied, kInvalidArgument naming the field.
  Result<std::optional<Id>> send_email(const Actor& actor, const EmailDraft& draft);

  // ---- dead letters ----
  // Keeps a letter. An inbound record refused again for the same reason while its letter
  // is open (a file or webhook sent again) is recorded on that letter as "received_again"
  // and its id returned: one failure, one letter.
  Result<Id> add_dead_letter(const DeadLetter& letter);
  Result<std::vector<DeadLetter>> dead_letters(const DeadLetterQuery& query);
  // Connectors are run by the people who see every record (the system, a director, an
  // admin): their dead letters carry any client's data, and a replay writes as the
  // connector. Anyone else is refused, with access.denied in the event log. The CLI
  // works on the database file and is the operator; REST and Python check this first.
  Status check_operator(const Actor& actor, const std::string& action);
  Result<DeadLetter> dead_letter(Id id);
  // Not yet replayed dead letters of `connector` (all connectors when empty).
  Result<std::int64_t> count_dead_letters(const std::string& connector);
  // Adds one replay to the letter, leaving what it was given up for as it is. `done`
  // (applied, delivered) marks it replayed; a failure (code not kOk) adds to attempts.
  Status record_replay(Id id, const ReplayAttempt& attempt, bool done);
  // The outbox item a replay of letter `id` queued and that is not delivered yet.
  Result<std::optional<Id>> queued_replay(Id id);

  // ---- lookups for incoming records ----
  // The id salescore gave the record that `source` knows as `external_id`, for the
  // entities keyed that way: "client", "order", "interaction", "deal".
  Result<std::optional<Id>> id_by_source(const std::string& entity, const std::string& source,
                                         const std::string& external_id);

  // ---- ids sent out ----
  // `connector` sent salescore's `entity` `id` to its system as `external_id` (1C's
  // mode=query sends order 42 as "SC-42"): a record of that connector under that id may
  // change it (record_apply.h). Sending it again under the same id changes nothing.
  Status note_sent(const std::string& connector, const std::string& entity, Id id, const std::string& external_id);
  // The record `connector` sent out as `external_id`; nullopt when it never did.
  Result<std::optional<Id>> id_sent(const std::string& connector, const std::string& entity,
                                    const std::string& external_id);

  // ---- e-mail threads (the look-ups of salescore/emails.h's rules) ----
  struct EmailThreadHit {
    Id thread_id = 0;
    Id client_id = 0;  // the client of the thread's letter found (0: none)
  };
  // The thread of the newest letter whose Message-ID is the first of `message_ids` known.
  Result<std::optional<EmailThreadHit>> email_thread_by_ids(const std::vector<std::string>& message_ids);
  // The thread of the newest letter of this subject key exchanged with `counterpart`.
  Result<std::optional<EmailThreadHit>> email_thread_by_subject(const std::string& subject_key,
                                                                const std::string& counterpart);
  // Files interaction `id` in thread `thread_id` (0: a thread of its own); the first
  // filing of an interaction stays. `answers` is the Message-ID it answers: a reply filed
  // before the letter it answers (read from another mailbox first) joins this letter's
  // thread when this one is filed. Returns the thread it is in.
  Result<Id> file_email(Id interaction_id, const std::string& message_id, Id thread_id, const std::string& subject_key,
                        const std::string& counterpart, const std::string& answers = "");
  Result<std::optional<Id>> email_thread_of(Id interaction_id);
  Result<std::vector<Id>> email_thread_letters(Id thread_id);
  // The one client with an e-mail (its own or a contact's) at `domain`; nullopt when
  // none or several have one.
  Result<std::optional<Id>> only_client_at_domain(const std::string& domain);
  Result<std::optional<Id>> open_lead_with_email(const std::string& email);

 private:
  detail::EngineState* s_;
};

}  // namespace salescore
