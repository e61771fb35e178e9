// Sending a rendered letter with Poco's SMTP client: implicit TLS (465), STARTTLS (587) or
// plain (loopback only), AUTH LOGIN/PLAIN/XOAUTH2, each recipient's answer read on its own.
#pragma once

#include <string>
#include <vector>

#include "salescore/plugin_api.h"

namespace salescore::email {

struct SmtpSettings {
  std::string host;
  int port = 587;
  std::string security = "starttls";  // tls | starttls | plain
  std::string ca_file;
  std::string login, password;
  bool xoauth2 = false;
  int timeout_s = 60;
};

struct SmtpOutcome {
  sc_status code = SC_OK;                 // SC_OK when at least one recipient took it
  std::string reason;
  std::vector<std::string> refused;       // recipients refused for good (5xx)
  std::string refusal;                    // the server's words for them
};

// Sends `message` from `from` to `recipients`. A 4xx or a lost connection is SC_UNAVAILABLE
// (the host retries), a letter every recipient refused with 5xx is SC_INVALID_ARGUMENT.
SmtpOutcome send_mail(const SmtpSettings& s, const std::string& from, const std::vector<std::string>& recipients,
                      const std::string& message);

}  // namespace salescore::email
