// Many requests over many instances: even spread, and consistent accounting under threads.
#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include <QHash>

#include <gtest/gtest.h>

#include "scheduler.h"
#include "schedulingtestdata.h"

using namespace coord;
using namespace coord::scheduling;
using coord::testing::makeInstance;
using coord::testing::refreshOf;

namespace {

constexpr int kInstances = 200;

// Every third instance has no free blocks and every seventh is closed; the rest share the load.
Scheduler* buildMixedCluster(std::unique_ptr<Scheduler>& owner, const SchedulerSettings& settings)
{
    owner = std::make_unique<Scheduler>(settings);
    QList<InstanceInfo> instances;
    QList<quint64> closed;
    for (int i = 0; i < kInstances; ++i) {
        instances.append(makeInstance(quint64(i), InstanceRole::Unified, 100, i % 3 == 0 ? 0 : 1000));
        if (i % 7 == 0)
            closed.append(quint64(i));
    }
    owner->applyRefresh(refreshOf(instances));
    owner->setClosed(closed, true);
    return owner.get();
}

bool isEligible(int id)
{
    return id % 3 != 0 && id % 7 != 0;
}

} // namespace

TEST(SchedulingFairnessTest, RoundRobinSpreadsEvenlyOverEligibleInstances)
{
    std::unique_ptr<Scheduler> owner;
    Scheduler* scheduler = buildMixedCluster(owner, SchedulerSettings{});
    QHash<quint64, int> perInstance;
    const int requests = 100000;
    for (int i = 0; i < requests; ++i) {
        const Placement placement = scheduler->schedule({});
        ASSERT_TRUE(placement.ok());
        ++perInstance[placement.instanceId];
    }
    int eligible = 0;
    for (int id = 0; id < kInstances; ++id)
        eligible += isEligible(id) ? 1 : 0;
    ASSERT_EQ(perInstance.size(), eligible);
    int lowest = requests;
    int highest = 0;
    for (auto it = perInstance.cbegin(); it != perInstance.cend(); ++it) {
        EXPECT_TRUE(isEligible(int(it.key()))) << it.key();
        lowest = std::min(lowest, it.value());
        highest = std::max(highest, it.value());
    }
    EXPECT_LE(highest - lowest, 1);
}

TEST(SchedulingFairnessTest, CacheAffinitySpreadsNewConversationsEvenly)
{
    SchedulerSettings settings;
    settings.algorithm = DefaultAlgorithm::CacheAffinity;
    settings.cacheSize = 1000;
    std::unique_ptr<Scheduler> owner;
    Scheduler* scheduler = buildMixedCluster(owner, settings);
    QHash<quint64, int> perInstance;
    for (int i = 0; i < 20000; ++i) {
        ScheduleRequest request;
        request.conversation = ConversationKey::fromMessages(QJsonArray{QString::number(i)});
        ++perInstance[scheduler->schedule(request).instanceId];
    }
    const auto [lowest, highest] = std::minmax_element(perInstance.cbegin(), perInstance.cend());
    EXPECT_LE(*highest - *lowest, 1);
}

TEST(SchedulingFairnessTest, ConcurrentWorkersNeverExceedTheCapAndBalanceToZero)
{
    SchedulerSettings settings;
    settings.perInstanceCap = 3;
    Scheduler scheduler(settings);
    QList<InstanceInfo> instances;
    for (int i = 0; i < 16; ++i)
        instances.append(makeInstance(quint64(i)));
    scheduler.applyRefresh(refreshOf(instances));

    std::vector<std::atomic<int>> observed(16);
    std::atomic<int> overCap{0};
    std::atomic<int> placed{0};
    const auto worker = [&] {
        for (int i = 0; i < 20000; ++i) {
            Placement placement = scheduler.schedule({});
            if (!placement.ok())
                continue;
            ++placed;
            if (++observed[placement.instanceId] > settings.perInstanceCap)
                ++overCap;
            --observed[placement.instanceId];
            placement.ticket.release();
        }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back(worker);
    // The control thread keeps refreshing and toggling an instance meanwhile.
    for (int round = 0; round < 200; ++round) {
        scheduler.applyRefresh(refreshOf(instances));
        scheduler.setClosed({5}, round % 2 == 0);
    }
    for (std::thread& thread : threads)
        thread.join();
    EXPECT_EQ(overCap.load(), 0);
    EXPECT_GT(placed.load(), 0);
    for (const TrackedInstance& instance : scheduler.snapshot())
        EXPECT_EQ(instance.inFlight, 0) << instance.info.id;
}
