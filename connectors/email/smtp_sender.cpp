#include "smtp_sender.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <memory>
#include <sstream>

namespace salescore::email {
namespace {

using Poco::Net::SMTPClientSession;

// SMTP reply classes (RFC 5321 4.2.1); Poco keeps its own helpers protected.
bool positive(int status) { return status / 100 == 2; }
bool permanent(int status) { return status / 100 == 5; }

Poco::Net::Context::Ptr tls_context(const SmtpSettings& s) {
  // Verify the server's chain against the system's store (and tls_ca_file) and its name.
  return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", s.ca_file,
                                Poco::Net::Context::VERIFY_RELAXED, 9, true);
}

SmtpOutcome refused_by(int status, const std::string& what, const std::string& response) {
  SmtpOutcome out;
  out.code = permanent(status) ? SC_INVALID_ARGUMENT : SC_UNAVAILABLE;
  out.reason = what + ": " + response;
  return out;
}

}  // namespace

SmtpOutcome send_mail(const SmtpSettings& s, const std::string& from, const std::vector<std::string>& recipients,
                      const std::string& message) {
  try {
    std::unique_ptr<Poco::Net::SecureSMTPClientSession> session;
    Poco::Net::SocketAddress address(s.host, static_cast<Poco::UInt16>(s.port));
    if (s.security == "tls") {
      Poco::Net::SecureStreamSocket socket(address, s.host, tls_context(s));
      session = std::make_unique<Poco::Net::SecureSMTPClientSession>(socket);
    } else {
      session = std::make_unique<Poco::Net::SecureSMTPClientSession>(s.host, static_cast<Poco::UInt16>(s.port));
    }
    session->setTimeout(Poco::Timespan(s.timeout_s, 0));
    session->login();
    if (s.security == "starttls" && !session->startTLS(tls_context(s)))
      return {SC_UNAVAILABLE, s.host + " does not offer STARTTLS", {}, {}};
    if (!s.login.empty())
      session->login(s.xoauth2 ? SMTPClientSession::AUTH_XOAUTH2 : SMTPClientSession::AUTH_LOGIN, s.login, s.password);
    std::string response;
    int status = session->sendCommand("MAIL FROM:", "<" + from + ">", response);
    if (!positive(status)) return refused_by(status, "MAIL FROM refused", response);
    SmtpOutcome out;
    std::size_t accepted = 0;
    for (const auto& rcpt : recipients) {
      status = session->sendCommand("RCPT TO:", "<" + rcpt + ">", response);
      if (positive(status)) {
        ++accepted;
      } else if (permanent(status)) {
        out.refused.push_back(rcpt);
        out.refusal += (out.refusal.empty() ? "" : "; ") + rcpt + ": " + response;
      } else {
        return refused_by(status, "RCPT TO " + rcpt + " deferred", response);
      }
    }
    if (accepted == 0) {
      session->sendCommand("RSET", response);
      return {SC_INVALID_ARGUMENT, "every recipient refused: " + out.refusal, out.refused, out.refusal};
    }
    std::istringstream body(message);
    session->sendData();         // DATA, and its 354 checked
    session->sendMessage(body);  // the message dot-stuffed, and the final reply checked
    session->close();
    return out;
  } catch (const Poco::Net::SMTPException& e) {
    const int status = e.code();
    SmtpOutcome out;
    out.code = permanent(status) ? SC_INVALID_ARGUMENT : SC_UNAVAILABLE;
    if (e.message().find("Login failed") != std::string::npos) out.code = SC_UNAUTHENTICATED;
    out.reason = "SMTP: " + e.displayText();
    return out;
  } catch (const Poco::Net::SSLException& e) {
    return {SC_PERMISSION_DENIED, "SMTP TLS: " + e.displayText(), {}, {}};
  } catch (const Poco::Exception& e) {
    return {SC_UNAVAILABLE, "SMTP: " + e.displayText(), {}, {}};
  }
}

}  // namespace salescore::email
