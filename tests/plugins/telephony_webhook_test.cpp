// Cloud-PBX webhooks into the telephony connector: Zadarma/Novofon and Mango Office, with
// good, missing, forged and replayed signatures; a retried delivery is applied once.
#include <Poco/URI.h>

#include "cloud_pbx_peer.h"
#include "cloud_webhooks.h"
#include "plugin_fixture.h"

namespace salescore::plugins::testing {
namespace {

using telephony::mango_sign;
using telephony::zadarma_signature;

TEST(CloudSignatures, ZadarmaIsBase64OfTheHexHmacAndMangoTheHexSha256OfKeyJsonSalt) {
  // Vectors computed with Python's hmac/hashlib, as the vendors' PHP examples do it.
  EXPECT_EQ(zadarma_signature("84951112233749512345672026-11-02 08:55:00", "zd-secret"),
            "M2NlMjkyZTg3ZjAwYmQ3YTdhNjg1MWE0NWUwOGYyM2M1NTgzMDUwNA==");
  EXPECT_EQ(mango_sign("mkey", R"({"a":1})", "msalt"), "38da5c6788041d5e039ecf66a9ebc5302475055986fe3a8d1851ed29c5608f6a");
}

class TelephonyWebhookTest : public PluginTest {
 protected:
  void SetUp() override {
    PluginTest::SetUp();
    runtime = std::make_unique<ConnectorRuntime>(*engine, runtime_options());
    auto lib = ConnectorLibrary::open(std::string(SALESCORE_CONNECTOR_BUILD_DIR) + "/salescore_connector_telephony.so",
                                      nullptr);
    ASSERT_TRUE(lib.ok()) << lib.status().to_string();
    Status added = runtime->add(*lib, {{"ami_enabled", "false"},
                                       {"zadarma_secret", "zd-secret"},
                                       {"mango_api_key", "mkey"},
                                       {"mango_api_salt", "msalt"},
                                       {"webhook_window_s", "3600"}});
    ASSERT_TRUE(added.is_ok()) << added.to_string();
  }
  std::vector<Interaction> calls() {
    auto found = engine->interactions().find(Actor::system(), InteractionQuery{});
    return found.ok() ? *found : std::vector<Interaction>{};
  }
  RouteResponse zadarma(const std::vector<std::pair<std::string, std::string>>& fields, const std::string& signature) {
    return call_route("POST", "/telephony/zadarma", form(fields), {{"Signature", signature}});
  }
  // 2026-11-02 08:55:00 UTC: five minutes before the engine's clock.
  const std::vector<std::pair<std::string, std::string>> missed_end = {
      {"event", "NOTIFY_END"},   {"call_start", "2026-11-02 08:55:00"}, {"pbx_call_id", "in_abc123"},
      {"caller_id", "84951112233"}, {"called_did", "74951234567"},       {"internal", "101"},
      {"disposition", "no answer"}, {"duration", "0"},                    {"status_code", "19"},
      {"is_recorded", "0"}};
};

TEST_F(TelephonyWebhookTest, ZadarmaEchoIsAnsweredForTheWebhookSetUp) {
  RouteRequest r;
  r.method = "GET";
  r.path = "/telephony/zadarma";
  r.query = "zd_echo=abc123";
  auto answer = runtime->handle(r);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "abc123");
}

TEST_F(TelephonyWebhookTest, ASignedZadarmaMissedCallIsRecordedOnceAndBecomesALead) {
  const std::string good = zadarma_signature("84951112233749512345672026-11-02 08:55:00", "zd-secret");
  auto r = zadarma(missed_end, good);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(zadarma(missed_end, good).status, 200) << "a retried delivery is answered";
  auto got = calls();
  ASSERT_EQ(got.size(), 1u) << "and applied once";
  EXPECT_EQ(got[0].external_id, "zadarma:in_abc123");
  EXPECT_EQ(got[0].direction, Direction::kInbound);
  EXPECT_EQ(got[0].duration_s, 0);
  auto leads = engine->leads().find(Actor::system(), LeadQuery{});
  ASSERT_TRUE(leads.ok());
  ASSERT_EQ(leads->size(), 1u);
  EXPECT_EQ(leads->front().phone, "+74951112233");
}

TEST_F(TelephonyWebhookTest, UnsignedForgedAndReplayedZadarmaRequestsAreRefused) {
  EXPECT_EQ(call_route("POST", "/telephony/zadarma", form(missed_end)).status, 401) << "no signature";
  EXPECT_EQ(zadarma(missed_end, zadarma_signature("84951112233749512345672026-11-02 08:55:00", "guessed")).status, 401);
  auto tampered = missed_end;
  tampered[3].second = "84950000000";  // the caller changed after signing
  EXPECT_EQ(zadarma(tampered, zadarma_signature("84951112233749512345672026-11-02 08:55:00", "zd-secret")).status, 401);
  auto old = missed_end;
  old[1].second = "2026-10-01 08:55:00";  // a genuine request of a month ago, sent again
  EXPECT_EQ(zadarma(old, zadarma_signature("84951112233749512345672026-10-01 08:55:00", "zd-secret")).status, 401);
  EXPECT_EQ(zadarma({{"event", "NOTIFY_WHATEVER"}}, "x").status, 400);
  EXPECT_TRUE(calls().empty());
}

TEST_F(TelephonyWebhookTest, AnAnsweredZadarmaOutboundCallHasItsTalkTime) {
  const std::vector<std::pair<std::string, std::string>> out = {
      {"event", "NOTIFY_OUT_END"}, {"call_start", "2026-11-02 08:50:00"}, {"pbx_call_id", "out_1"},
      {"internal", "101"},         {"destination", "84957654321"},         {"disposition", "answered"},
      {"duration", "95"}};
  auto r = zadarma(out, zadarma_signature("101849576543212026-11-02 08:50:00", "zd-secret"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto got = calls();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].direction, Direction::kOutbound);
  EXPECT_EQ(got[0].duration_s, 95);
  EXPECT_NE(got[0].subject.find("answered by 101"), std::string::npos) << got[0].subject;
}

TEST_F(TelephonyWebhookTest, MangoSummariesAreRecordedAndLegEventsOfUnknownCallsAccepted) {
  const std::string json =
      R"({"entry_id":"MjA2MTU0NTY0NzY6MTAx","call_direction":1,"from":{"number":"74951112233"},)"
      R"("to":{"extension":"102","number":"74951234567"},"create_time":1793609700,"forward_time":1793609702,)"
      R"("talk_time":1793609705,"end_time":1793609765,"entry_result":1,"disconnect_reason":1110})";
  const std::string body = form({{"vpbx_api_key", "mkey"}, {"sign", mango_sign("mkey", json, "msalt")}, {"json", json}});
  EXPECT_EQ(call_route("POST", "/telephony/mango/events/summary", body).status, 200);
  EXPECT_EQ(call_route("POST", "/telephony/mango/events/summary", body).status, 200);
  auto got = calls();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].external_id, "mango:MjA2MTU0NTY0NzY6MTAx");
  EXPECT_EQ(got[0].duration_s, 60);
  // A leg of a call we never heard of, its seq out of order: accepted, nothing recorded.
  const std::string leg = R"({"entry_id":"unknown","call_id":"leg-9","seq":3,"call_state":"Disconnected"})";
  EXPECT_EQ(call_route("POST", "/telephony/mango/events/call",
                       form({{"vpbx_api_key", "mkey"}, {"sign", mango_sign("mkey", leg, "msalt")}, {"json", leg}}))
                .status,
            200);
  EXPECT_EQ(call_route("POST", "/telephony/mango/events/summary",
                       form({{"vpbx_api_key", "mkey"}, {"sign", mango_sign("mkey", json, "wrong")}, {"json", json}}))
                .status,
            401);
  EXPECT_EQ(call_route("POST", "/telephony/mango/events/summary",
                       form({{"vpbx_api_key", "other"}, {"sign", mango_sign("other", json, "msalt")}, {"json", json}}))
                .status,
            401);
  EXPECT_EQ(calls().size(), 1u);
}

}  // namespace
}  // namespace salescore::plugins::testing
