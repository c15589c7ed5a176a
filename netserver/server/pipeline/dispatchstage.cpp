#include <QTcpSocket>

#include "client/backendclient.h"
#include "pd/requestrouter.h"
#include "server/dataplane.h"
#include "server/requestjob.h"
#include "server/requestlog.h"
#include "stages.h"

namespace coord::server {

namespace {

// Hop-by-hop headers and those libcurl derives from the request itself are not forwarded.
bool isForwardedHeader(const QByteArray& name)
{
    static const QByteArray dropped[] = {
        "host",    "content-length", "connection",       "keep-alive", "transfer-encoding", "te", "trailer",
        "upgrade", "expect",         "proxy-connection", "req-id"};
    for (const QByteArray& droppedName : dropped) {
        if (name.size() == droppedName.size() && name.compare(droppedName, Qt::CaseInsensitive) == 0)
            return false;
    }
    return true;
}

} // namespace

StageResult DispatchStage::run(RequestJob& job)
{
    scheduling::Placement placement = std::exchange(job.m_placement, {});
    const std::optional<InstanceInfo> instance = m_plane.scheduler().instance(placement.instanceId);
    std::optional<InstanceInfo> decode;
    if (instance && placement.decodeId)
        decode = m_plane.scheduler().instance(*placement.decodeId);
    if (!instance || (placement.decodeId && !decode)) {
        // Removed between the decision and now: try again elsewhere.
        job.m_tried.append(placement.instanceId);
        return StageResult::retry();
    }
    job.m_record.mark(RequestState::Scheduled);
    job.m_ticket = std::move(placement.ticket);
    job.m_instanceUrl = instanceBaseUrl(*instance);
    job.m_instanceModel = instance->modelName.toUtf8();
    job.m_backendStatus = 0;
    job.m_backendChunked = false;
    job.m_bufferedBody.clear();
    // When P and D are the same server (a flex instance routed to itself) the request is
    // relayed like a mixed one; the PD headers still go along.
    job.m_pdFlow = decode && instanceBaseUrl(*decode) != job.m_instanceUrl;
    job.m_prefillDone = false;
    job.m_earlyDecodeMessages.clear();
    ++job.m_dispatches;
    job.armDeadline();

    client::BackendRequest request;
    request.method = job.m_request.method;
    request.url = job.m_instanceUrl + job.m_request.target;
    request.headers.reserve(job.m_request.headers.size() + 5);
    for (const auto& [name, value] : job.m_request.headers) {
        if (isForwardedHeader(name))
            request.headers.append({name, value});
    }
    request.headers.append({QByteArrayLiteral("req-id"), job.m_record.id()});
    if (decode)
        job.addPrefillHeaders(request, *decode);
    // Registered before the request leaves, so that no decode message and no removal of the
    // instance can go unnoticed.
    m_plane.requestRouter().add(job.m_record.id(), placement.instanceId,
                                decode ? decode->id : pd::RequestRouter::kNoDecode, &job,
                                [&job](const DResultMessage& message) { job.onDecodeMessage(message); });
    if (job.m_recomputes > 0)
        request.headers.append({QByteArrayLiteral("is-recompute"), QByteArrayLiteral("true")});
    request.body = job.m_request.body;
    if (!job.m_pdFlow)
        request.backpressureSink = job.m_response.socket(); // a slow reader pauses the instance's stream
    RelayStage& relay = m_relay;
    request.onHead = [&relay, &job](int status, const client::HeaderList& headers) {
        relay.onHead(job, status, headers);
    };
    request.onData = [&relay, &job](const QByteArray& data) { relay.onData(job, data); };
    request.onDone = [&relay, &job](client::TransferOutcome outcome, const QString& detail) {
        relay.onDone(job, outcome, detail);
    };
    job.m_transferId = m_client.start(std::move(request));
    job.m_workOutstanding = true;
    job.m_record.mark(RequestState::Dispatched);
    qCDebug(lcRequest).noquote() << "ScheduleHandler request ID is" << job.m_record.id() << ", instance"
                                 << job.m_instanceUrl;
    return StageResult::next();
}

} // namespace coord::server
