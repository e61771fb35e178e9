// Several 1C exchanges at once against the 1C connector, as `salescore serve`'s workers
// run them: each request on a thread of its own, the imports on theirs, and the
// scheduler's run_due beside them. 1C's scheduled exchange and an operator's manual one
// do overlap (test_onec_exchange.py shows it over HTTP); here the same overlap runs in
// process, so that ThreadSanitizer sees the connector and the host's batches (run.sh,
// `./run.sh sanitize tsan`). Every answer must be one of 1C's (success, progress,
// failure), and once the overlap is over an exchange applies the whole catalog.
#include <Poco/Base64Encoder.h>

#include <atomic>
#include <filesystem>
#include <sstream>
#include <thread>

#include "plugin_fixture.h"

namespace salescore::plugins::testing {
namespace {

constexpr int kProducts = 120;

// A catalog as 1C writes it (tests/connectors/commerceml_gen.py has the full form).
std::string catalog_xml(const std::string& version) {
  std::string ns = version.rfind('3', 0) == 0 ? " xmlns=\"urn:1C.ru:commerceml_3\"" : "";
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<КоммерческаяИнформация" + ns +
                    " ВерсияСхемы=\"" + version + "\"><Каталог СодержитТолькоИзменения=\"false\"><Товары>\n";
  for (int i = 1; i <= kProducts; ++i) {
    const std::string n = std::to_string(i);
    xml += "<Товар><Ид>onec-p-" + n + "</Ид><Артикул>ART-" + n + "</Артикул><Наименование>Дрель модель " + n +
           "</Наименование><БазоваяЕдиница>шт</БазоваяЕдиница></Товар>\n";
  }
  return xml + "</Товары></Каталог></КоммерческаяИнформация>\n";
}

std::string basic(const std::string& login, const std::string& password) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder << login << ':' << password;
  encoder.close();
  return "Basic " + out.str();
}

class OnecSessionsTest : public PluginTest {
 protected:
  void SetUp() override {
    PluginTest::SetUp();
    runtime = std::make_unique<ConnectorRuntime>(*engine, runtime_options());
    auto lib = ConnectorLibrary::open(std::string(SALESCORE_CONNECTOR_BUILD_DIR) + "/salescore_connector_onec.so",
                                      nullptr);
    ASSERT_TRUE(lib.ok()) << lib.status().to_string();
    const auto work = std::filesystem::path(db_path).parent_path() / "onec";
    // 3.1: init answers the exchange's sessid too (read by every init).
    Status added = runtime->add(*lib, {{"login", "exchange"},
                                       {"password", "s3cret"},
                                       {"work_dir", work.string()},
                                       {"import_step_seconds", "1"},
                                       {"schema_version", "3.1"}});
    ASSERT_TRUE(added.is_ok()) << added.to_string();
  }

  std::int64_t products() {
    auto n = engine->products().count(Actor::system(), ProductQuery{});
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }
};

// One 1C: its cookie, and every answer it got.
struct OneC {
  explicit OneC(ConnectorRuntime& r) : runtime(r) {}
  ConnectorRuntime& runtime;
  std::string cookie;
  std::vector<std::string> odd;  // answers 1C would not understand

  RouteResponse call(const std::string& type, const std::string& mode, const std::string& extra = "",
                     const std::string& body = "") {
    RouteRequest r;
    r.method = body.empty() ? "GET" : "POST";
    r.path = "/exchange/1c";
    r.query = "type=" + type + "&mode=" + mode + extra;
    r.body = body;
    r.remote_address = "127.0.0.1";
    if (mode == "checkauth") r.headers.emplace_back("Authorization", basic("exchange", "s3cret"));
    if (!cookie.empty()) r.headers.emplace_back("Cookie", cookie);
    auto answer = runtime.handle(r);
    if (!answer) return {404, {}, "no route"};
    const std::string& b = answer->body;
    const bool understood = b.rfind("success", 0) == 0 || b.rfind("progress", 0) == 0 ||
                            b.rfind("failure", 0) == 0 || b.rfind("zip=", 0) == 0 || b.rfind("<?xml", 0) == 0;
    if (answer->status >= 500 || !understood) odd.push_back(mode + ": " + std::to_string(answer->status) + " " + b);
    return *answer;
  }

  bool login() {
    auto r = call("catalog", "checkauth");
    std::istringstream lines(r.body);
    std::string status, name, value;
    std::getline(lines, status);
    std::getline(lines, name);
    std::getline(lines, value);
    if (status != "success") return false;
    cookie = name + "=" + value;
    return true;
  }

  // The catalog exchange: init, the file in pieces, import until it is no longer in
  // progress. The import's last answer.
  std::string catalog(const std::string& xml) {
    call("catalog", "init");
    const std::size_t piece = xml.size() / 3 + 1;
    for (std::size_t at = 0; at < xml.size(); at += piece)
      call("catalog", "file", "&filename=import.xml", xml.substr(at, piece));
    std::string last;
    for (int i = 0; i < 600; ++i) {
      last = call("catalog", "import", "&filename=import.xml").body;
      if (last.rfind("progress", 0) != 0) break;
    }
    return last;
  }

  // The orders exchange: init, query, success.
  void orders() {
    call("sale", "init");
    call("sale", "query");
    call("sale", "success");
  }
};

TEST_F(OnecSessionsTest, ExchangesThatOverlapGetOneCsAnswersAndTheNextAppliesTheWholeCatalog) {
  const std::string xml = catalog_xml("3.1");
  std::atomic<bool> done{false};
  std::thread scheduler([&] {
    while (!done) {
      runtime->run_due();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  // The scheduled exchange, a manual one started meanwhile, and orders, three rounds.
  OneC scheduled{*runtime}, manual{*runtime}, sale{*runtime};
  ASSERT_TRUE(scheduled.login() && manual.login() && sale.login());
  std::vector<std::string> answers[2];
  {
    std::vector<std::thread> exchanges;
    exchanges.emplace_back([&] {
      for (int round = 0; round < 3; ++round) answers[0].push_back(scheduled.catalog(xml));
    });
    exchanges.emplace_back([&] {
      for (int round = 0; round < 3; ++round) answers[1].push_back(manual.catalog(xml));
    });
    exchanges.emplace_back([&] {
      for (int round = 0; round < 6; ++round) sale.orders();
    });
    for (auto& t : exchanges) t.join();
  }
  for (const auto& one : answers)
    for (const auto& a : one)
      EXPECT_TRUE(a.rfind("success", 0) == 0 || a.rfind("failure", 0) == 0) << a;
  // Alone again, an exchange applies the file whole.
  EXPECT_EQ(scheduled.catalog(xml).rfind("success", 0), 0u);
  done = true;
  scheduler.join();
  for (const OneC* c : {&scheduled, &manual, &sale})
    EXPECT_TRUE(c->odd.empty()) << c->odd.front();
  EXPECT_EQ(products(), kProducts);
}

// 1C's init of a 3.x exchange answers the exchange's sessid. Two 1C's inits at once:
// ThreadSanitizer saw one init read the sessid back from the connector's map, after its
// lock, while the other's wrote it (connectors/onec/exchange.cpp, init).
TEST_F(OnecSessionsTest, InitsAtOnceEachAnswerTheirExchangesSessid) {
  OneC first{*runtime}, second{*runtime};
  ASSERT_TRUE(first.login() && second.login());
  auto inits = [](OneC& onec, std::vector<std::string>& bodies) {
    for (int i = 0; i < 200; ++i) bodies.push_back(onec.call("catalog", "init").body);
  };
  std::vector<std::string> firsts, seconds;
  std::thread other([&] { inits(second, seconds); });
  inits(first, firsts);
  other.join();
  for (const auto* bodies : {&firsts, &seconds})
    for (const auto& body : *bodies) {
      EXPECT_EQ(body.rfind("zip=yes\nfile_limit=4194304\nsessid=", 0), 0u) << body;
      EXPECT_NE(body.find("\nversion=3.1\n"), std::string::npos) << body;
    }
  EXPECT_TRUE(first.odd.empty() && second.odd.empty());
}

}  // namespace
}  // namespace salescore::plugins::testing
