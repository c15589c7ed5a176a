#pragma once

#include <optional>
#include <unordered_map>
#include <vector>

#include <QList>

#include "digsinstanceset.h"
#include "digsrequestqueue.h"
#include "digssettings.h"
#include "digstypes.h"
#include "model/instanceinfo.h"

namespace coord::scheduling::digs {

// The DIGS load-balance scheduler of PD modes (spec §4.2) as pure logic: the caller feeds it the
// registry's instances and arriving requests, runs rounds (on a timer and on arrivals), and
// tells it when each request's P has replied and when the request has ended.
//
// Thread affinity: not thread-safe. One thread owns the engine (the control thread) and makes
// every call; workers reach it through queued calls.
//
// Cost: a placement is O(log n) in the instance count with the default coefficients (see
// docs/DIGS.md for the cases that walk further); every release or instance change is
// O(log n); a round also reorders its pending deque (O(p log p) for sjf/ljf).
class DigsEngine
{
public:
    explicit DigsEngine(const DigsSettings& settings);
    DigsEngine(const DigsEngine&) = delete;
    DigsEngine& operator=(const DigsEngine&) = delete;

    const DigsSettings& settings() const { return m_settings; }

    // --- instances (from the registry) ---
    // Adds an instance or refreshes its dynamic numbers, peers and totals. A changed role,
    // label or group re-registers it with nothing allocated. Instances of role U are kept but
    // never chosen.
    void upsertInstance(const InstanceInfo& info);
    // Forgets an instance. Requests placed on it keep their record; releasing them frees
    // nothing on it (nor on a later instance reusing the id).
    void removeInstance(quint64 id);
    // Offline (closed) instances take no new work; what they hold runs to its end.
    void setInstanceClosed(quint64 id, bool closed);
    qsizetype instanceCount() const { return m_instances.size(); }
    // The KV block size in use: the setting, else that of the first instance added (0 = none).
    qint64 blockSize() const { return m_blockSize; }

    // --- requests ---
    // Queues a request for the next round. Returns false (and ignores it) when the key is
    // already known to the engine.
    bool enqueue(const PendingRequest& request);
    // One scheduling round at `nowMs` (spec §4.2 steps 1-5). Returns the placements made; their
    // demand is counted on both instances until released.
    std::vector<Assignment> runRound(qint64 nowMs);

    // The P has replied: free the prefill demand. Idempotent; false if nothing was held.
    bool releasePrefill(quint64 requestKey);
    // The request has ended (FINISH or EXCEPTION): free its decode demand, and its prefill
    // demand if the P never replied. A request still queued is dropped. Idempotent.
    bool releaseDecode(quint64 requestKey);
    // The request is abandoned (client gone, timeout): drop it from the queue or free whatever
    // it holds. Idempotent; false for an unknown key.
    bool cancel(quint64 requestKey);

    // --- queries ---
    // Requests queued and not yet placed (waiting FIFO + pending deque).
    qsizetype waitingCount() const { return m_queuedCount; }
    // Placed requests whose demand is still held somewhere.
    qsizetype placedCount() const { return qsizetype(m_records.size()) - m_queuedCount; }
    // Per instance, sorted by id, with flex halves folded into the flex id.
    QList<InstanceAllocation> allocations() const;
    // One instance's entry by the id the Controller knows (flex halves folded); none if unknown.
    std::optional<InstanceAllocation> allocation(quint64 id) const;

private:
    enum class Stage
    {
        Waiting, // in the arrival FIFO
        Pending, // in the round's pending deque
        Placed
    };
    struct Record
    {
        quint64 ticket = 0;
        Stage stage = Stage::Waiting;
        qint64 arrivalMs = 0;
        qint64 inputTokens = 0;
        QList<quint64> excludedPrefill;
        Demand demand;
        quint64 prefillId = 0;
        quint64 prefillOrder = 0;
        bool holdsPrefill = false;
        quint64 decodeId = 0;
        quint64 decodeOrder = 0;
        bool holdsDecode = false;
    };
    enum class Outcome
    {
        Placed,
        NoPrefill,
        NoDecode
    };

    Outcome tryPlace(Record& record, const QueuedRequest& entry, std::vector<Assignment>& placed);
    bool stopsPass(const Record& record, qint64 nowMs) const;
    void noteBacklog();
    bool releaseAll(quint64 requestKey);

    DigsSettings m_settings;
    DigsInstanceSet m_instances;
    DigsRequestQueue m_queue;
    std::unordered_map<quint64, Record> m_records;
    quint64 m_nextTicket = 1;
    qsizetype m_queuedCount = 0;  // Waiting + Pending
    qsizetype m_waitingCount = 0; // Waiting only
    qint64 m_blockSize = 0;
    bool m_backlogWarned = false;
};

} // namespace coord::scheduling::digs
