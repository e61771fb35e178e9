#include <Poco/UTF8String.h>
#include <gtest/gtest.h>

#include "model/contact_points.h"

namespace salescore {
namespace {

TEST(Phone, RussianNationalAndInternationalFormsAreTheSameNumber) {
  auto national = normalize_phone("8 (495) 123-45-67", "RU");
  auto international = normalize_phone("+7 495 1234567", "RU");
  ASSERT_TRUE(national.ok()) << national.status().to_string();
  ASSERT_TRUE(international.ok());
  EXPECT_EQ(*national, "+74951234567");
  EXPECT_EQ(*international, *national);
}

TEST(Phone, ForeignNumbersKeepTheirCountry) {
  auto sofia = normalize_phone("+359 2 987 6543", "RU");
  ASSERT_TRUE(sofia.ok()) << sofia.status().to_string();
  EXPECT_EQ(*sofia, "+35929876543");
}

TEST(Phone, RejectsWhatIsNotAPhone) {
  EXPECT_FALSE(normalize_phone("call me", "RU").ok());
  EXPECT_FALSE(normalize_phone("123", "RU").ok());
  EXPECT_FALSE(normalize_phone("", "RU").ok());
}

// Numbers are remembered (contact_points.cpp, PhoneCache): asked again, the same text
// gives the same answer, a refusal included.
TEST(Phone, AskedAgainTheAnswerIsTheSameRefusalsIncluded) {
  for (int round = 0; round < 2; ++round) {
    auto moscow = normalize_phone("8 (495) 123-45-67", "RU");
    ASSERT_TRUE(moscow.ok()) << moscow.status().to_string();
    EXPECT_EQ(*moscow, "+74951234567");
    auto bad = normalize_phone("123", "RU");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
    EXPECT_NE(bad.status().message().find("'123'"), std::string::npos) << bad.status().message();
    auto berlin = normalize_phone("030 1234567", "DE");
    ASSERT_TRUE(berlin.ok()) << berlin.status().to_string();
    EXPECT_EQ(*berlin, "+49301234567");
  }
  // More numbers than the cache holds: every answer is still right.
  for (int n = 0; n < 8300; ++n) {
    auto p = normalize_phone("+7 495 " + std::to_string(1000000 + n), "RU");
    ASSERT_TRUE(p.ok()) << n;
    ASSERT_EQ(*p, "+7495" + std::to_string(1000000 + n));
  }
}

TEST(Email, IsTrimmedAndLowerCased) {
  EXPECT_EQ(*normalize_email("  Ivan.Petrov@Example.RU "), "ivan.petrov@example.ru");
  EXPECT_FALSE(normalize_email("ivan@").ok());
  EXPECT_FALSE(normalize_email("no-at-sign.ru").ok());
  EXPECT_FALSE(normalize_email("a@b@c.ru").ok());
}

TEST(Inn, AcceptsValidCompanyAndEntrepreneurNumbers) {
  EXPECT_TRUE(validate_inn("7707083893").is_ok());    // Sberbank
  EXPECT_TRUE(validate_inn("500100732259").is_ok());  // an individual entrepreneur
}

TEST(Inn, RejectsAWrongCheckDigitOrLength) {
  EXPECT_FALSE(validate_inn("7707083894").is_ok());
  EXPECT_FALSE(validate_inn("500100732258").is_ok());
  EXPECT_FALSE(validate_inn("77070838").is_ok());
  EXPECT_FALSE(validate_inn("77070838AB").is_ok());
  Status st = validate_inn("7707083894");
  EXPECT_NE(st.message().find("check digit"), std::string::npos) << st.message();
}

TEST(Kpp, IsNineCharactersWithOptionalLettersInTheMiddle) {
  EXPECT_TRUE(validate_kpp("773601001").is_ok());
  EXPECT_TRUE(validate_kpp("7736AB001").is_ok());
  EXPECT_FALSE(validate_kpp("77360100").is_ok());
  EXPECT_FALSE(validate_kpp("A73601001").is_ok());
}

TEST(SearchKey, LowerCasesCyrillic) { EXPECT_EQ(search_key("ООО Ромашка"), "ооо ромашка"); }

// ASCII and basic Cyrillic are lowered without Poco's converter: the same result as
// Poco gives, character by character and in mixed text.
TEST(SearchKey, LowersEveryCharacterAsPocoDoes) {
  auto utf8 = [](int cp) {
    std::string s;
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
  };
  for (int cp = 1; cp < 0x2200; ++cp) {
    if (cp >= 0xD800 && cp < 0xE000) continue;
    const std::string one = utf8(cp);
    EXPECT_EQ(search_key(one), Poco::UTF8::toLower(one)) << "U+" << std::hex << cp;
    const std::string mixed = "Дрель " + one + " DR-1 Ёж Ѐ Џ Я а я ѐ џ";
    EXPECT_EQ(search_key(mixed), Poco::UTF8::toLower(mixed)) << "U+" << std::hex << cp;
  }
  for (const std::string odd : {std::string("\xD0"), std::string("Я\xD0"), std::string("\xD1\xA0Я"),
                                std::string("a\xFF" "b"), std::string("ЯZ\xD0\x41")})
    EXPECT_EQ(search_key(odd), Poco::UTF8::toLower(odd));
}

}  // namespace
}  // namespace salescore
