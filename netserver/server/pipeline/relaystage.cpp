#include "client/backendclient.h"
#include "pd/requestrouter.h"
#include "server/dataplane.h"
#include "server/requestjob.h"
#include "server/requestlog.h"
#include "stages.h"

namespace coord::server {

QByteArray instanceFailureText(client::TransferOutcome outcome, bool tokenizer)
{
    if (tokenizer)
        return QByteArrayLiteral("Read tokenizer response from mindie-server failed");
    switch (outcome) {
    case client::TransferOutcome::ConnectFailed:
        return QByteArrayLiteral("Connect to MindIE-Server failed");
    case client::TransferOutcome::SendFailed:
        return QByteArrayLiteral("Send messges to instance failed");
    default:
        return QByteArrayLiteral("Read messages from instance failed");
    }
}

StageResult RelayStage::run(RequestJob&)
{
    // The instance's answer drives the rest through onHead/onData/onDone.
    return StageResult::wait();
}

void RelayStage::onHead(RequestJob& job, int status, const client::HeaderList& headers)
{
    job.m_backendStatus = status;
    for (const auto& [name, value] : headers) {
        if (name.compare("Content-Type", Qt::CaseInsensitive) == 0)
            job.m_backendContentType = value;
        else if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0 && value.contains("chunked"))
            job.m_backendChunked = true;
    }
    // A prefill instance answers in one piece; its reply is read whole (onPrefillReply).
    if (job.m_backendChunked && !job.m_pdFlow)
        job.m_response.beginChunked(status, job.m_backendContentType);
}

void RelayStage::onData(RequestJob& job, const QByteArray& data)
{
    if (job.m_backendChunked && !job.m_pdFlow) {
        ++job.m_outputUnits;
        job.m_response.writeChunk(data);
        if (!job.m_record.reached(RequestState::FirstToken)) {
            job.m_record.mark(RequestState::FirstToken);
            job.armDeadline(); // the first-token limit no longer applies
        }
        return;
    }
    job.m_bufferedBody += data;
    if (job.m_bufferedBody.size() > m_plane.settings().bodyLimitBytes) {
        // An instance reply larger than body_limit is refused like a broken one.
        m_client.cancel(job.m_transferId);
        onDone(job, client::TransferOutcome::ReadFailed, QStringLiteral("reply exceeds body_limit"));
    }
}

void RelayStage::onDone(RequestJob& job, client::TransferOutcome outcome, const QString& detail)
{
    if (job.hasEnded())
        return;
    job.m_transferId = 0;
    if (outcome != client::TransferOutcome::Completed) {
        retryOrFail(job, outcome, detail);
        return;
    }
    if (job.m_pdFlow) {
        job.onPrefillReply();
        return;
    }
    job.m_workOutstanding = false;
    if (job.m_backendChunked) {
        job.m_response.endChunked();
    } else {
        job.m_outputUnits =
            static_cast<qint64>(job.m_bufferedBody.size() / m_plane.settings().stringTokenRate);
        job.m_response.sendFull(job.m_backendStatus, job.m_backendContentType, job.m_bufferedBody);
    }
    job.m_ending = job.m_backendStatus >= 200 && job.m_backendStatus < 400 ? RequestJob::Ending::Success
                                                                           : RequestJob::Ending::Failure;
    resume(&job, StageResult::next());
}

void RelayStage::retryOrFail(RequestJob& job, client::TransferOutcome outcome, const QString& detail)
{
    qCWarning(lcRequest).noquote() << "request" << job.m_record.id() << "on" << job.m_instanceUrl
                                   << client::outcomeName(outcome) << detail;
    const QByteArray text = instanceFailureText(outcome, job.isTokenizer());
    if (job.m_response.isStarted()) {
        // Bytes already reached the user: end the stream with the error as its last chunk.
        job.endWithFailureText(text, RequestJob::Ending::Failure);
        return;
    }
    job.m_tried.append(job.m_ticket.instanceId());
    job.m_ticket.release();
    job.m_workOutstanding = false;
    m_plane.requestRouter().remove(job.m_record.id());
    if (job.m_dispatches <= m_plane.settings().maxRetry) {
        resume(&job, StageResult::retry());
        return;
    }
    resume(&job, StageResult::reject(500, text));
}

} // namespace coord::server
