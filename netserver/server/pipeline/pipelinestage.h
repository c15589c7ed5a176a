#pragma once

#include <QByteArray>
#include <QObject>

namespace coord::server {

class RequestJob;

// What a stage decided for one request.
struct StageResult
{
    enum class Outcome
    {
        Continue, // passed on to the next stage
        Wait,     // the stage keeps the request and resumes it later (room, a placement, a reply)
        Retry,    // back to scheduling: the chosen instance is gone or failed before any byte
        Reject,   // answered with `status` and `message` (MindIE's text, CRLF added on the wire)
    };
    Outcome outcome = Outcome::Continue;
    int status = 0;
    QByteArray message;

    static StageResult next() { return {}; }
    static StageResult wait() { return {Outcome::Wait, 0, {}}; }
    static StageResult retry() { return {Outcome::Retry, 0, {}}; }
    static StageResult reject(int status, QByteArray message)
    {
        return {Outcome::Reject, status, std::move(message)};
    }
};

// One step of a request's way through a worker: admit -> parse -> schedule -> dispatch -> relay
// -> finish. Stages are created once per worker and wired by RequestPipeline with direct
// signal/slot connections; a request travels as the RequestJob* argument. A stage holds no
// per-request state: that lives in the job, so a stage can be read on its own.
//
// Thread affinity: the worker thread.
class PipelineStage : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

public slots:
    // Runs the stage for `job` and signals what it decided. A job that has already ended (a
    // timeout or a disconnect overtook it) is ignored.
    void process(coord::server::RequestJob* job);

public:
    // Signals a decision taken later for a job this stage kept waiting.
    void resume(coord::server::RequestJob* job, const StageResult& result);

signals:
    void passed(coord::server::RequestJob* job);
    void rejected(coord::server::RequestJob* job, int status, const QByteArray& message);
    // The request goes back to scheduling (another instance, another attempt).
    void retry(coord::server::RequestJob* job);

protected:
    virtual StageResult run(RequestJob& job) = 0;
};

} // namespace coord::server
