// The first two stages: admission and parsing.
#include "model/servicestate.h"
#include "server/dataplane.h"
#include "server/requestjob.h"
#include "stages.h"

namespace coord::server {

StageResult AdmitStage::run(RequestJob& job)
{
    m_plane.countArrival();
    if (!m_plane.state().clusterAvailable())
        return StageResult::reject(503, QByteArrayLiteral("MindIE-MS Coordinator is not ready"));
    if (!m_plane.tryAdmit())
        return StageResult::reject(429, QByteArrayLiteral("Too many requests"));
    job.m_admitted = true;
    return StageResult::next();
}

StageResult ParseStage::run(RequestJob& job)
{
    ParseResult parsed = parseInferenceRequest(job.m_request.path, job.m_request.body);
    if (!parsed.request)
        return StageResult::reject(parsed.rejection.status, std::move(parsed.rejection.message));
    job.begin(std::move(*parsed.request));
    return job.hasEnded() ? StageResult::wait() : StageResult::next();
}

} // namespace coord::server
