#include "digsplacer.h"

#include "pdlog.h"

#include <QDateTime>

namespace coord::pd {

namespace {
constexpr int kRoundIntervalMs = 100;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

DigsPlacer::DigsPlacer(const scheduling::digs::DigsSettings& settings, QObject* parent)
    : QObject(parent), m_engine(settings)
{
    m_roundTimer.setInterval(kRoundIntervalMs);
    connect(&m_roundTimer, &QTimer::timeout, this, &DigsPlacer::runRound);
}

void DigsPlacer::submit(const scheduling::digs::PendingRequest& request, QObject* receiver, PlacedCallback onPlaced)
{
    QMetaObject::invokeMethod(
        this,
        [this, request, waiter = Waiter{receiver, std::move(onPlaced)}]() mutable {
            scheduling::digs::PendingRequest stamped = request;
            stamped.arrivalMs = nowMs();
            if (!m_engine.enqueue(stamped)) {
                qCWarning(lcPd) << "DIGS: request" << request.requestKey << "submitted twice";
                return;
            }
            m_waiters[request.requestKey] = std::move(waiter);
            runRound();
        },
        Qt::QueuedConnection);
}

qint64 DigsPlacer::inputTokens(qint64 inputLength, bool inputIsTokenCount) const
{
    return scheduling::digs::digsInputTokens(inputLength, inputIsTokenCount, m_engine.settings().coefficients.i);
}

void DigsPlacer::prefillDone(quint64 requestKey)
{
    QMetaObject::invokeMethod(this, [this, requestKey] { m_engine.releasePrefill(requestKey); }, Qt::QueuedConnection);
}

void DigsPlacer::finished(quint64 requestKey)
{
    QMetaObject::invokeMethod(
        this,
        [this, requestKey] {
            m_waiters.erase(requestKey);
            m_engine.cancel(requestKey);
            // Freed room may let waiting requests in now rather than at the next tick.
            if (m_engine.waitingCount() > 0)
                runRound();
        },
        Qt::QueuedConnection);
}

void DigsPlacer::runRound()
{
    const std::vector<scheduling::digs::Assignment> placed = m_engine.runRound(nowMs());
    for (const scheduling::digs::Assignment& assignment : placed) {
        const auto it = m_waiters.find(assignment.requestKey);
        if (it == m_waiters.end() || !it->second.receiver) {
            m_engine.cancel(assignment.requestKey);
            continue;
        }
        const Waiter waiter = std::move(it->second);
        m_waiters.erase(it);
        QMetaObject::invokeMethod(
            waiter.receiver.data(),
            [onPlaced = waiter.onPlaced, prefill = assignment.prefillId, decode = assignment.decodeId] {
                onPlaced(prefill, decode);
            },
            Qt::QueuedConnection);
    }
    // Tick only while something waits: an idle coordinator does no periodic work.
    if (m_engine.waitingCount() > 0) {
        if (!m_roundTimer.isActive())
            m_roundTimer.start();
    } else {
        m_roundTimer.stop();
    }
}

void DigsPlacer::upsertInstance(const InstanceInfo& instance)
{
    m_engine.upsertInstance(instance);
}

void DigsPlacer::removeInstance(quint64 id)
{
    m_engine.removeInstance(id);
}

void DigsPlacer::setClosed(quint64 id, bool closed)
{
    m_engine.setInstanceClosed(id, closed);
    if (!closed && m_engine.waitingCount() > 0)
        runRound();
}

} // namespace coord::pd
