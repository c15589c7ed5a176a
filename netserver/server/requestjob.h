#pragma once

#include <QObject>

#include "client/backendrequest.h"
#include "dispatchticket.h"
#include "http/httprequest.h"
#include "http/responsestream.h"
#include "model/instanceinfo.h"
#include "pipeline/jobtimers.h"
#include "request/dresultparser.h"
#include "request/inferencerequest.h"
#include "request/requestrecord.h"
#include "scheduler.h"

namespace coord::client {
class BackendClient;
}

namespace coord::server {

class DataPlane;
class RequestPipeline;

// "http://ip:port" (IPv6 in brackets) of an instance's inference port.
QByteArray instanceBaseUrl(const InstanceInfo& instance);

// One accepted user request: everything the pipeline's stages (pipeline/) know about it, and
// what happens to it outside their order: its time limits, the client leaving, and in PD modes
// the decode messages from /dresult. Whatever happens, the user gets exactly one answer (a
// status, or a final chunk on a started stream) and the finish stage runs exactly once.
//
// Thread affinity: the worker thread that accepted the request; the pipeline deletes it.
class RequestJob : public QObject, public JobTimers::Client
{
    Q_OBJECT
public:
    enum class Ending
    {
        Success,
        Failure,
        Timeout,
        Cancelled,
    };

    RequestJob(RequestPipeline& pipeline, http::HttpRequest request, http::ResponseStream response,
               QByteArray requestId);
    ~RequestJob() override;

    bool hasEnded() const { return m_ended; }
    const QByteArray& id() const { return m_record.id(); }

    // A time limit or the schedule retry is due (JobTimers).
    void onTimer(JobTimers::Kind kind) override;

private:
    friend class AdmitStage;
    friend class ParseStage;
    friend class ScheduleStage;
    friend class DispatchStage;
    friend class RelayStage;
    friend class FinishStage;
    friend class RequestPipeline;

    // Set up once the request is parsed: its time limits and the client watch.
    void begin(InferenceRequest parsed);
    void armDeadline();
    void onDeadline();
    void onClientGone();
    // Tells the instance(s) still working on the request to drop it (stopInfer).
    void stopInstanceWork();
    // Out-of-order endings (timeouts, the client leaving, the decode leg): to the finish stage.
    void end(Ending ending);
    void endWithError(int status, const QByteArray& message, Ending ending = Ending::Failure);
    // Ends a started stream with `message` as its last chunk, or answers 500 with it.
    void endWithFailureText(const QByteArray& message, Ending ending);

    // Prefill/decode flow (requestjobpd.cpp).
    void addPrefillHeaders(client::BackendRequest& request, const InstanceInfo& decode);
    void onPrefillReply();
    void onDecodeMessage(const DResultMessage& message);
    void deliverDecodeMessage(const DResultMessage& message);
    void sendFinal(const QByteArray& payload, const QByteArray& contentType);
    void failDecodeLeg(const QByteArray& message);
    void onInstanceRemoved(quint64 instanceId);
    void recompute(const QByteArray& body);
    void onDigsPlaced(quint64 prefillId, quint64 decodeId);
    void releaseDigs();
    quint64 digsKey() const;

    bool isTokenizer() const { return m_parsed.flavour == ApiFlavour::Tokenizer; }

    RequestPipeline& m_pipeline;
    DataPlane& m_plane;
    client::BackendClient& m_client;
    http::HttpRequest m_request;
    http::ResponseStream m_response;
    InferenceRequest m_parsed;
    // Hashed once: a request waiting for room is scheduled again every few milliseconds.
    std::optional<scheduling::ConversationKey> m_conversation;
    RequestRecord m_record;
    bool m_admitted = false; // holds a max_requests slot, given back by the finish stage
    Ending m_ending = Ending::Failure;

    // Scheduling and dispatch: the placement waiting for the dispatch stage, the ticket of the
    // instance working on the request, the instances already tried.
    scheduling::Placement m_placement;
    scheduling::DispatchTicket m_ticket;
    scheduling::ExcludedInstances m_tried;
    int m_scheduleBackoffMs = 5;
    QByteArray m_instanceUrl;
    QByteArray m_instanceModel;
    quint64 m_transferId = 0;
    int m_dispatches = 0;

    // Relay: the instance's status, type and framing, an unchunked reply being collected.
    int m_backendStatus = 0;
    QByteArray m_backendContentType;
    bool m_backendChunked = false;
    QByteArray m_bufferedBody;
    qint64 m_outputUnits = 0;

    // PD state: the decode instance, whether the prefill leg has ended, decode messages that
    // came before it ended (flushed right after P's first token), recompute count.
    bool m_pdFlow = false;
    InstanceInfo m_decode;
    QByteArray m_decodeUrl;
    scheduling::DispatchTicket m_decodeTicket;
    bool m_prefillDone = false;
    bool m_workOutstanding = false; // an instance may still be working on this request
    QList<DResultMessage> m_earlyDecodeMessages;
    int m_recomputes = 0;
    bool m_digsPending = false; // submitted to DIGS, or holding a DIGS placement

    JobTimers::Slot m_deadlineSlot;
    JobTimers::Slot m_retrySlot;
    bool m_ended = false;

    // The worker's list of live jobs (RequestPipeline), for shutdown.
    RequestJob* m_previousLive = nullptr;
    RequestJob* m_nextLive = nullptr;
};

} // namespace coord::server
