#pragma once

#include "request/dresultparser.h"

#include <QHash>
#include <QMutex>
#include <QPointer>

#include <functional>

namespace coord::pd {

// The registry of dispatched requests: which instances each one is on, and how to reach it.
// It delivers /dresult messages to the request they belong to, and tells requests when their
// instance is removed or their decode link is lost, so that they can be answered at once.
// Links and registry changes run on the control thread while each request lives on its worker
// thread, so a message is handed over with a queued call into the request's thread; a request
// that has ended is simply not found.
//
// Thread affinity: any thread (one short lock per call).
class RequestRouter
{
public:
    using Handler = std::function<void(const DResultMessage&)>;

    // Keyword of the message a request receives when its decode instance is lost for good.
    static constexpr const char* kLinkLostKeyword = "linkLost";
    // Keyword of the message a request receives when one of its instances left the registry;
    // the payload is that instance's id in decimal.
    static constexpr const char* kInstanceRemovedKeyword = "instanceRemoved";
    // decodeId of a request that has no decode instance (single node, tokenizer).
    static constexpr quint64 kNoDecode = ~quint64(0);

    void add(const QByteArray& requestId, quint64 prefillId, quint64 decodeId, QObject* receiver, Handler handler);
    void remove(const QByteArray& requestId);
    // False when no live request has this id (a late message for an ended request).
    bool deliver(const DResultMessage& message);
    // Tells every request routed to `decodeId` that its decode instance is gone.
    int failDecode(quint64 decodeId, const QByteArray& reason);
    // Tells every request on instance `id` (as P, mixed or D) that the instance was removed.
    int failInstance(quint64 id);
    // Whether a live request went through this P-D pair (query_tasks during a role change).
    bool hasRoute(quint64 prefillId, quint64 decodeId) const;
    int size() const;

private:
    struct Entry
    {
        quint64 prefillId = 0;
        quint64 decodeId = 0;
        QPointer<QObject> receiver;
        Handler handler;
    };
    static void post(const Entry& entry, const DResultMessage& message);

    mutable QMutex m_mutex;
    QHash<QByteArray, Entry> m_entries;
};

} // namespace coord::pd
