// The telephony connector calling the cloud PBXs' own APIs, against loopback peers that
// check the documented signatures (cloud_pbx_peer.h): click-to-call through Zadarma's
// request/callback and Mango's commands/callback, recordings downloaded into
// recordings_dir and named on their call; and the poll of a directory of CDR files.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <Poco/URI.h>

#include "cloud_pbx_peer.h"
#include "cloud_webhooks.h"
#include "plugin_fixture.h"
#include "salescore/calls.h"

namespace salescore::plugins::testing {
namespace {

namespace fs = std::filesystem;

TEST(CloudPbxPeerSignatures, MatchVectorsComputedWithPython) {
  // hmac/hashlib, as the vendors' PHP clients compute them.
  EXPECT_EQ(documented_zadarma_signature("/v1/request/callback/", "format=json&from=101&to=84951234567", "zd-secret"),
            "ZDA3MmI2MDlkZDg0OWI4MjgxYzNhOTIwZDNlNjAyYjEyNDY3ZGU4Yg==");
  EXPECT_EQ(documented_mango_sign("mkey", R"({"command_id":"c2c-1","from":{"extension":"101"},"to_number":"74951234567"})",
                                  "msalt"),
            "ff398465f6e33040e0493daad849ca33c113c6b01369e7b3f6de4ff6ba9a131c");
}

class TelephonyCloudTest : public PluginTest {
 protected:
  void start(Settings extra) {
    Settings s = {{"ami_enabled", "false"},
                  {"extensions", "101:m101"},
                  {"zadarma_key", "zk"},
                  {"zadarma_secret", "zd-secret"},
                  {"zadarma_api_url", pbx.url()},
                  {"mango_api_key", "mkey"},
                  {"mango_api_salt", "msalt"},
                  {"mango_api_url", pbx.url()},
                  {"webhook_window_s", "3600"},
                  {"retry_base_ms", "5"},
                  {"retry_cap_ms", "20"}};
    for (auto& [k, v] : extra) s[k] = v;
    runtime = std::make_unique<ConnectorRuntime>(*engine, runtime_options());
    auto lib = ConnectorLibrary::open(std::string(SALESCORE_CONNECTOR_BUILD_DIR) + "/salescore_connector_telephony.so",
                                      nullptr);
    ASSERT_TRUE(lib.ok()) << lib.status().to_string();
    Status added = runtime->add(*lib, s);
    ASSERT_TRUE(added.is_ok()) << added.to_string();
  }
  void TearDown() override {
    if (runtime) runtime->stop_sessions();
    PluginTest::TearDown();
  }
  Id manager() {
    User u;
    u.login = "m101";
    u.name = "m101";
    u.role = Role::kManager;
    auto added = engine->users().add(Actor::system(), u);
    EXPECT_TRUE(added.ok());
    return added.ok() ? added->id : 0;
  }
  Id client_of(Id owner) {
    Client c;
    c.name = "ООО Ромашка";
    c.phones = {"8 (495) 123-45-67"};
    c.owner_id = owner;
    auto r = engine->clients().add(Actor::system(), c);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->record.id : 0;
  }
  std::int64_t pending() {
    auto n = engine->connectors().pending("telephony");
    return n.ok() ? *n : -1;
  }
  // Delivers the outbox until it is empty or `done` holds, boundedly.
  void deliver_until(const std::function<bool()>& done) {
    for (int i = 0; i < 300 && !done(); ++i) {
      runtime->run_due();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  std::vector<Interaction> calls() {
    auto found = engine->interactions().find(Actor::system(), InteractionQuery{});
    return found.ok() ? *found : std::vector<Interaction>{};
  }
  std::vector<DeadLetter> letters() {
    DeadLetterQuery q;
    q.connector = "telephony";
    auto l = engine->connectors().dead_letters(q);
    return l.ok() ? *l : std::vector<DeadLetter>{};
  }
  fs::path recordings() { return fs::path(db_path).parent_path() / "recordings"; }
  std::string dead_reasons() {
    std::string out;
    for (const auto& l : letters()) out += "\ndead letter: " + l.reason;
    return out;
  }

  CloudPbxPeer pbx;
};

TEST_F(TelephonyCloudTest, ZadarmaClickToCallIsASignedRequestCallbackFromTheManagersExtension) {
  const Id m101 = manager();
  const Id client = client_of(m101);
  start({{"click_to_call", "zadarma"}});
  pbx.answer = [](const PbxRequest&) { return PbxAnswer{200, R"({"status":"success","from":101,"to":84951234567})"}; };
  DialRequest asked;
  asked.client_id = client;
  ASSERT_TRUE(dial(*engine, Actor{m101, Role::kManager}, asked).ok());
  deliver_until([&] { return pending() == 0; });
  auto got = pbx.requests();
  ASSERT_EQ(got.size(), 1u) << all_logs();
  EXPECT_EQ(got[0].method, "GET");
  EXPECT_EQ(got[0].path, "/v1/request/callback/");
  EXPECT_EQ(got[0].query, "format=json&from=101&to=84951234567");
  EXPECT_TRUE(got[0].signed_right) << got[0].authorization;
  EXPECT_EQ(pending(), 0);
  EXPECT_TRUE(letters().empty());
}

TEST_F(TelephonyCloudTest, AZadarmaRefusalIsADeadLetterNamingWhatThePbxSaid) {
  const Id m101 = manager();
  const Id client = client_of(m101);
  start({{"click_to_call", "zadarma"}});
  pbx.answer = [](const PbxRequest&) { return PbxAnswer{200, R"({"status":"error","message":"Wrong number"})"}; };
  DialRequest asked;
  asked.client_id = client;
  ASSERT_TRUE(dial(*engine, Actor{m101, Role::kManager}, asked).ok());
  deliver_until([&] { return !letters().empty(); });
  auto dead = letters();
  ASSERT_EQ(dead.size(), 1u) << all_logs();
  EXPECT_NE(dead[0].reason.find("Wrong number"), std::string::npos) << dead[0].reason;
}

TEST_F(TelephonyCloudTest, AWrongZadarmaSecretIsRefusedByThePbxAndKeptAsADeadLetter) {
  const Id m101 = manager();
  const Id client = client_of(m101);
  start({{"click_to_call", "zadarma"}, {"zadarma_secret", "not-the-secret"}});
  DialRequest asked;
  asked.client_id = client;
  ASSERT_TRUE(dial(*engine, Actor{m101, Role::kManager}, asked).ok());
  deliver_until([&] { return !letters().empty(); });
  ASSERT_FALSE(pbx.requests().empty());
  EXPECT_FALSE(pbx.requests()[0].signed_right);
  auto dead = letters();
  ASSERT_EQ(dead.size(), 1u) << all_logs();
  EXPECT_NE(dead[0].reason.find("answered 401"), std::string::npos) << dead[0].reason;
  EXPECT_EQ(pending(), 0) << "not delivered, but kept to replay once the secret is fixed";
}

TEST_F(TelephonyCloudTest, MangoClickToCallIsASignedCommandsCallback) {
  const Id m101 = manager();
  const Id client = client_of(m101);
  start({{"click_to_call", "mango"}, {"dial_format", "digits"}});
  pbx.answer = [](const PbxRequest&) { return PbxAnswer{200, R"({"result":1000})"}; };
  DialRequest asked;
  asked.client_id = client;
  ASSERT_TRUE(dial(*engine, Actor{m101, Role::kManager}, asked).ok());
  deliver_until([&] { return pending() == 0; });
  auto got = pbx.requests();
  ASSERT_EQ(got.size(), 1u) << all_logs();
  EXPECT_EQ(got[0].method, "POST");
  EXPECT_EQ(got[0].path, "/commands/callback");
  EXPECT_TRUE(got[0].signed_right) << got[0].body;
  std::istringstream body(got[0].body);
  Poco::Net::HTMLForm f;
  f.read(body);
  const std::string json = f.get("json", "");
  EXPECT_NE(json.find(R"("from":{"extension":"101"})"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("to_number":"74951234567")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("command_id":"c2c-dial:)"), std::string::npos) << json;
}

TEST_F(TelephonyCloudTest, AZadarmaRecordingIsDownloadedAndNamedOnItsCall) {
  manager();  // extension 101's login: the call is theirs
  start({{"recordings_dir", recordings().string()}});
  const std::string link = pbx.url() + "/rec/in_abc123.mp3";
  pbx.answer = [link](const PbxRequest& r) {
    if (r.path == "/v1/pbx/record/request/") return PbxAnswer{200, R"({"status":"success","link":")" + link + "\"}"};
    return PbxAnswer{200, "ID3-recorded-voice"};
  };
  // The call's end, then the notice that its recording is ready (retried by Zadarma once).
  const std::vector<std::pair<std::string, std::string>> end = {
      {"event", "NOTIFY_END"},        {"call_start", "2026-11-02 08:55:00"}, {"pbx_call_id", "in_abc123"},
      {"caller_id", "84951112233"},   {"called_did", "74951234567"},       {"internal", "101"},
      {"disposition", "answered"},    {"duration", "42"},                   {"status_code", "16"},
      {"is_recorded", "1"},           {"call_id_with_rec", "1793609700.123"}};
  auto sent = call_route("POST", "/telephony/zadarma", form(end),
                         {{"Signature", telephony::zadarma_signature("84951112233749512345672026-11-02 08:55:00",
                                                                     "zd-secret")}});
  ASSERT_EQ(sent.status, 200) << sent.body;
  const std::vector<std::pair<std::string, std::string>> ready = {
      {"event", "NOTIFY_RECORD"}, {"pbx_call_id", "in_abc123"}, {"call_id_with_rec", "1793609700.123"}};
  const std::string signature = telephony::zadarma_signature("in_abc1231793609700.123", "zd-secret");
  ASSERT_EQ(call_route("POST", "/telephony/zadarma", form(ready), {{"Signature", signature}}).status, 200);
  ASSERT_EQ(call_route("POST", "/telephony/zadarma", form(ready), {{"Signature", signature}}).status, 200);
  deliver_until([&] { return pending() == 0; });
  const fs::path file = recordings() / "zadarma-1793609700.123.mp3";
  ASSERT_TRUE(fs::exists(file)) << all_logs();
  std::ifstream in(file, std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "ID3-recorded-voice");
  auto requests = pbx.requests();
  ASSERT_EQ(requests.size(), 2u) << "one download, though the notice came twice";
  EXPECT_TRUE(requests[0].signed_right);
  EXPECT_EQ(requests[0].query, "call_id=1793609700.123&format=json");
  auto got = calls();
  ASSERT_EQ(got.size(), 1u) << all_logs() << dead_reasons();
  EXPECT_EQ(got[0].call.recording, file.string());
  EXPECT_EQ(got[0].duration_s, 42) << "the rest of the call as its end said";
  EXPECT_EQ(got[0].call.disposition, "answered");
}

TEST_F(TelephonyCloudTest, AMangoRecordingFollowsTheRedirectToItsTemporaryLink) {
  manager();
  start({{"recordings_dir", recordings().string()}});
  const std::string link = pbx.url() + "/rec/mango-file";
  pbx.answer = [link](const PbxRequest& r) {
    if (r.path == "/queries/recording/post") return PbxAnswer{302, "", link};
    return PbxAnswer{200, "mango-voice"};
  };
  const std::string summary =
      R"({"entry_id":"MTAx","call_direction":1,"from":{"number":"74951112233"},"to":{"number":"74951234567","extension":"101"},)"
      R"("create_time":1793609700,"talk_time":1793609705,"end_time":1793609760,"disconnect_reason":1110})";
  auto post = [&](const std::string& path, const std::string& json) {
    return call_route("POST", path,
                      form({{"vpbx_api_key", "mkey"}, {"sign", telephony::mango_sign("mkey", json, "msalt")}, {"json", json}}));
  };
  ASSERT_EQ(post("/telephony/mango/events/summary", summary).status, 200);
  ASSERT_EQ(post("/telephony/mango/events/recording",
                 R"({"recording_id":"REC-1","recording_state":"Started","entry_id":"MTAx"})").status, 200);
  EXPECT_EQ(pending(), 0) << "a recording still being made is not fetched";
  ASSERT_EQ(post("/telephony/mango/events/recording",
                 R"({"recording_id":"REC-1","recording_state":"Completed","entry_id":"MTAx"})").status, 200);
  deliver_until([&] { return pending() == 0; });
  const fs::path file = recordings() / "mango-REC-1.mp3";
  ASSERT_TRUE(fs::exists(file)) << all_logs();
  auto requests = pbx.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_TRUE(requests[0].signed_right) << requests[0].body;
  auto got = calls();
  ASSERT_EQ(got.size(), 1u) << all_logs() << dead_reasons();
  EXPECT_EQ(got[0].call.recording, file.string());
}

TEST_F(TelephonyCloudTest, ARecordingOfACallSalescoreNeverHeardOfIsADeadLetter) {
  start({{"recordings_dir", recordings().string()}});
  pbx.answer = [](const PbxRequest& r) {
    if (r.path == "/queries/recording/post") return PbxAnswer{200, "bytes"};
    return PbxAnswer{404, ""};
  };
  const std::string json = R"({"recording_id":"REC-9","entry_id":"unknown-entry"})";
  ASSERT_EQ(call_route("POST", "/telephony/mango/events/recording",
                       form({{"vpbx_api_key", "mkey"}, {"sign", telephony::mango_sign("mkey", json, "msalt")}, {"json", json}}))
                .status,
            200);
  deliver_until([&] { return pending() == 0; });
  EXPECT_TRUE(calls().empty()) << "no call made up from a recording";
  auto dead = letters();
  ASSERT_EQ(dead.size(), 1u) << all_logs();
  EXPECT_NE(dead[0].reason.find("no call mango:unknown-entry"), std::string::npos) << dead[0].reason;
}

// ---- the CDR directory's poll ----

fs::path recorded_cdr() {
  const char* env = std::getenv("SALESCORE_SHARED_FIXTURES");
  return (env && *env ? fs::path(env) : fs::path(SALESCORE_SHARED_FIXTURES)) / "cdr" / "Master-asterisk-22.csv";
}

TEST_F(TelephonyCloudTest, ACdrDirectoryIsPolledTakingOnlyCallsThatEndedAWhileAgo) {
  if (!fs::exists(recorded_cdr())) GTEST_SKIP() << "no recorded CDR at " << recorded_cdr();
  const fs::path dir = fs::path(db_path).parent_path() / "cdr";
  fs::create_directories(dir);
  fs::copy_file(recorded_cdr(), dir / "Master.csv");
  manager();  // 101's login
  // 01:32:40: with 60 s to settle, only calls that ended by 01:31:40 are taken.
  clock->set(parse_iso8601("2026-12-07T01:32:40Z").value());
  start({{"cdr_dir", dir.string()}, {"cdr_poll_s", "1"}, {"cdr_settle_s", "60"}, {"trunks", "Local/*@trunk-in"},
         {"outbound_contexts", "outside"}});
  runtime->start_sessions();
  for (int i = 0; i < 300 && !logged("CDR poll: Master.csv"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const std::size_t early = calls().size();
  EXPECT_GT(early, 0u) << all_logs();
  EXPECT_LT(early, 7u) << "calls still being written are left for the next poll";
  advance(120'000);
  for (int i = 0; i < 300 && calls().size() < 7; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(calls().size(), 7u) << all_logs();
  runtime->stop_sessions();
  auto state = engine->connectors().state("telephony");
  ASSERT_TRUE(state.ok() && state->checkpoint);
  EXPECT_NE(state->checkpoint->find("\"Master.csv\":" + std::to_string(fs::file_size(dir / "Master.csv"))),
            std::string::npos)
      << *state->checkpoint << ": the whole file read, kept across restarts";
}

}  // namespace
}  // namespace salescore::plugins::testing
