#include "requestjob.h"

#include "client/backendclient.h"
#include "dataplane.h"
#include "pd/digsplacer.h"
#include "pd/requestrouter.h"
#include "pipeline/requestpipeline.h"
#include "plainreplies.h"
#include "policies/conversationkey.h"
#include "requestlog.h"
#include "stopinfer.h"

namespace coord::server {

QByteArray instanceBaseUrl(const InstanceInfo& instance)
{
    const bool v6 = instance.ip.contains(QLatin1Char(':'));
    const QByteArray host = v6 ? "[" + instance.ip.toLatin1() + "]" : instance.ip.toLatin1();
    return "http://" + host + ":" + QByteArray::number(instance.port);
}

namespace {

qint64 remainingMs(const RequestRecord& record, qint64 timeoutMs)
{
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        RequestRecord::Clock::now() - record.at(RequestState::Arrive));
    return qMax<qint64>(0, timeoutMs - elapsed.count());
}

} // namespace

RequestJob::RequestJob(RequestPipeline& pipeline, http::HttpRequest request, http::ResponseStream response,
                       QByteArray requestId)
    : m_pipeline(pipeline), m_plane(pipeline.plane()), m_client(pipeline.client()),
      m_request(std::move(request)), m_response(std::move(response)), m_record(std::move(requestId))
{}

RequestJob::~RequestJob()
{
    if (m_ended)
        return;
    // Still live at shutdown: nothing may call back into a deleted job.
    m_pipeline.timers().disarm(m_deadlineSlot);
    m_pipeline.timers().disarm(m_retrySlot);
    m_response.unwatchClient(this);
    if (m_transferId != 0)
        m_client.cancel(m_transferId);
    if (m_admitted)
        m_plane.requestRouter().remove(m_record.id());
    releaseDigs();
}

void RequestJob::onTimer(JobTimers::Kind kind)
{
    if (m_ended)
        return;
    if (kind == JobTimers::Kind::Deadline)
        onDeadline();
    else
        emit m_pipeline.scheduleAgain(this);
}

void RequestJob::begin(InferenceRequest parsed)
{
    m_parsed = std::move(parsed);
    if (m_parsed.hasMessageArray)
        m_conversation = scheduling::ConversationKey::fromMessageDumps(m_parsed.messageDumps);
    qCDebug(lcRequest).noquote() << "[ReqManage] Request arrived, reqest ID is" << m_record.id()
                                 << flavourName(m_parsed.flavour) << m_request.path;
    if (!m_response.isOpen()) {
        end(Ending::Cancelled);
        return;
    }
    m_response.watchClient(this, [this] { onClientGone(); });
    armDeadline();
}

void RequestJob::armDeadline()
{
    const DataPlaneSettings& settings = m_plane.settings();
    qint64 next = -1;
    const auto consider = [&](qint64 timeoutMs) {
        if (timeoutMs > 0) {
            const qint64 left = remainingMs(m_record, timeoutMs);
            next = next < 0 ? left : qMin(next, left);
        }
    };
    if (isTokenizer()) {
        consider(settings.tokenizerTimeoutMs);
    } else {
        if (!m_record.reached(RequestState::Scheduled))
            consider(settings.scheduleTimeoutMs);
        else if (!m_record.reached(RequestState::FirstToken))
            consider(settings.firstTokenTimeoutMs);
        consider(settings.inferTimeoutMs);
    }
    if (next < 0)
        m_pipeline.timers().disarm(m_deadlineSlot);
    else
        m_pipeline.timers().arm(m_deadlineSlot, this, JobTimers::Kind::Deadline,
                                JobTimers::Clock::now() + std::chrono::milliseconds(next));
}

void RequestJob::onDeadline()
{
    const DataPlaneSettings& settings = m_plane.settings();
    const auto expired = [&](qint64 timeoutMs) {
        return timeoutMs > 0 && remainingMs(m_record, timeoutMs) == 0;
    };
    QByteArray message;
    if (isTokenizer() && expired(settings.tokenizerTimeoutMs))
        message = "Request tokenizer timeout";
    else if (!isTokenizer() && !m_record.reached(RequestState::Scheduled) &&
             expired(settings.scheduleTimeoutMs))
        message = "Request schedule timeout";
    else if (!isTokenizer() && !m_record.reached(RequestState::FirstToken) &&
             expired(settings.firstTokenTimeoutMs))
        message = "Request first token timeout";
    else if (!isTokenizer() && expired(settings.inferTimeoutMs))
        message = "Request inference timeout";
    if (message.isEmpty()) {
        armDeadline(); // the state moved on since the limit was armed: re-arm for what is left
        return;
    }
    qCInfo(lcRequest).noquote() << "request" << m_record.id() << message;
    stopInstanceWork();
    if (m_response.isStarted()) {
        m_response.writeChunk(message + "\r\n");
        m_response.endChunked();
        end(Ending::Timeout);
        return;
    }
    endWithError(408, message, Ending::Timeout);
}

void RequestJob::onClientGone()
{
    if (m_ended)
        return;
    qCInfo(lcRequest).noquote() << "request" << m_record.id() << "cancelled: the client disconnected";
    stopInstanceWork();
    end(Ending::Cancelled);
}

void RequestJob::stopInstanceWork()
{
    if (m_transferId != 0) {
        m_client.cancel(m_transferId);
        m_transferId = 0;
    }
    if (!m_workOutstanding)
        return;
    m_workOutstanding = false;
    // MindIE tells P, then D (or the one mixed instance) to drop the request.
    const DataPlaneSettings& settings = m_plane.settings();
    sendStopInfer(m_client, m_instanceUrl, m_instanceModel, m_record.id(), settings.maxRetry + 1,
                  settings.httpTimeoutMs);
    if (m_pdFlow) {
        sendStopInfer(m_client, m_decodeUrl, m_decode.modelName.toUtf8(), m_record.id(),
                      settings.maxRetry + 1, settings.httpTimeoutMs);
    }
}

void RequestJob::end(Ending ending)
{
    if (m_ended)
        return;
    m_ending = ending;
    emit m_pipeline.ended(this);
}

void RequestJob::endWithError(int status, const QByteArray& message, Ending ending)
{
    if (m_ended)
        return;
    replyText(m_response, status, message.constData());
    end(ending);
}

void RequestJob::endWithFailureText(const QByteArray& message, Ending ending)
{
    if (m_response.isStarted()) {
        m_response.writeChunk(message + "\r\n");
        m_response.endChunked();
        end(ending);
        return;
    }
    endWithError(500, message, ending);
}

} // namespace coord::server
