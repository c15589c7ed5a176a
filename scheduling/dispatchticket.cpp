#include "dispatchticket.h"

#include <utility>

namespace coord::scheduling {

DispatchTicket::DispatchTicket(std::weak_ptr<detail::TicketReleaser> releaser, quint64 instanceId,
                               quint64 registrationOrder)
    : m_releaser(std::move(releaser)), m_instanceId(instanceId), m_registrationOrder(registrationOrder),
      m_held(true)
{}

DispatchTicket::~DispatchTicket()
{
    release();
}

DispatchTicket::DispatchTicket(DispatchTicket&& other) noexcept
    : m_releaser(std::move(other.m_releaser)), m_instanceId(other.m_instanceId),
      m_registrationOrder(other.m_registrationOrder), m_held(std::exchange(other.m_held, false))
{}

DispatchTicket& DispatchTicket::operator=(DispatchTicket&& other) noexcept
{
    if (this != &other) {
        release();
        m_releaser = std::move(other.m_releaser);
        m_instanceId = other.m_instanceId;
        m_registrationOrder = other.m_registrationOrder;
        m_held = std::exchange(other.m_held, false);
    }
    return *this;
}

void DispatchTicket::release()
{
    if (!std::exchange(m_held, false))
        return;
    if (const auto releaser = m_releaser.lock())
        releaser->releaseTicket(m_instanceId, m_registrationOrder);
    m_releaser.reset();
}

} // namespace coord::scheduling
