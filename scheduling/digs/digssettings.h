#pragma once

#include <array>

#include <QtGlobal>

namespace coord::config {
struct DigsSchedulerConfig;
}

namespace coord::scheduling::digs {

// reordering_type: the order in which a round offers pending requests to the instances.
enum class ReorderingType
{
    Fcfs = 1, // arrival order (requests sent to the back after a failed decode pick stay there)
    Sjf = 2,  // stable, ascending input length
    Ljf = 3   // stable, descending input length
};

// select_type: whether res_limit_rate caps what an instance may be given.
enum class SelectType
{
    Plain = 1,      // no cap beyond single_node_max_requests
    RateLimited = 2 // allocation must stay within floor(total x res_limit_rate)
};

// load_cost_coefficient, in the order the config lists them (spec §4.2).
struct LoadCoefficients
{
    double a = 0;    // weight of the AICore-aware token sum
    double i = 0.22; // tokens per prompt byte
    double o = 1024; // assumed output length of an in-flight sequence
    double n = 24;   // AICore count (group size of the token sum)
    double k = 6;    // cores per group (tail threshold of the token sum)
    double m = 0;    // weight of the group's largest decode batch
    double r = 1;    // weight of the blocks the instance reports in use
    double b = 0;    // weight of decode-allocated slots (plus the demand)
    double c = 1;    // weight of decode-allocated blocks (plus the demand)

    static LoadCoefficients fromArray(const std::array<double, 9>& values);
};

// What the DIGS engine takes from the config, plus the two behaviours where we deliberately
// differ from MindIE (see docs/DIGS.md). A plain value type.
struct DigsSettings
{
    ReorderingType reordering = ReorderingType::Fcfs;
    // Requests moved from the waiting queue into the round's pending deque per round.
    qsizetype maxScheduleCount = 10000;
    SelectType selectType = SelectType::RateLimited;
    double resLimitRate = 1.1;
    // load_cost_values "1, 1": every request costs one block instead of ceil(tokens/block_size).
    bool flatBlockDemand = false;
    LoadCoefficients coefficients;
    // single_node_max_requests: the in-flight cap of an instance (prefill + decode slots).
    qint64 perInstanceCap = 1000;
    // The cap of both halves of a flex instance split between P and D (spec §2.5).
    qint64 flexSplitCap = 4097;
    // The KV block size. 0: take it from the first instance added, as MindIE does.
    qint64 blockSize = 0;

    // The two places where we deliberately differ from MindIE (docs/DIGS.md). Set both
    // to MindIE's value (true, false) for a faithful replay.
    //
    // headOfLineBlocking: true = MindIE: the prefill pass stops at the first request no P
    // takes. false (default): that request is stepped over and later ones still get placed,
    // until it has waited `starvationMs`; from then on it stops the pass again, so releases
    // accumulate room for it instead of being taken by smaller requests.
    bool headOfLineBlocking = false;
    qint64 starvationMs = 2000;
    // limitCountsDemand (select_type 2 only): false = MindIE: an instance passes while its
    // current allocation is within floor(total x res_limit_rate), however large the request,
    // so it can overshoot the limit. true (default): the allocation plus the request's demand
    // must fit, except on an idle instance (so a request above the limit can still run alone).
    bool limitCountsDemand = true;

    // Fills the MindIE keys from the config; the two improvement switches keep their defaults.
    static DigsSettings fromConfig(const config::DigsSchedulerConfig& config, qint64 singleNodeMaxRequests);
};

} // namespace coord::scheduling::digs
