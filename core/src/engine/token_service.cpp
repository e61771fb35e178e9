// API tokens: created and revoked by their user or by whoever manages people; resolved
// on every request by `salescore serve`.
#include <Poco/SHA2Engine.h>

#include <random>

#include "engine/record_writes.h"
#include "rules/access.h"
#include "store/token_rows.h"
#include "store/user_rows.h"

namespace salescore {
using namespace detail;

namespace {

constexpr std::size_t kSecretBytes = 24;   // 192 bits: guessing is hopeless, hashing cheap
constexpr std::size_t kPrefixChars = 10;   // "sct_" and 6 hex digits, shown in lists
constexpr std::size_t kMaxNameChars = 100;

std::string random_secret() {
  // std::random_device reads the kernel's CSPRNG on Linux (getrandom or /dev/urandom).
  std::random_device device;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string secret = "sct_";
  for (std::size_t i = 0; i < kSecretBytes; ++i) {
    const unsigned byte = device() & 0xffu;
    secret += kHex[byte >> 4];
    secret += kHex[byte & 0xfu];
  }
  return secret;
}

std::string token_payload(const ApiToken& t) {
  FieldList f;
  f.number("id", t.id);
  f.number("user_id", t.user_id);
  f.string("name", t.name);
  f.string("prefix", t.prefix);
  return f.to_json();
}

// The token's owner themself, or someone who manages people.
Status check_may_manage_tokens_of(EngineState& s, const Actor& actor, Id user_id, const std::string& action) {
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  if (actor.user_id == user_id || scope.may_manage_people()) return Status::ok();
  return deny(s, actor, action, "api_token", 0, "tokens of user " + std::to_string(user_id));
}

}  // namespace

std::string token_hash(const std::string& secret) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(secret);
  const auto& digest = sha.digest();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(digest.size() * 2, '0');
  for (std::size_t i = 0; i < digest.size(); ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return hex;
}

Result<IssuedToken> TokenService::create(const Actor& actor, Id user_id, const std::string& name) {
  return write<IssuedToken>(*s_, [&]() -> Result<IssuedToken> {
    SC_ASSIGN_OR_RETURN(auto user, store::load_user(*s_->conn, user_id));
    if (!user) return not_found("user", user_id);
    SC_RETURN_IF_ERROR(check_may_manage_tokens_of(*s_, actor, user_id, "create a token for"));
    if (name.size() > kMaxNameChars)
      return Status::invalid("token name is too long", {{"name", "at most 100 characters"}});
    if (!user->active)
      return Status::failed_precondition("user " + user->login + " is deactivated: a token would not work");
    IssuedToken issued;
    issued.secret = random_secret();
    issued.token.user_id = user_id;
    issued.token.name = name;
    issued.token.prefix = issued.secret.substr(0, kPrefixChars);
    issued.token.created_at = s_->now();
    SC_ASSIGN_OR_RETURN(issued.token.id, store::insert_token(*s_->conn, issued.token, token_hash(issued.secret)));
    SC_RETURN_IF_ERROR(
        append_event(*s_, actor, "api_token.created", "api_token", issued.token.id, token_payload(issued.token)));
    return issued;
  });
}

Result<ApiToken> TokenService::revoke(const Actor& actor, Id token_id) {
  return write<ApiToken>(*s_, [&]() -> Result<ApiToken> {
    SC_ASSIGN_OR_RETURN(auto token, store::load_token(*s_->conn, token_id));
    if (!token) return not_found("api token", token_id);
    SC_RETURN_IF_ERROR(check_may_manage_tokens_of(*s_, actor, token->user_id, "revoke a token of"));
    if (token->revoked_at) return std::move(*token);  // revoking twice is harmless
    token->revoked_at = s_->now();
    SC_RETURN_IF_ERROR(store::mark_token_revoked(*s_->conn, token->id, *token->revoked_at));
    SC_RETURN_IF_ERROR(append_event(*s_, actor, "api_token.revoked", "api_token", token->id, token_payload(*token)));
    return std::move(*token);
  });
}

Result<std::vector<ApiToken>> TokenService::list(const Actor& actor, Id user_id) {
  return read<std::vector<ApiToken>>(*s_, [&]() -> Result<std::vector<ApiToken>> {
    SC_RETURN_IF_ERROR(check_may_manage_tokens_of(*s_, actor, user_id, "list the tokens of"));
    return store::list_tokens_of(*s_->conn, user_id);
  });
}

Result<User> TokenService::resolve(const std::string& secret) {
  static const Status kRefused(Code::kUnauthenticated, "the API token is unknown, revoked, or its user is deactivated");
  // The lookup is by hash, so no comparison of secrets leaks timing about a near miss.
  const std::string hash = token_hash(secret);
  return read<User>(*s_, [&]() -> Result<User> {
    SC_ASSIGN_OR_RETURN(auto user, store::load_user_by_live_token(*s_->conn, hash));
    if (!user || !user->active) return kRefused;
    return std::move(*user);
  });
}

}  // namespace salescore
