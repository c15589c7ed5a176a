#include "jobtimers.h"

#include <algorithm>
#include <limits>

#include <QTimerEvent>

namespace coord::server {

JobTimers::JobTimers(QObject* parent) : QObject(parent) {}

void JobTimers::arm(Slot& slot, Client* client, Kind kind, Clock::time_point when)
{
    if (slot.m_armed)
        m_entries.erase(slot.m_entry);
    slot.m_entry = m_entries.emplace(when, Entry{client, &slot, kind});
    slot.m_armed = true;
    // Only an earlier first entry moves the dispatcher's timer.
    if (!m_firing && (!m_timer.isActive() || when < m_timerDue))
        rearm();
}

void JobTimers::disarm(Slot& slot)
{
    if (!slot.m_armed)
        return;
    m_entries.erase(slot.m_entry);
    slot.m_armed = false;
    // A timer left armed for a removed entry fires once, finds nothing due and re-arms:
    // cheaper than moving it on every disarm.
}

void JobTimers::rearm()
{
    if (m_entries.empty()) {
        m_timer.stop();
        return;
    }
    m_timerDue = m_entries.begin()->first;
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(m_timerDue - Clock::now());
    const qint64 waitMs = std::clamp<qint64>(wait.count(), 0, std::numeric_limits<int>::max());
    m_timer.start(static_cast<int>(waitMs), Qt::PreciseTimer, this);
}

void JobTimers::timerEvent(QTimerEvent* event)
{
    if (event->timerId() != m_timer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_timer.stop();
    m_firing = true;
    const Clock::time_point now = Clock::now();
    // Callbacks may arm and disarm entries (their own or others'), so the first entry is taken
    // afresh each time round, and its slot is disarmed before the callback runs.
    while (!m_entries.empty() && m_entries.begin()->first <= now) {
        const Entry entry = m_entries.begin()->second;
        entry.slot->m_armed = false;
        m_entries.erase(m_entries.begin());
        entry.client->onTimer(entry.kind);
    }
    m_firing = false;
    rearm();
}

} // namespace coord::server
