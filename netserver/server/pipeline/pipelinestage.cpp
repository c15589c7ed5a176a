#include "pipelinestage.h"

#include "server/requestjob.h"

namespace coord::server {

void PipelineStage::process(RequestJob* job)
{
    if (job->hasEnded())
        return;
    resume(job, run(*job));
}

void PipelineStage::resume(RequestJob* job, const StageResult& result)
{
    if (job->hasEnded())
        return;
    switch (result.outcome) {
    case StageResult::Outcome::Continue:
        emit passed(job);
        break;
    case StageResult::Outcome::Reject:
        emit rejected(job, result.status, result.message);
        break;
    case StageResult::Outcome::Retry:
        emit retry(job);
        break;
    case StageResult::Outcome::Wait:
        break;
    }
}

} // namespace coord::server
