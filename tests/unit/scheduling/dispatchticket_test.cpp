// Acquire/release accounting: a ticket releases exactly once, whatever happens to it.
#include <memory>

#include <gtest/gtest.h>

#include "scheduler.h"
#include "schedulingtestdata.h"

using namespace coord;
using namespace coord::scheduling;
using coord::testing::makeInstance;
using coord::testing::refreshOf;

TEST(DispatchTicketTest, ReleasesOnceByHandOrByScope)
{
    Scheduler scheduler(SchedulerSettings{});
    scheduler.applyRefresh(refreshOf({makeInstance(1)}));
    {
        Placement placement = scheduler.schedule({});
        ASSERT_TRUE(placement.ticket.isHeld());
        EXPECT_EQ(placement.ticket.instanceId(), 1u);
        EXPECT_EQ(scheduler.inFlightTasks({1}), QList<qint64>{1});
        placement.ticket.release();
        placement.ticket.release(); // harmless
        EXPECT_FALSE(placement.ticket.isHeld());
        EXPECT_EQ(scheduler.inFlightTasks({1}), QList<qint64>{0});
        DispatchTicket scoped = scheduler.acquire(1);
        DispatchTicket other = scheduler.acquire(1);
        EXPECT_EQ(scheduler.inFlightTasks({1}), QList<qint64>{2});
    }
    EXPECT_EQ(scheduler.inFlightTasks({1}), QList<qint64>{0});
}

TEST(DispatchTicketTest, MovingTransfersTheSingleRelease)
{
    Scheduler scheduler(SchedulerSettings{});
    scheduler.applyRefresh(refreshOf({makeInstance(1)}));
    DispatchTicket original = scheduler.acquire(1);
    DispatchTicket moved = std::move(original);
    EXPECT_FALSE(original.isHeld()); // NOLINT(bugprone-use-after-move): checking the moved-from state
    EXPECT_TRUE(moved.isHeld());
    original.release();
    EXPECT_EQ(scheduler.inFlightTasks({1}), QList<qint64>{1});

    DispatchTicket target = scheduler.acquire(1);
    EXPECT_EQ(scheduler.inFlightTasks({1}), QList<qint64>{2});
    target = std::move(moved); // target's own count is released first
    EXPECT_EQ(scheduler.inFlightTasks({1}), QList<qint64>{1});
    target.release();
    EXPECT_EQ(scheduler.inFlightTasks({1}), QList<qint64>{0});
}

TEST(DispatchTicketTest, UnknownInstanceGivesAnUnheldTicket)
{
    Scheduler scheduler(SchedulerSettings{});
    DispatchTicket ticket = scheduler.acquire(42);
    EXPECT_FALSE(ticket.isHeld());
}

TEST(DispatchTicketTest, ReleaseAfterReAddDoesNotTouchTheNewRegistration)
{
    Scheduler scheduler(SchedulerSettings{});
    scheduler.applyRefresh(refreshOf({makeInstance(1)}));
    DispatchTicket stale = scheduler.acquire(1);
    scheduler.applyRefresh(RefreshRequest{});
    scheduler.applyRefresh(refreshOf({makeInstance(1)}));
    DispatchTicket fresh = scheduler.acquire(1);
    stale.release();
    EXPECT_EQ(scheduler.inFlightTasks({1}), QList<qint64>{1});
}

TEST(DispatchTicketTest, TicketMayOutliveTheScheduler)
{
    DispatchTicket survivor;
    {
        auto scheduler = std::make_unique<Scheduler>(SchedulerSettings{});
        scheduler->applyRefresh(refreshOf({makeInstance(1)}));
        survivor = scheduler->acquire(1);
    }
    EXPECT_TRUE(survivor.isHeld());
    survivor.release(); // no crash, nothing to count
    EXPECT_FALSE(survivor.isHeld());
}
