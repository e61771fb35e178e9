// Checking the IMAP server's certificate ourselves: Debian builds libetpan with GnuTLS, and
// then libetpan verifies nothing (mailstream_ssl.c: "not implemented"). The chain the
// server sent is checked with OpenSSL against the system's trust store (plus an optional
// CA file) and the host name (or IP address) we connected to.
#pragma once

#include <string>
#include <vector>

namespace salescore::email {

// "" when the chain (DER certificates, the server's first) is trusted for `host`,
// otherwise why not ("certificate verify failed: hostname mismatch").
std::string verify_server_chain(const std::vector<std::string>& der_chain, const std::string& host,
                                const std::string& ca_file);

}  // namespace salescore::email
