// Full-jitter exponential backoff: the ceiling doubles from the base up to the cap and
// the wait is a uniform draw under it.
#include <gtest/gtest.h>

#include "host/backoff.h"

namespace salescore::plugins {
namespace {

TEST(Backoff, TheCeilingDoublesUpToTheCap) {
  BackoffPolicy p{1000, 5000};
  EXPECT_EQ(p.ceiling_ms(1), 1000);
  EXPECT_EQ(p.ceiling_ms(2), 2000);
  EXPECT_EQ(p.ceiling_ms(3), 4000);
  EXPECT_EQ(p.ceiling_ms(4), 5000);
  EXPECT_EQ(p.ceiling_ms(1000), 5000) << "no overflow for a long streak";
}

TEST(Backoff, TheWaitIsAUniformDrawUnderTheCeiling) {
  BackoffPolicy p{1000, 60000};
  EXPECT_EQ(p.delay_ms(3, [] { return 0.0; }), 0);
  EXPECT_EQ(p.delay_ms(3, [] { return 0.5; }), 2000);
  EXPECT_EQ(p.delay_ms(3, [] { return 0.999999; }), 3999);
}

TEST(Backoff, TheSystemRandomStaysInItsRange) {
  UniformRandom random = system_random();
  BackoffPolicy p{100, 100};
  for (int i = 0; i < 1000; ++i) {
    std::int64_t d = p.delay_ms(5, random);
    ASSERT_GE(d, 0);
    ASSERT_LE(d, 100);
  }
}

}  // namespace
}  // namespace salescore::plugins
