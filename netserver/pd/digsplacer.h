#pragma once

#include "digs/digsengine.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <unordered_map>

namespace coord::pd {

// Runs the DIGS engine for the whole coordinator. Requests on the worker threads submit
// themselves and get their P-D pair back by a queued call when a round places them; rounds run
// on every arrival and every 100 ms while requests wait (spec §4.2).
//
// Thread affinity: lives on the control thread. submit(), prefillDone() and finished() may be
// called from any thread (they hop to the control thread); the rest only there.
class DigsPlacer : public QObject
{
    Q_OBJECT
public:
    using PlacedCallback = std::function<void(quint64 prefillId, quint64 decodeId)>;

    explicit DigsPlacer(const scheduling::digs::DigsSettings& settings, QObject* parent = nullptr);

    // Any thread. `onPlaced` runs on `receiver`'s thread, and never if `receiver` is gone.
    void submit(const scheduling::digs::PendingRequest& request, QObject* receiver, PlacedCallback onPlaced);
    // Any thread: P has replied (prefill demand freed).
    void prefillDone(quint64 requestKey);
    // Any thread: the request ended, or gave up its pair to be placed again.
    void finished(quint64 requestKey);

    // Control thread: keep the engine's instance set in step with the registry.
    void upsertInstance(const InstanceInfo& instance);
    void removeInstance(quint64 id);
    void setClosed(quint64 id, bool closed);
    QList<scheduling::digs::InstanceAllocation> allocations() const { return m_engine.allocations(); }
    // Any thread (settings never change): DIGS's token estimate of a request, which
    // coordinator_info's input_len averages in PD modes.
    qint64 inputTokens(qint64 inputLength, bool inputIsTokenCount) const;
    qsizetype waitingCount() const { return m_engine.waitingCount(); }

private:
    struct Waiter
    {
        QPointer<QObject> receiver;
        PlacedCallback onPlaced;
    };
    void runRound();

    scheduling::digs::DigsEngine m_engine;
    std::unordered_map<quint64, Waiter> m_waiters;
    QTimer m_roundTimer;
};

} // namespace coord::pd
