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

// WooCommerce pages by keyset: each page starts after the last modified time read (a
// second before it), so an order modified while the poll pages through cannot shift a
// later one onto a page already read; a whole page in one second moves by page number.
TEST(WebshopPages, WooCommerceKeysetNextAfterTheLastTimeRead) {
  auto woo = make_platform("woocommerce", {"ck", "cs", ""});
  auto order = [](int id, const char* modified) {
    return std::string("{\"id\":") + std::to_string(id) + ",\"date_created_gmt\":\"2026-11-22T12:00:00\"," +
           "\"date_modified_gmt\":\"" + modified + "\",\"line_items\":[]}";
  };
  ShopReply reply;
  reply.status = 200;
  reply.headers["x-wp-totalpages"] = "3";
  reply.body = "[" + order(1, "2026-11-22T12:00:01") + "," + order(2, "2026-11-22T12:00:05") + "]";
  OrderPage page = woo->read_page(reply, "");
  const std::int64_t at5 = page.orders[1].listed_at;
  EXPECT_EQ(page.next, std::to_string(at5 - 1000) + ":1");
  const std::string second = woo->list_orders(0, page.next, 2).target;
  EXPECT_TRUE(second.find("modified_after=2026-11-22T12%3A00%3A04") != std::string::npos ||
              second.find("modified_after=2026-11-22T12:00:04") != std::string::npos)
      << second;
  EXPECT_NE(second.find("page=1"), std::string::npos) << second;
  reply.body = "[" + order(3, "2026-11-22T12:00:05") + "," + order(4, "2026-11-22T12:00:05") + "]";
  page = woo->read_page(reply, std::to_string(at5 - 1000) + ":1");
  EXPECT_EQ(page.next, std::to_string(at5 - 1000) + ":2") << "a whole page in one second";
  reply.headers["x-wp-totalpages"] = "1";
  EXPECT_EQ(woo->read_page(reply, std::to_string(at5 - 1000) + ":1").next, "") << "the last page";
  ASSERT_TRUE(woo->list_open_orders("", 100));
  EXPECT_NE(woo->list_open_orders("", 100)->target.find("status=pending,processing,on-hold"), std::string::npos);
}

// Shopify's fulfilment: the order's fulfilment orders are read, then each one still open
// is fulfilled; a user error that comes with a 200 is a refusal, not a success.
TEST(WebshopStatusBack, ShopifyFulfilsEachOpenFulfilmentOrderAndRefusesOnUserErrors) {
  auto shopify = make_platform("shopify", {"shpat", "", "2024-10"});
  auto first = shopify->set_status("450789469", "fulfilled");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].target, "/admin/api/2024-10/graphql.json");
  EXPECT_NE(first[0].body.find("fulfillmentOrders"), std::string::npos);
  EXPECT_NE(first[0].body.find("gid://shopify/Order/450789469"), std::string::npos);
  ShopReply reply;
  reply.status = 200;
  reply.body = R"({"data":{"order":{"fulfillmentOrders":{"nodes":[{"id":"gid://shopify/FulfillmentOrder/1","status":"OPEN"},)"
               R"({"id":"gid://shopify/FulfillmentOrder/2","status":"CLOSED"},{"id":"gid://shopify/FulfillmentOrder/3","status":"IN_PROGRESS"}]}}}})";
  auto more = shopify->status_follow_up("450789469", "fulfilled", reply);
  ASSERT_EQ(more.size(), 2u);
  EXPECT_NE(more[0].body.find("fulfillmentCreate"), std::string::npos);
  EXPECT_NE(more[0].body.find("gid://shopify/FulfillmentOrder/1"), std::string::npos);
  EXPECT_NE(more[1].body.find("gid://shopify/FulfillmentOrder/3"), std::string::npos);
  reply.body = R"({"data":{"fulfillmentCreate":{"fulfillment":{"id":"gid://shopify/Fulfillment/1"},"userErrors":[]}}})";
  EXPECT_TRUE(shopify->status_follow_up("450789469", "fulfilled", reply).empty());
  reply.body = R"({"data":{"orderCancel":{"job":null,"orderCancelUserErrors":[{"code":"X","message":"Cannot cancel"}]}}})";
  EXPECT_THROW(shopify->status_follow_up("450789469", "cancelled", reply), ShopDataError);
  EXPECT_THROW(shopify->read_order(R"({"data":{"order":null}})"), ShopOrderGone);
  EXPECT_TRUE(shopify->set_status("1", "pending").empty()) << "no such status to set in Shopify";
}

// Medusa: the order is read, its items not fulfilled yet are fulfilled, each fulfilment
// not shipped is shipped (and, for delivered, marked delivered); each step decided from
// the order the last answer shows, so a retry carries on where it stopped.
TEST(WebshopStatusBack, MedusaFulfilsTheItemsLeftThenShipsEachFulfilment) {
  auto medusa = make_platform("medusa", {"sk", "", ""});
  auto first = medusa->set_status("order_1", "shipped");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].method, "GET");
  EXPECT_EQ(first[0].target.rfind("/admin/orders/order_1?fields=", 0), 0u) << first[0].target;
  ShopReply reply;
  reply.status = 200;
  reply.body = R"({"order":{"id":"order_1","status":"pending","items":[)"
               R"({"id":"li_1","quantity":2,"detail":{"raw_fulfilled_quantity":{"value":"1"}}},)"
               R"({"id":"li_2","quantity":1,"detail":{"fulfilled_quantity":1}}],"fulfillments":[]}})";
  auto fulfil = medusa->status_follow_up("order_1", "shipped", reply);
  ASSERT_EQ(fulfil.size(), 1u);
  EXPECT_EQ(fulfil[0].method, "POST");
  EXPECT_EQ(fulfil[0].target, "/admin/orders/order_1/fulfillments");
  EXPECT_EQ(fulfil[0].body, R"({"items":[{"id":"li_1","quantity":1}]})");
  reply.body = R"({"order":{"id":"order_1","status":"pending","items":[{"id":"li_1","quantity":2,)"
               R"("detail":{"fulfilled_quantity":2}}],"fulfillments":[{"id":"ful_1","shipped_at":"2026-12-07T10:00:00Z",)"
               R"("items":[]},{"id":"ful_2","shipped_at":null,"canceled_at":null,)"
               R"("items":[{"line_item_id":"li_1","quantity":1}]},{"id":"ful_3","canceled_at":"2026-12-07T10:00:00Z"}]}})";
  auto ship = medusa->status_follow_up("order_1", "shipped", reply);
  ASSERT_EQ(ship.size(), 1u);
  EXPECT_EQ(ship[0].target, "/admin/orders/order_1/fulfillments/ful_2/shipments");
  EXPECT_EQ(ship[0].body, R"({"items":[{"id":"li_1","quantity":1}]})");
  EXPECT_TRUE(medusa->status_follow_up("order_1", "fulfilled", reply).empty()) << "fulfilled: nothing to ship";
  auto deliver = medusa->status_follow_up("order_1", "delivered", reply);
  ASSERT_EQ(deliver.size(), 2u);
  EXPECT_EQ(deliver[0].target, "/admin/orders/order_1/fulfillments/ful_1/mark-as-delivered");
  reply.body = R"({"order":{"id":"order_1","status":"canceled","items":[]}})";
  EXPECT_THROW(medusa->status_follow_up("order_1", "shipped", reply), ShopDataError);
  EXPECT_TRUE(medusa->set_status("order_1", "captured").empty()) << "payment is Medusa's own workflow";
}

}  // namespace
}  // namespace salescore::webshop
