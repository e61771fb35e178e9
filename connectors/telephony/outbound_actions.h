// What the connector does for items of its outbox (deliver()): a click-to-call placed
// through AMI Originate or the cloud PBX's callback API (click_to_call), and the download
// of a cloud PBX's recording into recordings_dir, which then names it on the call.
#pragma once

#include <map>
#include <string>

#include "ami_session.h"
#include "cloud_api.h"
#include "salescore/plugin_api.h"

namespace salescore::telephony {

struct OutboundActions {
  const sc_host_api* api = nullptr;
  sc_host* host = nullptr;
  AmiSession* ami = nullptr;
  std::string click_to_call = "ami";  // ami | zadarma | mango
  std::string originate_channel, originate_context, dial_format;
  std::map<std::string, std::string> logins;  // extension -> login
  CloudApi cloud;
  std::string recordings_dir;  // "": recordings are not downloaded

  sc_status deliver(const sc_outbound* item) const;

 private:
  sc_status call(const std::string& payload, const std::string& key) const;
  sc_status recording(const std::string& payload) const;
};

// "+74951234567" as the PBX's outbound route wants it dialled: e164, digits, ru8.
std::string dialled(const std::string& phone, const std::string& format);

// `bytes` written to dir/name whole (beside it, then renamed), so a reader never sees
// half a file; false with the reason in `why`.
bool store_recording(const std::string& dir, const std::string& name, const std::string& bytes, std::string& why);

}  // namespace salescore::telephony
