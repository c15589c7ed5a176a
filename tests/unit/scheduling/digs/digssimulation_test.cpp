// Simulation-style checks: many requests over 2P2D spread fairly, and the indexed decode pick
// agrees with a brute-force evaluation of ComputeAwareLoad over random cluster states.
#include <algorithm>
#include <deque>
#include <map>
#include <random>

#include <gtest/gtest.h>

#include "digs/digsinstanceset.h"
#include "digstestdata.h"

using namespace coord;
using namespace coord::scheduling::digs;
using namespace coord::testing;

TEST(DigsSimulation, ManyRequestsSpreadFairlyOver2P2D)
{
    DigsEngine engine(digsTestSettings());
    engine.upsertInstance(digsPrefill(1));
    engine.upsertInstance(digsPrefill(2));
    engine.upsertInstance(digsDecode(10, {1, 2}));
    engine.upsertInstance(digsDecode(11, {1, 2}));

    std::mt19937 random(7);
    std::uniform_int_distribution<qint64> length(50, 4000);
    std::map<quint64, int> placedOn;
    std::deque<quint64> prefilling;
    std::deque<quint64> decoding;
    quint64 nextKey = 1;
    for (qint64 nowMs = 0; nowMs < 20000; nowMs += 10) {
        for (int arrivals = 0; arrivals < 3; ++arrivals)
            engine.enqueue(tokenRequest(nextKey++, length(random), nowMs));
        for (const Assignment& assignment : engine.runRound(nowMs)) {
            ++placedOn[assignment.prefillId];
            ++placedOn[assignment.decodeId];
            prefilling.push_back(assignment.requestKey);
        }
        // Prefill ends after ~2 rounds, decode after ~20.
        while (prefilling.size() > 6) {
            engine.releasePrefill(prefilling.front());
            decoding.push_back(prefilling.front());
            prefilling.pop_front();
        }
        while (decoding.size() > 60) {
            engine.releaseDecode(decoding.front());
            decoding.pop_front();
        }
    }
    const int total = placedOn[1] + placedOn[2];
    EXPECT_GT(total, 5000);
    EXPECT_LT(engine.waitingCount(), 10);
    for (const quint64 id : {1, 2, 10, 11})
        EXPECT_NEAR(double(placedOn[id]) / total, 0.5, 0.05) << "instance " << id;
}

namespace {

// The first minimum of ComputeAwareLoad over every eligible D, as MindIE's sort-then-scan
// finds it (ties broken by registration order, as the index does).
std::optional<quint64> bruteForceDecode(const std::vector<InstanceInfo>& decodes, const DigsInstanceSet& set,
                                        quint64 prefillId, const Demand& demand, const DigsSettings& settings)
{
    qint64 groupMax = 0;
    for (const InstanceInfo& info : decodes)
        groupMax = std::max(groupMax, set.find(info.id)->decodeAllocated.slotCount);
    std::optional<quint64> best;
    double bestLoad = 0;
    for (const InstanceInfo& info : decodes) {
        const DigsInstance& candidate = *set.find(info.id);
        if (!candidate.listsPeer(prefillId) || !candidate.hasConnectionRoom() ||
            !withinLimit(candidate.decodeAllocated, candidate.limit(settings.resLimitRate), demand.resources,
                         true))
            continue;
        DecodeLoadInput input{&candidate.decodeInputs, candidate.decodeAllocated, groupMax,
                              candidate.reportedUsedBlocks()};
        const double load = computeAwareLoad(input, demand, settings.coefficients);
        if (!best || load < bestLoad - 1e-9) {
            best = info.id;
            bestLoad = load;
        }
    }
    return best;
}

} // namespace

TEST(DigsSimulation, IndexedDecodePickMatchesBruteForce)
{
    std::mt19937 random(11);
    for (int trial = 0; trial < 200; ++trial) {
        DigsSettings settings = digsTestSettings();
        std::uniform_int_distribution<int> coin(0, 1);
        settings.coefficients =
            LoadCoefficients::fromArray({coin(random) ? 0.0 : 0.5, 0.22, 100, double(2 + trial % 12), 3,
                                         coin(random) ? 0.0 : 40.0 - trial % 80, 1, double(trial % 3), 1});
        DigsInstanceSet set(settings);
        set.upsert(digsPrefill(1));
        set.upsert(digsPrefill(2));
        std::vector<InstanceInfo> decodes;
        for (quint64 id = 10; id < 18; ++id) {
            InstanceInfo info = coin(random) ? digsDecode(id, {1, 2}) : digsDecode(id, {1});
            info.dynamicInfo.availBlockNum = 1000 - qint64(random() % 400);
            decodes.push_back(info);
            set.upsert(info);
        }
        std::uniform_int_distribution<qint64> tokens(10, 3000);
        for (int held = 0; held < 30; ++held)
            set.allocateDecode(decodes[random() % decodes.size()].id, makeDemand(tokens(random), 128, false));
        for (int probe = 0; probe < 5; ++probe) {
            const Demand demand = makeDemand(tokens(random), 128, false);
            const quint64 prefillId = 1 + random() % 2;
            EXPECT_EQ(set.pickDecode(prefillId, demand),
                      bruteForceDecode(decodes, set, prefillId, demand, settings))
                << "trial " << trial << " probe " << probe;
        }
    }
}
