#pragma once

#include "client/backendrequest.h"
#include "pipelinestage.h"

namespace coord::client {
class BackendClient;
}

namespace coord::server {

class DataPlane;
class JobTimers;

// Admission (spec §5.1): 503 while the cluster is not serviceable, 429 beyond max_requests.
class AdmitStage final : public PipelineStage
{
    Q_OBJECT
public:
    explicit AdmitStage(DataPlane& plane) : m_plane(plane) {}

protected:
    StageResult run(RequestJob& job) override;

private:
    DataPlane& m_plane;
};

// Reads flavour, stream flag and scheduling input from the body (spec §1.2); 400 when it
// cannot. A parsed request starts its time limits here.
class ParseStage final : public PipelineStage
{
    Q_OBJECT
public:
    ParseStage() = default;

protected:
    StageResult run(RequestJob& job) override;
};

// Picks the instance (default scheduler) or submits to DIGS and waits for its placement.
// Without room the request waits, asking again with a growing back-off until it fits or its
// schedule timeout answers it.
class ScheduleStage final : public PipelineStage
{
    Q_OBJECT
public:
    ScheduleStage(DataPlane& plane, JobTimers& timers) : m_plane(plane), m_timers(timers) {}

public slots:
    // DIGS placed the request (RequestJob::onDigsPlaced stored the placement).
    void onPlaced(coord::server::RequestJob* job);

protected:
    StageResult run(RequestJob& job) override;

private:
    StageResult submitToDigs(RequestJob& job);

    DataPlane& m_plane;
    JobTimers& m_timers;
};

class RelayStage;

// Sends the request to the placed instance: the user's headers minus hop-by-hop ones, `req-id`,
// and in PD modes the prefill headers naming the decode instance.
class DispatchStage final : public PipelineStage
{
    Q_OBJECT
public:
    DispatchStage(DataPlane& plane, client::BackendClient& client, RelayStage& relay)
        : m_plane(plane), m_client(client), m_relay(relay)
    {}

protected:
    StageResult run(RequestJob& job) override;

private:
    DataPlane& m_plane;
    client::BackendClient& m_client;
    RelayStage& m_relay;
};

// Relays the instance's answer as it comes: status, content type and chunks unchanged. A
// failure before any byte reached the user goes back to scheduling within max_retry; after
// that, the stream ends with the error as its last chunk.
class RelayStage final : public PipelineStage
{
    Q_OBJECT
public:
    RelayStage(DataPlane& plane, client::BackendClient& client) : m_plane(plane), m_client(client) {}

    void onHead(RequestJob& job, int status, const client::HeaderList& headers);
    void onData(RequestJob& job, const QByteArray& data);
    void onDone(RequestJob& job, client::TransferOutcome outcome, const QString& detail);
    void retryOrFail(RequestJob& job, client::TransferOutcome outcome, const QString& detail);

protected:
    StageResult run(RequestJob& job) override;

private:
    DataPlane& m_plane;
    client::BackendClient& m_client;
};

// The one place a request ends: it makes sure the user got an answer, gives back the instance
// tickets, the DIGS demand and the max_requests slot, records the ending and accounts it.
class FinishStage final : public PipelineStage
{
    Q_OBJECT
public:
    FinishStage(DataPlane& plane, client::BackendClient& client, JobTimers& timers)
        : m_plane(plane), m_client(client), m_timers(timers)
    {}

public slots:
    // A stage refused the request: MindIE's text answer, then the ending.
    void reject(coord::server::RequestJob* job, int status, const QByteArray& message);

signals:
    // Exactly once per request, as its last event.
    void finished(coord::server::RequestJob* job);

protected:
    StageResult run(RequestJob& job) override;

private:
    DataPlane& m_plane;
    client::BackendClient& m_client;
    JobTimers& m_timers;
};

// The 500 texts MindIE answers when an instance fails before any byte reached the user.
QByteArray instanceFailureText(client::TransferOutcome outcome, bool tokenizer);

} // namespace coord::server
