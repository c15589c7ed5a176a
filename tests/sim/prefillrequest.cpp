#include "prefillrequest.h"

#include <QDateTime>

#include "decodechannel.h"
#include "simcluster.h"
#include "siminstance.h"
#include "simlogging.h"

namespace mindiesim {

PrefillRequest::PrefillRequest(SimInstance* instance, HttpConnection* connection, const ApiRequest& request,
                               const QByteArray& reqId, const HttpRequest& http)
    : QObject(instance), m_instance(instance), m_connection(connection), m_reqId(reqId), m_rawBody(http.body),
      m_state(request, reqId, QDateTime::currentSecsSinceEpoch())
{
    // d-target is "<ip>" or "<ip>;<inter_comm_port>" in single-container deployments.
    m_decodeTarget = http.header("d-target").split(';').value(0);
    m_decodePort = quint16(http.header("d-port").toUInt());
    connect(connection, &HttpConnection::closed, this, &PrefillRequest::onClientGone);
}

PrefillRequest::~PrefillRequest() = default;

void PrefillRequest::start()
{
    const bool needsDecode = m_state.request().maxNewTokens > 1;
    SimInstance* decode =
        m_instance->cluster() ? m_instance->cluster()->findDecode(m_decodeTarget, m_decodePort) : nullptr;
    if (needsDecode && (!decode || !decode->decodeChannel() || decode->isCrashed())) {
        // A real P fails the KV transfer; the coordinator passes our status and body to the user.
        qCWarning(lcSim) << "instance" << m_instance->info().id << "has no decode instance at"
                         << m_decodeTarget << m_decodePort;
        m_instance->metrics().requestFailed();
        if (m_connection)
            m_connection->respond(500, "application/json",
                                  responseformat::errorBody(m_state.request().flavour, 500,
                                                            "decode instance " + m_decodeTarget + ':' +
                                                                QByteArray::number(m_decodePort) +
                                                                " unreachable"));
        m_finished = true;
        deleteLater();
        return;
    }
    JobSpec spec;
    spec.promptTokens = m_state.request().promptTokens;
    spec.firstIndex = 0;
    spec.endIndex = 1;
    spec.runPrefill = true;
    JobEvents events;
    events.onToken = [this](int, bool) { onFirstToken(); };
    m_jobId = m_instance->engine().submit(spec, events);
    m_instance->registerActive(m_reqId, [this] { stop(); });
}

void PrefillRequest::reply(bool isLastResp, const QByteArray& output)
{
    if (!m_connection)
        return;
    const QByteArray body = "{\"reqId\":" + responseformat::jsonString(QString::fromUtf8(m_reqId)) +
                            ",\"isStream\":" + (m_state.request().stream ? "true" : "false") +
                            ",\"isLastResp\":" + (isLastResp ? "true" : "false") +
                            ",\"output\":" + responseformat::jsonString(QString::fromUtf8(output)) + "}";
    const QList<QPair<QByteArray, QByteArray>> headers = {
        {"x-sim-cached-tokens", QByteArray::number(m_instance->engine().cachedTokens(m_jobId))}};
    m_connection->respond(200, "application/json", body, headers);
}

void PrefillRequest::onFirstToken()
{
    if (m_finished)
        return;
    const tokenmodel::OutputToken token = m_state.append(0);
    const bool onlyToken = m_state.request().maxNewTokens <= 1;
    if (m_state.request().stream)
        reply(onlyToken, m_state.streamEvent(token, 0, onlyToken));
    else
        reply(onlyToken, onlyToken ? m_state.fullBody() : QByteArray());
    if (!onlyToken) {
        SimInstance* decode = m_instance->cluster()->findDecode(m_decodeTarget, m_decodePort);
        if (decode && decode->decodeChannel()) {
            Handoff handoff;
            handoff.reqId = m_reqId;
            handoff.request = m_state.request();
            handoff.rawBody = m_rawBody;
            handoff.responseId = m_state.context().responseId;
            handoff.created = m_state.context().created;
            handoff.prefillMs = m_state.context().prefillMs;
            decode->decodeChannel()->acceptHandoff(handoff);
        }
    }
    m_instance->metrics().requestSucceeded(int(m_state.request().promptTokens.size()), 1,
                                           m_state.ttftSeconds(), m_state.secondsSinceStart());
    finish();
}

void PrefillRequest::stop()
{
    if (m_finished)
        return;
    m_instance->engine().cancel(m_jobId);
    reply(true, QByteArray());
    m_instance->metrics().requestFailed();
    finish();
}

void PrefillRequest::onClientGone()
{
    m_connection.clear();
    if (m_finished)
        return;
    m_instance->engine().cancel(m_jobId);
    m_instance->metrics().requestFailed();
    finish();
}

void PrefillRequest::finish()
{
    m_finished = true;
    m_instance->unregisterActive(m_reqId);
    deleteLater();
}

} // namespace mindiesim
