// Engine configuration: one INI file, every setting with a default.
//
//   [company]
//   timezone = Europe/Moscow      ; report periods are cut here
//   phone_region = RU             ; region for phones written without +country
//   currency = RUB                ; default currency of orders and deals
//   language = ru                 ; reports: ru, en, zh or bg
//   [storage]
//   durable = false               ; true: synchronous=FULL (survives power loss)
//   busy_timeout_ms = 5000        ; how long a writer waits for another's lock
//   pool_size = 16                ; reader connections per process (PostgreSQL, SQLite file)
//   statement_timeout_ms = 0      ; PostgreSQL: a statement running longer fails (0: none)
//   sslmode = prefer              ; PostgreSQL: libpq's sslmode (disable ... verify-full)
//   application_name = salescore  ; PostgreSQL: shown in pg_stat_activity
//   [mandatory]
//   client = name, phone|email    ; "a|b": at least one of them
//   order = number
//
//   [pipeline]
//   stages = new, qualified, proposal, negotiation, contract, won, lost
//   requires.proposal = expected_amount, expected_close   ; fields or documents a stage needs
//   requires.contract = proposal_sent, discount_approved
//   requires.won = contract_signed
//   attestable.contract = specification   ; documents a person may attest for a stage
//   lost_reasons = price, competitor, no_budget, no_response, other
//   [leads]
//   assignment = round_robin      ; or least_loaded, owner
//   sla_minutes = 60              ; first action due within this
//   sla_minutes.phone = 5         ; per channel
//   max_reassignments = 2         ; then the lead escalates to the head
//   [approvals]
//   discount_percent = 10         ; a discount above this needs approval
//   director_discount_percent = 25   ; above this the director's (0: no such level)
//   deferral_days = 30            ; a payment deferral above this needs approval
//   director_deferral_days = 60
//   contract_amount = 1000000.00  ; a contract above this needs approval
//   director_contract_amount = 10000000.00
//   role.special_terms = head     ; who grants a rule: head or director
//   role.vip_visit = head         ; (discount, deferral, contract_amount,
//                                 ;  special_terms, vip_visit, individual_proposal)
//   escalate_after_hours = 24     ; an unanswered request goes up a level
//   receipt_check_hours = 24      ; a sent proposal's receipt is checked after this
//   [segments]                    ; days since the last purchase (whole days)
//   new_days = 180                ; a client who never bought is new this long, then sleeping
//   hot_days = 30                 ; bought within this: hot
//   warm_days = 120               ; then warm up to this
//   sleeping_days = 180           ; cooling up to this, sleeping after it
//   hot_contact_days = 7          ; the contact task of a move is due this many days later
//   warm_contact_days = 14
//   cooling_contact_days = 7
//   sleeping_contact_days = 1
//   [api]
//   idempotency_hours = 24        ; how long a write's Idempotency-Key and reply are kept
//   [email]
//   free_mail_domains = gmail.com, yandex.ru, mail.ru, qq.com, ...   ; never a client's company
//
// Command-line options override the file (see server/).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "salescore/status.h"

namespace salescore {

// The deal pipeline: stage order, what each stage needs, why deals are lost.
struct PipelineConfig {
  // Open stages in order, then the two closing stages "won" and "lost".
  std::vector<std::string> stages = {"new", "qualified", "proposal", "negotiation", "contract", "won", "lost"};
  // stage -> deal fields or document names that must be present to enter it.
  std::map<std::string, std::vector<std::string>> requires_ = {
      {"qualified", {"expected_amount"}},
      {"proposal", {"expected_amount", "expected_close"}},
      {"negotiation", {"proposal_sent"}},
      {"contract", {"proposal_sent"}},
      {"won", {"contract_signed"}}};
  // stage -> documents a person may vouch for on the way to it (a scanned
  // specification, a technical questionnaire), attested with DealService::attest_document.
  // Documents the engine derives from its records are never attestable (load refuses them).
  std::map<std::string, std::vector<std::string>> attestable;
  std::vector<std::string> lost_reasons = {"price", "competitor", "no_budget", "no_response", "chose_to_wait", "other"};
};

// The documents the engine derives from its records, never written or attested by a
// caller: proposal_sent (a proposal of the deal was sent), proposal_received (the client
// confirmed one), contract_signed (a contract of the deal is signed and not terminated),
// discount_approved (a discount on the deal was granted). Defined beside the queries
// that derive them (store/deal_document_rows.cpp).
const std::vector<std::string>& engine_known_documents();
bool is_engine_known_document(const std::string& name);
// Is `document` attestable for some stage of `pipeline`?
bool is_attestable_document(const PipelineConfig& pipeline, const std::string& document);
// Is `name` a document (engine-known, or attestable), which a stage gate finds only among
// the deal's documents, never in a custom field of that name?
bool is_deal_document(const PipelineConfig& pipeline, const std::string& name);

// Inbound leads: who gets them and how fast they must be answered.
struct LeadConfig {
  std::string assignment = "round_robin";  // round_robin | least_loaded | owner
  int sla_minutes = 60;
  std::map<std::string, int> sla_minutes_by_channel;  // "phone" -> 5
  int max_reassignments = 2;
  int sla_minutes_for(const std::string& channel) const {
    auto it = sla_minutes_by_channel.find(channel);
    return it == sla_minutes_by_channel.end() ? sla_minutes : it->second;
  }
};

// The approval matrix: what goes beyond a manager's authority and who may grant it.
// Percentages are kept in hundredths (1000 is 10.00 %) and amounts in minor units, so
// "above" compares integers exactly.
struct ApprovalConfig {
  std::int64_t discount_bp = 10'00;
  std::int64_t director_discount_bp = 25'00;  // 0: heads grant any discount
  int deferral_days = 30;
  int director_deferral_days = 60;  // 0: heads grant any deferral
  std::int64_t contract_amount_minor = 1'000'000'00;
  std::int64_t director_contract_amount_minor = 10'000'000'00;  // 0: heads grant any amount
  // Matrix rule -> the role that grants it below the director thresholds: "head" or "director".
  std::map<std::string, std::string> roles = {{"discount", "head"},      {"deferral", "head"},
                                              {"contract_amount", "head"}, {"special_terms", "head"},
                                              {"vip_visit", "head"},     {"individual_proposal", "head"}};
  int escalate_after_hours = 24;
  int receipt_check_hours = 24;
};

// Segmentation by recency of the last purchase (segments.h). Thresholds are whole days
// since the last order: hot up to hot_days, warm up to warm_days, cooling up to
// sleeping_days, sleeping after; load() checks hot_days < warm_days <= sleeping_days.
struct SegmentConfig {
  int new_days = 180;
  int hot_days = 30;
  int warm_days = 120;
  int sleeping_days = 180;
  int hot_contact_days = 7;     // the weekly message
  int warm_contact_days = 14;   // the call every two weeks
  int cooling_contact_days = 7;
  int sleeping_contact_days = 1;  // the wake-up call with an offer
};

struct Config {
  std::string timezone = "Europe/Moscow";
  std::string phone_region = "RU";
  std::string currency = "RUB";
  std::string language = "ru";  // reports' labels and number format: ru, en, zh or bg
  bool durable = false;
  int busy_timeout_ms = 5000;
  int pool_size = 0;  // 0: the engine's default
  int statement_timeout_ms = 0;
  std::string sslmode;  // empty: libpq's default (prefer)
  std::string application_name;  // empty: "salescore"
  // entity ("client", "contact", "product", "deal", "order", "interaction", "task")
  // -> groups of field names; each group must have at least one field filled.
  std::map<std::string, std::vector<std::vector<std::string>>> mandatory;
  PipelineConfig pipeline;
  LeadConfig leads;
  ApprovalConfig approvals;
  SegmentConfig segments;
  // [access] systems_of_record: integration logins (connector names) that keep the
  // company's master data, as 1C does: they match and update every client, product and
  // order, not only the ones they created. Other connectors see only their own source.
  std::vector<std::string> systems_of_record = {"onec"};
  // [api] idempotency_hours: how long a key of an idempotent write is kept per user
  // (idempotency.h); a retry within it gets the first reply.
  int idempotency_hours = 24;
  // [email] free_mail_domains: domains anyone can have an address at, so a letter from one
  // names no company (salescore/emails.h matches clients by their company's domain).
  // Setting it replaces the whole list.
  std::vector<std::string> free_mail_domains = {
      "gmail.com",   "googlemail.com", "yahoo.com",   "outlook.com", "hotmail.com", "live.com",   "msn.com",
      "icloud.com",  "me.com",         "aol.com",     "gmx.de",      "gmx.net",     "web.de",     "proton.me",
      "protonmail.com", "yandex.ru",   "yandex.com",  "ya.ru",       "mail.ru",     "inbox.ru",   "list.ru",
      "bk.ru",       "rambler.ru",     "qq.com",      "163.com",     "126.com",     "sina.com",   "sohu.com",
      "yeah.net",    "foxmail.com",    "abv.bg",      "mail.bg",     "dir.bg"};

  // Reads an INI file; unknown keys in known sections are errors naming the key, so a
  // typo does not silently fall back to a default.
  static Result<Config> load(const std::string& path);
  // Sets one "section.key" value, as a command-line override does.
  Status set(const std::string& dotted_key, const std::string& value);
};

}  // namespace salescore
