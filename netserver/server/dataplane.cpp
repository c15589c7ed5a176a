#include "dataplane.h"

#include <QRandomGenerator>

namespace coord::server {

namespace {
// splitmix64's finaliser: a bijection on 64-bit values, so distinct inputs give distinct ids.
quint64 mix(quint64 value)
{
    value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
    value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
    return value ^ (value >> 31);
}
} // namespace

DataPlane::DataPlane(DataPlaneSettings settings, scheduling::Scheduler& scheduler, const ServiceState& state)
    : m_settings(std::move(settings)), m_scheduler(scheduler), m_state(state),
      m_idSeed(QRandomGenerator::system()->generate64())
{
}

bool DataPlane::tryAdmit()
{
    int live = m_live.load(std::memory_order_relaxed);
    do {
        if (live >= m_settings.maxRequests)
            return false;
    } while (!m_live.compare_exchange_weak(live, live + 1, std::memory_order_relaxed));
    m_received.fetch_add(1, std::memory_order_relaxed);
    return true;
}

void DataPlane::release(bool succeeded, qint64 inputLength, qint64 outputLength)
{
    m_live.fetch_sub(1, std::memory_order_relaxed);
    (succeeded ? m_succeeded : m_failed).fetch_add(1, std::memory_order_relaxed);
    QMutexLocker lock(&m_lengthMutex);
    m_windowInput += inputLength;
    m_windowOutput += outputLength;
    ++m_windowCount;
}

QByteArray DataPlane::newRequestId()
{
    return QByteArray::number(mix(m_idSeed + m_idCounter.fetch_add(1, std::memory_order_relaxed)));
}

LengthAverages DataPlane::takeLengthAverages()
{
    QMutexLocker lock(&m_lengthMutex);
    if (m_windowCount > 0) {
        m_lastAverages.inputLength = static_cast<qint64>(m_windowInput / m_settings.stringTokenRate / m_windowCount);
        m_lastAverages.outputLength = m_windowOutput / m_windowCount;
        m_windowInput = m_windowOutput = m_windowCount = 0;
    }
    return m_lastAverages;
}

} // namespace coord::server
