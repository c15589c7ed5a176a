#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QTcpServer>

namespace dptest {

// A stand-in MindIE Server that records every request it receives. Inference requests are
// held open and never answered (a stalled engine); stopInfer is answered 200 as MindIE does.
// It sees what mindie_sim cannot report: which stopInfer calls arrived, with which body.
//
// Lives on the test thread: it serves only while the test spins an event loop (every wait
// helper of HttpTestClient does).
class RecordingInstance : public QObject
{
    Q_OBJECT
public:
    struct Received
    {
        QByteArray method;
        QByteArray path;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;

        QByteArray header(const QByteArray& name) const;
    };

    RecordingInstance();
    quint16 port() const { return m_server.serverPort(); }
    const QList<Received>& received() const { return m_received; }
    QList<Received> receivedOn(const QByteArray& pathSuffix) const;
    // Inference connections that are open right now (held by the coordinator).
    int openHeldConnections() const;
    // From now on inference requests are answered at once with this status and JSON body
    // instead of being held (an instance that refuses requests).
    void answerInferenceWith(int status, const QByteArray& body);

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket* socket);

    QTcpServer m_server;
    QList<Received> m_received;
    QList<QTcpSocket*> m_held;
    int m_answerStatus = 0; // 0: hold inference requests open
    QByteArray m_answerBody;
};

} // namespace dptest
