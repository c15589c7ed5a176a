#pragma once

#include <atomic>

#include <QtGlobal>

namespace coord {

// Monotonic time in milliseconds, injected wherever logic depends on elapsed time so that tests
// can move time by hand instead of sleeping. Implementations must be callable from any thread.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual qint64 nowMs() const = 0;
};

// The real steady clock (std::chrono::steady_clock); never jumps with wall-clock changes.
class SteadyClock final : public Clock
{
public:
    qint64 nowMs() const override;
    // One shared instance for production wiring; it has no state.
    static const SteadyClock& instance();
};

// A clock that only moves when told to. Thread-safe so a test may advance it while
// another thread reads it.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(qint64 startMs = 0) : m_nowMs(startMs) {}
    qint64 nowMs() const override { return m_nowMs.load(); }
    void advanceMs(qint64 deltaMs) { m_nowMs.fetch_add(deltaMs); }
    void setNowMs(qint64 nowMs) { m_nowMs.store(nowMs); }

private:
    std::atomic<qint64> m_nowMs;
};

} // namespace coord
