// Loading connector libraries: the example loads with what it declared; libraries that
// are not usable are refused with their file and the reason, and the others still load.
#include "host/connector_config.h"
#include "host/plugin_listing.h"
#include "host/registry.h"
#include "plugin_fixture.h"

namespace salescore::plugins::testing {
namespace {

const LoadFailure* refused_file(const std::vector<LoadFailure>& refused, const std::string& name) {
  for (const auto& f : refused)
    if (f.file.find("salescore_connector_" + name + ".so") != std::string::npos) return &f;
  return nullptr;
}

TEST(Loader, LoadsTheExampleWithWhatItDeclares) {
  auto lib = load_example();
  ASSERT_TRUE(lib);
  const ConnectorDescriptor& d = lib->descriptor();
  EXPECT_EQ(d.name, "example");
  EXPECT_EQ(d.version, "1.0.0");
  EXPECT_EQ(d.abi_major, SC_ABI_MAJOR);
  EXPECT_TRUE(d.can(SC_CAP_POLL) && d.can(SC_CAP_ROUTES) && d.can(SC_CAP_SESSION) && d.can(SC_CAP_DELIVER));
  ASSERT_EQ(d.subscriptions.size(), 1u);
  EXPECT_EQ(d.subscriptions[0], "client.");
  ASSERT_GE(d.config.size(), 1u);
  EXPECT_EQ(d.config[0].name, "api_token");
  EXPECT_TRUE(d.config[0].required);
  EXPECT_TRUE(d.config[0].secret);
}

TEST(Loader, RefusesBadLibrariesByFileAndReasonAndLoadsTheOthers) {
  LoaderOptions options;
  options.dirs = {test_connector_dir()};
  options.include_default_dirs = false;
  LoadReport report = load_connector_libraries(options);

  ASSERT_EQ(report.loaded.size(), 1u) << "only the example is a usable connector";
  EXPECT_EQ(report.loaded[0]->descriptor().name, "example");

  const LoadFailure* wrong_abi = refused_file(report.refused, "wrong_abi");
  ASSERT_NE(wrong_abi, nullptr);
  EXPECT_NE(wrong_abi->reason.find("salescore_connector_wrong_abi.so"), std::string::npos) << wrong_abi->reason;
  EXPECT_NE(wrong_abi->reason.find("speaks plugin ABI " + std::to_string(SC_ABI_MAJOR + 1)), std::string::npos)
      << wrong_abi->reason;

  const LoadFailure* no_entry = refused_file(report.refused, "no_entry");
  ASSERT_NE(no_entry, nullptr);
  EXPECT_NE(no_entry->reason.find("salescore_connector_no_entry.so"), std::string::npos) << no_entry->reason;
  EXPECT_NE(no_entry->reason.find("no entry point salescore_connector_entry"), std::string::npos) << no_entry->reason;

  const LoadFailure* bad_schema = refused_file(report.refused, "bad_schema");
  ASSERT_NE(bad_schema, nullptr);
  EXPECT_NE(bad_schema->reason.find("poll is NULL"), std::string::npos) << bad_schema->reason;
}

TEST(Loader, SaysWhenAConfiguredDirectoryDoesNotExist) {
  LoaderOptions options;
  options.dirs = {"/nonexistent/salescore/connectors"};
  options.include_default_dirs = false;
  LoadReport report = load_connector_libraries(options);
  EXPECT_TRUE(report.loaded.empty());
  ASSERT_EQ(report.refused.size(), 1u);
  EXPECT_NE(report.refused[0].reason.find("/nonexistent/salescore/connectors: connector directory does not exist"),
            std::string::npos);
}

TEST(Loader, AcceptsOnlyConnectorFileNames) {
  EXPECT_TRUE(is_connector_file_name("salescore_connector_onec.so"));
  EXPECT_FALSE(is_connector_file_name("libsalescore_core.so"));
  EXPECT_FALSE(is_connector_file_name("salescore_connector_.so"));
  EXPECT_FALSE(is_connector_file_name("salescore_connector_onec.so.bak"));
}

TEST(Loader, RefusesAMissingFileNamingIt) {
  auto lib = ConnectorLibrary::open("/nonexistent/salescore_connector_ghost.so", nullptr);
  ASSERT_FALSE(lib.ok());
  EXPECT_NE(lib.status().message().find("/nonexistent/salescore_connector_ghost.so: cannot be loaded"),
            std::string::npos);
}

TEST(Registry, KeepsTheFirstOfTwoConnectorsWithOneName) {
  LoaderOptions options;
  options.dirs = {test_connector_dir(), test_connector_dir() + "/."};  // the same directory twice
  options.include_default_dirs = false;
  ConnectorRegistry registry = ConnectorRegistry::load(options);
  ASSERT_NE(registry.find("example"), nullptr);
  EXPECT_EQ(registry.connectors().size(), 1u);
  EXPECT_EQ(registry.find("onec"), nullptr);

  auto again = load_example();
  Status second = registry.add(again);
  EXPECT_EQ(second.code(), Code::kAlreadyExists);
  EXPECT_NE(second.message().find("a connector named 'example' is already loaded from"), std::string::npos);
}

TEST(Registry, DescribesAConnectorsConfigAsDocsWithoutSecrets) {
  auto lib = load_example();
  ASSERT_TRUE(lib);
  std::string doc = describe_connector(lib->descriptor());
  EXPECT_NE(doc.find("example 1.0.0"), std::string::npos) << doc;
  EXPECT_NE(doc.find("capabilities: poll, routes, session, deliver"), std::string::npos) << doc;
  EXPECT_NE(doc.find("api_token"), std::string::npos) << doc;
  EXPECT_NE(doc.find("required secret"), std::string::npos) << doc;
  EXPECT_NE(doc.find("records_per_poll"), std::string::npos) << doc;
  EXPECT_NE(doc.find("retry_limit"), std::string::npos) << doc;
  EXPECT_NE(doc.find("one of: ok, unavailable"), std::string::npos) << doc;
}

class PluginListingTest : public PluginTest {};

TEST_F(PluginListingTest, ListsLoadedAndRefusedConnectorsWithTheirState) {
  LoaderOptions options;
  options.dirs = {test_connector_dir()};
  options.include_default_dirs = false;
  ConnectorRegistry registry = ConnectorRegistry::load(options);
  ConnectorFileConfig config;
  auto listing = list_plugins(registry, config, *engine);
  ASSERT_EQ(listing.size(), 4u);
  EXPECT_EQ(listing[0].name, "example");
  EXPECT_EQ(listing[0].state, "not configured");
  EXPECT_EQ(listing[0].abi, std::to_string(SC_ABI_MAJOR) + "." + std::to_string(SC_ABI_MINOR));
  int refused = 0;
  for (const auto& p : listing) refused += p.state == "refused";
  EXPECT_EQ(refused, 3);

  config.connectors["example"] = {{"records_per_poll", "x"}};
  EXPECT_EQ(list_plugins(registry, config, *engine)[0].state, "bad config");
  config.connectors["example"] = {{"api_token", "tok-123456"}};
  EXPECT_EQ(list_plugins(registry, config, *engine)[0].state, "configured");

  start_example();
  ASSERT_TRUE(runtime->enqueue_outbound("example", "call", "{}").ok());
  auto after = list_plugins(registry, config, *engine)[0];
  EXPECT_EQ(after.backlog, 1);

  // A second instance of the library is a row of its own, under its name; a section
  // running a library that is not installed says so.
  config.connectors["second"] = {{"library", "example"}, {"api_token", "tok-123456"}};
  config.connectors["third"] = {{"library", "nope"}};
  auto instances = list_plugins(registry, config, *engine);
  ASSERT_EQ(instances.size(), 6u);
  EXPECT_EQ(instances[0].name, "example");
  EXPECT_EQ(instances[0].backlog, 1);
  EXPECT_EQ(instances[1].name, "second");
  EXPECT_EQ(instances[1].library, "example");
  EXPECT_EQ(instances[1].state, "configured");
  EXPECT_EQ(instances[1].backlog, 0) << "its own outbox";
  EXPECT_EQ(instances[2].name, "third");
  EXPECT_EQ(instances[2].state, "not installed");
}

}  // namespace
}  // namespace salescore::plugins::testing
