#include "requestrouter.h"

#include <QMetaObject>

#include <algorithm>

namespace coord::pd {

void RequestRouter::add(const QByteArray& requestId, quint64 prefillId, quint64 decodeId, QObject* receiver,
                       Handler handler)
{
    QMutexLocker lock(&m_mutex);
    m_entries.insert(requestId, Entry{prefillId, decodeId, receiver, std::move(handler)});
}

int RequestRouter::failInstance(quint64 id)
{
    QList<std::pair<QByteArray, Entry>> affected;
    {
        QMutexLocker lock(&m_mutex);
        for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
            if (it->prefillId == id || it->decodeId == id)
                affected.append({it.key(), *it});
        }
    }
    const QByteArray payload = QByteArray::number(id);
    for (const auto& [requestId, entry] : affected)
        post(entry, DResultMessage{requestId, kInstanceRemovedKeyword, payload});
    return static_cast<int>(affected.size());
}

bool RequestRouter::hasRoute(quint64 prefillId, quint64 decodeId) const
{
    QMutexLocker lock(&m_mutex);
    return std::any_of(m_entries.cbegin(), m_entries.cend(), [&](const Entry& entry) {
        return entry.prefillId == prefillId && entry.decodeId == decodeId;
    });
}

void RequestRouter::remove(const QByteArray& requestId)
{
    QMutexLocker lock(&m_mutex);
    m_entries.remove(requestId);
}

void RequestRouter::post(const Entry& entry, const DResultMessage& message)
{
    if (!entry.receiver)
        return;
    // The receiver is the context object: if the request ends before the call runs, the call
    // is dropped instead of reaching a deleted object.
    QMetaObject::invokeMethod(
        entry.receiver.data(), [handler = entry.handler, message] { handler(message); }, Qt::QueuedConnection);
}

bool RequestRouter::deliver(const DResultMessage& message)
{
    Entry entry;
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_entries.constFind(message.requestId);
        if (it == m_entries.cend())
            return false;
        entry = *it;
    }
    post(entry, message);
    return true;
}

int RequestRouter::failDecode(quint64 decodeId, const QByteArray& reason)
{
    QList<std::pair<QByteArray, Entry>> affected;
    {
        QMutexLocker lock(&m_mutex);
        for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
            if (it->decodeId == decodeId)
                affected.append({it.key(), *it});
        }
    }
    for (const auto& [requestId, entry] : affected)
        post(entry, DResultMessage{requestId, kLinkLostKeyword, reason});
    return static_cast<int>(affected.size());
}

int RequestRouter::size() const
{
    QMutexLocker lock(&m_mutex);
    return static_cast<int>(m_entries.size());
}

} // namespace coord::pd
