#pragma once

#include <memory>

#include <QtGlobal>

namespace coord::scheduling {

namespace detail {
// Whoever counts in-flight work; the Scheduler's shared state implements it.
class TicketReleaser
{
public:
    virtual ~TicketReleaser() = default;
    virtual void releaseTicket(quint64 instanceId, quint64 registrationOrder) = 0;
};
} // namespace detail

// One unit of in-flight work on one instance. The scheduler hands it out already counted; it
// is released exactly once, by release() or by the destructor, whichever comes first. Move-only,
// so the count cannot be released twice. Releasing after the instance was removed (or removed
// and re-added under the same id), or after the Scheduler is gone, does nothing.
//
// Thread affinity: owned by one thread at a time (the worker handling the request); release()
// takes the scheduler's lock briefly.
class DispatchTicket
{
public:
    DispatchTicket() = default;
    DispatchTicket(std::weak_ptr<detail::TicketReleaser> releaser, quint64 instanceId,
                   quint64 registrationOrder);
    ~DispatchTicket();

    DispatchTicket(DispatchTicket&& other) noexcept;
    DispatchTicket& operator=(DispatchTicket&& other) noexcept;
    DispatchTicket(const DispatchTicket&) = delete;
    DispatchTicket& operator=(const DispatchTicket&) = delete;

    // True until released (or when default-constructed: false).
    bool isHeld() const { return m_held; }
    quint64 instanceId() const { return m_instanceId; }
    void release();

private:
    std::weak_ptr<detail::TicketReleaser> m_releaser;
    quint64 m_instanceId = 0;
    quint64 m_registrationOrder = 0;
    bool m_held = false;
};

} // namespace coord::scheduling
