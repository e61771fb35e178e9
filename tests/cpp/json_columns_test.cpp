// The JSON text columns (addresses, custom fields, lists) read back exactly what
// json_of() wrote, whatever the text holds, and damaged text is an error, not a guess.
#include "store/json_columns.h"

#include <gtest/gtest.h>

#include <random>
#include <stdexcept>

#include "salescore/record_fields.h"

namespace salescore::store {
namespace {

TEST(JsonColumns, ReadsBackWhatJsonOfWrote) {
  const std::map<std::string, std::string> custom = {
      {"отрасль", "проектирование"}, {"quote\"s", "back\\slash"}, {"ctl", "tab\there\nnewline\x01"}, {"", ""}};
  EXPECT_EQ(parse_string_map(json_of(custom)), custom);
  const std::vector<std::string> list = {"a", "", "ООО «Ромашка»", "emoji 😀", "/slash"};
  EXPECT_EQ(parse_string_list(json_of(list)), list);
  const std::vector<Address> addresses = {{"legal", "454136, г. Челябинск, ул. Набережная, д. 59"}, {"shipping", ""}};
  auto objects = parse_object_list(json_of(addresses));
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0]["kind"], "legal");
  EXPECT_EQ(objects[0]["text"], addresses[0].text);
  EXPECT_EQ(objects[1]["text"], "");
}

TEST(JsonColumns, RandomTextSurvivesTheRoundTrip) {
  std::mt19937 random(7);
  for (int round = 0; round < 500; ++round) {
    std::string s;
    const int n = static_cast<int>(random() % 20);
    for (int i = 0; i < n; ++i) s += static_cast<char>(random() % 128);  // ASCII incl. controls
    if (random() % 2) s += "Ж€😀";
    std::map<std::string, std::string> map = {{s, s + s}};
    ASSERT_EQ(parse_string_map(json_of(map)), map) << json_of(map);
    ASSERT_EQ(parse_string_list(json_of(std::vector<std::string>{s})), std::vector<std::string>{s});
  }
}

TEST(JsonColumns, EscapesAndValuesOfOtherTypes) {
  EXPECT_EQ(parse_string_list(R"(["\u0416\u20ac", "\ud83d\ude00", "\"\\\/\b\f\n\r\t"])"),
            (std::vector<std::string>{"Ж€", "😀", "\"\\/\b\f\n\r\t"}));
  // A lone surrogate cannot be UTF-8: it becomes U+FFFD.
  EXPECT_EQ(parse_string_list(R"(["\ud83d"])"), std::vector<std::string>{"\xEF\xBF\xBD"});
  auto mixed = parse_string_map(R"( { "n" : 12 , "b":true, "z":null, "o":{"a":[1,2]} } )");
  EXPECT_EQ(mixed["n"], "12");
  EXPECT_EQ(mixed["b"], "true");
  EXPECT_EQ(mixed["z"], "null");
  EXPECT_EQ(mixed["o"], R"({"a":[1,2]})");
  EXPECT_TRUE(parse_string_map("").empty());
  EXPECT_TRUE(parse_string_map("{}").empty());
  EXPECT_TRUE(parse_string_list("[ ]").empty());
  EXPECT_TRUE(parse_object_list("[]").empty());
}

TEST(JsonColumns, DamagedTextIsAnErrorNamingWhere) {
  for (const char* damaged : {R"(["a")", R"(["a",])", R"({"a" "b"})", R"({"a":"b"} x)", R"(["\x"])", R"(["\u12"])",
                              R"([{"kind":"legal"])", "[", "{", R"("just a string")"}) {
    SCOPED_TRACE(damaged);
    EXPECT_THROW(
        {
          parse_string_list(damaged);
          parse_string_map(damaged);
          parse_object_list(damaged);
        },
        std::runtime_error);
  }
  try {
    parse_string_map(R"({"a":"b",})");
    FAIL() << "accepted a trailing comma";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("offset"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace salescore::store
