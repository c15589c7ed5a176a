// How a DIGS round takes requests: reordering, max_schedule_count, requeue when no D fits, and
// head-of-line blocking on (MindIE) and off (default, with anti-starvation).
#include <gtest/gtest.h>

#include "digstestdata.h"

using namespace coord;
using namespace coord::scheduling::digs;
using namespace coord::testing;

namespace {

constexpr qint64 kHundredBlocks = 128 * 100;

InstanceInfo roomyDecode(quint64 id, std::initializer_list<quint64> peers)
{
    InstanceInfo info = digsDecode(id, peers);
    info.staticInfo.totalBlockNum = 100000;
    info.dynamicInfo.availBlockNum = 100000;
    return info;
}

struct ReorderCase
{
    const char* name;
    ReorderingType reordering;
    std::vector<quint64> expectedOrder;
};

class DigsReorderTest : public ::testing::TestWithParam<ReorderCase>
{
};

} // namespace

// Requests 1..5 with token lengths 300, 100, 200, 100, 300.
TEST_P(DigsReorderTest, PlacesInTheConfiguredOrder)
{
    const ReorderCase& c = GetParam();
    DigsSettings settings = digsTestSettings();
    settings.reordering = c.reordering;
    DigsEngine engine(settings);
    engine.upsertInstance(digsPrefill(1));
    engine.upsertInstance(digsDecode(10, {1}));
    const qint64 lengths[] = {300, 100, 200, 100, 300};
    for (quint64 key = 1; key <= 5; ++key)
        engine.enqueue(tokenRequest(key, lengths[key - 1]));
    EXPECT_EQ(keysOf(engine.runRound(0)), c.expectedOrder) << c.name;
}

INSTANTIATE_TEST_SUITE_P(ReorderingTypes, DigsReorderTest,
                         ::testing::Values(ReorderCase{"fcfs", ReorderingType::Fcfs, {1, 2, 3, 4, 5}},
                                           ReorderCase{"sjf", ReorderingType::Sjf, {2, 4, 3, 1, 5}},
                                           ReorderCase{"ljf", ReorderingType::Ljf, {1, 5, 3, 2, 4}}),
                         [](const ::testing::TestParamInfo<ReorderCase>& param) { return param.param.name; });

TEST(DigsQueue, MaxScheduleCountBoundsEachRound)
{
    DigsSettings settings = digsTestSettings();
    settings.maxScheduleCount = 2;
    DigsEngine engine(settings);
    engine.upsertInstance(digsPrefill(1));
    engine.upsertInstance(digsDecode(10, {1}));
    for (quint64 key = 1; key <= 5; ++key)
        engine.enqueue(tokenRequest(key, 100));
    EXPECT_EQ(engine.waitingCount(), 5);
    EXPECT_EQ(keysOf(engine.runRound(0)), (std::vector<quint64>{1, 2}));
    EXPECT_EQ(keysOf(engine.runRound(1)), (std::vector<quint64>{3, 4}));
    EXPECT_EQ(keysOf(engine.runRound(2)), (std::vector<quint64>{5}));
    EXPECT_EQ(engine.waitingCount(), 0);
    EXPECT_EQ(engine.placedCount(), 5);
}

TEST(DigsQueue, SjfReordersLeftoversWithNewArrivals)
{
    DigsSettings settings = digsTestSettings();
    settings.reordering = ReorderingType::Sjf;
    DigsEngine engine(settings);
    engine.upsertInstance(digsPrefill(1));
    engine.upsertInstance(digsDecode(10, {1}));
    engine.setInstanceClosed(1, true);
    engine.enqueue(tokenRequest(1, 500));
    engine.enqueue(tokenRequest(2, 400));
    EXPECT_TRUE(engine.runRound(0).empty()); // both now sit in the pending deque
    engine.enqueue(tokenRequest(3, 100));
    engine.setInstanceClosed(1, false);
    EXPECT_EQ(keysOf(engine.runRound(1)), (std::vector<quint64>{3, 2, 1}));
}

TEST(DigsQueue, NoDecodeReleasesThePAndSendsTheRequestToTheBack)
{
    DigsEngine engine(digsTestSettings());
    engine.upsertInstance(digsPrefill(1));
    engine.upsertInstance(digsDecode(10, {})); // does not list P1 yet
    engine.enqueue(tokenRequest(1, 100));
    EXPECT_TRUE(engine.runRound(0).empty());
    EXPECT_EQ(engine.allocation(1)->total(), (Resources{0, 0})); // the P reservation was undone
    EXPECT_EQ(engine.waitingCount(), 1);

    engine.enqueue(tokenRequest(2, 100));
    engine.upsertInstance(digsDecode(10, {1}));
    EXPECT_EQ(keysOf(engine.runRound(1)), (std::vector<quint64>{1, 2}));
}

TEST(DigsQueue, DuplicateKeysAreRefused)
{
    DigsEngine engine(digsTestSettings());
    EXPECT_TRUE(engine.enqueue(tokenRequest(7, 100)));
    EXPECT_FALSE(engine.enqueue(tokenRequest(7, 200)));
    EXPECT_EQ(engine.waitingCount(), 1);
}

// One P with res_limit_rate 0.5 (500 blocks). Request 1 (300 blocks) is placed first; then a
// 400-block request heads the queue, followed by 100-block ones.
class DigsHeadOfLineTest : public ::testing::Test
{
protected:
    void build(bool headOfLineBlocking)
    {
        DigsSettings settings = digsTestSettings();
        settings.resLimitRate = 0.5;
        settings.headOfLineBlocking = headOfLineBlocking;
        settings.starvationMs = 1000;
        m_engine = std::make_unique<DigsEngine>(settings);
        m_engine->upsertInstance(digsPrefill(1));
        m_engine->upsertInstance(roomyDecode(10, {1}));
        m_engine->enqueue(tokenRequest(1, 3 * kHundredBlocks, 0));
        ASSERT_EQ(m_engine->runRound(0).size(), 1u);
        m_engine->enqueue(tokenRequest(2, 4 * kHundredBlocks, 0)); // the big one
        for (quint64 key = 3; key <= 5; ++key)
            m_engine->enqueue(tokenRequest(key, kHundredBlocks, 0));
    }
    std::unique_ptr<DigsEngine> m_engine;
};

TEST_F(DigsHeadOfLineTest, MindIeModeStopsAtTheRequestThatFitsNowhere)
{
    build(true);
    EXPECT_TRUE(m_engine->runRound(10).empty());
    EXPECT_EQ(m_engine->waitingCount(), 4);
    m_engine->releaseDecode(1);
    EXPECT_EQ(keysOf(m_engine->runRound(20)), (std::vector<quint64>{2, 3}));
}

TEST_F(DigsHeadOfLineTest, ImprovedModePlacesSmallRequestsPastTheBigOne)
{
    build(false);
    EXPECT_EQ(keysOf(m_engine->runRound(10)), (std::vector<quint64>{3, 4})); // 300+100+100 = 500
    EXPECT_EQ(m_engine->waitingCount(), 2);
}

TEST_F(DigsHeadOfLineTest, StarvingRequestStopsThePassUntilItFits)
{
    build(false);
    EXPECT_EQ(keysOf(m_engine->runRound(10)), (std::vector<quint64>{3, 4}));
    m_engine->releasePrefill(3);
    m_engine->releasePrefill(4);
    // Before the limit the big one is still stepped over.
    EXPECT_EQ(keysOf(m_engine->runRound(500)), (std::vector<quint64>{5}));
    m_engine->releasePrefill(5);
    m_engine->enqueue(tokenRequest(6, kHundredBlocks, 900));
    // Request 2 has now waited 1000 ms: it holds the line although request 6 would fit.
    EXPECT_TRUE(m_engine->runRound(1000).empty());
    m_engine->releasePrefill(1);
    EXPECT_EQ(keysOf(m_engine->runRound(1100)), (std::vector<quint64>{2, 6}));
}

namespace {

// The decode side of the starvation rule: a request no D can take is sent to the back of the
// queue (MindIE) until it has waited starvationMs; then it holds the line so that released
// decode room goes to it instead of to the small requests behind it.
class DigsDecodeStarvationTest : public ::testing::Test
{
protected:
    void build(bool headOfLineBlocking)
    {
        DigsSettings settings = digsTestSettings();
        settings.resLimitRate = 0.5; // the D takes at most 500 blocks
        settings.headOfLineBlocking = headOfLineBlocking;
        settings.starvationMs = 1000;
        m_engine = std::make_unique<DigsEngine>(settings);
        InstanceInfo prefill = digsPrefill(1);
        prefill.staticInfo.totalBlockNum = 100000; // the P side never limits here
        prefill.dynamicInfo.availBlockNum = 100000;
        m_engine->upsertInstance(prefill);
        m_engine->upsertInstance(digsDecode(10, {1}));
        m_engine->enqueue(tokenRequest(1, 3 * kHundredBlocks, 0));
        ASSERT_EQ(m_engine->runRound(0).size(), 1u);
        m_engine->releasePrefill(1);
        m_engine->enqueue(tokenRequest(2, 4 * kHundredBlocks, 0)); // needs more D room than is left
        m_engine->enqueue(tokenRequest(3, kHundredBlocks, 0));
    }
    std::unique_ptr<DigsEngine> m_engine;
};

TEST_F(DigsDecodeStarvationTest, StarvingRequestHoldsTheLineForDecodeRoom)
{
    build(false);
    // Not starving yet: stepped over, the small one is placed.
    EXPECT_EQ(keysOf(m_engine->runRound(10)), (std::vector<quint64>{3}));
    m_engine->releaseDecode(3);
    m_engine->enqueue(tokenRequest(4, kHundredBlocks, 900));
    // Request 2 has waited 1000 ms: request 4 would fit but waits behind it.
    EXPECT_TRUE(m_engine->runRound(1000).empty());
    m_engine->releaseDecode(1);
    EXPECT_EQ(keysOf(m_engine->runRound(1100)), (std::vector<quint64>{2, 4}));
}

TEST_F(DigsDecodeStarvationTest, MindIeModeKeepsSendingItToTheBack)
{
    build(true);
    EXPECT_EQ(keysOf(m_engine->runRound(10)), (std::vector<quint64>{3}));
    m_engine->releaseDecode(3);
    m_engine->enqueue(tokenRequest(4, kHundredBlocks, 900));
    EXPECT_EQ(keysOf(m_engine->runRound(1000)), (std::vector<quint64>{4}));
}

} // namespace
