// default_scheduler round_robin in PD modes: P in turn, D in turn per P among the D instances
// whose peers list that P.
#include <utility>

#include <gtest/gtest.h>

#include "scheduler.h"
#include "schedulingtestdata.h"

using namespace coord;
using namespace coord::scheduling;
using coord::testing::makeInstance;
using coord::testing::refreshOf;

namespace {

InstanceInfo decodeFor(quint64 id, QList<quint64> peers, qint64 availSlots = 100)
{
    InstanceInfo decode = makeInstance(id, InstanceRole::Decode, availSlots);
    decode.dynamicInfo.peers = std::move(peers);
    return decode;
}

InstanceInfo prefill(quint64 id, qint64 availSlots = 100)
{
    return makeInstance(id, InstanceRole::Prefill, availSlots);
}

using Pair = std::pair<quint64, quint64>;

QList<Pair> pickPairs(Scheduler& scheduler, int count)
{
    QList<Pair> pairs;
    for (int i = 0; i < count; ++i) {
        const Placement placement = scheduler.schedule({});
        if (!placement.ok() || !placement.decodeId)
            break;
        pairs.append({placement.instanceId, *placement.decodeId});
    }
    return pairs;
}

} // namespace

TEST(PdRoundRobinTest, DecodeRotatesPerPrefillAmongItsPeers)
{
    Scheduler scheduler(coord::testing::pdSettings());
    scheduler.applyRefresh(
        refreshOf({prefill(1), prefill(2), decodeFor(10, {1}), decodeFor(11, {1, 2}), decodeFor(12, {2})}));
    const QList<Pair> expected{{1, 10}, {2, 11}, {1, 11}, {2, 12}, {1, 10}, {2, 11}};
    EXPECT_EQ(pickPairs(scheduler, 6), expected);
}

TEST(PdRoundRobinTest, PrefillWithoutUsableDecodeIsSkipped)
{
    Scheduler scheduler(coord::testing::pdSettings());
    scheduler.applyRefresh(
        refreshOf({prefill(1), prefill(2), prefill(3), decodeFor(10, {1, 3}), decodeFor(11, {2}, 0)}));
    EXPECT_EQ(pickPairs(scheduler, 4), (QList<Pair>{{1, 10}, {3, 10}, {1, 10}, {3, 10}}));

    // D 11 gets slots back: P 2 becomes usable.
    scheduler.applyRefresh(
        refreshOf({prefill(1), prefill(2), prefill(3), decodeFor(10, {1, 3}), decodeFor(11, {2})}));
    EXPECT_EQ(pickPairs(scheduler, 3), (QList<Pair>{{1, 10}, {2, 11}, {3, 10}}));
}

TEST(PdRoundRobinTest, ExhaustedClosedOrCappedPrefillIsSkipped)
{
    SchedulerSettings settings = coord::testing::pdSettings();
    settings.perInstanceCap = 1;
    Scheduler scheduler(settings);
    scheduler.applyRefresh(refreshOf({prefill(1, 0), prefill(2), prefill(3), decodeFor(10, {1, 2, 3})}));
    scheduler.setClosed({3}, true);
    Placement held = scheduler.schedule({});
    ASSERT_TRUE(held.ok());
    EXPECT_EQ(held.instanceId, 2u);
    EXPECT_EQ(scheduler.schedule({}).failure, NoPlacementReason::NoResources);
    held.ticket.release();
    EXPECT_EQ(scheduler.schedule({}).instanceId, 2u);
}

TEST(PdRoundRobinTest, DecodeAtCapIsSkippedAfterHandOver)
{
    SchedulerSettings settings = coord::testing::pdSettings();
    settings.perInstanceCap = 1;
    Scheduler scheduler(settings);
    scheduler.applyRefresh(refreshOf({prefill(1), decodeFor(10, {1}), decodeFor(11, {1})}));
    Placement first = scheduler.schedule({});
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(*first.decodeId, 10u);
    // Prefill done: the task moves from P to D.
    DispatchTicket onDecode = scheduler.acquire(*first.decodeId);
    first.ticket.release();
    Placement second = scheduler.schedule({});
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(*second.decodeId, 11u);
    DispatchTicket onSecondDecode = scheduler.acquire(*second.decodeId);
    second.ticket.release();
    const Placement third = scheduler.schedule({});
    EXPECT_EQ(third.failure, NoPlacementReason::AllAtCap);
    EXPECT_EQ(scheduler.inFlightTasks({1, 10, 11}), (QList<qint64>{0, 1, 1}));
}

TEST(PdRoundRobinTest, FailureReasons)
{
    Scheduler scheduler(coord::testing::pdSettings());
    EXPECT_EQ(scheduler.schedule({}).failure, NoPlacementReason::NoInstance);
    scheduler.applyRefresh(refreshOf({prefill(1)}));
    EXPECT_EQ(scheduler.schedule({}).failure, NoPlacementReason::NoInstance); // no D at all
    scheduler.applyRefresh(refreshOf({prefill(1), decodeFor(10, {1})}));
    scheduler.setClosed({10}, true);
    EXPECT_EQ(scheduler.schedule({}).failure, NoPlacementReason::AllClosed);
    scheduler.setClosed({10}, false);
    ScheduleRequest retry;
    retry.excluded = {1};
    EXPECT_EQ(scheduler.schedule(retry).failure, NoPlacementReason::AllTried);
}

TEST(PdRoundRobinTest, RemovedPrefillLeavesDecodeIndexesConsistent)
{
    Scheduler scheduler(coord::testing::pdSettings());
    scheduler.applyRefresh(refreshOf({prefill(1), prefill(2), decodeFor(10, {1, 2})}));
    scheduler.applyRefresh(refreshOf({prefill(2), decodeFor(10, {1, 2})}));
    EXPECT_EQ(pickPairs(scheduler, 2), (QList<Pair>{{2, 10}, {2, 10}}));
    // P 1 comes back under the same id: D 10 still lists it.
    scheduler.applyRefresh(refreshOf({prefill(1), prefill(2), decodeFor(10, {1, 2})}));
    EXPECT_EQ(pickPairs(scheduler, 2).size(), 2);
    // Peers change: D 10 no longer serves P 2.
    scheduler.applyRefresh(refreshOf({prefill(1), prefill(2), decodeFor(10, {1})}));
    EXPECT_EQ(pickPairs(scheduler, 3), (QList<Pair>{{1, 10}, {1, 10}, {1, 10}}));
}
