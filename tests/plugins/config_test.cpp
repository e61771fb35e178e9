// A connector's config section checked against its schema: errors name each bad key,
// defaults are filled, and a secret never appears in an error, a log line or the docs.
#include <fstream>

#include "host/config_file.h"
#include "host/connector_config.h"
#include "plugin_fixture.h"

namespace salescore::plugins::testing {
namespace {

class ConnectorConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lib = load_example();
    ASSERT_TRUE(lib);
  }
  std::shared_ptr<ConnectorLibrary> lib;
};

TEST_F(ConnectorConfigTest, FillsDefaultsAndTheHostOptions) {
  auto config = validate_config(lib->descriptor(), {{"api_token", "tok-123456"}});
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  ASSERT_NE(config->get("records_per_poll"), nullptr);
  EXPECT_EQ(*config->get("records_per_poll"), "2");
  EXPECT_EQ(*config->get("poll_result"), "ok");
  EXPECT_TRUE(config->runtime().enabled);
  EXPECT_EQ(config->runtime().poll_interval_ms, 60000) << "the connector's declared interval";
  EXPECT_EQ(config->runtime().retry_limit, RuntimeSettings{}.retry_limit);
}

TEST_F(ConnectorConfigTest, ReadsTheHostOptions) {
  auto config = validate_config(lib->descriptor(), {{"api_token", "tok-123456"},
                                                    {"poll_interval_ms", "5000"},
                                                    {"retry_base_ms", "200"},
                                                    {"retry_cap_ms", "10000"},
                                                    {"retry_limit", "3"},
                                                    {"outbox_limit", "50"}});
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  const RuntimeSettings& r = config->runtime();
  EXPECT_EQ(r.poll_interval_ms, 5000);
  EXPECT_EQ(r.retry_base_ms, 200);
  EXPECT_EQ(r.retry_cap_ms, 10000);
  EXPECT_EQ(r.retry_limit, 3);
  EXPECT_EQ(r.outbox_limit, 50);
}

TEST_F(ConnectorConfigTest, ErrorsNameEveryBadKeyAndTheConnectorsFile) {
  auto config = validate_config(lib->descriptor(), {{"records_per_poll", "many"},
                                                    {"poll_result", "maybe"},
                                                    {"recods_per_poll", "3"},
                                                    {"retry_cap_ms", "10"}});
  ASSERT_FALSE(config.ok());
  const Status& st = config.status();
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  const auto& fields = st.fields();
  EXPECT_EQ(fields.at("api_token").substr(0, 8), "required");
  EXPECT_NE(fields.at("records_per_poll").find("expected an integer, got 'many'"), std::string::npos);
  EXPECT_NE(fields.at("poll_result").find("must be one of ok, unavailable"), std::string::npos);
  EXPECT_NE(fields.at("recods_per_poll").find("unknown option"), std::string::npos);
  EXPECT_NE(fields.at("retry_cap_ms").find("must not be smaller than retry_base_ms"), std::string::npos);
  EXPECT_NE(st.message().find("connector 'example' (" + test_connector_path("example") + ")"), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("'api_token': required"), std::string::npos) << st.message();
}

TEST_F(ConnectorConfigTest, ADisabledConnectorNeedsNoRequiredOptions) {
  auto config = validate_config(lib->descriptor(), {{"enabled", "false"}});
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_FALSE(config->runtime().enabled);
}

TEST_F(ConnectorConfigTest, ASecretNeverAppearsInAnErrorOrTheShownConfig) {
  ConfigOption port{"port", OptionType::kInt, std::nullopt, false, true, "", {}};
  Status st = check_option_value(port, "hunter2-secret");
  EXPECT_FALSE(st.is_ok());
  EXPECT_EQ(st.message().find("hunter2-secret"), std::string::npos) << st.message();

  auto config = validate_config(lib->descriptor(), {{"api_token", "hunter2-secret"}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->shown("api_token"), "***");
  EXPECT_EQ(config->mask_secrets("login with hunter2-secret failed"), "login with *** failed");
}

TEST_F(ConnectorConfigTest, ReadsConnectorSectionsAndPluginDirsFromTheConfigFile) {
  auto path = std::filesystem::temp_directory_path() / ("salescore_config_" + std::to_string(::getpid()) + ".ini");
  {
    std::ofstream out(path);
    out << "[company]\ncurrency = RUB\n"
        << "[plugins]\ndirs = /opt/a, /opt/b\n"
        << "[connector.onec]\nenabled = true\nlogin = exchange\npassword = s3cret\n"
        << "[connector.example]\napi_token = tok\n";
  }
  auto config = read_connector_config(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->plugin_dirs, (std::vector<std::string>{"/opt/a", "/opt/b"}));
  ASSERT_EQ(config->connectors.size(), 2u);
  EXPECT_EQ(config->connectors["onec"]["login"], "exchange");
  EXPECT_EQ(config->connectors["onec"]["password"], "s3cret");
  EXPECT_EQ(config->connectors["example"]["api_token"], "tok");
}

TEST_F(ConnectorConfigTest, ASectionRunsTheLibraryItNamesElseItsOwn) {
  EXPECT_EQ(library_of("shop_msk", {{"library", "webshop"}}), "webshop");
  EXPECT_EQ(library_of("webshop", {{"platform", "woocommerce"}}), "webshop") << "an existing config keeps working";
  EXPECT_TRUE(is_instance_name("shop_msk_2"));
  EXPECT_FALSE(is_instance_name("Shop-MSK"));
  EXPECT_FALSE(is_instance_name(""));
  auto wrong = validate_config(lib->descriptor(), {{"api_token", "tok-123456"}, {"library", "onec"}}, "second");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("connector 'second' (example, "), std::string::npos) << wrong.status().message();
  EXPECT_NE(wrong.status().message().find("[connector.second]"), std::string::npos) << wrong.status().message();
  EXPECT_EQ(wrong.status().fields().at("library"), "is 'onec', but this is connector 'example'");
  EXPECT_TRUE(validate_config(lib->descriptor(), {{"api_token", "tok-123456"}, {"library", "example"}}, "second").ok());
}

class RuntimeConfigTest : public PluginTest {};

// One library as several instances (a web shop each): each is keyed by its own name, and
// two that want the same route are refused at start naming the route and the holder.
TEST_F(RuntimeConfigTest, ALibraryRunsAsSeveralInstancesEachByItsName) {
  runtime = std::make_unique<ConnectorRuntime>(*engine, runtime_options());
  ASSERT_TRUE(runtime->add(load_example(), {{"enabled", "false"}}, "example").is_ok());
  ASSERT_TRUE(runtime->add(load_example(), {{"enabled", "false"}, {"library", "example"}}, "example_b").is_ok());
  auto all = runtime->health();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "example");
  EXPECT_EQ(all[1].name, "example_b");
  EXPECT_EQ(all[1].library, "example");
  EXPECT_EQ(runtime->add(load_example(), {{"enabled", "false"}}, "example_b").code(), Code::kAlreadyExists);
  EXPECT_EQ(runtime->add(load_example(), {{"enabled", "false"}}, "Example-B").code(), Code::kInvalidArgument);
}

TEST_F(RuntimeConfigTest, TwoInstancesWantingOneRouteTheSecondIsRefusedSayingWhich) {
  runtime = std::make_unique<ConnectorRuntime>(*engine, runtime_options());
  ASSERT_TRUE(runtime->add(load_example(), {{"api_token", "tok-123456"}}, "example").is_ok());
  Status second = runtime->add(load_example(), {{"api_token", "tok-123456"}, {"library", "example"}}, "example_b");
  EXPECT_FALSE(second.is_ok());
  EXPECT_NE(second.message().find("connector 'example_b' (example, "), std::string::npos) << second.message();
  EXPECT_TRUE(logged("is taken by connector 'example'")) << all_logs();
  EXPECT_EQ(runtime->routes().size(), 6u) << "the first keeps its routes, the second has none";
  auto refused = runtime->health("example_b");
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->state, "failed");
}

TEST_F(RuntimeConfigTest, ABadConfigIsRefusedNamingTheKeyAndTheOthersStillRun) {
  runtime = std::make_unique<ConnectorRuntime>(*engine, runtime_options());
  Status refused = runtime->add(load_example(), {{"records_per_poll", "lots"}});
  ASSERT_EQ(refused.code(), Code::kInvalidArgument);
  EXPECT_NE(refused.message().find("'records_per_poll': expected an integer"), std::string::npos);
  EXPECT_TRUE(logged("error example: connector 'example'")) << all_logs();

  Status added = runtime->add(load_example(), {{"api_token", "tok-123456"}});
  EXPECT_TRUE(added.is_ok()) << added.to_string();
  EXPECT_EQ(runtime->routes().size(), 6u);
}

TEST_F(RuntimeConfigTest, SecretsAreMaskedInEveryLogLine) {
  start_example({{"api_token", "tok-very-secret"}});
  EXPECT_TRUE(logged("created with api_token ***")) << all_logs();
  EXPECT_TRUE(logged("api_token=***")) << all_logs();
  EXPECT_EQ(all_logs().find("tok-very-secret"), std::string::npos) << all_logs();
}

TEST_F(RuntimeConfigTest, ACreateThatRefusesIsAnErrorNamingTheFile) {
  runtime = std::make_unique<ConnectorRuntime>(*engine, runtime_options());
  Status refused = runtime->add(load_example(), {{"api_token", "reject-me"}});
  EXPECT_EQ(refused.code(), Code::kUnauthenticated);
  EXPECT_NE(refused.message().find(test_connector_path("example") + "): create failed: the peer refused api_token"),
            std::string::npos)
      << refused.message();
  EXPECT_TRUE(runtime->routes().empty()) << "routes of a refused instance are removed";
  EXPECT_EQ(health().state, "failed");
}

TEST_F(RuntimeConfigTest, ADisabledConnectorIsListedButNotStarted) {
  runtime = std::make_unique<ConnectorRuntime>(*engine, runtime_options());
  ASSERT_TRUE(runtime->add(load_example(), {{"enabled", "false"}}).is_ok());
  EXPECT_EQ(health().state, "disabled");
  EXPECT_TRUE(runtime->routes().empty());
  runtime->run_due();
  EXPECT_EQ(client_count(), 0);
}

}  // namespace
}  // namespace salescore::plugins::testing
