#include "singlerequest.h"

#include <QDateTime>

#include "siminstance.h"

namespace mindiesim {

SingleRequest::SingleRequest(SimInstance* instance, HttpConnection* connection, const ApiRequest& request,
                             const QByteArray& reqId)
    : QObject(instance), m_instance(instance), m_connection(connection), m_reqId(reqId),
      m_state(request, reqId, QDateTime::currentSecsSinceEpoch())
{
    connect(connection, &HttpConnection::closed, this, &SingleRequest::onClientGone);
}

SingleRequest::~SingleRequest() = default;

void SingleRequest::start()
{
    JobSpec spec;
    spec.promptTokens = m_state.request().promptTokens;
    spec.firstIndex = 0;
    spec.endIndex = m_state.request().maxNewTokens;
    spec.runPrefill = true;
    JobEvents events;
    events.onToken = [this](int index, bool last) { onToken(index, last); };
    m_jobId = m_instance->engine().submit(spec, events);
    m_instance->registerActive(m_reqId, [this] { stop(); });
}

QList<QPair<QByteArray, QByteArray>> SingleRequest::simHeaders() const
{
    // Extra headers a coordinator ignores; tests read the prefix-cache effect from them.
    return {{"x-sim-cached-tokens", QByteArray::number(m_instance->engine().cachedTokens(m_jobId))}};
}

void SingleRequest::onToken(int index, bool last)
{
    if (m_finished)
        return;
    const tokenmodel::OutputToken token = m_state.append(index);
    if (index > 0)
        m_instance->metrics().tokenInterval(m_state.lastIntervalSeconds());
    if (m_state.request().stream && m_connection) {
        if (index == 0)
            m_connection->beginChunked(200, "text/event-stream", false, simHeaders());
        m_connection->writeChunk(m_state.streamEvent(token, index, last));
    }
    if (last)
        complete(true);
}

void SingleRequest::complete(bool success)
{
    if (m_finished)
        return;
    m_finished = true;
    m_instance->unregisterActive(m_reqId);
    if (m_connection) {
        if (m_state.request().stream) {
            if (!m_connection->isStreaming())
                m_connection->beginChunked(200, "text/event-stream");
            m_connection->endChunked();
        } else {
            const auto headers = simHeaders();
            m_connection->respond(200, "application/json", m_state.fullBody(), headers);
        }
    }
    if (success)
        m_instance->metrics().requestSucceeded(int(m_state.request().promptTokens.size()),
                                               m_state.generated(), m_state.ttftSeconds(),
                                               m_state.secondsSinceStart());
    else
        m_instance->metrics().requestFailed();
    deleteLater();
}

void SingleRequest::stop()
{
    if (m_finished)
        return;
    m_instance->engine().cancel(m_jobId);
    m_state.setFinishReason(QStringLiteral("abort"));
    complete(false);
}

void SingleRequest::onClientGone()
{
    m_connection.clear();
    if (m_finished)
        return;
    m_instance->engine().cancel(m_jobId);
    m_finished = true;
    m_instance->unregisterActive(m_reqId);
    m_instance->metrics().requestFailed();
    deleteLater();
}

} // namespace mindiesim
