#pragma once

#include <map>
#include <memory>

#include <QObject>
#include <QPointer>
#include <QTimer>

#include "apirequest.h"
#include "generationstate.h"
#include "httpconnection.h"

namespace mindiesim {

class SimInstance;

// What a prefill instance passes to its decode instance (in a real cluster: the KV cache).
struct Handoff
{
    QByteArray reqId;
    ApiRequest request;
    QByteArray rawBody; // the user's body, returned in "retry:" so the coordinator can recompute
    QByteArray responseId;
    qint64 created = 0;
    double prefillMs = 0;
};

// The decode side of a D instance: holds the coordinator's long-lived GET /dresult streams and
// writes one chunk per message, "reqId:<id>\0<keyword>:<payload>\0" with keyword data, lastData,
// error or retry, plus "ka:\0" heartbeats (spec §3.3). Messages produced while no stream is open
// are kept and flushed to the next one.
class DecodeChannel : public QObject
{
    Q_OBJECT
public:
    explicit DecodeChannel(SimInstance* instance);
    ~DecodeChannel() override;

    void attachLink(HttpConnection* connection);
    void acceptHandoff(const Handoff& handoff);
    void dropLinks();
    void shutDown();
    int linkCount() const;
    int taskCount() const { return int(m_tasks.size()); }

private:
    struct Task
    {
        explicit Task(const Handoff& handoff);
        GenerationState state;
        quint64 jobId = 0;
        bool failMidStream = false;
    };

    void onToken(const QByteArray& reqId, int index, bool last);
    void finishTask(const QByteArray& reqId, bool success);
    void send(const QByteArray& reqId, const char* keyword, const QByteArray& payload);
    void writeToLinks(const QByteArray& chunk);
    void heartbeat();
    bool takeFault(int& next, int every) const;
    QByteArray errorPayload(const Task& task) const;

    SimInstance* m_instance;
    QList<QPointer<HttpConnection>> m_links;
    QList<QByteArray> m_backlog;
    std::map<QByteArray, std::unique_ptr<Task>> m_tasks;
    QTimer m_heartbeat;
    quint64 m_handoffs = 0;
    int m_messagesSinceDrop = 0;
};

} // namespace mindiesim
