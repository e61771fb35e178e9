// The field descriptions of the API (server/api/api_fields.h) hold the body validation
// and the OpenAPI document together: a body is checked against its description, and a
// route that reads a field otherwise than described fails loudly instead of documenting
// one thing and accepting another. tests/python/test_openapi.py checks the same
// descriptions against real requests; these run without a server.
#include <gtest/gtest.h>

#include "api/api_body.h"
#include "api/api_fields.h"
#include "api/api_router.h"
#include "salescore/model.h"

namespace salescore::cli {
namespace {

BodyReader read(const std::string& json, const Fields& fields) {
  auto body = BodyReader::parse(json);
  EXPECT_TRUE(body.ok()) << body.status().message();
  body->describe(fields);
  return *body;
}

TEST(ApiFieldsTest, ABodyIsHeldToItsDescription) {
  const Fields fields = {field::text("reason", "Why").need(), field::amount("amount", "How much")};
  BodyReader b = read(R"({"amount": 12.5, "colour": "red"})", fields);
  (void)b.text("reason");
  (void)b.amount("amount");
  Status st = b.status("test");
  ASSERT_EQ(st.code(), Code::kInvalidArgument) << st.message();
  EXPECT_EQ(st.fields().at("reason"), "required");
  EXPECT_EQ(st.fields().at("colour"), "unknown or read-only field");
  EXPECT_NE(st.fields().at("amount").find("decimal string"), std::string::npos);
}

TEST(ApiFieldsTest, ARouteReadingAFieldOtherwiseThanDescribedIsABug) {
  const Fields fields = {field::amount("amount", "How much"), field::text("note", "A note")};
  BodyReader b = read(R"({"amount": "1.00"})", fields);
  (void)b.text("amount");     // described as amount
  (void)b.boolean("hidden");  // not described at all
  Status st = b.status("test");
  ASSERT_EQ(st.code(), Code::kInternal) << st.message();
  EXPECT_NE(st.message().find("amount is described as amount but read as text"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("hidden is read (boolean) but not described"), std::string::npos) << st.message();
}

TEST(ApiFieldsTest, DescribedValuesMustBeTheParsersAndRequiredMustBeDescribedSo) {
  const Fields fields = {field::choice("tier", {"regular", "gold"}, "Tier"), field::text("reason", "Why")};
  BodyReader b = read("{}", fields);
  (void)b.choice("tier", parse_tier);
  (void)b.required_text("reason");
  Status st = b.status("test");
  ASSERT_EQ(st.code(), Code::kInternal);
  EXPECT_NE(st.message().find("tier is described with other values"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("reason is required by the route but not described so"), std::string::npos);
}

TEST(ApiFieldsTest, NestedObjectsAreHeldToTheirItems) {
  const Fields fields = {field::objects("lines", {field::text("sku", "SKU"), field::quantity("quantity", "How many")},
                                        "Lines")};
  BodyReader b = read(R"({"lines": [{"sku": "A", "quantity": "x", "price": "1"}]})", fields);
  b.objects("lines", [](BodyReader& line) {
    (void)line.text("sku");
    (void)line.quantity("quantity");
  });
  Status st = b.status("test");
  ASSERT_EQ(st.code(), Code::kInvalidArgument) << st.message();
  EXPECT_TRUE(st.fields().count("lines[0].price"));
  EXPECT_TRUE(st.fields().count("lines[0].quantity"));
}

TEST(ApiFieldsTest, BareNamesStayUncheckedSoUndescribedRoutesStillWork) {
  BodyReader b = read(R"({"reason": 5})", Fields(std::vector<std::string>{"reason"}));
  (void)b.amount("reason");
  EXPECT_EQ(b.status("test").code(), Code::kInvalidArgument);  // the reader's own type check, no drift
}

TEST(ApiFieldsTest, ChoicesAreReadFromTheParsersRefusals) {
  EXPECT_EQ(choices_of(parse_tier), (std::vector<std::string>{"regular", "vip"}));
  EXPECT_EQ(choices_of("unknown scope 'x' (expected user, team or company)"),
            (std::vector<std::string>{"user", "team", "company"}));
  EXPECT_EQ(choices_of("unknown role 'x' (expected one of: admin, manager)"),
            (std::vector<std::string>{"admin", "manager"}));
}

// The same check as test_openapi.py's, without a server: every route of the table says
// what each body field is and what it answers, and every reply schema it names exists.
TEST(ApiFieldsTest, EveryRouteIsDescribed) {
  const auto& schemas = api_schemas();
  for (const Route& r : api_routes()) {
    const std::string route = r.method + " " + r.pattern;
    for (const FieldSpec& f : r.fields)
      EXPECT_TRUE(f.described()) << route << ": field '" << f.name << "' has no description (api_fields.h)";
    for (const FieldSpec& f : r.filters)
      EXPECT_TRUE(f.described()) << route << ": query parameter '" << f.name << "' has no description (api_query.h)";
    EXPECT_NE(r.reply.shape, Reply::Shape::kUndescribed) << route << ": no .reply (api_fields.h)";
    if (r.reply.shape == Reply::Shape::kRecord || r.reply.shape == Reply::Shape::kPage) {
      EXPECT_TRUE(schemas.count(r.reply.schema)) << route << ": reply schema '" << r.reply.schema << "' is unknown";
    }
  }
  for (const auto& [name, fields] : schemas)
    for (const FieldSpec& f : fields) {
      EXPECT_TRUE(f.described()) << name << "." << f.name;
      if (f.type == FieldType::kChoice) {
        EXPECT_FALSE(f.choices.empty()) << name << "." << f.name;
      }
    }
}

}  // namespace
}  // namespace salescore::cli
