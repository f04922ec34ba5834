//===- IntegerNetworkTest.cpp - The integer network's requantization -----===//
//
// Requant (the fixed point every integer consumer computes) and its 32-bit
// form, NarrowRequant, checked against each other on every accumulator
// that matters: the window's edges, 32-bit extremes and random ones.
//
//===----------------------------------------------------------------------===//

#include "nasc/Target/Common/IntegerNetwork.h"
#include "nasc/Space/Space.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace nasc;

namespace {

TEST(RequantTest, RoundsHalfUpAndClamps) {
  // acc / 2: 1.5 -> 2, -1.5 -> -1 (floor of x + 1/2), 2.5 -> 3.
  Requant half = Requant::fromRatio(0.5, 0.0, -127, 127);
  EXPECT_EQ(half.apply(3), 2);
  EXPECT_EQ(half.apply(-3), -1);
  EXPECT_EQ(half.apply(5), 3);
  EXPECT_EQ(half.apply(1000), 127);
  EXPECT_EQ(half.apply(-1000), -127);
  // A 16-bit multiplier with 14 significant bits.
  Requant third = Requant::fromRatio(1.0 / 3.0, 0.0, -127, 127);
  EXPECT_GE(third.multiplier, 1 << 13);
  EXPECT_LE(third.multiplier, 1 << 14);
  EXPECT_EQ(third.apply(300), 100);
  // An offset in output levels, and ReLU's clamp at 0.
  Requant shifted = Requant::fromRatio(1.0, 2.25, 0, 127);
  EXPECT_EQ(shifted.apply(10), 12);
  EXPECT_EQ(shifted.apply(-10), 0);
}

TEST(RequantTest, ShiftStaysWithinThe32BitForm) {
  // A small ratio keeps fewer significant bits instead of a longer shift.
  Requant small = Requant::fromRatio(std::ldexp(1.0, -14), 0.0, -127, 127);
  EXPECT_EQ(small.shift, Requant::kMaxShift);
  EXPECT_EQ(small.multiplier, 1 << 9);
  EXPECT_EQ(small.apply(1 << 14), 1);
  EXPECT_EQ(small.apply(3 << 13), 2); // 1.5 rounds up
}

/// Every 32-bit accumulator near the window's edges, at the extremes and at
/// random gives the same level through `r` and its 32-bit form.
void expectNarrowMatches(const Requant &r, Random &random) {
  std::optional<NarrowRequant> n = r.narrow();
  ASSERT_TRUE(n.has_value())
      << "m " << r.multiplier << " b " << r.offset << " s " << r.shift;
  constexpr int64_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  std::vector<int64_t> accs{kMin, kMin + 1, -1, 0, 1, kMax - 1, kMax};
  for (int64_t edge : {int64_t(n->accLo), int64_t(n->accHi)})
    for (int64_t d = -3; d <= 3; ++d)
      accs.push_back(std::clamp(edge + d, kMin, kMax));
  for (int i = 0; i < 200; ++i) {
    accs.push_back(int64_t(int32_t(uint32_t(random.next()))));
    // Within the window, where each level has its accumulators.
    accs.push_back(int64_t(n->accLo) +
                   int64_t(random.below(uint64_t(n->accHi - n->accLo) + 1)));
  }
  for (int64_t acc : accs)
    ASSERT_EQ(n->apply(int32_t(acc)), r.apply(acc))
        << "acc " << acc << " m " << r.multiplier << " b " << r.offset << " s "
        << r.shift << " [" << r.lo << ", " << r.hi << "]";
}

TEST(RequantTest, NarrowFormIsExactForCalibratedRatios) {
  Random random(7);
  for (int i = 0; i < 2000; ++i) {
    // Ratios from 2^-30 to 2^14, offsets up to +-2^12 levels, every clamp
    // the integer network uses.
    double ratio = std::ldexp(1.0 + double(random.below(1000)) / 1000.0,
                              int(random.below(45)) - 30);
    if (random.below(2))
      ratio = -ratio;
    double offset = (double(random.below(1 << 14)) - (1 << 13)) *
                    std::ldexp(1.0, -int(random.below(12)));
    static const std::pair<int64_t, int64_t> clamps[] = {
        {-127, 127}, {0, 127}, {0, 42}, {0, 1}, {-128, 127}};
    auto [lo, hi] = clamps[random.below(5)];
    expectNarrowMatches(Requant::fromRatio(ratio, offset, lo, hi), random);
  }
}

TEST(RequantTest, NarrowFormOfSteepAndSaturatedRequants) {
  Random random(11);
  // A multiplier over 2^shift skips levels; a zero multiplier and offsets
  // beyond every accumulator are constants.
  Requant steep;
  steep.multiplier = 5000;
  steep.offset = 3;
  steep.shift = 2;
  expectNarrowMatches(steep, random);
  EXPECT_TRUE(steep.narrow()->clampsResult);
  steep.multiplier = -5000;
  expectNarrowMatches(steep, random);
  Requant zero;
  zero.multiplier = 0;
  zero.offset = 300;
  expectNarrowMatches(zero, random);
  EXPECT_EQ(zero.narrow()->apply(-5), 127);
  Requant beyond;
  beyond.multiplier = 3;
  beyond.offset = int64_t(1) << 50;
  beyond.shift = 20;
  expectNarrowMatches(beyond, random);
  beyond.offset = -beyond.offset;
  expectNarrowMatches(beyond, random);
  // The calibrated case: no clamp of the result is needed.
  std::optional<NarrowRequant> gentle =
      Requant::fromRatio(0.01, 0.5, 0, 127).narrow();
  ASSERT_TRUE(gentle);
  EXPECT_FALSE(gentle->clampsResult);
  // A shift past the 32-bit form's has none.
  Requant wide;
  wide.multiplier = 1 << 13;
  wide.shift = 30;
  EXPECT_FALSE(wide.narrow().has_value());
}

} // namespace
