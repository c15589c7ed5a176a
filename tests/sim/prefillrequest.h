#pragma once

#include <QObject>
#include <QPointer>

#include "apirequest.h"
#include "generationstate.h"
#include "httpconnection.h"

namespace mindiesim {

class SimInstance;

// One request on a prefill instance (header req-type: prefill). Runs the prefill, answers the
// coordinator unchunked with {"reqId","isStream","isLastResp","output"} (spec §3.2), and hands
// the request to the decode instance named by d-target / d-port. Deletes itself when done.
class PrefillRequest : public QObject
{
    Q_OBJECT
public:
    PrefillRequest(SimInstance* instance, HttpConnection* connection, const ApiRequest& request,
                   const QByteArray& reqId, const HttpRequest& http);
    ~PrefillRequest() override;

    void start();

private:
    void onFirstToken();
    void reply(bool isLastResp, const QByteArray& output);
    void stop();
    void onClientGone();
    void finish();

    SimInstance* m_instance;
    QPointer<HttpConnection> m_connection;
    QByteArray m_reqId;
    QByteArray m_rawBody;
    QByteArray m_decodeTarget;
    quint16 m_decodePort = 0;
    GenerationState m_state;
    quint64 m_jobId = 0;
    bool m_finished = false;
};

} // namespace mindiesim
