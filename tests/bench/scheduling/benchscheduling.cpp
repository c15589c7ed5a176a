// Prints the mean cost of one scheduling decision (schedule + ticket release, lock included)
// for round_robin and cache_affinity over 10..5000 instances, with all instances eligible and
// with 90 % of them ineligible (no free blocks, offline or at their cap).
// Build Release, then run: build-sched-rel/bin/bench_scheduling
#include <chrono>
#include <cstdio>
#include <vector>

#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>

#include "scheduler.h"

using namespace coord;
using namespace coord::scheduling;

namespace {

constexpr int kDecisions = 400000;
constexpr int kConversations = 4096;

InstanceInfo benchInstance(quint64 id, bool hasBlocks)
{
    InstanceInfo info;
    info.id = id;
    info.ip = QStringLiteral("10.%1.%2.%3").arg(id / 65536).arg((id / 256) % 256).arg(id % 256);
    info.port = 1025;
    info.metricPort = 1027;
    info.staticInfo.role = InstanceRole::Unified;
    info.staticInfo.maxSeqLen = 4096;
    info.staticInfo.maxOutputLen = 512;
    info.staticInfo.totalSlotsNum = 200;
    info.staticInfo.totalBlockNum = 1024;
    info.staticInfo.blockSize = 128;
    info.dynamicInfo.availSlotsNum = 200;
    info.dynamicInfo.availBlockNum = hasBlocks ? 1024 : 0;
    return info;
}

// Builds a cluster of `count` instances; with `mostlyIneligible`, 9 of every 10 are out of play:
// a third report no blocks, a third are offline and a third are held at their cap.
std::unique_ptr<Scheduler> buildCluster(int count, bool mostlyIneligible, DefaultAlgorithm algorithm,
                                        std::vector<DispatchTicket>& capHolders)
{
    SchedulerSettings settings;
    settings.algorithm = algorithm;
    settings.perInstanceCap = 1000000;
    settings.cacheSize = 10000;
    auto scheduler = std::make_unique<Scheduler>(settings);
    RefreshRequest refresh;
    QList<quint64> offline;
    QList<quint64> capped;
    for (int i = 0; i < count; ++i) {
        const bool ineligible = mostlyIneligible && i % 10 != 0;
        const int kind = i % 3;
        refresh.ids.append(quint64(i));
        refresh.instances.append(benchInstance(quint64(i), !(ineligible && kind == 0)));
        if (ineligible && kind == 1)
            offline.append(quint64(i));
        if (ineligible && kind == 2)
            capped.append(quint64(i));
    }
    scheduler->applyRefresh(refresh);
    scheduler->setClosed(offline, true);
    if (!capped.isEmpty()) {
        // Hold two tickets on each capped instance and lower the cap to 2, so the eligible
        // instances (0 -> 1 -> 0 in flight per decision) stay below it.
        for (const quint64 id : capped) {
            capHolders.push_back(scheduler->acquire(id));
            capHolders.push_back(scheduler->acquire(id));
        }
        scheduler->setPerInstanceCap(2);
    }
    return scheduler;
}

// Requests alternate between opening a conversation (2 messages: round robin + store) and
// continuing one (4 messages: lookup + rename on a hit).
std::vector<ScheduleRequest> conversationRequests()
{
    std::vector<ScheduleRequest> requests;
    requests.reserve(2 * kConversations);
    for (int c = 0; c < kConversations; ++c) {
        QJsonArray messages{
            QJsonObject{{"role", "user"}, {"content", QStringLiteral("question %1").arg(c)}},
            QJsonObject{{"role", "assistant"}, {"content", QStringLiteral("answer %1").arg(c)}}};
        ScheduleRequest opening;
        opening.conversation = ConversationKey::fromMessages(messages);
        requests.push_back(opening);
        messages.append(QJsonObject{{"role", "user"}, {"content", "and then?"}});
        messages.append(QJsonObject{{"role", "assistant"}, {"content", "more"}});
        ScheduleRequest followUp;
        followUp.conversation = ConversationKey::fromMessages(messages);
        requests.push_back(followUp);
    }
    return requests;
}

double measureNsPerDecision(Scheduler& scheduler, const std::vector<ScheduleRequest>& requests)
{
    std::size_t failures = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kDecisions; ++i) {
        Placement placement = scheduler.schedule(requests[std::size_t(i) % requests.size()]);
        failures += placement.ok() ? 0 : 1;
    }
    const auto elapsed = std::chrono::steady_clock::now() - start;
    if (failures != 0)
        std::printf("  (%zu decisions found no instance)\n", failures);
    return double(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()) / kDecisions;
}

} // namespace

int main()
{
    QLoggingCategory::setFilterRules(QStringLiteral("coord.scheduling.info=false"));
    const std::vector<ScheduleRequest> plain(1);
    const std::vector<ScheduleRequest> chats = conversationRequests();
    std::printf("%-15s %10s %12s %18s\n", "algorithm", "instances", "eligible", "ns per decision");
    for (const DefaultAlgorithm algorithm : {DefaultAlgorithm::RoundRobin, DefaultAlgorithm::CacheAffinity}) {
        const bool affinity = algorithm == DefaultAlgorithm::CacheAffinity;
        for (const int count : {10, 100, 1000, 5000}) {
            for (const bool mostlyIneligible : {false, true}) {
                std::vector<DispatchTicket> capHolders;
                auto scheduler = buildCluster(count, mostlyIneligible, algorithm, capHolders);
                const double ns = measureNsPerDecision(*scheduler, affinity ? chats : plain);
                std::printf("%-15s %10d %12s %18.1f\n", affinity ? "cache_affinity" : "round_robin", count,
                            mostlyIneligible ? "10%" : "100%", ns);
            }
        }
    }
    return 0;
}
