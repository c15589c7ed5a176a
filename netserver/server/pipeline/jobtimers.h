#pragma once

#include <chrono>
#include <map>

#include <QBasicTimer>
#include <QObject>

namespace coord::server {

// Every time limit of the requests on one worker in one ordered map, behind one timer armed for
// the earliest. A request restarts its limits several times (arrival, dispatch, first token) and
// a worker holds thousands of requests: two QTimer objects per request, each re-registered with
// the event dispatcher on every restart, cost a few percent of the CPU of a small request. Here
// a restart is a map insert and erase, and the dispatcher's timer moves only when the earliest
// limit of the whole worker changes.
//
// Thread affinity: the worker thread; every call and every callback happens there.
class JobTimers : public QObject
{
public:
    using Clock = std::chrono::steady_clock;

    enum class Kind : unsigned char
    {
        Deadline,      // the request's next timeout (schedule, first token, inference, tokenizer)
        ScheduleRetry, // a request waiting for room asks the scheduler again
    };

    // What a due timer calls (the request, RequestJob).
    class Client
    {
    public:
        virtual void onTimer(Kind kind) = 0;

    protected:
        ~Client() = default;
    };

    class Slot;
    struct Entry
    {
        Client* client;
        Slot* slot;
        Kind kind;
    };
    using Map = std::multimap<Clock::time_point, Entry>;

    // A request's handle on one of its timers; default: not armed. It must be disarmed before
    // it is destroyed.
    class Slot
    {
    public:
        bool isArmed() const { return m_armed; }

    private:
        friend class JobTimers;
        Map::iterator m_entry;
        bool m_armed = false;
    };

    explicit JobTimers(QObject* parent = nullptr);

    // (Re)arms `slot` to call client->onTimer(kind) at `when`; an armed slot moves.
    void arm(Slot& slot, Client* client, Kind kind, Clock::time_point when);
    void disarm(Slot& slot);

    qsizetype armedCount() const { return static_cast<qsizetype>(m_entries.size()); }

protected:
    void timerEvent(QTimerEvent* event) override;

private:
    void rearm();

    Map m_entries;
    QBasicTimer m_timer;
    Clock::time_point m_timerDue{};
    bool m_firing = false; // callbacks are running: the timer is re-armed once they are done
};

} // namespace coord::server
