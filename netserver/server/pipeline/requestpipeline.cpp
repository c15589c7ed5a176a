#include "requestpipeline.h"

#include "server/dataplane.h"
#include "server/requestjob.h"

namespace coord::server {

RequestPipeline::RequestPipeline(DataPlane& plane, client::BackendClient& client, QObject* parent)
    : QObject(parent), m_plane(plane), m_client(client), m_timers(this), m_admit(plane),
      m_schedule(plane, m_timers), m_relay(plane, client), m_dispatch(plane, client, m_relay),
      m_finish(plane, client, m_timers)
{
    // Every connection is direct: stages and requests share the worker thread, and a request
    // moves from stage to stage within one call chain unless a stage makes it wait.
    constexpr auto direct = Qt::DirectConnection;
    connect(this, &RequestPipeline::submitted, &m_admit, &PipelineStage::process, direct);
    connect(&m_admit, &PipelineStage::passed, &m_parse, &PipelineStage::process, direct);
    connect(&m_parse, &PipelineStage::passed, &m_schedule, &PipelineStage::process, direct);
    connect(&m_schedule, &PipelineStage::passed, &m_dispatch, &PipelineStage::process, direct);
    connect(&m_dispatch, &PipelineStage::passed, &m_relay, &PipelineStage::process, direct);
    connect(&m_relay, &PipelineStage::passed, &m_finish, &PipelineStage::process, direct);

    connect(&m_dispatch, &PipelineStage::retry, &m_schedule, &PipelineStage::process, direct);
    connect(&m_relay, &PipelineStage::retry, &m_schedule, &PipelineStage::process, direct);
    connect(this, &RequestPipeline::scheduleAgain, &m_schedule, &PipelineStage::process, direct);
    connect(this, &RequestPipeline::placed, &m_schedule, &ScheduleStage::onPlaced, direct);

    for (PipelineStage* stage :
         std::initializer_list<PipelineStage*>{&m_admit, &m_parse, &m_schedule, &m_dispatch, &m_relay}) {
        connect(stage, &PipelineStage::rejected, &m_finish, &FinishStage::reject, direct);
    }
    connect(this, &RequestPipeline::ended, &m_finish, &PipelineStage::process, direct);
    connect(&m_finish, &FinishStage::finished, this, &RequestPipeline::onFinished, direct);
}

RequestPipeline::~RequestPipeline()
{
    // Requests still live at shutdown go before the stages and the timers they refer to.
    while (m_firstLive) {
        RequestJob* job = m_firstLive;
        m_firstLive = job->m_nextLive;
        delete job;
    }
}

void RequestPipeline::submit(const http::HttpRequest& request, http::ResponseStream response)
{
    auto* job = new RequestJob(*this, request, std::move(response), m_plane.newRequestId());
    job->m_nextLive = m_firstLive;
    if (m_firstLive)
        m_firstLive->m_previousLive = job;
    m_firstLive = job;
    ++m_liveCount;
    emit submitted(job);
}

void RequestPipeline::onFinished(RequestJob* job)
{
    if (job->m_previousLive)
        job->m_previousLive->m_nextLive = job->m_nextLive;
    else
        m_firstLive = job->m_nextLive;
    if (job->m_nextLive)
        job->m_nextLive->m_previousLive = job->m_previousLive;
    job->m_previousLive = job->m_nextLive = nullptr;
    --m_liveCount;
    // Deferred: the call chain that ended the job (a backend callback, a timer) still runs
    // through it.
    job->deleteLater();
}

} // namespace coord::server
