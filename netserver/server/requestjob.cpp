#include "requestjob.h"

#include "client/backendclient.h"
#include "dataplane.h"
#include "pd/digsplacer.h"
#include "pd/requestrouter.h"
#include "plainreplies.h"
#include "requestlog.h"
#include "stopinfer.h"

#include "model/servicestate.h"
#include "policies/conversationkey.h"

#include <QTcpSocket>

namespace coord::server {

namespace {

// Hop-by-hop headers and those libcurl derives from the request itself are not forwarded.
bool isForwardedHeader(const QByteArray& name)
{
    static const QByteArray dropped[] = {"host",      "content-length", "connection", "keep-alive", "transfer-encoding",
                                         "te",        "trailer",        "upgrade",    "expect",     "proxy-connection",
                                         "req-id"};
    const QByteArray lower = name.toLower();
    for (const QByteArray& name2 : dropped) {
        if (lower == name2)
            return false;
    }
    return true;
}

} // namespace

QByteArray instanceBaseUrl(const InstanceInfo& instance)
{
    const bool v6 = instance.ip.contains(QLatin1Char(':'));
    const QByteArray host = v6 ? "[" + instance.ip.toLatin1() + "]" : instance.ip.toLatin1();
    return "http://" + host + ":" + QByteArray::number(instance.port);
}

namespace {

// The 500 texts MindIE answers when an instance fails before any byte reached the user.
QByteArray failureMessage(client::TransferOutcome outcome, bool tokenizer)
{
    if (tokenizer)
        return QByteArrayLiteral("Read tokenizer response from mindie-server failed");
    switch (outcome) {
    case client::TransferOutcome::ConnectFailed: return QByteArrayLiteral("Connect to MindIE-Server failed");
    case client::TransferOutcome::SendFailed: return QByteArrayLiteral("Send messges to instance failed");
    default: return QByteArrayLiteral("Read messages from instance failed");
    }
}

qint64 remainingMs(const RequestRecord& record, qint64 timeoutMs)
{
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(RequestRecord::Clock::now() -
                                                                               record.at(RequestState::Arrive));
    return qMax<qint64>(0, timeoutMs - elapsed.count());
}

} // namespace

RequestJob::RequestJob(DataPlane& plane, client::BackendClient& client, http::HttpRequest request,
                       http::ResponseStream response, InferenceRequest parsed, QByteArray requestId)
    : m_plane(plane), m_client(client), m_request(std::move(request)), m_response(std::move(response)),
      m_parsed(std::move(parsed)), m_record(std::move(requestId))
{
    if (m_parsed.hasMessageArray)
        m_conversation = scheduling::ConversationKey::fromMessageDumps(m_parsed.messageDumps);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &RequestJob::onDeadline);
    m_scheduleRetry.setSingleShot(true);
    connect(&m_scheduleRetry, &QTimer::timeout, this, &RequestJob::trySchedule);
    if (QTcpSocket* socket = m_response.socket())
        connect(socket, &QTcpSocket::disconnected, this, &RequestJob::onClientGone);
}

RequestJob::~RequestJob() = default;

void RequestJob::start()
{
    qCDebug(lcRequest).noquote() << "[ReqManage] Request arrived, reqest ID is" << m_record.id()
                                 << flavourName(m_parsed.flavour) << m_request.path;
    if (!m_response.isOpen()) {
        finish(Ending::Cancelled);
        return;
    }
    armDeadline();
    trySchedule();
}

scheduling::ScheduleRequest RequestJob::scheduleRequest() const
{
    scheduling::ScheduleRequest request;
    request.flavour = m_parsed.flavour;
    request.conversation = m_conversation;
    request.tokenEstimate = m_parsed.inputLength;
    request.excluded = m_tried;
    return request;
}

void RequestJob::trySchedule()
{
    if (m_finished)
        return;
    if (m_plane.digs() && !isTokenizer()) {
        submitToDigs();
        return;
    }
    scheduling::Scheduler& scheduler = m_plane.scheduler();
    scheduling::Placement placement =
        isTokenizer() ? scheduler.scheduleTokenizer(m_tried) : scheduler.schedule(scheduleRequest());
    if (placement.ok()) {
        dispatch(std::move(placement));
        return;
    }
    switch (placement.failure) {
    case scheduling::NoPlacementReason::NoInstance:
        answerError(503, "MindIE-MS Coordinator is not ready", Ending::Failure);
        return;
    case scheduling::NoPlacementReason::AllTried:
        answerError(500, failureMessage(client::TransferOutcome::ConnectFailed, isTokenizer()), Ending::Failure);
        return;
    default:
        // Busy, closed or out of KV resources: wait for room until the schedule timeout, backing
        // off so that thousands of waiting requests do not spin on the scheduler's lock.
        m_scheduleRetry.start(m_scheduleBackoffMs);
        m_scheduleBackoffMs = qMin(m_scheduleBackoffMs * 2, 100);
        return;
    }
}

void RequestJob::dispatch(scheduling::Placement placement)
{
    const std::optional<InstanceInfo> instance = m_plane.scheduler().instance(placement.instanceId);
    if (!instance) {
        // Removed between the decision and now: try again elsewhere.
        m_tried.append(placement.instanceId);
        trySchedule();
        return;
    }
    std::optional<InstanceInfo> decode;
    if (placement.decodeId) {
        decode = m_plane.scheduler().instance(*placement.decodeId);
        if (!decode) {
            m_tried.append(placement.instanceId);
            trySchedule();
            return;
        }
    }
    m_record.mark(RequestState::Scheduled);
    m_ticket = std::move(placement.ticket);
    m_instanceUrl = instanceBaseUrl(*instance);
    m_instanceModel = instance->modelName.toUtf8();
    m_backendStatus = 0;
    m_backendChunked = false;
    m_bufferedBody.clear();
    // When P and D are the same server (a flex instance routed to itself) the request is
    // relayed like a mixed one; the PD headers still go along.
    m_pdFlow = decode && instanceBaseUrl(*decode) != m_instanceUrl;
    m_prefillDone = false;
    m_earlyDecodeMessages.clear();
    ++m_dispatches;
    armDeadline();

    client::BackendRequest request;
    request.method = m_request.method;
    request.url = m_instanceUrl + m_request.target;
    for (const auto& [name, value] : m_request.headers) {
        if (isForwardedHeader(name))
            request.headers.append({name, value});
    }
    request.headers.append({QByteArrayLiteral("req-id"), m_record.id()});
    if (decode)
        addPrefillHeaders(request, *decode);
    // Registered before the request leaves, so that no decode message and no removal of the
    // instance can go unnoticed.
    m_plane.requestRouter().add(m_record.id(), placement.instanceId, decode ? decode->id : pd::RequestRouter::kNoDecode,
                                this, [this](const DResultMessage& message) { onDecodeMessage(message); });
    if (m_recomputes > 0)
        request.headers.append({QByteArrayLiteral("is-recompute"), QByteArrayLiteral("true")});
    request.body = m_request.body;
    if (!m_pdFlow)
        request.backpressureSink = m_response.socket(); // a slow reader pauses the instance's stream
    request.onHead = [this](int status, const client::HeaderList& headers) { onBackendHead(status, headers); };
    request.onData = [this](const QByteArray& data) { onBackendData(data); };
    request.onDone = [this](client::TransferOutcome outcome, const QString& detail) {
        onBackendDone(outcome, detail);
    };
    m_transferId = m_client.start(std::move(request));
    m_workOutstanding = true;
    m_record.mark(RequestState::Dispatched);
    qCDebug(lcRequest).noquote() << "ScheduleHandler request ID is" << m_record.id() << ", instance"
                                 << m_instanceUrl;
}

void RequestJob::onBackendHead(int status, const client::HeaderList& headers)
{
    m_backendStatus = status;
    for (const auto& [name, value] : headers) {
        if (name.compare("Content-Type", Qt::CaseInsensitive) == 0)
            m_backendContentType = value;
        else if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0 && value.contains("chunked"))
            m_backendChunked = true;
    }
    // A prefill instance answers in one piece; its reply is read whole (onPrefillReply).
    if (m_backendChunked && !m_pdFlow)
        m_response.beginChunked(status, m_backendContentType);
}

void RequestJob::onBackendData(const QByteArray& data)
{
    if (m_backendChunked && !m_pdFlow) {
        ++m_outputUnits;
        m_response.writeChunk(data);
        if (!m_record.reached(RequestState::FirstToken)) {
            m_record.mark(RequestState::FirstToken);
            armDeadline(); // the first-token limit no longer applies
        }
        return;
    }
    m_bufferedBody += data;
    if (m_bufferedBody.size() > m_plane.settings().bodyLimitBytes) {
        // An instance reply larger than body_limit is refused like a broken one.
        m_client.cancel(m_transferId);
        onBackendDone(client::TransferOutcome::ReadFailed, QStringLiteral("reply exceeds body_limit"));
    }
}

void RequestJob::onBackendDone(client::TransferOutcome outcome, const QString& detail)
{
    if (m_finished)
        return;
    m_transferId = 0;
    if (outcome != client::TransferOutcome::Completed) {
        retryOrFail(outcome, detail);
        return;
    }
    if (m_pdFlow) {
        onPrefillReply();
        return;
    }
    m_workOutstanding = false;
    if (m_backendChunked) {
        m_response.endChunked();
    } else {
        m_outputUnits = static_cast<qint64>(m_bufferedBody.size() / m_plane.settings().stringTokenRate);
        m_response.sendFull(m_backendStatus, m_backendContentType, m_bufferedBody);
    }
    finish(m_backendStatus >= 200 && m_backendStatus < 400 ? Ending::Success : Ending::Failure);
}

void RequestJob::retryOrFail(client::TransferOutcome outcome, const QString& detail)
{
    qCWarning(lcRequest).noquote() << "request" << m_record.id() << "on" << m_instanceUrl
                                   << client::outcomeName(outcome) << detail;
    if (m_response.isStarted()) {
        // Bytes already reached the user: end the stream with the error as its last chunk.
        m_response.writeChunk(failureMessage(outcome, isTokenizer()) + "\r\n");
        m_response.endChunked();
        finish(Ending::Failure);
        return;
    }
    m_tried.append(m_ticket.instanceId());
    m_ticket.release();
    m_workOutstanding = false;
    m_plane.requestRouter().remove(m_record.id());
    if (m_dispatches <= m_plane.settings().maxRetry) {
        trySchedule();
        return;
    }
    answerError(500, failureMessage(outcome, isTokenizer()), Ending::Failure);
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
        m_deadline.stop();
    else
        m_deadline.start(static_cast<int>(qMin<qint64>(next, std::numeric_limits<int>::max())));
}

void RequestJob::onDeadline()
{
    if (m_finished)
        return;
    const DataPlaneSettings& settings = m_plane.settings();
    const auto expired = [&](qint64 timeoutMs) { return timeoutMs > 0 && remainingMs(m_record, timeoutMs) == 0; };
    QByteArray message;
    if (isTokenizer() && expired(settings.tokenizerTimeoutMs))
        message = "Request tokenizer timeout";
    else if (!isTokenizer() && !m_record.reached(RequestState::Scheduled) && expired(settings.scheduleTimeoutMs))
        message = "Request schedule timeout";
    else if (!isTokenizer() && !m_record.reached(RequestState::FirstToken) && expired(settings.firstTokenTimeoutMs))
        message = "Request first token timeout";
    else if (!isTokenizer() && expired(settings.inferTimeoutMs))
        message = "Request inference timeout";
    if (message.isEmpty()) {
        armDeadline(); // a timer fired early, or the state moved on: re-arm for what is left
        return;
    }
    qCInfo(lcRequest).noquote() << "request" << m_record.id() << message;
    stopInstanceWork();
    if (m_response.isStarted()) {
        m_response.writeChunk(message + "\r\n");
        m_response.endChunked();
        finish(Ending::Timeout);
        return;
    }
    answerError(408, message, Ending::Timeout);
}

void RequestJob::onClientGone()
{
    if (m_finished)
        return;
    qCInfo(lcRequest).noquote() << "request" << m_record.id() << "cancelled: the client disconnected";
    stopInstanceWork();
    finish(Ending::Cancelled);
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
        sendStopInfer(m_client, m_decodeUrl, m_decode.modelName.toUtf8(), m_record.id(), settings.maxRetry + 1,
                      settings.httpTimeoutMs);
    }
}

void RequestJob::answerError(int status, const QByteArray& message, Ending ending)
{
    replyText(m_response, status, message.constData());
    finish(ending);
}

void RequestJob::finish(Ending ending)
{
    if (m_finished)
        return;
    m_finished = true;
    m_deadline.stop();
    m_scheduleRetry.stop();
    if (m_transferId != 0) {
        m_client.cancel(m_transferId);
        m_transferId = 0;
    }
    m_ticket.release();
    m_decodeTicket.release();
    releaseDigs();
    m_plane.requestRouter().remove(m_record.id());
    switch (ending) {
    case Ending::Success: m_record.mark(RequestState::Finished); break;
    case Ending::Failure: m_record.mark(RequestState::Failed); break;
    case Ending::Timeout: m_record.mark(RequestState::TimedOut); break;
    case Ending::Cancelled: m_record.mark(RequestState::Cancelled); break;
    }
    // Last line of defence for "exactly one answer": whatever path got here, an unanswered
    // request gets a 500 and a started stream gets its terminator.
    if (ending != Ending::Cancelled && m_response.isOpen()) {
        if (m_response.isStarted())
            m_response.endChunked();
        else
            replyText(m_response, 500, "Request end with exception");
    }
    // coordinator_info's input_len averages this divided by string_token_rate: DIGS's token
    // estimate under DIGS (as MindIE), else the prompt's size in bytes.
    qint64 inputLength = m_parsed.inputIsTokenCount
                             ? static_cast<qint64>(m_parsed.inputLength * m_plane.settings().stringTokenRate)
                             : m_parsed.inputLength;
    if (const pd::DigsPlacer* digs = m_plane.digs(); digs && !isTokenizer())
        inputLength = digs->inputTokens(m_parsed.inputLength, m_parsed.inputIsTokenCount);
    m_plane.release(ending == Ending::Success, inputLength, m_outputUnits);
    qCDebug(lcRequest).noquote() << (ending == Ending::Success ? "Request finished, request id is"
                                                               : "Request end with exception, request id is")
                                 << m_record.id() << "total ms" << m_record.msSinceArrival(RequestState::Finished);
    deleteLater();
}

} // namespace coord::server
