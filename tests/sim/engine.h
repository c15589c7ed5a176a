#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

#include "prefixcache.h"

namespace mindiesim {

struct EngineParams
{
    bool fast = false;      // --timing fast: every token at once, no limits
    int slotCount = 256;    // concurrent running requests (total_slots_num)
    int totalBlocks = 4096; // KV blocks (total_block_num)
    int blockSize = 128;    // tokens per KV block
    double prefillTokensPerSecond = 8000;
    int prefillChunkTokens = 2048; // prefill tokens per engine step (chunked prefill)
    double decodeBaseMs = 6.0;     // decode step = base + slope x running batch
    double decodeSlopeMs = 0.35;
    bool prefixCache = true;
};

// What a job computes: output tokens [firstIndex, endIndex). With runPrefill the first of them is
// produced by the prefill; a decode-only job (D role) starts decoding at once.
struct JobSpec
{
    QList<quint32> promptTokens;
    int firstIndex = 0;
    int endIndex = 1;
    bool runPrefill = true;
};

struct JobEvents
{
    std::function<void(int index, bool last)> onToken;
};

struct EngineSnapshot
{
    int running = 0;
    int waiting = 0;
    int totalBlocks = 0;
    int usedBlocks = 0; // blocks held by requests or the prefix cache
    int cachedBlocks = 0;
    int freeSlots = 0;
    quint64 promptTokens = 0;  // all prompt tokens admitted
    quint64 cachedTokens = 0;  // prompt tokens served from the prefix cache
    quint64 queriedBlocks = 0; // full prompt blocks looked up in the cache
    quint64 hitBlocks = 0;     // ... of which were found
};

// One simulated inference engine: continuous batching over a finite number of slots and KV blocks,
// with chunked prefill and a prefix cache. All work happens in timer-driven steps on the owning
// thread; step length = uncached prefill tokens / rate + (base + slope x decode batch), scaled by
// the slow factor. Callbacks may cancel jobs (their own included) safely.
class Engine : public QObject
{
    Q_OBJECT
public:
    explicit Engine(const EngineParams& params, QObject* parent = nullptr);
    ~Engine() override;

    quint64 submit(const JobSpec& spec, const JobEvents& events);
    void cancel(quint64 jobId);
    // Prompt tokens the job found in the prefix cache (known once it is admitted).
    int cachedTokens(quint64 jobId) const;
    void setSlowFactor(double factor) { m_slowFactor = factor > 0 ? factor : 1.0; }
    EngineSnapshot snapshot() const;
    const EngineParams& params() const { return m_params; }

private:
    enum class State
    {
        Waiting,
        Prefill,
        Decode,
        Done
    };
    struct Job
    {
        quint64 id = 0;
        JobSpec spec;
        JobEvents events;
        State state = State::Waiting;
        int remainingPrefill = 0;
        int nextIndex = 0;
        int privateBlocks = 0;
        int cachedTokens = 0;
        int matchedBlocks = 0;
        QList<quint64> promptHashes;
        QList<quint64> pinned;
    };
    struct PlannedWork
    {
        quint64 jobId;
        int prefillTokens; // 0 = one decode token
    };

    void runFastPass();
    void planNextStep();
    void onStepFinished();
    void admitWaiting();
    bool lookUpPrefix(Job& job);
    bool reserveBlocks(int count, bool force, int& granted);
    void completePrefill(Job& job);
    void emitToken(Job& job);
    void release(Job& job);
    void reap();
    int freeBlocks() const;
    Job* find(quint64 jobId) const;

    EngineParams m_params;
    double m_slowFactor = 1.0;
    PrefixCache m_cache;
    std::unordered_map<quint64, std::unique_ptr<Job>> m_jobs;
    std::deque<quint64> m_waiting;
    std::vector<quint64> m_running; // admission order
    std::vector<PlannedWork> m_plan;
    QTimer m_stepTimer;
    quint64 m_nextJobId = 1;
    int m_usedPrivateBlocks = 0;
    bool m_fastPassQueued = false;
    quint64 m_promptTokens = 0;
    quint64 m_cachedTokens = 0;
    quint64 m_queriedBlocks = 0;
    quint64 m_hitBlocks = 0;
};

} // namespace mindiesim
