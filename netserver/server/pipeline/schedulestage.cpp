#include "jobtimers.h"
#include "pd/digsplacer.h"
#include "server/dataplane.h"
#include "server/requestjob.h"
#include "stages.h"

namespace coord::server {

namespace {
constexpr int kMaxScheduleBackoffMs = 100;
}

StageResult ScheduleStage::run(RequestJob& job)
{
    if (m_plane.digs() && !job.isTokenizer())
        return submitToDigs(job);
    scheduling::Scheduler& scheduler = m_plane.scheduler();
    scheduling::Placement placement;
    if (job.isTokenizer()) {
        placement = scheduler.scheduleTokenizer(job.m_tried);
    } else {
        scheduling::ScheduleRequest request;
        request.flavour = job.m_parsed.flavour;
        request.conversation = job.m_conversation;
        request.tokenEstimate = job.m_parsed.inputLength;
        request.excluded = job.m_tried;
        placement = scheduler.schedule(request);
    }
    if (placement.ok()) {
        job.m_placement = std::move(placement);
        return StageResult::next();
    }
    switch (placement.failure) {
    case scheduling::NoPlacementReason::NoInstance:
        return StageResult::reject(503, QByteArrayLiteral("MindIE-MS Coordinator is not ready"));
    case scheduling::NoPlacementReason::AllTried:
        return StageResult::reject(
            500, instanceFailureText(client::TransferOutcome::ConnectFailed, job.isTokenizer()));
    default:
        // Busy, closed or out of KV resources: wait for room until the schedule timeout, backing
        // off so that thousands of waiting requests do not spin on the scheduler's lock.
        m_timers.arm(job.m_retrySlot, &job, JobTimers::Kind::ScheduleRetry,
                     JobTimers::Clock::now() + std::chrono::milliseconds(job.m_scheduleBackoffMs));
        job.m_scheduleBackoffMs = qMin(job.m_scheduleBackoffMs * 2, kMaxScheduleBackoffMs);
        return StageResult::wait();
    }
}

StageResult ScheduleStage::submitToDigs(RequestJob& job)
{
    // A request placed again (retry, recompute) first gives back the pair it held.
    job.releaseDigs();
    scheduling::digs::PendingRequest pending;
    pending.requestKey = job.digsKey();
    pending.inputLength = job.m_parsed.inputLength;
    pending.inputIsTokenCount = job.m_parsed.inputIsTokenCount;
    pending.flavour = job.m_parsed.flavour;
    pending.excludedPrefill = job.m_tried;
    job.m_digsPending = true;
    // DIGS decides in the control thread's rounds; the answer comes back as a queued call.
    m_plane.digs()->submit(pending, &job, [&job](quint64 prefillId, quint64 decodeId) {
        job.onDigsPlaced(prefillId, decodeId);
    });
    return StageResult::wait();
}

void ScheduleStage::onPlaced(RequestJob* job)
{
    resume(job, StageResult::next());
}

} // namespace coord::server
