// Reconcile (spec §2.3), offline/online, /v1/instances/tasks counts, availability, log lines.
#include <gtest/gtest.h>

#include "registry/operationlogtext.h"
#include "scheduler.h"
#include "schedulingtestdata.h"

using namespace coord;
using namespace coord::scheduling;
using coord::testing::makeInstance;
using coord::testing::refreshOf;

namespace {

QList<quint64> idsOf(const QList<InstanceInfo>& instances)
{
    QList<quint64> ids;
    for (const InstanceInfo& instance : instances)
        ids.append(instance.id);
    return ids;
}

class InstanceRegistryTest : public ::testing::Test
{
protected:
    ManualClock m_clock;
    Scheduler m_scheduler{SchedulerSettings{}, m_clock};
};

} // namespace

TEST_F(InstanceRegistryTest, AddsUpdatesAndRemovesByIds)
{
    RefreshDiff diff = m_scheduler.applyRefresh(refreshOf({makeInstance(1), makeInstance(2)}));
    EXPECT_EQ(idsOf(diff.added), (QList<quint64>{1, 2}));
    EXPECT_FALSE(diff.availableBefore);
    EXPECT_TRUE(diff.availableAfter);
    EXPECT_TRUE(diff.availabilityChanged());

    InstanceInfo changed = makeInstance(2, InstanceRole::Unified, 5, 6);
    changed.dynamicInfo.peers = {9};
    diff = m_scheduler.applyRefresh(refreshOf({makeInstance(1), changed, makeInstance(3)}));
    EXPECT_EQ(idsOf(diff.added), QList<quint64>{3});
    EXPECT_EQ(idsOf(diff.updated), QList<quint64>{2});
    EXPECT_TRUE(diff.removed.isEmpty());
    EXPECT_EQ(m_scheduler.instance(2)->dynamicInfo.availSlotsNum, 5);
    EXPECT_EQ(m_scheduler.instance(2)->dynamicInfo.peers, QList<quint64>{9});

    diff = m_scheduler.applyRefresh(refreshOf({makeInstance(3)}));
    EXPECT_EQ(idsOf(diff.removed), (QList<quint64>{1, 2}));
    EXPECT_FALSE(m_scheduler.instance(1).has_value());
    EXPECT_TRUE(m_scheduler.clusterAvailable());

    diff = m_scheduler.applyRefresh(RefreshRequest{});
    EXPECT_EQ(idsOf(diff.removed), QList<quint64>{3});
    EXPECT_FALSE(m_scheduler.clusterAvailable());
}

TEST_F(InstanceRegistryTest, ListedIdWithSkippedEntryKeepsItsState)
{
    m_scheduler.applyRefresh(refreshOf({makeInstance(1)}));
    RefreshRequest request;
    request.ids = {1};
    request.skipped.append({1, "instance 1: bad"});
    const RefreshDiff diff = m_scheduler.applyRefresh(request);
    EXPECT_TRUE(diff.removed.isEmpty());
    EXPECT_EQ(diff.skipped.size(), 1);
    EXPECT_TRUE(m_scheduler.instance(1).has_value());
}

TEST(InstanceRegistryPdTest, RoleChangeRemovesThenAddsAndDropsInFlight)
{
    Scheduler scheduler(coord::testing::pdSettings());
    InstanceInfo decode = makeInstance(2, InstanceRole::Decode);
    decode.dynamicInfo.peers = {1};
    scheduler.applyRefresh(refreshOf({makeInstance(1, InstanceRole::Prefill), decode}));
    EXPECT_TRUE(scheduler.clusterAvailable());
    Placement placement = scheduler.schedule({});
    ASSERT_TRUE(placement.ok());
    EXPECT_EQ(scheduler.inFlightTasks({1}), QList<qint64>{1});

    const RefreshDiff diff = scheduler.applyRefresh(
        refreshOf({makeInstance(1, InstanceRole::Decode), makeInstance(2, InstanceRole::Decode)}));
    ASSERT_EQ(diff.removed.size(), 1);
    EXPECT_EQ(diff.removed.first().role(), InstanceRole::Prefill);
    ASSERT_EQ(diff.added.size(), 1);
    EXPECT_EQ(diff.added.first().role(), InstanceRole::Decode);
    EXPECT_FALSE(scheduler.clusterAvailable());
    // The old ticket belongs to the removed registration: releasing it changes nothing.
    placement.ticket.release();
    EXPECT_EQ(scheduler.inFlightTasks({1}), QList<qint64>{0});
}

TEST_F(InstanceRegistryTest, FaultyInstancesAreIgnoredForTwoMinutes)
{
    InstanceInfo sibling = makeInstance(2);
    sibling.staticInfo.virtualId = 1;
    const RefreshRequest all = refreshOf({makeInstance(1), sibling, makeInstance(3)});
    m_scheduler.applyRefresh(all);

    RefreshDiff diff = m_scheduler.removeFaulty(1);
    EXPECT_EQ(idsOf(diff.removed), (QList<quint64>{1, 2}));

    diff = m_scheduler.applyRefresh(all);
    EXPECT_TRUE(diff.added.isEmpty());
    EXPECT_EQ(diff.skipped.size(), 2);
    EXPECT_TRUE(diff.skipped.first().reason.contains("faulty"));

    m_clock.advanceMs(2 * 60 * 1000 - 1);
    EXPECT_TRUE(m_scheduler.applyRefresh(all).added.isEmpty());
    m_clock.advanceMs(1);
    EXPECT_EQ(idsOf(m_scheduler.applyRefresh(all).added), (QList<quint64>{1, 2}));
}

TEST_F(InstanceRegistryTest, OfflineStopsNewWorkButKeepsInFlight)
{
    m_scheduler.applyRefresh(refreshOf({makeInstance(1), makeInstance(2)}));
    Placement first = m_scheduler.schedule({});
    ASSERT_TRUE(first.ok());
    const QList<InstanceInfo> closed = m_scheduler.setClosed({first.instanceId, 77}, true);
    EXPECT_EQ(idsOf(closed), QList<quint64>{first.instanceId});
    EXPECT_EQ(offlineInstanceLogLine(closed.first()),
              QStringLiteral("[Offline] Instance offline ip: %1").arg(closed.first().address()));

    for (int i = 0; i < 4; ++i) {
        const Placement next = m_scheduler.schedule({});
        ASSERT_TRUE(next.ok());
        EXPECT_NE(next.instanceId, first.instanceId);
    }
    EXPECT_EQ(m_scheduler.inFlightTasks({first.instanceId}), QList<qint64>{1});

    m_scheduler.setClosed({1, 2}, true);
    EXPECT_EQ(m_scheduler.schedule({}).failure, NoPlacementReason::AllClosed);
    EXPECT_TRUE(m_scheduler.clusterAvailable()); // closed instances still count as registered

    m_scheduler.setClosed({first.instanceId}, false);
    EXPECT_EQ(m_scheduler.schedule({}).instanceId, first.instanceId);
}

TEST_F(InstanceRegistryTest, TasksCountsInOrderWithMinusOneForUnknown)
{
    m_scheduler.applyRefresh(refreshOf({makeInstance(4), makeInstance(8)}));
    Placement a = m_scheduler.schedule({});
    Placement b = m_scheduler.schedule({});
    Placement c = m_scheduler.schedule({});
    EXPECT_EQ(m_scheduler.inFlightTasks({8, 99, 4}), (QList<qint64>{1, -1, 2}));
    b.ticket.release();
    EXPECT_EQ(m_scheduler.inFlightTasks({8, 4}), (QList<qint64>{0, 2}));
}

TEST(InstanceRegistryPdTest, FlexHalvesFoldBackIntoTheFlexId)
{
    Scheduler scheduler(coord::testing::pdSettings());
    InstanceInfo prefill = makeInstance(5, InstanceRole::Prefill);
    prefill.flexOriginId = 5;
    InstanceInfo decode = makeInstance(InstanceInfo::kFlexDecodeId, InstanceRole::Decode);
    decode.flexOriginId = 5;
    decode.dynamicInfo.peers = {5};
    scheduler.applyRefresh(refreshOf({prefill, decode}));
    const Placement placement = scheduler.schedule({});
    ASSERT_TRUE(placement.ok());
    DispatchTicket decodeTicket = scheduler.acquire(*placement.decodeId);
    EXPECT_EQ(scheduler.inFlightTasks({5}), QList<qint64>{2});
    EXPECT_EQ(scheduler.setClosed({5}, true).size(), 2);
    EXPECT_EQ(addInstanceLogLine(prefill),
              QStringLiteral("[Add] Add instance flex IP %1").arg(prefill.address()));
}

TEST_F(InstanceRegistryTest, FirstModelNameAndBlockSize)
{
    EXPECT_EQ(m_scheduler.firstModelName(), QString());
    EXPECT_FALSE(m_scheduler.blockSize().has_value());
    m_scheduler.applyRefresh(RefreshRequest{});
    EXPECT_FALSE(m_scheduler.blockSize().has_value());

    InstanceInfo first = makeInstance(3);
    first.staticInfo.blockSize = 64;
    m_scheduler.applyRefresh(refreshOf({first, makeInstance(1)}));
    EXPECT_EQ(m_scheduler.blockSize(), std::optional<qint64>(64));
    EXPECT_EQ(m_scheduler.firstModelName(), "model-3");

    m_scheduler.applyRefresh(refreshOf({makeInstance(1)}));
    EXPECT_EQ(m_scheduler.blockSize(), std::optional<qint64>(64)); // taken once
    EXPECT_EQ(m_scheduler.firstModelName(), "model-1");
}

TEST(InstanceRegistryPdTest, AvailabilityNeedsPrefillAndDecode)
{
    Scheduler scheduler(coord::testing::pdSettings());
    scheduler.applyRefresh(refreshOf({makeInstance(1, InstanceRole::Prefill)}));
    EXPECT_FALSE(scheduler.clusterAvailable());
    scheduler.applyRefresh(
        refreshOf({makeInstance(1, InstanceRole::Prefill), makeInstance(2, InstanceRole::Decode)}));
    EXPECT_TRUE(scheduler.clusterAvailable());
}

TEST(OperationLogTextTest, MatchesMindIeStrings)
{
    InstanceInfo instance = makeInstance(1, InstanceRole::Prefill);
    instance.ip = "10.1.2.3";
    instance.port = 1025;
    EXPECT_EQ(addInstanceLogLine(instance), "[Add] Add instance P IP 10.1.2.3:1025");
    EXPECT_EQ(removeInstanceLogLine(instance), "[Remove] Remove P instance IP: 10.1.2.3:1025");
    instance.staticInfo.role = InstanceRole::Decode;
    EXPECT_EQ(addInstanceLogLine(instance), "[Add] Add instance D IP 10.1.2.3:1025");
    instance.staticInfo.role = InstanceRole::Unified;
    EXPECT_EQ(removeInstanceLogLine(instance), "[Remove] Remove U instance IP: 10.1.2.3:1025");
}
