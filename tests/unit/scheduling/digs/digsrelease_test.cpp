// Releasing DIGS demand: on P's reply, at the end, on cancel; idempotency, instance removal,
// and coordinator_info's per-instance view with flex halves folded.
#include <gtest/gtest.h>

#include "digstestdata.h"

using namespace coord;
using namespace coord::scheduling::digs;
using namespace coord::testing;

namespace {

// 1 P, 1 D; request 1 of 300 tokens (3 blocks) placed.
class DigsReleaseTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_engine.upsertInstance(digsPrefill(1));
        m_engine.upsertInstance(digsDecode(10, {1}));
        m_engine.enqueue(tokenRequest(1, 300));
        ASSERT_EQ(m_engine.runRound(0).size(), 1u);
    }
    Resources prefillHeld() const { return m_engine.allocation(1)->prefill; }
    Resources decodeHeld() const { return m_engine.allocation(10)->decode; }

    DigsEngine m_engine{digsTestSettings()};
};

} // namespace

TEST_F(DigsReleaseTest, PrefillOnPReplyThenDecodeAtFinish)
{
    EXPECT_EQ(prefillHeld(), (Resources{1, 3}));
    EXPECT_EQ(decodeHeld(), (Resources{1, 3}));
    EXPECT_EQ(m_engine.allocation(1)->prefillRequests, 1);
    EXPECT_EQ(m_engine.allocation(10)->inFlight(), 1);

    EXPECT_TRUE(m_engine.releasePrefill(1));
    EXPECT_EQ(prefillHeld(), (Resources{0, 0}));
    EXPECT_EQ(decodeHeld(), (Resources{1, 3}));
    EXPECT_EQ(m_engine.placedCount(), 1);

    EXPECT_TRUE(m_engine.releaseDecode(1));
    EXPECT_EQ(decodeHeld(), (Resources{0, 0}));
    EXPECT_EQ(m_engine.allocation(10)->inFlight(), 0);
    EXPECT_EQ(m_engine.placedCount(), 0);
}

TEST_F(DigsReleaseTest, ReleasesAreIdempotent)
{
    EXPECT_TRUE(m_engine.releasePrefill(1));
    EXPECT_FALSE(m_engine.releasePrefill(1));
    EXPECT_TRUE(m_engine.releaseDecode(1));
    EXPECT_FALSE(m_engine.releaseDecode(1));
    EXPECT_FALSE(m_engine.releasePrefill(1));
    EXPECT_FALSE(m_engine.cancel(1));
    EXPECT_EQ(prefillHeld(), (Resources{0, 0}));
    EXPECT_EQ(decodeHeld(), (Resources{0, 0}));
    EXPECT_FALSE(m_engine.releaseDecode(999));
}

TEST_F(DigsReleaseTest, EndingBeforePRepliedFreesBothStages)
{
    EXPECT_TRUE(m_engine.releaseDecode(1));
    EXPECT_EQ(prefillHeld(), (Resources{0, 0}));
    EXPECT_EQ(decodeHeld(), (Resources{0, 0}));
}

TEST_F(DigsReleaseTest, CancelDropsAQueuedRequestAndTheKeyCanComeBack)
{
    m_engine.setInstanceClosed(1, true);
    m_engine.enqueue(tokenRequest(2, 100));
    EXPECT_TRUE(m_engine.runRound(0).empty()); // now pending
    m_engine.enqueue(tokenRequest(3, 100));    // still waiting
    EXPECT_TRUE(m_engine.cancel(2));
    EXPECT_TRUE(m_engine.cancel(3));
    EXPECT_FALSE(m_engine.cancel(3));
    EXPECT_EQ(m_engine.waitingCount(), 0);

    m_engine.setInstanceClosed(1, false);
    EXPECT_TRUE(m_engine.enqueue(tokenRequest(2, 100)));
    EXPECT_EQ(keysOf(m_engine.runRound(1)), (std::vector<quint64>{2}));
    EXPECT_TRUE(m_engine.runRound(2).empty()); // the dead entries were never placed
}

TEST_F(DigsReleaseTest, CancelOfAPlacedRequestFreesWhatItHolds)
{
    EXPECT_TRUE(m_engine.cancel(1));
    EXPECT_EQ(prefillHeld(), (Resources{0, 0}));
    EXPECT_EQ(decodeHeld(), (Resources{0, 0}));
}

TEST_F(DigsReleaseTest, ReleaseAfterRemovalDoesNotTouchAReaddedInstance)
{
    m_engine.removeInstance(1);
    EXPECT_FALSE(m_engine.allocation(1).has_value());
    m_engine.upsertInstance(digsPrefill(1));
    m_engine.enqueue(tokenRequest(2, 100));
    ASSERT_EQ(m_engine.runRound(0).size(), 1u);
    EXPECT_TRUE(m_engine.releasePrefill(1)); // the old life of P1: nothing to free there
    EXPECT_EQ(prefillHeld(), (Resources{1, 1}));
    EXPECT_TRUE(m_engine.releaseDecode(1));
    EXPECT_EQ(decodeHeld(), (Resources{1, 1}));
}

TEST_F(DigsReleaseTest, ChangedRoleReRegistersWithNothingAllocated)
{
    InstanceInfo asPrefill = digsPrefill(10);
    m_engine.upsertInstance(asPrefill);
    EXPECT_EQ(m_engine.allocation(10)->total(), (Resources{0, 0}));
    EXPECT_TRUE(m_engine.releaseDecode(1));
    EXPECT_EQ(m_engine.allocation(10)->total(), (Resources{0, 0}));
}

TEST(DigsAllocations, SortedByIdWithFlexHalvesFolded)
{
    DigsEngine engine(digsTestSettings());
    InstanceInfo flexPrefill = digsPrefill(5);
    flexPrefill.flexOriginId = 5;
    flexPrefill.staticInfo.pPercentage = 50;
    InstanceInfo flexDecode = digsDecode(InstanceInfo::kFlexDecodeId, {5});
    flexDecode.flexOriginId = 5;
    flexDecode.staticInfo.pPercentage = 50;
    engine.upsertInstance(digsPrefill(9));
    engine.upsertInstance(flexPrefill);
    engine.upsertInstance(flexDecode);
    engine.setInstanceClosed(9, true);
    engine.enqueue(tokenRequest(1, 256));
    ASSERT_EQ(engine.runRound(0).size(), 1u);

    const QList<InstanceAllocation> all = engine.allocations();
    ASSERT_EQ(all.size(), 2);
    EXPECT_EQ(all[0].id, 5u);
    EXPECT_EQ(all[0].prefill, (Resources{1, 2}));
    EXPECT_EQ(all[0].decode, (Resources{1, 2}));
    EXPECT_EQ(all[0].total(), (Resources{2, 4}));
    EXPECT_EQ(all[0].inFlight(), 2);
    EXPECT_EQ(all[1].id, 9u);
    EXPECT_EQ(all[1].total(), (Resources{0, 0}));
    EXPECT_EQ(engine.allocation(5)->total(), (Resources{2, 4}));
    EXPECT_FALSE(engine.allocation(42).has_value());
}

// coordinator_info's worked example: coefficients "0, 1, ..." make an 85-byte prompt 85 tokens.
TEST(DigsAllocations, AssignmentCarriesTheDigsInputLength)
{
    DigsSettings settings = digsTestSettings();
    settings.coefficients.i = 1;
    DigsEngine engine(settings);
    engine.upsertInstance(digsPrefill(1));
    engine.upsertInstance(digsDecode(10, {1}));
    engine.enqueue(textRequest(1, 85));
    const std::vector<Assignment> placed = engine.runRound(0);
    ASSERT_EQ(placed.size(), 1u);
    EXPECT_EQ(placed.front(), (Assignment{1, 1, 10, 85}));
}
