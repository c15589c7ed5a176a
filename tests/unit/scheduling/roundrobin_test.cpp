// single_node round robin: order, skipping of exhausted / closed / capped instances, failure
// reasons, retry exclusion; and the tokenizer's least-loaded pick.
#include <vector>

#include <gtest/gtest.h>

#include "scheduler.h"
#include "schedulingtestdata.h"

using namespace coord;
using namespace coord::scheduling;
using coord::testing::makeInstance;
using coord::testing::refreshOf;

namespace {

// Runs `count` decisions, keeps their tickets alive, and returns the chosen ids.
QList<quint64> pickMany(Scheduler& scheduler, int count, std::vector<DispatchTicket>* keep = nullptr)
{
    QList<quint64> ids;
    for (int i = 0; i < count; ++i) {
        Placement placement = scheduler.schedule({});
        if (!placement.ok())
            break;
        ids.append(placement.instanceId);
        if (keep != nullptr)
            keep->push_back(std::move(placement.ticket));
    }
    return ids;
}

} // namespace

TEST(RoundRobinTest, CyclesInRegistrationOrder)
{
    Scheduler scheduler(SchedulerSettings{});
    scheduler.applyRefresh(refreshOf({makeInstance(30), makeInstance(10), makeInstance(20)}));
    EXPECT_EQ(pickMany(scheduler, 7), (QList<quint64>{30, 10, 20, 30, 10, 20, 30}));
}

TEST(RoundRobinTest, SkipsInstancesWithoutSlotsOrBlocks)
{
    Scheduler scheduler(SchedulerSettings{});
    scheduler.applyRefresh(refreshOf({makeInstance(1), makeInstance(2, InstanceRole::Unified, 0, 100),
                                      makeInstance(3), makeInstance(4, InstanceRole::Unified, 10, 0)}));
    EXPECT_EQ(pickMany(scheduler, 4), (QList<quint64>{1, 3, 1, 3}));

    // A refresh that gives instance 2 slots back makes it eligible again.
    scheduler.applyRefresh(refreshOf(
        {makeInstance(1), makeInstance(2), makeInstance(3), makeInstance(4, InstanceRole::Unified, 10, 0)}));
    EXPECT_EQ(pickMany(scheduler, 3), (QList<quint64>{1, 2, 3}));
}

TEST(RoundRobinTest, RespectsThePerInstanceCap)
{
    SchedulerSettings settings;
    settings.perInstanceCap = 2;
    Scheduler scheduler(settings);
    scheduler.applyRefresh(refreshOf({makeInstance(1), makeInstance(2)}));
    std::vector<DispatchTicket> tickets;
    EXPECT_EQ(pickMany(scheduler, 10, &tickets), (QList<quint64>{1, 2, 1, 2}));
    EXPECT_EQ(scheduler.schedule({}).failure, NoPlacementReason::AllAtCap);

    tickets.front().release(); // one slot frees on instance 1
    const Placement placement = scheduler.schedule({});
    ASSERT_TRUE(placement.ok());
    EXPECT_EQ(placement.instanceId, 1u);

    scheduler.setPerInstanceCap(3);
    EXPECT_EQ(scheduler.schedule({}).instanceId, 2u);
}

TEST(RoundRobinTest, ReportsWhyNothingWasChosen)
{
    Scheduler scheduler(SchedulerSettings{});
    EXPECT_EQ(scheduler.schedule({}).failure, NoPlacementReason::NoInstance);
    scheduler.applyRefresh(refreshOf({makeInstance(1, InstanceRole::Unified, 0, 0)}));
    EXPECT_EQ(scheduler.schedule({}).failure, NoPlacementReason::NoResources);
    scheduler.setClosed({1}, true);
    EXPECT_EQ(scheduler.schedule({}).failure, NoPlacementReason::AllClosed);
    EXPECT_STREQ(describeNoPlacementReason(NoPlacementReason::AllClosed), "all instances are offline");
}

TEST(RoundRobinTest, RetryExcludesInstancesAlreadyTried)
{
    Scheduler scheduler(SchedulerSettings{});
    scheduler.applyRefresh(refreshOf({makeInstance(1), makeInstance(2), makeInstance(3)}));
    ScheduleRequest request;
    Placement first = scheduler.schedule(request);
    ASSERT_TRUE(first.ok());
    // The dispatch failed: give the slot back and try elsewhere.
    request.excluded.append(first.instanceId);
    first.ticket.release();
    Placement second = scheduler.schedule(request);
    ASSERT_TRUE(second.ok());
    EXPECT_NE(second.instanceId, first.instanceId);
    request.excluded.append(second.instanceId);
    Placement third = scheduler.schedule(request);
    ASSERT_TRUE(third.ok());
    EXPECT_FALSE(request.excluded.contains(third.instanceId));
    request.excluded.append(third.instanceId);
    EXPECT_EQ(scheduler.schedule(request).failure, NoPlacementReason::AllTried);
}

TEST(RoundRobinTest, SingleInstanceRetryFailsWhenItWasTried)
{
    Scheduler scheduler(SchedulerSettings{});
    scheduler.applyRefresh(refreshOf({makeInstance(1)}));
    ScheduleRequest request;
    request.excluded = {1};
    EXPECT_EQ(scheduler.schedule(request).failure, NoPlacementReason::AllTried);
}

TEST(TokenizerPickTest, LeastInFlightTiesToLowestId)
{
    Scheduler scheduler(SchedulerSettings{});
    scheduler.applyRefresh(refreshOf({makeInstance(9), makeInstance(4), makeInstance(6)}));
    EXPECT_EQ(scheduler.scheduleTokenizer().instanceId, 4u); // all at 0: lowest id

    DispatchTicket onFour = scheduler.acquire(4);
    DispatchTicket onSix = scheduler.acquire(6);
    Placement tokenizer = scheduler.scheduleTokenizer();
    EXPECT_EQ(tokenizer.instanceId, 9u);
    // 4, 6 and 9 now each hold one task: tie to the lowest id again.
    EXPECT_EQ(scheduler.scheduleTokenizer().instanceId, 4u);
    EXPECT_EQ(scheduler.scheduleTokenizer({4}).instanceId, 6u);

    scheduler.setClosed({4, 6, 9}, true);
    EXPECT_EQ(scheduler.scheduleTokenizer().failure, NoPlacementReason::AllClosed);
}

TEST(TokenizerPickTest, IgnoresAvailabilityAndCountsItsOwnWork)
{
    Scheduler scheduler(SchedulerSettings{});
    scheduler.applyRefresh(refreshOf(
        {makeInstance(1, InstanceRole::Unified, 0, 0), makeInstance(2, InstanceRole::Unified, 0, 0)}));
    Placement first = scheduler.scheduleTokenizer();
    Placement second = scheduler.scheduleTokenizer();
    EXPECT_EQ(first.instanceId, 1u);
    EXPECT_EQ(second.instanceId, 2u);
    EXPECT_EQ(scheduler.inFlightTasks({1, 2}), (QList<qint64>{1, 1}));
}
