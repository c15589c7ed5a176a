// Prints the mean cost of one DIGS placement (enqueue + its share of a round + the P-reply and
// finish releases) over 10..5000 instances: half P, half D, in 4 groups, every D listing every P
// of its group. About 1000 requests stay in flight so the indexes hold realistic loads.
// Build Release, then run: build-digs-rel/bin/bench_digs
#include <chrono>
#include <cstdio>
#include <deque>

#include <QLoggingCategory>

#include "digs/digsengine.h"

using namespace coord;
using namespace coord::scheduling::digs;

namespace {

constexpr int kGroups = 4;
constexpr int kPlacements = 300000;
constexpr int kBatch = 32;
constexpr size_t kInFlight = 1000;

InstanceInfo benchInstance(quint64 id, InstanceRole role, quint64 group)
{
    InstanceInfo info;
    info.id = id;
    info.ip = QStringLiteral("10.%1.%2.%3").arg(id / 65536).arg((id / 256) % 256).arg(id % 256);
    info.port = 1025;
    info.metricPort = 1027;
    info.staticInfo.groupId = group;
    info.staticInfo.role = role;
    info.staticInfo.label =
        role == InstanceRole::Prefill ? InstanceLabel::PrefillStatic : InstanceLabel::DecodeStatic;
    info.staticInfo.maxSeqLen = 4096;
    info.staticInfo.maxOutputLen = 512;
    info.staticInfo.totalSlotsNum = 5000;
    info.staticInfo.totalBlockNum = 1000000;
    info.staticInfo.blockSize = 128;
    info.dynamicInfo.availSlotsNum = 5000;
    info.dynamicInfo.availBlockNum = 1000000 - qint64(id % 97) * 100;
    return info;
}

void buildCluster(DigsEngine& engine, int count)
{
    const int prefills = count / 2;
    for (int i = 0; i < count; ++i) {
        const bool isPrefill = i < prefills;
        const int indexInRole = isPrefill ? i : i - prefills;
        InstanceInfo info =
            benchInstance(quint64(i), isPrefill ? InstanceRole::Prefill : InstanceRole::Decode,
                          quint64(indexInRole % kGroups));
        if (!isPrefill) {
            for (int p = indexInRole % kGroups; p < prefills; p += kGroups)
                info.dynamicInfo.peers.append(quint64(p));
        }
        engine.upsertInstance(info);
    }
}

double nsPerPlacement(int count, ReorderingType reordering)
{
    DigsSettings settings;
    settings.reordering = reordering;
    settings.perInstanceCap = 15000;
    settings.resLimitRate = 1.0;
    DigsEngine engine(settings);
    buildCluster(engine, count);

    std::deque<quint64> inFlight;
    quint64 nextKey = 1;
    int placed = 0;
    qint64 nowMs = 0;
    const auto start = std::chrono::steady_clock::now();
    while (placed < kPlacements) {
        for (int i = 0; i < kBatch; ++i) {
            PendingRequest request;
            request.requestKey = nextKey;
            request.inputLength = qint64(200 + (nextKey * 7919) % 8000);
            request.arrivalMs = nowMs;
            engine.enqueue(request);
            ++nextKey;
        }
        for (const Assignment& assignment : engine.runRound(nowMs)) {
            engine.releasePrefill(assignment.requestKey);
            inFlight.push_back(assignment.requestKey);
            ++placed;
        }
        while (inFlight.size() > kInFlight) {
            engine.releaseDecode(inFlight.front());
            inFlight.pop_front();
        }
        ++nowMs;
    }
    const auto elapsed = std::chrono::steady_clock::now() - start;
    if (engine.waitingCount() > kBatch)
        std::printf("warning: %lld requests left waiting\n", static_cast<long long>(engine.waitingCount()));
    return double(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()) / placed;
}

} // namespace

int main()
{
    QLoggingCategory::setFilterRules(QStringLiteral("coord.scheduling.debug=false"));
    std::printf("| reordering | instances | ns per placed request |\n|---|---:|---:|\n");
    for (const ReorderingType reordering : {ReorderingType::Fcfs, ReorderingType::Sjf}) {
        for (const int count : {10, 100, 1000, 5000}) {
            std::printf("| %s | %d | %.0f |\n", reordering == ReorderingType::Fcfs ? "fcfs" : "sjf", count,
                        nsPerPlacement(count, reordering));
            std::fflush(stdout);
        }
    }
    return 0;
}
