#pragma once

#include <QByteArray>

#include <array>
#include <chrono>

namespace coord {

// The states a request passes through (spec §0), each stamped once when first reached.
enum class RequestState
{
    Arrive,
    Scheduled,
    Dispatched,
    FirstToken,
    Finished,  // the answer was complete
    Failed,    // answered with an error (instance failure, bad reply)
    TimedOut,  // answered 408
    Cancelled, // the client went away first
};
inline constexpr int kRequestStateCount = 8;

const char* requestStateName(RequestState state);

// Per-request bookkeeping: id and a steady-clock timestamp per state.
class RequestRecord
{
public:
    using Clock = std::chrono::steady_clock;

    explicit RequestRecord(QByteArray id) : m_id(std::move(id)) { mark(RequestState::Arrive); }

    const QByteArray& id() const { return m_id; }
    // Stamps the state the first time it is reached; later calls keep the first stamp.
    void mark(RequestState state)
    {
        auto& stamp = m_stamps[static_cast<size_t>(state)];
        if (stamp == Clock::time_point{})
            stamp = Clock::now();
    }
    bool reached(RequestState state) const { return m_stamps[static_cast<size_t>(state)] != Clock::time_point{}; }
    Clock::time_point at(RequestState state) const { return m_stamps[static_cast<size_t>(state)]; }
    // Milliseconds from arrival to `state`, or -1 if not reached.
    qint64 msSinceArrival(RequestState state) const
    {
        if (!reached(state))
            return -1;
        return std::chrono::duration_cast<std::chrono::milliseconds>(at(state) - at(RequestState::Arrive)).count();
    }
    bool isTerminal() const
    {
        return reached(RequestState::Finished) || reached(RequestState::Failed) ||
               reached(RequestState::TimedOut) || reached(RequestState::Cancelled);
    }

private:
    QByteArray m_id;
    std::array<Clock::time_point, kRequestStateCount> m_stamps{};
};

} // namespace coord
