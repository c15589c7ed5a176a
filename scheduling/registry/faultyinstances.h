#pragma once

#include <unordered_map>

#include <QtGlobal>

#include "util/clock.h"

namespace coord::scheduling {

// Instance ids the coordinator gave up on (a D whose /dresult link could not be restored, and
// the instances sharing its virtual_id, spec §5.4). Refreshes ignore them for a while so the
// Controller's next push does not bring a dead instance straight back.
//
// Not thread-safe: owned by SchedulerCore, under the Scheduler's mutex.
class FaultyInstances
{
public:
    static constexpr qint64 kIgnoreMs = 2 * 60 * 1000;

    explicit FaultyInstances(const Clock& clock) : m_clock(clock) {}

    void mark(quint64 id);
    // True while the id is inside its ignore window; forgets it once the window has passed.
    bool isIgnored(quint64 id);
    // Milliseconds left in the ignore window (0 when not ignored).
    qint64 remainingMs(quint64 id) const;

private:
    const Clock& m_clock;
    std::unordered_map<quint64, qint64> m_ignoredUntilMs;
};

} // namespace coord::scheduling
