#pragma once

#include <QObject>
#include <QTimer>

#include "client/backendrequest.h"
#include "dispatchticket.h"
#include "http/httprequest.h"
#include "http/responsestream.h"
#include "model/instanceinfo.h"
#include "request/dresultparser.h"
#include "request/inferencerequest.h"
#include "request/requestrecord.h"
#include "scheduler.h"

namespace coord::client {
class BackendClient;
}

namespace coord::server {

class DataPlane;

// "http://ip:port" (IPv6 in brackets) of an instance's inference port.
QByteArray instanceBaseUrl(const InstanceInfo& instance);

// One accepted user request from scheduling to its last byte: schedule on an instance,
// dispatch with `req-id`, relay the answer as it comes, and guard it with the timeouts, the
// retry budget and the client's presence. Whatever happens, the user gets exactly one answer
// (a status, or a final chunk on a started stream) and finish() runs exactly once.
//
// Thread affinity: the worker thread that accepted the request; the job deletes itself.
class RequestJob : public QObject
{
    Q_OBJECT
public:
    RequestJob(DataPlane& plane, client::BackendClient& client, http::HttpRequest request,
               http::ResponseStream response, InferenceRequest parsed, QByteArray requestId);
    ~RequestJob() override;

    void start();

private:
    enum class Ending
    {
        Success,
        Failure,
        Timeout,
        Cancelled,
    };

    void trySchedule();
    void dispatch(scheduling::Placement placement);
    void onBackendHead(int status, const client::HeaderList& headers);
    void onBackendData(const QByteArray& data);
    void onBackendDone(client::TransferOutcome outcome, const QString& detail);
    void retryOrFail(client::TransferOutcome outcome, const QString& detail);
    void onDeadline();
    void onClientGone();
    void armDeadline();
    void answerError(int status, const QByteArray& message, Ending ending);
    void stopInstanceWork();
    void finish(Ending ending);

    // Prefill/decode flow (requestjobpd.cpp).
    void addPrefillHeaders(client::BackendRequest& request, const InstanceInfo& decode);
    void onPrefillReply();
    void onDecodeMessage(const DResultMessage& message);
    void deliverDecodeMessage(const DResultMessage& message);
    void sendFinal(const QByteArray& payload, const QByteArray& contentType);
    void failDecodeLeg(const QByteArray& message);
    void onInstanceRemoved(quint64 instanceId);
    void recompute(const QByteArray& body);
    // DIGS placement (requestjobpd.cpp): asynchronous, decided by the control thread's rounds.
    void submitToDigs();
    void onDigsPlaced(quint64 prefillId, quint64 decodeId);
    void releaseDigs();
    quint64 digsKey() const;

    scheduling::ScheduleRequest scheduleRequest() const;
    bool isTokenizer() const { return m_parsed.flavour == ApiFlavour::Tokenizer; }

    DataPlane& m_plane;
    client::BackendClient& m_client;
    http::HttpRequest m_request;
    http::ResponseStream m_response;
    InferenceRequest m_parsed;
    // Hashed once: a request waiting for room is scheduled again every few milliseconds.
    std::optional<scheduling::ConversationKey> m_conversation;
    RequestRecord m_record;

    scheduling::DispatchTicket m_ticket;
    scheduling::ExcludedInstances m_tried;
    QByteArray m_instanceUrl;
    QByteArray m_instanceModel;
    quint64 m_transferId = 0;
    int m_dispatches = 0;

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

    QTimer m_deadline;
    QTimer m_scheduleRetry;
    int m_scheduleBackoffMs = 5;
    bool m_finished = false;
};

} // namespace coord::server
