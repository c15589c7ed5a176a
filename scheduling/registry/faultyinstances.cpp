#include "faultyinstances.h"

namespace coord::scheduling {

void FaultyInstances::mark(quint64 id)
{
    m_ignoredUntilMs[id] = m_clock.nowMs() + kIgnoreMs;
}

bool FaultyInstances::isIgnored(quint64 id)
{
    const auto it = m_ignoredUntilMs.find(id);
    if (it == m_ignoredUntilMs.end())
        return false;
    if (m_clock.nowMs() < it->second)
        return true;
    m_ignoredUntilMs.erase(it);
    return false;
}

qint64 FaultyInstances::remainingMs(quint64 id) const
{
    const auto it = m_ignoredUntilMs.find(id);
    if (it == m_ignoredUntilMs.end())
        return 0;
    return std::max<qint64>(0, it->second - m_clock.nowMs());
}

} // namespace coord::scheduling
