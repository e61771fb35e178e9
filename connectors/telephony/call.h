// A call as salescore records it: what the AMI assembler, the CDR reader and the cloud-PBX
// webhooks each build, and what call_record.cpp hands to the host.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace salescore::telephony {

struct Call {
  std::string key;            // "asterisk:<linkedid of the oldest channel>", "mango:<entry_id>"
  std::string direction;      // "inbound" | "outbound" | "internal"
  std::string caller, callee; // as the PBX gave them
  std::string customer;       // the outside party's number ("" for an internal call)
  std::string manager;        // the extension that answered (or dialled, for outbound)
  std::int64_t started_ms = 0, answered_ms = 0, ended_ms = 0;  // answered 0: never
  std::string disposition;    // "answered" | "busy" | "no answer" | "failed"
  std::string hangup_cause;   // "16 Normal Clearing"
  std::string recording;      // a MixMonitor file or CDR userfield
  std::vector<std::string> rang_not_answered;  // extensions that rang and did not answer
  std::vector<std::string> transferred_to;     // extensions the customer was passed to
  std::string closed_by;      // "": its hangups were seen; "resync" or "timeout" otherwise

  std::int64_t ring_s() const;
  std::int64_t talk_s() const;
};

}  // namespace salescore::telephony
