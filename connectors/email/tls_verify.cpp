#include "tls_verify.h"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>

#include <memory>

namespace salescore::email {
namespace {

struct ChainDeleter {
  void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};

bool is_ip_address(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

std::string verify_server_chain(const std::vector<std::string>& der_chain, const std::string& host,
                                const std::string& ca_file) {
  if (der_chain.empty()) return "the server sent no certificate";
  std::unique_ptr<STACK_OF(X509), ChainDeleter> chain(sk_X509_new_null());
  for (const std::string& der : der_chain) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    if (!cert) return "the server sent a certificate that cannot be read";
    sk_X509_push(chain.get(), cert);
  }
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
  X509_STORE_set_default_paths(store.get());
  if (!ca_file.empty() && X509_STORE_load_locations(store.get(), ca_file.c_str(), nullptr) != 1)
    return "tls_ca_file " + ca_file + " cannot be read as PEM certificates";
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), X509_STORE_CTX_free);
  X509* leaf = sk_X509_value(chain.get(), 0);
  if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf, chain.get()) != 1) return "cannot start verifying";
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  if (is_ip_address(host)) X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
  else X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  if (X509_verify_cert(ctx.get()) == 1) return "";
  return std::string("certificate verify failed for ") + host + ": " +
         X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
}

}  // namespace salescore::email
