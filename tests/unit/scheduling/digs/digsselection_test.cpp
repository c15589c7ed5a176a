// Which P and D a DIGS round picks: load order, res_limit_rate, connection room, peers,
// group_id, closed instances and pools by label (spec §4.2 steps 3-5).
#include <gtest/gtest.h>

#include "digstestdata.h"

using namespace coord;
using namespace coord::scheduling::digs;
using namespace coord::testing;

namespace {

// Each request costs 100 blocks with block size 128.
constexpr qint64 kHundredBlocks = 128 * 100;

Assignment placeOne(DigsEngine& engine, quint64 key, qint64 tokens = kHundredBlocks)
{
    engine.enqueue(tokenRequest(key, tokens));
    const std::vector<Assignment> placed = engine.runRound(0);
    EXPECT_EQ(placed.size(), 1u) << "request " << key;
    return placed.empty() ? Assignment{} : placed.front();
}

InstanceInfo withUsedBlocks(InstanceInfo info, qint64 used)
{
    info.dynamicInfo.availBlockNum = info.staticInfo.totalBlockNum - used;
    return info;
}

InstanceInfo withTotals(InstanceInfo info, qint64 slotTotal, qint64 blockTotal)
{
    info.staticInfo.totalSlotsNum = slotTotal;
    info.staticInfo.totalBlockNum = blockTotal;
    info.dynamicInfo.availSlotsNum = slotTotal;
    info.dynamicInfo.availBlockNum = blockTotal;
    return info;
}

} // namespace

// Spec §4.2: with the default coefficients decode picks the D with the fewest reported-used
// blocks plus coordinator-allocated decode blocks; ties go to the earlier-registered D.
TEST(DigsSelection, DefaultCoefficientsPickFewestUsedPlusAllocatedBlocks)
{
    DigsEngine engine(digsTestSettings());
    engine.upsertInstance(digsPrefill(1));
    engine.upsertInstance(withUsedBlocks(digsDecode(10, {1}), 300));
    engine.upsertInstance(withUsedBlocks(digsDecode(11, {1}), 100));

    EXPECT_EQ(placeOne(engine, 1).decodeId, 11u); // 100 < 300
    EXPECT_EQ(placeOne(engine, 2).decodeId, 11u); // 100 + 100 < 300
    EXPECT_EQ(placeOne(engine, 3).decodeId, 10u); // 300 = 100 + 200: registration order
    EXPECT_EQ(placeOne(engine, 4).decodeId, 11u); // 300 + 100 > 100 + 200
}

TEST(DigsSelection, ReportedBlocksComeFromTheLatestRefresh)
{
    DigsEngine engine(digsTestSettings());
    engine.upsertInstance(digsPrefill(1));
    engine.upsertInstance(withUsedBlocks(digsDecode(10, {1}), 300));
    engine.upsertInstance(withUsedBlocks(digsDecode(11, {1}), 100));
    engine.upsertInstance(withUsedBlocks(digsDecode(11, {1}), 900));
    EXPECT_EQ(placeOne(engine, 1).decodeId, 10u);
}

TEST(DigsSelection, PrefillGoesToTheLeastAllocatedP)
{
    DigsEngine engine(digsTestSettings());
    engine.upsertInstance(digsPrefill(1));
    engine.upsertInstance(digsPrefill(2));
    engine.upsertInstance(withTotals(digsDecode(10, {1, 2}), 1000, 100000));

    EXPECT_EQ(placeOne(engine, 1).prefillId, 1u);      // 0 = 0: registration order
    EXPECT_EQ(placeOne(engine, 2).prefillId, 2u);      // 0 < 101
    EXPECT_EQ(placeOne(engine, 3, 128).prefillId, 1u); // 101 = 101: registration order
    EXPECT_EQ(placeOne(engine, 4).prefillId, 2u);      // 101 < 103
    EXPECT_EQ(placeOne(engine, 5).prefillId, 1u);      // 103 < 202
}

struct LimitCase
{
    const char* name;
    SelectType selectType;
    bool limitCountsDemand;
    size_t expectedPlaced;
};

class DigsLimitTest : public ::testing::TestWithParam<LimitCase>
{
};

// One P with 1000 blocks and res_limit_rate 0.5 (limit 500 blocks), requests of 200 blocks.
TEST_P(DigsLimitTest, CapsPrefillAllocation)
{
    const LimitCase& c = GetParam();
    DigsSettings settings = digsTestSettings();
    settings.selectType = c.selectType;
    settings.resLimitRate = 0.5;
    settings.limitCountsDemand = c.limitCountsDemand;
    DigsEngine engine(settings);
    engine.upsertInstance(digsPrefill(1));
    engine.upsertInstance(withTotals(digsDecode(10, {1}), 1000, 100000));
    for (quint64 key = 1; key <= 6; ++key)
        engine.enqueue(tokenRequest(key, 2 * kHundredBlocks));
    EXPECT_EQ(engine.runRound(0).size(), c.expectedPlaced) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    SelectTypes, DigsLimitTest,
    ::testing::Values(
        // No cap: all six (1200 blocks of demand on a 1000-block P, as MindIE allows).
        LimitCase{"select_type 1", SelectType::Plain, true, 6},
        // MindIE: 0, 200, 400 are <= 500 and each passes; 600 does not.
        LimitCase{"select_type 2, current allocation", SelectType::RateLimited, false, 3},
        // Demand-aware: 0 + 200, 200 + 200 fit in 500; 400 + 200 does not.
        LimitCase{"select_type 2, with demand", SelectType::RateLimited, true, 2}),
    [](const ::testing::TestParamInfo<LimitCase>& param) { return "case" + std::to_string(param.index); });

TEST(DigsSelection, RequestAboveTheLimitStillRunsOnAnIdleInstance)
{
    DigsSettings settings = digsTestSettings();
    settings.resLimitRate = 0.5;
    DigsEngine engine(settings);
    engine.upsertInstance(digsPrefill(1));
    engine.upsertInstance(withTotals(digsDecode(10, {1}), 1000, 100000));
    engine.enqueue(tokenRequest(1, 8 * kHundredBlocks)); // 800 blocks > 500
    engine.enqueue(tokenRequest(2, 128));
    EXPECT_EQ(keysOf(engine.runRound(0)), (std::vector<quint64>{1}));
}

TEST(DigsSelection, DecodeLimitAppliesToo)
{
    DigsSettings settings = digsTestSettings();
    settings.resLimitRate = 0.5;
    settings.limitCountsDemand = false;
    DigsEngine engine(settings);
    engine.upsertInstance(withTotals(digsPrefill(1), 1000, 100000));
    engine.upsertInstance(digsDecode(10, {1})); // limit 500 blocks
    for (quint64 key = 1; key <= 6; ++key)
        engine.enqueue(tokenRequest(key, 2 * kHundredBlocks));
    EXPECT_EQ(engine.runRound(0).size(), 3u);
}

// Connection room: P-side plus D-side allocated slots must stay below single_node_max_requests.
TEST(DigsSelection, ConnectionRoomFollowsTheCapAndReturnsOnRelease)
{
    DigsSettings settings = digsTestSettings();
    settings.perInstanceCap = 2;
    DigsEngine engine(settings);
    engine.upsertInstance(digsPrefill(1));
    engine.upsertInstance(digsDecode(10, {1}));
    engine.upsertInstance(digsDecode(11, {1}));
    for (quint64 key = 1; key <= 3; ++key)
        engine.enqueue(tokenRequest(key, 128));
    EXPECT_EQ(keysOf(engine.runRound(0)), (std::vector<quint64>{1, 2}));
    EXPECT_TRUE(engine.runRound(100).empty());

    engine.releasePrefill(1); // P replied: its slot on P is free, D keeps its own
    EXPECT_EQ(keysOf(engine.runRound(200)), (std::vector<quint64>{3}));
}

TEST(DigsSelection, FlexSplitHalvesGetTheirOwnCap)
{
    DigsSettings settings = digsTestSettings();
    settings.perInstanceCap = 1;
    DigsEngine engine(settings);
    InstanceInfo prefill = digsPrefill(5);
    prefill.flexOriginId = 5;
    prefill.staticInfo.pPercentage = 50;
    InstanceInfo decode = digsDecode(InstanceInfo::kFlexDecodeId, {5});
    decode.flexOriginId = 5;
    decode.staticInfo.pPercentage = 50;
    engine.upsertInstance(prefill);
    engine.upsertInstance(decode);
    for (quint64 key = 1; key <= 3; ++key)
        engine.enqueue(tokenRequest(key, 128));
    EXPECT_EQ(engine.runRound(0).size(), 3u); // the cap is 4097, not 1
}

TEST(DigsSelection, DecodeMustListThePAndShareItsGroup)
{
    DigsEngine engine(digsTestSettings());
    engine.upsertInstance(digsPrefill(1, 0));
    engine.upsertInstance(digsPrefill(2, 1));
    engine.upsertInstance(digsDecode(10, {1}, 0));
    engine.upsertInstance(digsDecode(11, {2}, 1));
    engine.upsertInstance(digsDecode(12, {}, 0));     // lists no P
    engine.upsertInstance(digsDecode(13, {1, 2}, 1)); // lists P1 but in group 1
    for (quint64 key = 1; key <= 8; ++key) {
        const Assignment assignment = placeOne(engine, key, 128);
        if (assignment.prefillId == 1)
            EXPECT_EQ(assignment.decodeId, 10u);
        else
            EXPECT_TRUE(assignment.decodeId == 11u || assignment.decodeId == 13u);
    }
}

TEST(DigsSelection, ClosedInstancesTakeNoNewWork)
{
    DigsEngine engine(digsTestSettings());
    engine.upsertInstance(digsPrefill(1));
    engine.upsertInstance(digsPrefill(2));
    engine.upsertInstance(digsDecode(10, {1, 2}));
    engine.upsertInstance(withUsedBlocks(digsDecode(11, {1, 2}), 500));
    engine.setInstanceClosed(1, true);
    engine.setInstanceClosed(10, true);
    for (quint64 key = 1; key <= 3; ++key) {
        const Assignment assignment = placeOne(engine, key, 128);
        EXPECT_EQ(assignment.prefillId, 2u);
        EXPECT_EQ(assignment.decodeId, 11u);
    }
    engine.setInstanceClosed(10, false);
    EXPECT_EQ(placeOne(engine, 4, 128).decodeId, 10u);
    engine.setInstanceClosed(2, true);
    engine.setInstanceClosed(1, true);
    engine.enqueue(tokenRequest(5, 128));
    EXPECT_TRUE(engine.runRound(0).empty());
}

TEST(DigsSelection, PoolsFollowTheLabel)
{
    DigsEngine engine(digsTestSettings());
    InstanceInfo prefill = digsPrefill(1);
    prefill.staticInfo.label = InstanceLabel::PrefillPrefer;
    InstanceInfo decode = digsDecode(10, {1});
    decode.staticInfo.label = InstanceLabel::DecodePrefer;
    engine.upsertInstance(prefill);
    engine.upsertInstance(decode);
    const Assignment assignment = placeOne(engine, 1, 128);
    EXPECT_EQ(assignment.prefillId, 1u);
    EXPECT_EQ(assignment.decodeId, 10u);
}

TEST(DigsSelection, BlockSizeComesFromTheFirstInstanceWhenNotSet)
{
    DigsSettings settings = digsTestSettings();
    settings.blockSize = 0;
    DigsEngine engine(settings);
    InstanceInfo prefill = digsPrefill(1);
    prefill.staticInfo.blockSize = 64;
    engine.upsertInstance(prefill);
    engine.upsertInstance(digsDecode(10, {1}));
    EXPECT_EQ(engine.blockSize(), 64);
    placeOne(engine, 1, 640);
    EXPECT_EQ(engine.allocation(1)->prefill, (Resources{1, 10}));
}

namespace {

TEST(DigsRetryExclusion, ARetriedRequestAvoidsThePrefillItFailedOnWhileAnotherCanTakeIt)
{
    DigsEngine engine(digsTestSettings());
    engine.upsertInstance(digsPrefill(0));
    engine.upsertInstance(digsPrefill(1));
    engine.upsertInstance(digsDecode(2, {0, 1}));
    engine.enqueue(tokenRequest(1, kHundredBlocks));
    const std::vector<Assignment> placed = engine.runRound(0);
    ASSERT_EQ(placed.size(), 1u);
    const quint64 failedPrefill = placed.front().prefillId;
    engine.cancel(1);

    PendingRequest retry = tokenRequest(1, kHundredBlocks);
    retry.excludedPrefill = {failedPrefill};
    engine.enqueue(retry);
    const std::vector<Assignment> again = engine.runRound(1);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_NE(again.front().prefillId, failedPrefill);
}

TEST(DigsRetryExclusion, TheFailedPrefillIsStillUsedWhenItIsTheOnlyOne)
{
    DigsEngine engine(digsTestSettings());
    engine.upsertInstance(digsPrefill(0));
    engine.upsertInstance(digsDecode(2, {0}));
    PendingRequest retry = tokenRequest(1, kHundredBlocks);
    retry.excludedPrefill = {0};
    engine.enqueue(retry);
    const std::vector<Assignment> placed = engine.runRound(0);
    ASSERT_EQ(placed.size(), 1u);
    EXPECT_EQ(placed.front().prefillId, 0u);
}

} // namespace
