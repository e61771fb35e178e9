// Logging in (accounts.h): Argon2id passwords, sessions that end server-side, the CSRF
// token of a session, and throttled guessing per login and per address, in core for
// every surface.
#include <gtest/gtest.h>

#include <barrier>
#include <thread>

#include "engine_fixture.h"

namespace salescore::testing {
namespace {

constexpr const char* kPassword = "correct horse battery";

class AccountServiceTest : public EngineTest {
 protected:
  Id with_password(const std::string& login) {
    Id id = add_manager(login);
    EXPECT_TRUE(engine->accounts().set_password(actor, id, kPassword).is_ok());
    return id;
  }
};

TEST_F(AccountServiceTest, ALoginOpensASessionThatResolvesToItsUser) {
  Id ivanov = with_password("ivanov");
  auto opened = engine->accounts().log_in("ivanov", kPassword, "10.0.0.1");
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  EXPECT_EQ(opened->secret.rfind("scs_", 0), 0u);
  EXPECT_EQ(opened->session.csrf_token.size(), 64u);
  auto session = engine->accounts().resolve(opened->secret);
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->user.id, ivanov);
  EXPECT_EQ(session->session.csrf_token, opened->session.csrf_token);
  // A second login is a second session with its own secret and token.
  auto again = engine->accounts().log_in("ivanov", kPassword, "10.0.0.1");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again->secret, opened->secret);
  EXPECT_NE(again->session.csrf_token, opened->session.csrf_token);
}

TEST_F(AccountServiceTest, SessionsEndAtLogoutExpiryPasswordChangeAndDeactivation) {
  Id ivanov = with_password("ivanov");
  auto logout = engine->accounts().log_in("ivanov", kPassword, "a");
  ASSERT_TRUE(engine->accounts().log_out(logout->secret).is_ok());
  EXPECT_EQ(engine->accounts().resolve(logout->secret).status().code(), Code::kUnauthenticated);

  auto expiring = engine->accounts().log_in("ivanov", kPassword, "a");
  clock->advance_ms(engine->accounts().limits().session_ms);
  EXPECT_EQ(engine->accounts().resolve(expiring->secret).status().code(), Code::kUnauthenticated);

  auto before_change = engine->accounts().log_in("ivanov", kPassword, "a");
  ASSERT_TRUE(engine->accounts().set_password(actor, ivanov, "another long one").is_ok());
  EXPECT_EQ(engine->accounts().resolve(before_change->secret).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(engine->accounts().log_in("ivanov", kPassword, "a").status().code(), Code::kUnauthenticated);

  auto before_leaving = engine->accounts().log_in("ivanov", "another long one", "a");
  ASSERT_TRUE(before_leaving.ok());
  ASSERT_TRUE(engine->accounts().set_active(actor, ivanov, false).ok());
  EXPECT_EQ(engine->accounts().resolve(before_leaving->secret).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(engine->accounts().log_in("ivanov", "another long one", "a").status().code(), Code::kUnauthenticated);
}

TEST_F(AccountServiceTest, OnlyWhoeverManagesPeopleSetsAnothersPassword) {
  Id ivanov = with_password("ivanov");
  Id petrova = with_password("petrova");
  const Actor as_ivanov{ivanov, Role::kManager};
  EXPECT_EQ(engine->accounts().set_password(as_ivanov, petrova, "a long password").code(), Code::kPermissionDenied);
  EXPECT_EQ(engine->accounts().set_password(as_ivanov, ivanov, "a long password", "wrong").code(),
            Code::kInvalidArgument);
  EXPECT_TRUE(engine->accounts().set_password(as_ivanov, ivanov, "a long password", kPassword).is_ok());
  EXPECT_EQ(engine->accounts().set_password(actor, ivanov, "short").code(), Code::kInvalidArgument);
  EXPECT_EQ(engine->accounts().set_active(as_ivanov, petrova, false).status().code(), Code::kPermissionDenied);
}

TEST_F(AccountServiceTest, GuessingIsLockedOutPerLoginThenPerAddress) {
  with_password("ivanov");
  with_password("petrova");
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(engine->accounts().log_in("ivanov", "guess", "10.0.0.9").status().code(), Code::kUnauthenticated);
  auto locked = engine->accounts().log_in("ivanov", kPassword, "10.0.0.9");
  EXPECT_EQ(locked.status().code(), Code::kResourceExhausted);
  EXPECT_EQ(locked.status().message(), "too many failed logins for ivanov: try again in 15 minutes");
  EXPECT_TRUE(engine->accounts().log_in("petrova", kPassword, "10.0.0.9").ok());
  // The window passes: the login works again.
  clock->advance_ms(engine->accounts().limits().window_ms);
  EXPECT_TRUE(engine->accounts().log_in("ivanov", kPassword, "10.0.0.9").ok());

  LoginLimits small;
  small.per_address = 3;
  engine->accounts().set_limits(small);
  for (const char* login : {"a", "b", "c"}) EXPECT_FALSE(engine->accounts().log_in(login, "x", "10.0.0.7").ok());
  auto address = engine->accounts().log_in("petrova", kPassword, "10.0.0.7");
  EXPECT_EQ(address.status().code(), Code::kResourceExhausted);
  EXPECT_NE(address.status().message().find("from this address"), std::string::npos);
  EXPECT_TRUE(engine->accounts().log_in("petrova", kPassword, "10.0.0.8").ok());
}

// Guesses sent at the same moment (a script with many connections, or several `serve`
// processes behind a balancer) each read the failures before any of them is recorded:
// the limit is checked again in the write that records the attempt, where writes run one
// at a time, so no more guesses are answered than the limit allows.
TEST_F(AccountServiceTest, GuessesSentAtOnceAreAnsweredNoMoreOftenThanTheLimitAllows) {
  with_password("ivanov");
  LoginLimits small;
  small.per_login = 2;
  engine->accounts().set_limits(small);
  constexpr int kGuesses = 6;
  std::vector<Code> answers(kGuesses);
  std::barrier<> start(kGuesses);
  std::vector<std::thread> guessers;
  for (int i = 0; i < kGuesses; ++i)
    guessers.emplace_back([&, i] {
      start.arrive_and_wait();
      answers[i] = engine->accounts().log_in("ivanov", "guess " + std::to_string(i), "10.0.0.5").status().code();
    });
  for (auto& t : guessers) t.join();
  int wrong = 0, locked = 0;
  for (Code c : answers) {
    if (c == Code::kUnauthenticated) ++wrong;
    if (c == Code::kResourceExhausted) ++locked;
  }
  EXPECT_EQ(wrong, small.per_login) << "guesses answered 'wrong' beyond the limit";
  EXPECT_EQ(locked, kGuesses - small.per_login);
  EXPECT_EQ(engine->accounts().log_in("ivanov", kPassword, "10.0.0.6").status().code(), Code::kResourceExhausted)
      << "the login is locked: the right password opens no session either";
}

TEST_F(AccountServiceTest, NoPasswordNoLoginAndTheLanguageIsOneOfFour) {
  Id ivanov = add_manager("ivanov");
  EXPECT_EQ(engine->accounts().log_in("ivanov", "", "a").status().code(), Code::kUnauthenticated);
  EXPECT_TRUE(engine->accounts().set_language(Actor{ivanov, Role::kManager}, "bg").is_ok());
  EXPECT_EQ(engine->accounts().set_language(Actor{ivanov, Role::kManager}, "fr").code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace salescore::testing
