// The web-shop fuzz target's properties (tests/fuzz/webshop_checks.h) on its checked-in
// seed corpus, in every test run; and the adapters on the recorded Medusa orders.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../fuzz/webshop_checks.h"

namespace salescore::webshop {
namespace {

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(WebshopFuzzCorpus, EverySeedKeepsTheAdaptersProperties) {
  std::size_t seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(SALESCORE_WEBSHOP_FUZZ_CORPUS)) {
    const std::string bytes = read_all(entry.path());
    ASSERT_FALSE(bytes.empty()) << entry.path();
    ++seeds;
    EXPECT_EQ(fuzz::check_webshop_input(bytes), "") << entry.path().filename();
  }
  EXPECT_GE(seeds, 12u);
}

TEST(WebshopSignature, WooCommerceAndShopifyVectors) {
  // base64(HMAC-SHA256(body, secret)), computed independently with Python's hmac module.
  EXPECT_EQ(hmac_sha256_base64("secret", "{\"id\":1}"), "A971iWIMgT8Zj9A9eWfikrFj7wQ16/Qwcc4OlRl2PLc=");
  EXPECT_TRUE(same_secret("abc", "abc"));
  EXPECT_FALSE(same_secret("abc", "abd"));
  EXPECT_FALSE(same_secret("abc", "abcd"));
  EXPECT_FALSE(same_secret("", ""));
}

TEST(WebshopMedusa, RecordedOrdersReadWithExactAmountsAndVersions) {
  const auto path = std::filesystem::path(SALESCORE_SHARED_FIXTURES) / "webshop" / "medusa-2.21-orders.json";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is absent";
  auto medusa = make_platform("medusa", {"sk", "", ""});
  ShopReply reply;
  reply.status = 200;
  reply.body = read_all(path);
  OrderPage page = medusa->read_page(reply, "");
  ASSERT_EQ(page.orders.size(), 3u);
  EXPECT_EQ(page.next, "");
  const ShopOrder& paid = page.orders[2];
  EXPECT_EQ(paid.totals.at("total"), "59.87");
  EXPECT_EQ(paid.totals.at("refunded"), "5");
  EXPECT_EQ(paid.status, "fulfilled");
  EXPECT_EQ(paid.currency, "EUR");
  ASSERT_EQ(paid.lines.size(), 1u);
  EXPECT_EQ(paid.lines[0].sku, "TSHIRT-M");
  EXPECT_EQ(paid.lines[0].unit_price, "19.99");
  // The version is the latest time anywhere in the order, never before its updated_at.
  EXPECT_GE(paid.version, paid.listed_at);
  EXPECT_EQ(page.orders[1].lines[0].sku, "");  // a custom line: no SKU, a dead letter later
}

}  // namespace
}  // namespace salescore::webshop
