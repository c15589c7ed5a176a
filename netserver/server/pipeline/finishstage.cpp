#include "client/backendclient.h"
#include "jobtimers.h"
#include "pd/digsplacer.h"
#include "pd/requestrouter.h"
#include "server/dataplane.h"
#include "server/plainreplies.h"
#include "server/requestjob.h"
#include "server/requestlog.h"
#include "stages.h"

namespace coord::server {

void FinishStage::reject(RequestJob* job, int status, const QByteArray& message)
{
    if (job->hasEnded())
        return;
    replyText(job->m_response, status, message.constData());
    job->m_ending = RequestJob::Ending::Failure;
    process(job);
}

StageResult FinishStage::run(RequestJob& job)
{
    using Ending = RequestJob::Ending;
    const Ending ending = job.m_ending;
    job.m_ended = true;
    m_timers.disarm(job.m_deadlineSlot);
    m_timers.disarm(job.m_retrySlot);
    job.m_response.unwatchClient(&job);
    if (job.m_transferId != 0) {
        m_client.cancel(job.m_transferId);
        job.m_transferId = 0;
    }
    job.m_ticket.release();
    job.m_decodeTicket.release();
    job.releaseDigs();
    // Last line of defence for "exactly one answer": whatever path got here, an unanswered
    // request gets a 500 and a started stream gets its terminator.
    if (ending != Ending::Cancelled && job.m_response.isOpen()) {
        if (job.m_response.isStarted())
            job.m_response.endChunked();
        else
            replyText(job.m_response, 500, "Request end with exception");
    }
    if (job.m_admitted) {
        m_plane.requestRouter().remove(job.m_record.id());
        switch (ending) {
        case Ending::Success:
            job.m_record.mark(RequestState::Finished);
            break;
        case Ending::Failure:
            job.m_record.mark(RequestState::Failed);
            break;
        case Ending::Timeout:
            job.m_record.mark(RequestState::TimedOut);
            break;
        case Ending::Cancelled:
            job.m_record.mark(RequestState::Cancelled);
            break;
        }
        // coordinator_info's input_len averages this divided by string_token_rate: DIGS's token
        // estimate under DIGS (as MindIE), else the prompt's size in bytes.
        const InferenceRequest& parsed = job.m_parsed;
        qint64 inputLength =
            parsed.inputIsTokenCount
                ? static_cast<qint64>(parsed.inputLength * m_plane.settings().stringTokenRate)
                : parsed.inputLength;
        if (const pd::DigsPlacer* digs = m_plane.digs(); digs && !job.isTokenizer())
            inputLength = digs->inputTokens(parsed.inputLength, parsed.inputIsTokenCount);
        m_plane.release(ending == Ending::Success, inputLength, job.m_outputUnits);
        qCDebug(lcRequest).noquote() << (ending == Ending::Success
                                             ? "Request finished, request id is"
                                             : "Request end with exception, request id is")
                                     << job.m_record.id() << "total ms"
                                     << job.m_record.msSinceArrival(RequestState::Finished);
    }
    emit finished(&job);
    return StageResult::wait(); // the last stage
}

} // namespace coord::server
