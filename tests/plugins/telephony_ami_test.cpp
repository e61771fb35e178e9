// The telephony connector's AMI session against a scripted Asterisk on loopback that
// replays the sessions recorded from a real Asterisk 22 (../shared/fixtures/ami/) and
// variants built to the AMI event reference: each call lands once on the client's
// timeline, with the answering extension, and a missed one is followed up.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <map>
#include <set>
#include <thread>

#include "ami_peer.h"
#include "salescore/calls.h"
#include "salescore/kpi.h"
#include "plugin_fixture.h"

namespace salescore::plugins::testing {
namespace {

namespace fs = std::filesystem;
fs::path shared_fixtures() {
  const char* env = std::getenv("SALESCORE_SHARED_FIXTURES");
  return env && *env ? fs::path(env) : fs::path(SALESCORE_SHARED_FIXTURES);
}
const fs::path kAmi = shared_fixtures() / "ami";

class TelephonyAmiTest : public PluginTest {
 protected:
  void SetUp() override {
    PluginTest::SetUp();
    if (!fs::exists(kAmi / "ami-ringgroup.txt")) GTEST_SKIP() << "no recorded AMI sessions at " << kAmi;
    for (const char* login : {"m101", "m102", "m103", "m201", "deputy"}) {
      User u;
      u.login = login;
      u.name = login;
      u.role = Role::kManager;
      auto added = engine->users().add(Actor::system(), u);
      ASSERT_TRUE(added.ok()) << added.status().to_string();
      users[login] = added->id;
    }
  }
  void TearDown() override {
    if (runtime) runtime->stop_sessions();
    peer.stop();
    PluginTest::TearDown();
  }

  // The test office of the recordings: trunk-in brings customers in, outside is the world.
  void start(Settings extra = {}) {
    peer.start();
    Settings s = {{"ami_port", std::to_string(peer.port())},
                  {"ami_user", "salescore"},
                  {"ami_secret", "rec"},
                  {"trunks", "Local/*@trunk-in"},
                  {"outbound_contexts", "outside"},
                  {"extensions", "101:m101, 102:m102, 103:m103, 201:m201"},
                  {"ping_interval_s", "1"},
                  {"retry_base_ms", "5"},
                  {"retry_cap_ms", "20"}};
    for (auto& [k, v] : extra) s[k] = v;
    runtime = std::make_unique<ConnectorRuntime>(*engine, runtime_options());
    auto lib = ConnectorLibrary::open(std::string(SALESCORE_CONNECTOR_BUILD_DIR) + "/salescore_connector_telephony.so",
                                      nullptr);
    ASSERT_TRUE(lib.ok()) << lib.status().to_string();
    Status added = runtime->add(*lib, s);
    ASSERT_TRUE(added.is_ok()) << added.to_string();
    runtime->start_sessions();
  }

  std::vector<Interaction> calls() {
    InteractionQuery all;
    all.page.limit = 1000;  // a burst's calls are more than a default page
    auto found = engine->interactions().find(Actor::system(), all);
    EXPECT_TRUE(found.ok());
    return found.ok() ? *found : std::vector<Interaction>{};
  }
  // The session thread is real: wait for its calls, boundedly, then a little more so that
  // a double would show.
  std::vector<Interaction> wait_for_calls(std::size_t n) {
    for (int i = 0; i < 1000 && calls().size() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return calls();
  }
  Id add_client(const std::string& name, const std::string& phone, Id owner) {
    Client c;
    c.name = name;
    c.phones = {phone};
    c.owner_id = owner;
    auto r = engine->clients().add(Actor::system(), c);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->record.id : 0;
  }
  std::vector<Lead> leads() {
    auto r = engine->leads().find(Actor::system(), LeadQuery{});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<Lead>{};
  }
  std::vector<Task> tasks_of(Id user) {
    TaskQuery q;
    q.assignee_id = user;
    auto r = engine->tasks().find(Actor::system(), q);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<Task>{};
  }
  static bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
  std::int64_t outbox_pending_of(const std::string& connector) {
    auto n = engine->connectors().pending(connector);
    return n.ok() ? *n : -1;
  }

  ScriptedAmiPeer peer;
  std::map<std::string, Id> users;
};

TEST_F(TelephonyAmiTest, ARingGroupAnsweredByTheSecondPhoneLandsOnceOnTheClientsTimeline) {
  const Id client = add_client("ООО Ромашка", "+74959876543", users["m102"]);
  peer.add_connection({recorded_events(kAmi / "ami-ringgroup.txt"), false});
  start();
  auto got = wait_for_calls(1);
  ASSERT_EQ(got.size(), 1u) << all_logs();
  const Interaction& call = got.front();
  EXPECT_EQ(call.kind, InteractionKind::kCall);
  EXPECT_EQ(call.direction, Direction::kInbound);
  EXPECT_EQ(call.client_id, client);
  EXPECT_EQ(call.user_id, users["m102"]) << "the phone bridged with the customer, not the last that rang";
  EXPECT_EQ(call.duration_s, 4);
  EXPECT_EQ(call.external_id, "asterisk:1796607077.0");
  EXPECT_EQ(call.source, "telephony");
  EXPECT_TRUE(has(call.subject, "answered by 102")) << call.subject;
  EXPECT_TRUE(has(call.body, "rang, not answered: 101, 103")) << call.body;
  EXPECT_TRUE(has(call.body, "hangup cause: 16")) << call.body;
  EXPECT_TRUE(tasks_of(users["m102"]).empty()) << "an answered call needs no call-back";
  EXPECT_TRUE(leads().empty());
  // The same facts as data (migration 20), read back as stored.
  auto stored = engine->interactions().get(Actor::system(), call.id);
  ASSERT_TRUE(stored.ok());
  const CallFacts& facts = stored->call;
  EXPECT_EQ(facts.caller, "84959876543");
  EXPECT_EQ(facts.callee, "600");
  EXPECT_EQ(facts.manager, "102");
  EXPECT_EQ(facts.disposition, "answered");
  EXPECT_EQ(facts.hangup_cause.substr(0, 2), "16") << facts.hangup_cause;
  EXPECT_EQ(facts.pbx_call_id, "1796607077.0");
  EXPECT_LE(facts.ring_s, 1) << "102 answered after half a second";
  EXPECT_EQ(facts.rang_not_answered, "101,103") << "the per-agent figure: 101 and 103 rang, did not answer";
}

TEST_F(TelephonyAmiTest, ACallFromAContactsNumberNamesTheContact) {
  const Id client = add_client("ООО Ромашка", "+74950000001", users["m102"]);
  Contact person;
  person.client_id = client;
  person.name = "Иванов";
  person.phones = {"8 (495) 987-65-43"};
  auto added = engine->contacts().add(Actor::system(), person);
  ASSERT_TRUE(added.ok()) << added.status().to_string();
  peer.add_connection({recorded_events(kAmi / "ami-ringgroup.txt"), false});
  start();
  auto got = wait_for_calls(1);
  ASSERT_EQ(got.size(), 1u) << all_logs();
  EXPECT_EQ(got[0].client_id, client) << "the contact's number finds its client";
  EXPECT_EQ(got[0].contact_id, added->id);
}

TEST_F(TelephonyAmiTest, ARingAllQueueIsAnsweredByTheAgentBridgedWithTheCustomer) {
  // The recording (and its CDR rows) show member 103 answering; 101 rang and was cancelled.
  peer.add_connection({recorded_events(kAmi / "ami-queue.txt"), false});
  start();
  auto got = wait_for_calls(1);
  ASSERT_EQ(got.size(), 1u) << all_logs();
  EXPECT_EQ(got[0].user_id, users["m103"]) << got[0].subject;
  EXPECT_TRUE(has(got[0].subject, "Inbound call from 84959876543 to 700: answered by 103")) << got[0].subject;
  EXPECT_TRUE(has(got[0].body, "rang, not answered: 101")) << got[0].body;
  EXPECT_EQ(got[0].duration_s, 4);
  EXPECT_EQ(got[0].call.rang_not_answered, "101") << "101 rang, not answered; the call is not missed";
  EXPECT_EQ(got[0].call.disposition, "answered");
  EXPECT_EQ(got[0].call.manager, "103");
}

TEST_F(TelephonyAmiTest, BusyNoAnswerAndCongestionAreMissedCallsEachFollowedUpOnce) {
  // 84951112233 is a client of m201's: a call-back task for m201's deputy (m201 is away);
  // the two unknown numbers become leads.
  const Id known = add_client("ИП Сидоров", "8 (495) 111-22-33", users["m201"]);
  Absence away;
  away.user_id = users["m201"];
  away.deputy_id = users["deputy"];
  away.starts_at = Instant{kStartMs - 86'400'000};
  away.ends_at = Instant{kStartMs + 30LL * 86'400'000};
  ASSERT_TRUE(engine->absences().add(Actor::system(), away).ok());
  auto events = recorded_events(kAmi / "ami-busy-noanswer-unavailable.txt");
  // The same session again on the next connection (a PBX that replays): nothing twice.
  peer.add_connection({events, true});
  peer.add_connection({events, false});
  start();
  auto got = wait_for_calls(3);
  ASSERT_EQ(got.size(), 3u) << all_logs();
  std::map<std::string, const Interaction*> by_subject;
  std::set<std::string> dispositions;
  for (const auto& c : got) {
    EXPECT_EQ(c.duration_s, 0) << c.subject;
    EXPECT_EQ(c.direction, Direction::kInbound);
    by_subject[c.subject] = &c;
    dispositions.insert(c.call.disposition);
  }
  EXPECT_EQ(dispositions, (std::set<std::string>{"busy", "no_answer", "failed"}));
  EXPECT_TRUE(by_subject.count("Missed call from 84951112233 to 201 (busy)")) << all_logs();
  EXPECT_TRUE(by_subject.count("Missed call from 84954445566 to 301 (no answer)"));
  EXPECT_TRUE(by_subject.count("Missed call from 84957778899 to 401 (failed)"));
  const auto tasks = tasks_of(users["deputy"]);
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].client_id, known);
  EXPECT_TRUE(has(tasks[0].title, "Перезвонить +74951112233")) << tasks[0].title;  // [company] language = ru
  // The day's list says why the task exists: a rule of core, not a manual task.
  ASSERT_TRUE(tasks[0].due_at.has_value());
  clock->set(Instant{tasks[0].due_at->ms + 60'000});  // overdue, so on the day's list
  auto day = engine->tasks().today(Actor::system(), users["deputy"]);
  ASSERT_TRUE(day.ok()) << day.status().to_string();
  ASSERT_EQ(day->size(), 1u);
  EXPECT_EQ(day->front().reason, "call.missed");
  auto l = leads();
  ASSERT_EQ(l.size(), 2u);
  std::set<std::string> phones{l[0].phone, l[1].phone};
  EXPECT_EQ(phones, (std::set<std::string>{"+74954445566", "+74957778899"}));
  EXPECT_GE(peer.connections_made(), 2);
}

TEST_F(TelephonyAmiTest, AClickToCallIsAnOutboundCallOfTheManagerWhoAnswered) {
  peer.add_connection({recorded_events(kAmi / "ami-click-to-call.txt"), false});
  start();
  auto got = wait_for_calls(1);
  ASSERT_EQ(got.size(), 1u) << all_logs();
  EXPECT_EQ(got[0].direction, Direction::kOutbound);
  EXPECT_EQ(got[0].user_id, users["m101"]);
  EXPECT_TRUE(has(got[0].subject, "Outbound call from 101 to 84951234567: answered by 101")) << got[0].subject;
  EXPECT_GE(got[0].duration_s, 3);
  EXPECT_TRUE(leads().empty()) << "an outbound call is no lead";
}


// The recorded ring group cut after the customer is bridged with 102: what a connection
// lost mid-call saw, and what came after.
std::pair<std::vector<AmiText>, std::vector<AmiText>> ring_group_halves() {
  auto events = recorded_events(kAmi / "ami-ringgroup.txt");
  std::size_t cut = 0;
  int bridged = 0;
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i].rfind("Event: BridgeEnter", 0) == 0 && ++bridged == 2) cut = i + 1;
  return {std::vector<AmiText>(events.begin(), events.begin() + static_cast<long>(cut)),
          std::vector<AmiText>(events.begin() + static_cast<long>(cut), events.end())};
}

AmiText live_channel(const std::string& channel, const std::string& uniqueid, const std::string& linkedid) {
  return "Event: CoreShowChannel\r\nChannel: " + channel + "\r\nUniqueid: " + uniqueid + "\r\nLinkedid: " + linkedid +
         "\r\nDuration: 00:00:02\r\n\r\n";
}

TEST_F(TelephonyAmiTest, AConnectionLostMidCallIsResyncedAndTheCallLandsOnceWhole) {
  auto [before, after] = ring_group_halves();
  ASSERT_FALSE(after.empty());
  peer.add_connection({before, true});
  peer.add_connection({after, false});
  // Still up when the connector is back: the customer's Local pair and 102's.
  peer.live_channels(1, {live_channel("Local/84959876543@trunk-in-00000000;1", "1796607077.0", "1796607077.0"),
                         live_channel("Local/84959876543@trunk-in-00000000;2", "1796607077.1", "1796607077.0"),
                         live_channel("Local/102@phones-00000002;1", "1796607077.4", "1796607077.0"),
                         live_channel("Local/102@phones-00000002;2", "1796607077.5", "1796607077.0")});
  start();
  auto got = wait_for_calls(1);
  ASSERT_EQ(got.size(), 1u) << all_logs();
  EXPECT_EQ(got[0].user_id, users["m102"]);
  EXPECT_EQ(got[0].duration_s, 4) << "talk time across the reconnect";
  EXPECT_FALSE(has(got[0].body, "closed by")) << got[0].body;
  EXPECT_EQ(peer.connections_made(), 2);
  EXPECT_TRUE(logged("AMI connection lost")) << all_logs();
}

TEST_F(TelephonyAmiTest, AHangupMissedWhileDisconnectedIsClosedByTheResyncAndSaysSo) {
  auto [before, after] = ring_group_halves();
  peer.add_connection({before, true});
  peer.add_connection({{}, false});  // the PBX lists no live channel: the call ended meanwhile
  start();
  auto got = wait_for_calls(1);
  ASSERT_EQ(got.size(), 1u) << all_logs();
  EXPECT_TRUE(has(got[0].body, "closed by the resync after a reconnect")) << got[0].body;
  EXPECT_EQ(got[0].user_id, users["m102"]) << "it was answered before the connection dropped";
}

// Events of the same instant arrive in any order (README of the recordings): reversed
// within each instant, plus a garbage line and an event type no Asterisk sent yet.
TEST_F(TelephonyAmiTest, OutOfOrderBurstsGarbageAndUnknownEventsChangeNothing) {
  const Id client = add_client("ООО Ромашка", "+74959876543", users["m102"]);
  auto events = recorded_events(kAmi / "ami-queue.txt");
  std::vector<AmiText> shuffled;
  for (std::size_t i = 0; i < events.size();) {
    const auto stamp = events[i].substr(events[i].find("Timestamp: "), 28);
    std::size_t j = i;
    while (j < events.size() && events[j].find(stamp) != std::string::npos) ++j;
    for (std::size_t k = j; k > i; --k) shuffled.push_back(events[k - 1]);
    i = j;
  }
  shuffled.insert(shuffled.begin() + 3, "this line is no header\r\n\r\n");
  shuffled.insert(shuffled.begin() + 5, "Event: SomethingNew\r\nUniqueid: 1796607087.8\r\nLinkedid: 1796607087.8\r\n\r\n");
  peer.add_connection({shuffled, false});
  start();
  auto got = wait_for_calls(1);
  ASSERT_EQ(got.size(), 1u) << all_logs();
  EXPECT_EQ(got[0].client_id, client);
  EXPECT_EQ(got[0].user_id, users["m103"]) << got[0].subject;
}

// 10,000 events in one burst: calls shaped like the recorded ring group, each its own
// linkedids, all read and each recorded once.
TEST_F(TelephonyAmiTest, ATenThousandEventBurstIsAbsorbedAndEveryCallRecordedOnce) {
  const auto one = recorded_events(kAmi / "ami-ringgroup.txt");
  std::vector<AmiText> burst;
  int copies = 0;
  while (burst.size() < 10000) {
    const std::string seconds = std::to_string(1796607077 + 1000 * ++copies);
    for (AmiText e : one) {
      for (std::size_t at = e.find("1796607077."); at != std::string::npos; at = e.find("1796607077.", at + 1))
        e.replace(at, 10, seconds);
      burst.push_back(std::move(e));
    }
  }
  peer.add_connection({burst, false});
  start();
  auto got = wait_for_calls(static_cast<std::size_t>(copies));
  EXPECT_EQ(got.size(), static_cast<std::size_t>(copies)) << all_logs();
  std::set<std::string> keys;
  for (const auto& c : got) keys.insert(c.external_id);
  EXPECT_EQ(keys.size(), got.size());
  EXPECT_GE(burst.size(), 10000u);
}

TEST_F(TelephonyAmiTest, ARefusedLoginStopsTheSessionUntilAnOperatorResumesIt) {
  peer.secret = "other";
  peer.add_connection({{}, false});
  start();
  for (int i = 0; i < 500 && !logged("AMI refused the login"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(logged("AMI refused the login of 'salescore': Authentication failed")) << all_logs();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(peer.connections_made(), 1) << "a refused password is not tried again by itself";
}

TEST_F(TelephonyAmiTest, AClickToCallIsOriginatedFromTheManagersPhoneToTheClientsNumber) {
  peer.add_connection({{}, false});
  start({{"originate_channel", "Local/{extension}@office"}, {"originate_context", "outside"}});
  for (int i = 0; i < 500 && !logged("AMI session up"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto queued = runtime->enqueue_outbound("telephony", "call", R"({"extension":"101","phone":"+74951234567"})",
                                          "click-1");
  ASSERT_TRUE(queued.ok()) << queued.status().to_string();
  for (int i = 0; i < 500 && peer.originates().empty(); ++i) {
    runtime->run_due();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto sent = peer.originates();
  ASSERT_EQ(sent.size(), 1u) << all_logs();
  EXPECT_EQ(sent[0].get("Channel"), "Local/101@office");
  EXPECT_EQ(sent[0].get("Context"), "outside");
  EXPECT_EQ(sent[0].get("Exten"), "84951234567");
  EXPECT_EQ(sent[0].get("Async"), "true");
  EXPECT_EQ(sent[0].get("ActionID"), "c2c-click-1");
  for (int i = 0; i < 100 && outbox_pending_of("telephony") > 0; ++i) {
    runtime->run_due();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(outbox_pending_of("telephony"), 0) << "delivered once Asterisk queued it";
}

TEST_F(TelephonyAmiTest, ACdrImportAfterTheLiveSessionAddsOnlyTheCallsTheSessionDidNotSee) {
  const fs::path cdr = shared_fixtures() / "cdr" / "Master-asterisk-22.csv";
  peer.add_connection({recorded_events(kAmi / "ami-ringgroup.txt"), false});
  start({{"cdr_token", "cdr-secret"}});
  auto got = wait_for_calls(1);
  ASSERT_EQ(got.size(), 1u) << all_logs();
  const Interaction live = got.front();
  std::ifstream in(cdr, std::ios::binary);
  std::stringstream body;
  body << in.rdbuf();
  RouteRequest upload;
  upload.method = "POST";
  upload.path = "/telephony/cdr";
  upload.body = body.str();
  upload.headers = {{"Authorization", "Bearer wrong"}};
  EXPECT_EQ(runtime->handle(upload)->status, 401);
  upload.headers = {{"Authorization", "Bearer cdr-secret"}};
  auto answer = runtime->handle(upload);
  ASSERT_EQ(answer->status, 200) << answer->body;
  EXPECT_TRUE(has(answer->body, R"("rows":30,"calls":7,"recorded":7)")) << answer->body;
  auto after = calls();
  EXPECT_EQ(after.size(), 7u) << "the ring group once: the session's record of it stands";
  for (const auto& c : after)
    if (c.external_id == live.external_id) {
      EXPECT_EQ(c.id, live.id);
      EXPECT_EQ(c.body, live.body) << "the CDR does not overwrite what the session saw";
    }
  ASSERT_EQ(runtime->handle(upload)->status, 200);
  EXPECT_EQ(calls().size(), 7u) << "importing the same file again changes nothing";
  // The KPI counts each call once, whichever ways it came.
  auto period = parse_period("2026-12");
  ASSERT_TRUE(period.ok());
  auto counted = engine->kpi().get(Actor::system(), "calls.count", KpiTarget{}, *period);
  ASSERT_TRUE(counted.ok()) << counted.status().to_string();
  EXPECT_EQ(counted->value, 7);
}

TEST_F(TelephonyAmiTest, DialFromCoreRingsTheCallersExtensionAndOnlyForAClientTheyMaySee) {
  const Id mine = add_client("ООО Ромашка", "8 (495) 123-45-67", users["m101"]);
  const Id theirs = add_client("ООО Лютик", "+74957654321", users["m102"]);
  peer.add_connection({{}, false});
  start({{"originate_channel", "Local/{extension}@office"}, {"originate_context", "outside"}});
  for (int i = 0; i < 500 && !logged("AMI session up"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const Actor m101{users["m101"], Role::kManager};
  DialRequest asked;
  asked.client_id = theirs;
  EXPECT_EQ(dial(*engine, m101, asked).status().code(), Code::kPermissionDenied) << "a colleague's client";
  asked.client_id = mine;
  asked.phone = "+74950000000";
  EXPECT_EQ(dial(*engine, m101, asked).status().code(), Code::kInvalidArgument) << "not the client's number";
  asked.phone = "";
  auto queued = dial(*engine, m101, asked);
  ASSERT_TRUE(queued.ok()) << queued.status().to_string();
  EXPECT_EQ(queued->phone, "+74951234567");
  EXPECT_TRUE(queued->outbox_id.has_value());
  auto again = dial(*engine, m101, asked);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->outbox_id.has_value()) << "a double click queues one call";
  for (int i = 0; i < 500 && peer.originates().empty(); ++i) {
    runtime->run_due();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto sent = peer.originates();
  ASSERT_EQ(sent.size(), 1u) << all_logs();
  EXPECT_EQ(sent[0].get("Channel"), "Local/101@office") << "m101's extension, from the connector's map";
  EXPECT_EQ(sent[0].get("Exten"), "84951234567");
}

// ---- variants built to the AMI event reference (docs.asterisk.org, AMI_Events) ----

// Event frames of one scripted call, a second apart: channel blocks as Asterisk 12+
// writes them ("Channel", "Uniqueid", "Linkedid", ... with the block's prefix).
struct AmiScript {
  double t = 1796700000;
  std::vector<AmiText> frames;
  static std::string block(const std::string& p, const std::string& channel, const std::string& uid,
                           const std::string& lid, const std::string& num = "", const std::string& context = "",
                           const std::string& exten = "") {
    std::string b = p + "Channel: " + channel + "\r\n" + p + "Uniqueid: " + uid + "\r\n" + p + "Linkedid: " + lid + "\r\n";
    if (!num.empty()) b += p + "CallerIDNum: " + num + "\r\n";
    if (!context.empty()) b += p + "Context: " + context + "\r\n" + p + "Exten: " + exten + "\r\n";
    return b;
  }
  void event(const std::string& name, const std::string& fields, double step = 1) {
    t += step;
    char stamp[64];
    std::snprintf(stamp, sizeof stamp, "Timestamp: %.6f\r\n", t);
    frames.push_back("Event: " + name + "\r\n" + stamp + fields + "\r\n");
  }
  void bridge(const std::string& id, const std::vector<std::string>& blocks) {
    event("BridgeCreate", "BridgeUniqueid: " + id + "\r\nBridgeType: basic\r\n", 0);
    for (const auto& b : blocks) event("BridgeEnter", "BridgeUniqueid: " + id + "\r\n" + b, 0);
  }
  void hangup(const std::string& b, double step = 0) { event("Hangup", b + "Cause: 16\r\nCause-txt: Normal Clearing\r\n", step); }
};

class TelephonyTransferTest : public TelephonyAmiTest {
 protected:
  void SetUp() override {
    TelephonyAmiTest::SetUp();
    if (IsSkipped()) return;
    client = add_client("ООО Ромашка", "+74951234567", users["m101"]);
  }
  void run(const AmiScript& script) {
    peer.add_connection({script.frames, false});
    start({{"trunks", "PJSIP/operator*"}});
  }
  // The customer on the operator's trunk, and the extensions' channels.
  const std::string cust = AmiScript::block("", "PJSIP/operator-00000001", "1796700000.1", "1796700000.1",
                                            "84951234567", "from-trunk", "600");
  const std::string a = AmiScript::block("", "PJSIP/101-00000002", "1796700000.2", "1796700000.1", "101");
  const std::string a_dest = AmiScript::block("Dest", "PJSIP/101-00000002", "1796700000.2", "1796700000.1", "101");
  // The customer dials 101 (a), who answers: both in bridge b1.
  void answered_by_101(AmiScript& s) const {
    s.event("Newchannel", cust);
    s.event("Newchannel", a, 0);
    s.event("DialBegin", cust + a_dest + "DialString: 101\r\n", 0);
    s.event("DialEnd", cust + a_dest + "DialStatus: ANSWER\r\n");
    s.bridge("b1", {cust, a});
  }
  Id client = 0;
};

TEST_F(TelephonyTransferTest, ABlindTransferIsOneCallOfTheFirstManagerTransferredToTheSecond) {
  AmiScript s;
  answered_by_101(s);
  // 101 sends the customer on to 102 (the transferee re-runs the dialplan at 102); the
  // new channel of 102 comes with a linkedid of its own (mikopbx/Core#802).
  s.event("BlindTransfer", "Result: Success\r\n" + AmiScript::block("Transferer", "PJSIP/101-00000002", "1796700000.2",
                                                                   "1796700000.1") +
                               AmiScript::block("Transferee", "PJSIP/operator-00000001", "1796700000.1", "1796700000.1") +
                               "BridgeUniqueid: b1\r\nExtension: 102\r\nContext: from-internal\r\n", 10);
  s.event("BridgeLeave", "BridgeUniqueid: b1\r\n" + a, 0);
  s.hangup(a);
  const std::string d = AmiScript::block("", "PJSIP/102-00000003", "1796700010.3", "1796700010.3", "102");
  const std::string d_dest = AmiScript::block("Dest", "PJSIP/102-00000003", "1796700010.3", "1796700010.3", "102");
  s.event("Newchannel", d, 0);
  s.event("DialBegin", cust + d_dest + "DialString: 102\r\n", 0);
  s.event("DialEnd", cust + d_dest + "DialStatus: ANSWER\r\n", 2);
  s.bridge("b2", {cust, d});
  s.event("BridgeLeave", "BridgeUniqueid: b2\r\n" + cust, 20);
  s.hangup(cust);
  s.event("BridgeLeave", "BridgeUniqueid: b2\r\n" + d, 0);
  s.hangup(d);
  run(s);
  auto got = wait_for_calls(1);
  ASSERT_EQ(got.size(), 1u) << "not two calls: " << all_logs();
  EXPECT_EQ(got[0].client_id, client);
  EXPECT_EQ(got[0].user_id, users["m101"]) << got[0].subject;
  EXPECT_TRUE(has(got[0].body, "transferred to: 102")) << got[0].body;
  EXPECT_EQ(got[0].call.disposition, "answered");
  EXPECT_EQ(got[0].call.rang_not_answered, "");
  EXPECT_EQ(got[0].duration_s, 32) << "talk from 101's answer to the end, across the transfer";
}

TEST_F(TelephonyTransferTest, AnAttendedTransferJoinsTheConsultationIntoOneCall) {
  AmiScript s;
  answered_by_101(s);
  // 101 puts the customer on hold and calls 102 on a second line: a call of its own.
  const std::string a2 = AmiScript::block("", "PJSIP/101-00000004", "1796700010.4", "1796700010.4", "101", "from-internal", "102");
  const std::string e = AmiScript::block("", "PJSIP/102-00000005", "1796700010.5", "1796700010.4", "102");
  const std::string e_dest = AmiScript::block("Dest", "PJSIP/102-00000005", "1796700010.5", "1796700010.4", "102");
  s.event("Newchannel", a2, 10);
  s.event("Newchannel", e, 0);
  s.event("DialBegin", a2 + e_dest + "DialString: 102\r\n", 0);
  s.event("DialEnd", a2 + e_dest + "DialStatus: ANSWER\r\n", 3);
  s.bridge("b2", {a2, e});
  // 101 completes the transfer: its two channels leave, 102 takes its place with the customer.
  s.event("AttendedTransfer",
          "Result: Success\r\nDestType: Bridge\r\n" +
              AmiScript::block("OrigTransferer", "PJSIP/101-00000002", "1796700000.2", "1796700000.1") +
              "OrigBridgeUniqueid: b1\r\n" +
              AmiScript::block("SecondTransferer", "PJSIP/101-00000004", "1796700010.4", "1796700010.4") +
              "SecondBridgeUniqueid: b2\r\n" + AmiScript::block("TransferTarget", "PJSIP/102-00000005", "1796700010.5", "1796700010.4"),
          5);
  s.event("BridgeLeave", "BridgeUniqueid: b1\r\n" + a, 0);
  s.event("BridgeLeave", "BridgeUniqueid: b2\r\n" + a2, 0);
  s.event("BridgeLeave", "BridgeUniqueid: b2\r\n" + e, 0);
  s.event("BridgeEnter", "BridgeUniqueid: b1\r\n" + e, 0);
  s.hangup(a);
  s.hangup(a2);
  s.event("BridgeLeave", "BridgeUniqueid: b1\r\n" + cust, 30);
  s.hangup(cust);
  s.event("BridgeLeave", "BridgeUniqueid: b1\r\n" + e, 0);
  s.hangup(e);
  run(s);
  auto got = wait_for_calls(1);
  ASSERT_EQ(got.size(), 1u) << "the consultation is part of the call, not a call of its own: " << all_logs();
  EXPECT_EQ(got[0].user_id, users["m101"]);
  EXPECT_TRUE(has(got[0].body, "transferred to: 102")) << got[0].body;
  EXPECT_EQ(got[0].call.pbx_call_id, "1796700000.1") << "keyed by the oldest linkedid";
}

TEST_F(TelephonyTransferTest, APickedUpCallIsAnsweredByWhoPickedItUpAndRangTheOther) {
  AmiScript s;
  s.event("Newchannel", cust);
  s.event("Newchannel", a, 0);
  s.event("DialBegin", cust + a_dest + "DialString: 101\r\n", 0);
  // 102 dials *8 and takes 101's ringing call: a channel with a linkedid of its own.
  const std::string p = AmiScript::block("", "PJSIP/102-00000003", "1796700004.3", "1796700004.3", "102", "from-internal", "*8");
  s.event("Newchannel", p, 4);
  s.event("Pickup", p + AmiScript::block("Target", "PJSIP/101-00000002", "1796700000.2", "1796700000.1"), 0);
  s.event("DialEnd", cust + a_dest + "DialStatus: CANCEL\r\n", 0);
  s.hangup(a);
  s.bridge("b1", {cust, p});
  s.event("BridgeLeave", "BridgeUniqueid: b1\r\n" + cust, 15);
  s.hangup(cust);
  s.event("BridgeLeave", "BridgeUniqueid: b1\r\n" + p, 0);
  s.hangup(p);
  run(s);
  auto got = wait_for_calls(1);
  ASSERT_EQ(got.size(), 1u) << all_logs();
  EXPECT_EQ(got[0].user_id, users["m102"]) << got[0].subject;
  EXPECT_EQ(got[0].call.manager, "102");
  EXPECT_EQ(got[0].call.rang_not_answered, "101") << "101 rang and did not answer: the per-agent figure";
  EXPECT_EQ(got[0].call.disposition, "answered") << "picked up is answered, not missed";
  EXPECT_TRUE(tasks_of(users["m101"]).empty()) << "no call-back for an answered call";
}

TEST_F(TelephonyAmiTest, APbxRestartClosesTheCallsItCutAndTheNextCallsLandOnce) {
  // The ring group cut before anyone answered, then the PBX restarts (the connection
  // drops; its channels are gone and uniqueids start over): the new session lists no live
  // channel, and the busy/no-answer/congestion session follows.
  auto ring = recorded_events(kAmi / "ami-ringgroup.txt");
  std::size_t cut = 0;
  for (std::size_t i = 0; i < ring.size() && !cut; ++i)
    if (ring[i].rfind("Event: DialBegin", 0) == 0) cut = i + 1;
  peer.add_connection({std::vector<AmiText>(ring.begin(), ring.begin() + static_cast<long>(cut)), true});
  peer.add_connection({recorded_events(kAmi / "ami-busy-noanswer-unavailable.txt"), false});
  start();
  auto got = wait_for_calls(4);
  ASSERT_EQ(got.size(), 4u) << all_logs();
  int closed_by_resync = 0;
  for (const auto& c : got) closed_by_resync += has(c.body, "closed by the resync after a reconnect");
  EXPECT_EQ(closed_by_resync, 1) << "the cut call closed, and says so; the others whole";
  EXPECT_EQ(peer.connections_made(), 2);
}

// The socket reader never waits on the database: with the engine unable to write (another
// writer holds the lock), a burst far larger than the socket buffers is still read
// whole, and every call lands once the database is free.
TEST_F(TelephonyAmiTest, ABurstIsReadWholeWhileTheDatabaseCannotBeWritten) {
  const auto one = recorded_events(kAmi / "ami-ringgroup.txt");
  std::vector<AmiText> burst;
  std::size_t bytes = 0;
  int copies = 0;
  while (bytes < 8u * 1024 * 1024) {  // several times what loopback's socket buffers hold
    const std::string seconds = std::to_string(1796607077 + 1000 * ++copies);
    for (AmiText e : one) {
      for (std::size_t at = e.find("1796607077."); at != std::string::npos; at = e.find("1796607077.", at + 1))
        e.replace(at, 10, seconds);
      bytes += e.size();
      burst.push_back(std::move(e));
    }
  }
  peer.add_connection({burst, false});
  peer.add_connection({{}, false});  // if the session reconnects to hand over what it kept
  peer.hold_events = true;
  start();
  for (int i = 0; i < 500 && !logged("AMI session up"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  WriteLock lock(db_path);
  ASSERT_TRUE(lock.locked());
  peer.hold_events = false;
  for (int i = 0; i < 2000 && peer.scripts_sent() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(peer.scripts_sent(), 1) << "the peer could write all " << bytes << " bytes: the reader kept reading";
  EXPECT_TRUE(calls().empty()) << "nothing written while the database was locked";
  lock.release();
  // The host held what it could not write for its own retry (run_due, with backoff by the
  // engine's clock) or handed it back to the session (kept in order); every call lands.
  for (int i = 0; i < 1000 && calls().size() < static_cast<std::size_t>(copies); ++i) {
    advance(1000);
    runtime->run_due();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto got = wait_for_calls(static_cast<std::size_t>(copies));
  DeadLetterQuery q;
  q.connector = "telephony";
  auto dead = engine->connectors().dead_letters(q);
  ASSERT_TRUE(dead.ok());
  EXPECT_EQ(got.size(), static_cast<std::size_t>(copies))
      << all_logs() << dead->size() << " dead letters; first: " << (dead->empty() ? "" : dead->front().reason);
  std::set<std::string> keys;
  for (const auto& c : got) keys.insert(c.external_id);
  EXPECT_EQ(keys.size(), got.size()) << "each once";
}

}  // namespace
}  // namespace salescore::plugins::testing
