#pragma once

#include <QObject>
#include <QPointer>

#include "apirequest.h"
#include "generationstate.h"
#include "httpconnection.h"

namespace mindiesim {

class SimInstance;

// One user request served entirely by this instance (role 'U', or a P/D addressed as itself):
// runs the engine job and writes the stream or the whole body. Deletes itself when done.
class SingleRequest : public QObject
{
    Q_OBJECT
public:
    SingleRequest(SimInstance* instance, HttpConnection* connection, const ApiRequest& request,
                  const QByteArray& reqId);
    ~SingleRequest() override;

    void start();

private:
    void onToken(int index, bool last);
    void stop();         // stopInfer: end the reply now with what exists
    void onClientGone(); // the user went away: abort the job
    void complete(bool success);
    QList<QPair<QByteArray, QByteArray>> simHeaders() const;

    SimInstance* m_instance;
    QPointer<HttpConnection> m_connection;
    QByteArray m_reqId;
    GenerationState m_state;
    quint64 m_jobId = 0;
    bool m_finished = false;
};

} // namespace mindiesim
