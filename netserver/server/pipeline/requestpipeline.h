#pragma once

#include <QObject>

#include "http/httprequest.h"
#include "http/responsestream.h"
#include "jobtimers.h"
#include "stages.h"

namespace coord::client {
class BackendClient;
}

namespace coord::server {

class DataPlane;
class RequestJob;

// One worker's request pipeline: the stages, created once and wired here with direct
// signal/slot connections (every stage and every request of a worker live on its thread):
//
//   submitted -> admit -> parse -> schedule -> dispatch -> relay -> finish
//                  |        |        |  ^        |          |  |      ^
//                  +--------+--------+--|--------+----------+--|------+  rejected: answered there
//                                       +---- retry -----------+         (another instance)
//
// A stage that cannot decide at once (no room yet, DIGS placement pending, the instance still
// answering) keeps the request and resumes it later; endings outside that order (timeouts,
// the client leaving, the decode leg) reach the finish stage through `ended`. The finish
// stage runs once per request and emits `finished`, after which the job is deleted.
//
// Thread affinity: the worker thread.
class RequestPipeline : public QObject
{
    Q_OBJECT
public:
    RequestPipeline(DataPlane& plane, client::BackendClient& client, QObject* parent = nullptr);
    ~RequestPipeline() override;

    // Entry point of the inference routes.
    void submit(const http::HttpRequest& request, http::ResponseStream response);

    DataPlane& plane() { return m_plane; }
    client::BackendClient& client() { return m_client; }
    JobTimers& timers() { return m_timers; }
    RelayStage& relay() { return m_relay; }
    qsizetype liveJobs() const { return m_liveCount; }

signals:
    void submitted(coord::server::RequestJob* job);
    // A waiting request asks the scheduler again (its retry timer fired).
    void scheduleAgain(coord::server::RequestJob* job);
    // DIGS placed a waiting request; its placement is in the job.
    void placed(coord::server::RequestJob* job);
    // The request ended outside the stages' order; its ending is in the job.
    void ended(coord::server::RequestJob* job);

private:
    void onFinished(RequestJob* job);

    DataPlane& m_plane;
    client::BackendClient& m_client;
    JobTimers m_timers;
    AdmitStage m_admit;
    ParseStage m_parse;
    ScheduleStage m_schedule;
    RelayStage m_relay; // before the dispatch stage, which hands it each dispatched request
    DispatchStage m_dispatch;
    FinishStage m_finish;
    RequestJob* m_firstLive = nullptr;
    qsizetype m_liveCount = 0;
};

} // namespace coord::server
