// Engine configuration: one INI file, every setting with a default.
//
//   [company]
//   timezone = Europe/Moscow      ; report periods are cut here
//   phone_region = RU             ; region for phones written without +country
//   currency = RUB                ; default currency of orders and deals
//   [storage]
//   durable = false               ; true: synchronous=FULL (survives power loss)
//   busy_timeout_ms = 5000
//   [mandatory]
//   client = name, phone|email    ; "a|b": at least one of them
//   order = number
//
//   [pipeline]
//   stages = new, qualified, proposal, negotiation, contract, won, lost
//   requires.proposal = expected_amount, expected_close   ; fields or documents a stage needs
//   requires.contract = proposal_sent, discount_approved
//   requires.won = contract_signed
//   lost_reasons = price, competitor, no_budget, no_response, other
//   [leads]
//   assignment = round_robin      ; or least_loaded, owner
//   sla_minutes = 60              ; first action due within this
//   sla_minutes.phone = 5         ; per channel
//   max_reassignments = 2         ; then the lead escalates to the head
//
// Command-line options override the file (see server/).
#pragma once

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
  std::vector<std::string> lost_reasons = {"price", "competitor", "no_budget", "no_response", "chose_to_wait", "other"};
};

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

struct Config {
  std::string timezone = "Europe/Moscow";
  std::string phone_region = "RU";
  std::string currency = "RUB";
  bool durable = false;
  int busy_timeout_ms = 5000;
  // entity ("client", "contact", "product", "deal", "order", "interaction", "task")
  // -> groups of field names; each group must have at least one field filled.
  std::map<std::string, std::vector<std::vector<std::string>>> mandatory;
  PipelineConfig pipeline;
  LeadConfig leads;

  // Reads an INI file; unknown keys in known sections are errors naming the key, so a
  // typo does not silently fall back to a default.
  static Result<Config> load(const std::string& path);
  // Sets one "section.key" value, as a command-line override does.
  Status set(const std::string& dotted_key, const std::string& value);
};

}  // namespace salescore
