// API tokens (tokens.h): secrets shown once and stored hashed, resolved to active users
// only, managed by their user or by whoever manages people.
#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace salescore::testing {
namespace {

class TokenServiceTest : public EngineTest {
 protected:
  Actor as(Id user_id) { return Actor{user_id, Role::kManager}; }
};

TEST_F(TokenServiceTest, ACreatedTokenResolvesToItsUser) {
  Id ivanov = add_manager("ivanov");
  auto issued = engine->tokens().create(actor, ivanov, "dashboard");
  ASSERT_TRUE(issued.ok()) << issued.status().to_string();
  EXPECT_EQ(issued->secret.rfind("sct_", 0), 0u);
  EXPECT_EQ(issued->token.prefix, issued->secret.substr(0, issued->token.prefix.size()));
  auto user = engine->tokens().resolve(issued->secret);
  ASSERT_TRUE(user.ok()) << user.status().to_string();
  EXPECT_EQ(user->id, ivanov);
}

TEST_F(TokenServiceTest, TwoTokensHaveDifferentSecrets) {
  Id ivanov = add_manager("ivanov");
  auto a = engine->tokens().create(actor, ivanov, "");
  auto b = engine->tokens().create(actor, ivanov, "");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->secret, b->secret);
}

TEST_F(TokenServiceTest, UnknownAndRevokedTokensAreUnauthenticated) {
  Id ivanov = add_manager("ivanov");
  auto issued = engine->tokens().create(actor, ivanov, "");
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(engine->tokens().resolve("sct_nothing").status().code(), Code::kUnauthenticated);
  EXPECT_EQ(engine->tokens().resolve("").status().code(), Code::kUnauthenticated);
  // One character off is as unknown as anything else.
  std::string near = issued->secret;
  near.back() = near.back() == '0' ? '1' : '0';
  EXPECT_EQ(engine->tokens().resolve(near).status().code(), Code::kUnauthenticated);

  auto revoked = engine->tokens().revoke(actor, issued->token.id);
  ASSERT_TRUE(revoked.ok());
  EXPECT_TRUE(revoked->revoked_at.has_value());
  EXPECT_EQ(engine->tokens().resolve(issued->secret).status().code(), Code::kUnauthenticated);
  // Revoking again changes nothing and is not an error.
  EXPECT_TRUE(engine->tokens().revoke(actor, issued->token.id).ok());
}

TEST_F(TokenServiceTest, OnlyTheHashIsStoredAndListed) {
  Id ivanov = add_manager("ivanov");
  auto issued = engine->tokens().create(actor, ivanov, "1c-sync");
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(token_hash(issued->secret).size(), 64u);
  EXPECT_NE(token_hash(issued->secret), issued->secret);
  auto listed = engine->tokens().list(actor, ivanov);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].name, "1c-sync");
  // The events of a token never carry its secret.
  auto events = engine->events().since(0, 0);
  ASSERT_TRUE(events.ok());
  for (const Event& e : *events) EXPECT_EQ(e.payload.find(issued->secret), std::string::npos) << e.type;
}

TEST_F(TokenServiceTest, AUserManagesTheirOwnTokensOnly) {
  Id ivanov = add_manager("ivanov");
  Id petrov = add_manager("petrov");
  EXPECT_TRUE(engine->tokens().create(as(ivanov), ivanov, "mine").ok());
  auto foreign = engine->tokens().create(as(ivanov), petrov, "not mine");
  EXPECT_EQ(foreign.status().code(), Code::kPermissionDenied);
  auto petrovs = engine->tokens().create(actor, petrov, "");
  ASSERT_TRUE(petrovs.ok());
  EXPECT_EQ(engine->tokens().revoke(as(ivanov), petrovs->token.id).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(engine->tokens().list(as(ivanov), petrov).status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(engine->tokens().resolve(petrovs->secret).ok());
}

TEST_F(TokenServiceTest, AMissingUserIsNotFound) {
  EXPECT_EQ(engine->tokens().create(actor, 987654, "").status().code(), Code::kNotFound);
}

TEST_F(TokenServiceTest, OnlyThoseWhoSeeEverythingReadTheEventLogAsAUser) {
  Id ivanov = add_manager("ivanov");
  EXPECT_EQ(engine->events().since(as(ivanov), 0, 10).status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(engine->events().since(actor, 0, 10).ok());
}

}  // namespace
}  // namespace salescore::testing
