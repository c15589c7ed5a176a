// DIGS's request size, demand vector and ComputeAwareLoad, checked against hand-computed values
// (spec §4.2).
#include <gtest/gtest.h>

#include "digs/computeawareload.h"
#include "digs/demand.h"

using namespace coord::scheduling::digs;

namespace {

// Every coefficient distinct and non-zero so each term shows: a=2 i=1 o=10 n=4 k=2 m=3 r=0.5
// b=7 c=11.
LoadCoefficients distinctCoefficients()
{
    return LoadCoefficients::fromArray({2, 1, 10, 4, 2, 3, 0.5, 7, 11});
}

struct TokenSumCase
{
    const char* name;
    SequenceInputs inFlight;
    qint64 groupMaxSlots;
    qint64 newInput;
    qint64 expected;
};

class DigsTokenSumTest : public ::testing::TestWithParam<TokenSumCase>
{
};

} // namespace

TEST(DigsDemand, InputTokensRoundUpBytesTimesCoefficientI)
{
    EXPECT_EQ(digsInputTokens(85, false, 0.22), 19); // 18.7
    EXPECT_EQ(digsInputTokens(85, false, 1.0), 85);  // coordinator_info's worked example
    EXPECT_EQ(digsInputTokens(1, false, 0.22), 1);
    EXPECT_EQ(digsInputTokens(0, false, 0.22), 0);
    EXPECT_EQ(digsInputTokens(-5, false, 0.22), 0);
}

TEST(DigsDemand, TokenArraysCountAsTheyAre)
{
    EXPECT_EQ(digsInputTokens(7, true, 0.22), 7);
    EXPECT_EQ(digsInputTokens(4000, true, 5.0), 4000);
}

TEST(DigsDemand, BlocksAreCeilTokensOverBlockSizeUnlessFlat)
{
    EXPECT_EQ(makeDemand(300, 128, false).resources, (Resources{1, 3}));
    EXPECT_EQ(makeDemand(256, 128, false).resources, (Resources{1, 2}));
    EXPECT_EQ(makeDemand(0, 128, false).resources, (Resources{1, 0}));
    EXPECT_EQ(makeDemand(300, 128, true).resources, (Resources{1, 1}));
    EXPECT_EQ(makeDemand(300, 128, false).inputTokens, 300);
    // An unknown block size (no instance yet) counts as 1 rather than dividing by zero.
    EXPECT_EQ(makeDemand(5, 0, false).resources, (Resources{1, 5}));
}

TEST(DigsLoadCoefficients, FromArrayKeepsTheDocumentedOrder)
{
    const LoadCoefficients k = LoadCoefficients::fromArray({1, 2, 3, 4, 5, 6, 7, 8, 9});
    EXPECT_EQ(k.a, 1);
    EXPECT_EQ(k.i, 2);
    EXPECT_EQ(k.o, 3);
    EXPECT_EQ(k.n, 4);
    EXPECT_EQ(k.k, 5);
    EXPECT_EQ(k.m, 6);
    EXPECT_EQ(k.r, 7);
    EXPECT_EQ(k.b, 8);
    EXPECT_EQ(k.c, 9);
}

TEST_P(DigsTokenSumTest, MatchesHandComputedValue)
{
    const TokenSumCase& c = GetParam();
    EXPECT_EQ(tokenSum(c.inFlight, c.groupMaxSlots, c.newInput, distinctCoefficients()), c.expected)
        << c.name;
}

// With o=10, n=4 (so n/2 = 2), k=2.
INSTANTIATE_TEST_SUITE_P(
    Branches, DigsTokenSumTest,
    ::testing::Values(
        // maxSlots 1 < 2: (5+10) + (20+10) + 8.
        TokenSumCase{"plain sum", {5, 20}, 1, 8, 53},
        TokenSumCase{"plain sum, nothing in flight", {}, 0, 8, 8},
        // {8, 15, 30, 40}: one full group of 4, its largest x 4.
        TokenSumCase{"one full group", {5, 20, 30}, 2, 8, 160},
        // {8, 15, 30, 40, 60}: one full group (40 x 4); the tail of one is dropped, as coded.
        TokenSumCase{"full group drops the tail", {5, 20, 30, 50}, 2, 8, 160},
        // {8, 15}: tail of 2 <= k: 15 / 2 x 2 with integer halving.
        TokenSumCase{"tail within k", {5}, 2, 8, 14},
        // {8, 15, 30}: tail of 3 > k: 30 x 3.
        TokenSumCase{"tail beyond k", {5, 20}, 2, 8, 90},
        // The new input is the largest: {11, 12, 13, 100}.
        TokenSumCase{"new input largest", {1, 2, 3}, 5, 100, 400},
        // Two full groups {8,11,12,13 | 15,16,17,18}: 13 x 4 + 18 x 4.
        TokenSumCase{"two full groups", {1, 2, 3, 5, 6, 7, 8}, 3, 8, 124}),
    [](const ::testing::TestParamInfo<TokenSumCase>& param) { return "case" + std::to_string(param.index); });

TEST(DigsTokenSum, IsOneWhenCoefficientAIsZero)
{
    LoadCoefficients k = distinctCoefficients();
    k.a = 0;
    EXPECT_EQ(tokenSum({5, 20, 30}, 10, 8, k), 1);
}

TEST(DigsTokenSum, ClampsNegativeOutputAndNonPositiveCoreCount)
{
    LoadCoefficients k = distinctCoefficients();
    k.o = -3;
    k.n = 0; // n becomes 1, so n/2 = 0 and every group has one element
    // {1, 2, 8}: three full groups of one: 1 + 2 + 8.
    EXPECT_EQ(tokenSum({1, 2}, 0, 8, k), 11);
}

TEST(DigsComputeAwareLoad, AddsAllNineTermsForTheGroupMaxHolder)
{
    const SequenceInputs inFlight{5, 20};
    DecodeLoadInput candidate;
    candidate.inFlight = &inFlight;
    candidate.decodeAllocated = Resources{2, 6};
    candidate.groupMaxSlots = 2; // this D holds the group's largest batch
    candidate.reportedUsedBlocks = 100;
    const Demand demand{Resources{1, 2}, 8};
    // a·90 + m·(2+1) + r·100 + b·(2+1) + c·(6+2) = 180 + 9 + 50 + 21 + 88.
    EXPECT_DOUBLE_EQ(computeAwareLoad(candidate, demand, distinctCoefficients()), 348.0);
}

TEST(DigsComputeAwareLoad, MaxSlotsTermUsesTheGroupMaxForOtherInstances)
{
    const SequenceInputs inFlight{5, 20};
    DecodeLoadInput candidate;
    candidate.inFlight = &inFlight;
    candidate.decodeAllocated = Resources{2, 6};
    candidate.groupMaxSlots = 5;
    candidate.reportedUsedBlocks = 100;
    const Demand demand{Resources{1, 2}, 8};
    // 180 + m·5 + 50 + 21 + 88.
    EXPECT_DOUBLE_EQ(computeAwareLoad(candidate, demand, distinctCoefficients()), 354.0);
}

TEST(DigsComputeAwareLoad, DefaultCoefficientsCountUsedPlusAllocatedBlocks)
{
    const LoadCoefficients defaults;
    DecodeLoadInput candidate;
    candidate.decodeAllocated = Resources{4, 30};
    candidate.groupMaxSlots = 4;
    candidate.reportedUsedBlocks = 200;
    const Demand demand{Resources{1, 3}, 300};
    EXPECT_DOUBLE_EQ(computeAwareLoad(candidate, demand, defaults), 200.0 + 30.0 + 3.0);
}

TEST(DigsComputeAwareLoad, SeparableExactlyWhenTheTokenSumIsAPlainSum)
{
    LoadCoefficients k = distinctCoefficients();
    EXPECT_TRUE(loadIsSeparable(1, k));
    EXPECT_FALSE(loadIsSeparable(2, k));
    k.a = 0;
    EXPECT_TRUE(loadIsSeparable(1000, k));
}
