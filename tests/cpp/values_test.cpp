#include <gtest/gtest.h>

#include "salescore/values.h"

namespace salescore {
namespace {

TEST(Instant, FormatsAndParsesIso8601InUtc) {
  auto t = parse_iso8601("2026-11-22T10:15:30.250Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(format_iso8601(*t), "2026-11-22T10:15:30.250Z");
}

TEST(Instant, AppliesTheOffsetOfAZonedTime) {
  auto moscow = parse_iso8601("2026-11-22T13:15:00+03:00");
  auto utc = parse_iso8601("2026-11-22T10:15:00Z");
  ASSERT_TRUE(moscow.ok() && utc.ok());
  EXPECT_EQ(moscow->ms, utc->ms);
}

TEST(Instant, ADateAloneIsMidnightUtc) {
  auto t = parse_iso8601("1970-01-02");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->ms, 86400000);
}

TEST(Instant, BeforeTheEpochRoundTrips) {
  auto t = parse_iso8601("1969-12-31T23:59:59.999Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->ms, -1);
  EXPECT_EQ(format_iso8601(*t), "1969-12-31T23:59:59.999Z");
}

TEST(Instant, RejectsImpossibleDatesAndGarbage) {
  for (const char* bad : {"2026-02-30", "2026-13-01", "yesterday", "2026-11-22T25:00:00Z", "2026-11-22T10:00:00Q", ""})
    EXPECT_FALSE(parse_iso8601(bad).ok()) << bad;
}

TEST(Money, FormatsMinorUnitsAsDecimals) {
  EXPECT_EQ(format_amount(123450), "1234.50");
  EXPECT_EQ(format_amount(-5), "-0.05");
  EXPECT_EQ(format_amount(0), "0.00");
}

TEST(Money, ParsesTheWaysPeopleWriteAmounts) {
  EXPECT_EQ(*parse_amount("1234.5"), 123450);
  EXPECT_EQ(*parse_amount("1 234,50"), 123450);
  EXPECT_EQ(*parse_amount("-3"), -300);
  EXPECT_FALSE(parse_amount("1.234").ok());
  EXPECT_FALSE(parse_amount("12abc").ok());
  EXPECT_FALSE(parse_amount("").ok());
}

TEST(Quantity, KeepsThousandthsExactly) {
  EXPECT_EQ(parse_quantity("0.25")->milli, 250);
  EXPECT_EQ(format_quantity(Quantity{250}), "0.25");
  EXPECT_EQ(format_quantity(Quantity::units(3)), "3");
  EXPECT_FALSE(parse_quantity("0.0001").ok());
}

TEST(LineAmount, RoundsHalfAwayFromZeroToTheKopeck) {
  // 0.333 kg at 10.01 per kg = 3.33333 -> 3.33
  EXPECT_EQ(line_amount(1001, Quantity{333}), 333);
  // 0.5 pcs at 0.01 = 0.005 -> 0.01
  EXPECT_EQ(line_amount(1, Quantity{500}), 1);
  // a large line does not overflow 64 bits in the middle of the computation
  EXPECT_EQ(line_amount(1'000'000'000'00, Quantity::units(1'000'000)), 1'000'000'000'00LL * 1'000'000);
}

}  // namespace
}  // namespace salescore
