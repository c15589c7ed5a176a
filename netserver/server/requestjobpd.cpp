// The prefill/decode half of RequestJob (spec §3.2, §3.3, §5.3): the prefill leg's headers and
// reply, the decode messages from /dresult, recompute, and a lost decode instance.
#include "dataplane.h"
#include "pd/digsplacer.h"
#include "pd/requestrouter.h"
#include "pipeline/requestpipeline.h"
#include "pipeline/stages.h"
#include "plainreplies.h"
#include "request/prefillreply.h"
#include "requestjob.h"
#include "requestlog.h"

namespace coord::server {

namespace {
const QByteArray kEventStream = QByteArrayLiteral("text/event-stream");
const QByteArray kJson = QByteArrayLiteral("application/json");
} // namespace

void RequestJob::addPrefillHeaders(client::BackendRequest& request, const InstanceInfo& decode)
{
    m_decode = decode;
    m_decodeUrl = instanceBaseUrl(decode);
    QByteArray target = decode.ip.toLatin1();
    if (m_plane.settings().mode == ClusterMode::PdSingleContainer && decode.interCommPort != 0)
        target += ';' + QByteArray::number(decode.interCommPort);
    request.headers.append({QByteArrayLiteral("req-type"), QByteArrayLiteral("prefill")});
    request.headers.append({QByteArrayLiteral("d-target"), target});
    request.headers.append({QByteArrayLiteral("d-port"), QByteArray::number(decode.port)});
}

void RequestJob::onPrefillReply()
{
    if (m_backendStatus != 200) {
        // P refused the request: its status and body go to the user as they are.
        m_workOutstanding = false;
        m_response.sendFull(m_backendStatus, QByteArray(), m_bufferedBody);
        end(Ending::Failure);
        return;
    }
    const std::optional<PrefillReply> reply = parsePrefillReply(m_bufferedBody);
    if (!reply) {
        qCWarning(lcRequest).noquote()
            << "request" << m_record.id() << "P instance error: unreadable reply from" << m_instanceUrl;
        stopInstanceWork();
        endWithError(500, "P instance error");
        return;
    }
    // The prefill step ends here: its demand is freed and the task moves from P to D.
    m_prefillDone = true;
    m_ticket.release();
    if (m_digsPending)
        m_plane.digs()->prefillDone(digsKey());
    m_decodeTicket = m_plane.scheduler().acquire(m_decode.id);
    m_record.mark(RequestState::FirstToken);
    armDeadline();
    if (reply->isLastResp) {
        ++m_outputUnits;
        m_workOutstanding = false;
        sendFinal(reply->output, m_parsed.stream ? kEventStream : kJson);
        end(Ending::Success);
        return;
    }
    if (m_parsed.stream) {
        ++m_outputUnits;
        m_response.beginChunked(200, kEventStream);
        m_response.writeChunk(reply->output);
    }
    const QList<DResultMessage> early = std::exchange(m_earlyDecodeMessages, {});
    for (const DResultMessage& message : early) {
        if (m_ended)
            return;
        deliverDecodeMessage(message);
    }
}

void RequestJob::sendFinal(const QByteArray& payload, const QByteArray& contentType)
{
    // After a recompute or early data chunks the answer may already be a started stream.
    if (m_response.isStarted()) {
        m_response.writeChunk(payload);
        m_response.endChunked();
    } else {
        m_response.sendFull(200, contentType, payload);
    }
}

void RequestJob::onDecodeMessage(const DResultMessage& message)
{
    if (m_ended)
        return;
    if (message.keyword == pd::RequestRouter::kLinkLostKeyword) {
        failDecodeLeg("Decode instance connection lost");
        return;
    }
    if (message.keyword == pd::RequestRouter::kInstanceRemovedKeyword) {
        onInstanceRemoved(message.payload.toULongLong());
        return;
    }
    if (!m_pdFlow)
        return;
    if (!m_prefillDone) {
        // D can be faster than P's reply reaching us; keep the order the user must see.
        m_earlyDecodeMessages.append(message);
        return;
    }
    deliverDecodeMessage(message);
}

void RequestJob::deliverDecodeMessage(const DResultMessage& message)
{
    const QByteArray& keyword = message.keyword;
    const QByteArray contentType = m_parsed.stream ? kEventStream : kJson;
    if (keyword == "data") {
        ++m_outputUnits;
        if (!m_response.isStarted())
            m_response.beginChunked(200, contentType);
        m_response.writeChunk(message.payload);
    } else if (keyword == "lastData" || keyword == "error") {
        ++m_outputUnits;
        m_workOutstanding = false;
        sendFinal(message.payload, contentType);
        end(keyword == "lastData" ? Ending::Success : Ending::Failure);
    } else if (keyword == "retry") {
        recompute(message.payload);
    } else {
        qCDebug(lcRequest).noquote() << "request" << m_record.id() << "ignores /dresult keyword" << keyword;
    }
}

void RequestJob::recompute(const QByteArray& body)
{
    // D lost the KV cache: the request starts over from the prefill step, possibly on another
    // pair, with the body D sent. Tokens already streamed are not taken back (as in MindIE).
    m_plane.requestRouter().remove(m_record.id());
    m_decodeTicket.release();
    m_ticket.release();
    m_workOutstanding = false;
    if (++m_recomputes > m_plane.settings().maxRetry) {
        failDecodeLeg("Request retry failed");
        return;
    }
    qCInfo(lcRequest).noquote() << "request" << m_record.id() << "recompute" << m_recomputes;
    m_request.body = body;
    m_prefillDone = false;
    emit m_pipeline.scheduleAgain(this);
}

void RequestJob::onInstanceRemoved(quint64 instanceId)
{
    if (m_pdFlow && instanceId == m_decode.id) {
        failDecodeLeg("Decode instance removed from the cluster");
        return;
    }
    // Only the instance still working on the request matters: once prefill is done, P is not.
    if (!m_workOutstanding || instanceId != m_ticket.instanceId() || (m_pdFlow && m_prefillDone))
        return;
    qCWarning(lcRequest).noquote() << "request" << m_record.id() << ": instance" << m_instanceUrl
                                   << "was removed from the cluster";
    // The instance may still be running it: tell it to stop, then place the request again
    // elsewhere if nothing has reached the user yet.
    stopInstanceWork();
    m_pipeline.relay().retryOrFail(*this, client::TransferOutcome::ReadFailed,
                                   QStringLiteral("instance removed from the cluster"));
}

quint64 RequestJob::digsKey() const
{
    return m_record.id().toULongLong();
}

void RequestJob::onDigsPlaced(quint64 prefillId, quint64 decodeId)
{
    if (m_ended)
        return;
    m_placement = {};
    m_placement.failure = scheduling::NoPlacementReason::None;
    m_placement.instanceId = prefillId;
    m_placement.decodeId = decodeId;
    m_placement.ticket = m_plane.scheduler().acquire(prefillId);
    emit m_pipeline.placed(this);
}

void RequestJob::releaseDigs()
{
    if (!m_digsPending)
        return;
    m_digsPending = false;
    m_plane.digs()->finished(digsKey());
}

void RequestJob::failDecodeLeg(const QByteArray& message)
{
    qCWarning(lcRequest).noquote() << "request" << m_record.id() << message << "(decode" << m_decodeUrl
                                   << ")";
    stopInstanceWork();
    endWithFailureText(message, Ending::Failure);
}

} // namespace coord::server
