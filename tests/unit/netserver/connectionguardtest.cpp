// The limits an HTTP port enforces in front of QtHttpServer, seen from a raw client socket.
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTcpSocket>
#include <QTimer>

#include <gtest/gtest.h>

#include "eventloopwait.h"
#include "http/httpfrontend.h"

using namespace coord::http;

namespace {

void spin(int ms)
{
    coord::test::spinEventLoop(ms);
}

// Reads until `done(buffer)` or the peer closes or the limit passes; returns what arrived.
QByteArray readUntil(QTcpSocket& socket, const std::function<bool(const QByteArray&)>& done,
                     int limitMs = 5000)
{
    QByteArray buffer;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < limitMs) {
        buffer += socket.readAll();
        if (done(buffer) || socket.state() != QAbstractSocket::ConnectedState)
            break;
        spin(5);
    }
    return buffer + socket.readAll();
}

bool closedWithin(QTcpSocket& socket, int limitMs)
{
    QElapsedTimer timer;
    timer.start();
    while (socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < limitMs)
        spin(5);
    return socket.state() != QAbstractSocket::ConnectedState;
}

class GuardTest : public ::testing::Test
{
protected:
    void startFrontend(ConnectionLimits limits)
    {
        m_frontend = std::make_unique<HttpFrontend>(
            QStringLiteral("test"), std::move(limits),
            [](const HttpRequest& request, ResponseStream response) {
                if (request.path == "/slow") {
                    QTimer::singleShot(150, response.socket(), [response]() mutable {
                        response.sendFull(200, "text/plain", "slow");
                    });
                    return;
                }
                response.sendFull(200, "text/plain", "ok:" + QByteArray::number(request.body.size()));
            });
        QString error;
        ASSERT_TRUE(m_frontend->listen(QHostAddress::LocalHost, 0, &error)) << error.toStdString();
    }

    void connect(QTcpSocket& socket)
    {
        socket.connectToHost(QHostAddress::LocalHost, m_frontend->serverPort());
        ASSERT_TRUE(socket.waitForConnected(3000));
    }

    std::unique_ptr<HttpFrontend> m_frontend;
};

bool hasWholeReply(const QByteArray& buffer)
{
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    const qsizetype lengthAt = buffer.indexOf("Content-Length: ");
    const qsizetype length =
        buffer.mid(lengthAt + 16, buffer.indexOf("\r\n", lengthAt) - lengthAt - 16).toLongLong();
    return buffer.size() >= headEnd + 4 + length;
}

TEST_F(GuardTest, OversizedContentLengthGets413BeforeTheBodyIsSent)
{
    ConnectionLimits limits;
    limits.maxBodyBytes = 1024;
    startFrontend(limits);
    QTcpSocket socket;
    connect(socket);
    socket.write("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4096\r\n\r\n");
    const QByteArray reply = readUntil(socket, hasWholeReply);
    EXPECT_TRUE(reply.startsWith("HTTP/1.1 413")) << reply.constData();
    EXPECT_TRUE(reply.contains("Connection: close"));
    EXPECT_TRUE(closedWithin(socket, 2000));
}

TEST_F(GuardTest, BodyWithinTheLimitIsServed)
{
    ConnectionLimits limits;
    limits.maxBodyBytes = 1024;
    startFrontend(limits);
    QTcpSocket socket;
    connect(socket);
    socket.write("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 1024\r\n\r\n" + QByteArray(1024, 'x'));
    const QByteArray reply = readUntil(socket, hasWholeReply);
    EXPECT_TRUE(reply.startsWith("HTTP/1.1 200")) << reply.constData();
    EXPECT_TRUE(reply.endsWith("ok:1024"));
}

TEST_F(GuardTest, ChunkedBodyOverTheLimitGets413)
{
    ConnectionLimits limits;
    limits.maxBodyBytes = 1024;
    startFrontend(limits);
    QTcpSocket socket;
    connect(socket);
    socket.write("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 20 && socket.state() == QAbstractSocket::ConnectedState; ++i) {
        socket.write("400\r\n" + QByteArray(1024, 'y') + "\r\n");
        spin(10);
    }
    const QByteArray reply = readUntil(socket, hasWholeReply);
    EXPECT_TRUE(reply.startsWith("HTTP/1.1 413")) << reply.left(200).constData();
}

TEST_F(GuardTest, ExpectContinueIsAnsweredAtOnce)
{
    startFrontend(ConnectionLimits{});
    QTcpSocket socket;
    connect(socket);
    socket.write("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
    const QByteArray interim = readUntil(socket, [](const QByteArray& b) { return b.contains("\r\n\r\n"); });
    EXPECT_TRUE(interim.startsWith("HTTP/1.1 100 Continue")) << interim.constData();
    socket.write("abc");
    const QByteArray reply = readUntil(socket, hasWholeReply);
    EXPECT_TRUE(reply.contains("ok:3")) << reply.constData();
}

TEST_F(GuardTest, OversizedHeaderGets431)
{
    startFrontend(ConnectionLimits{});
    QTcpSocket socket;
    connect(socket);
    socket.write("GET /x HTTP/1.1\r\nX-Big: " + QByteArray(9000, 'h') + "\r\n\r\n");
    const QByteArray reply = readUntil(socket, hasWholeReply);
    EXPECT_TRUE(reply.startsWith("HTTP/1.1 431")) << reply.left(100).constData();
}

TEST_F(GuardTest, RequestsBeyondThePerConnectionCapGet429AndClose)
{
    ConnectionLimits limits;
    limits.maxRequestsPerConnection = 2;
    startFrontend(limits);
    QTcpSocket socket;
    connect(socket);
    for (int i = 0; i < 2; ++i) {
        socket.write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
        EXPECT_TRUE(readUntil(socket, hasWholeReply).startsWith("HTTP/1.1 200"));
    }
    socket.write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
    const QByteArray reply = readUntil(socket, hasWholeReply);
    EXPECT_TRUE(reply.startsWith("HTTP/1.1 429")) << reply.constData();
    EXPECT_TRUE(reply.endsWith("Connection request out of limit, max is 2\r\n"));
    EXPECT_TRUE(closedWithin(socket, 2000));
}

TEST_F(GuardTest, ConnectionsBeyondTheCapGet429AndClose)
{
    ConnectionLimits limits;
    limits.maxConnections = 2;
    startFrontend(limits);
    QTcpSocket first, second, third;
    connect(first);
    connect(second);
    spin(50); // let the server accept both
    connect(third);
    third.write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
    const QByteArray refused = readUntil(third, hasWholeReply);
    EXPECT_TRUE(refused.startsWith("HTTP/1.1 429")) << refused.constData();
    EXPECT_TRUE(refused.endsWith("Too many requests\r\n"));
    EXPECT_TRUE(closedWithin(third, 3000));
    first.write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
    EXPECT_TRUE(readUntil(first, hasWholeReply).startsWith("HTTP/1.1 200"));
}

TEST_F(GuardTest, ConnectionsBeyondTwiceTheCapAreClosedUnanswered)
{
    ConnectionLimits limits;
    limits.maxConnections = 1;
    startFrontend(limits);
    QTcpSocket first, second, third;
    connect(first);
    spin(30);
    connect(second); // over the cap: will be answered 429
    spin(30);
    connect(third); // over twice the cap: closed at once
    EXPECT_TRUE(closedWithin(third, 3000));
}

TEST_F(GuardTest, IdleConnectionIsClosedAfterTheKeepAliveTime)
{
    ConnectionLimits limits;
    limits.idleTimeoutSeconds = 1;
    startFrontend(limits);
    QTcpSocket socket;
    connect(socket);
    socket.write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
    EXPECT_TRUE(readUntil(socket, hasWholeReply).startsWith("HTTP/1.1 200"));
    EXPECT_TRUE(closedWithin(socket, 5000));
}

TEST_F(GuardTest, RequestsWithinTheKeepAliveTimeKeepTheConnectionOpen)
{
    // The idle timer is not restarted per read: it re-arms for the remaining time when it fires.
    ConnectionLimits limits;
    limits.idleTimeoutSeconds = 1;
    startFrontend(limits);
    QTcpSocket socket;
    connect(socket);
    QElapsedTimer sinceLastRequest;
    for (int i = 0; i < 4; ++i) {
        socket.write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
        sinceLastRequest.start();
        ASSERT_TRUE(readUntil(socket, hasWholeReply).startsWith("HTTP/1.1 200")) << "request " << i;
        spin(600); // 4 x 600 ms: longer than the keep-alive time in total, never idle for it
        ASSERT_EQ(socket.state(), QAbstractSocket::ConnectedState) << "closed after request " << i;
    }
    EXPECT_TRUE(closedWithin(socket, 5000));
    EXPECT_GE(sinceLastRequest.elapsed(), 900); // closed for idleness, not early
}

TEST_F(GuardTest, ConnectionCloseAndHttp10CloseAfterTheReply)
{
    startFrontend(ConnectionLimits{});
    for (const QByteArray& request : {QByteArray("GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"),
                                      QByteArray("GET /x HTTP/1.0\r\n\r\n")}) {
        QTcpSocket socket;
        connect(socket);
        socket.write(request);
        const QByteArray reply = readUntil(socket, hasWholeReply);
        EXPECT_TRUE(reply.startsWith("HTTP/1.1 200")) << reply.constData();
        EXPECT_TRUE(reply.contains("Connection: close"));
        EXPECT_TRUE(closedWithin(socket, 2000));
    }
}

TEST_F(GuardTest, PipelinedRequestNeverOvertakesAPendingReply)
{
    startFrontend(ConnectionLimits{});
    QTcpSocket socket;
    connect(socket);
    socket.write("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
    spin(30);
    socket.write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
    const QByteArray replies = readUntil(
        socket, [](const QByteArray&) { return false; }, 2000);
    EXPECT_TRUE(replies.startsWith("HTTP/1.1 200")) << replies.constData();
    EXPECT_TRUE(replies.endsWith("slow")) << replies.constData();
    EXPECT_EQ(replies.count("HTTP/1.1"), 1);
    EXPECT_NE(socket.state(), QAbstractSocket::ConnectedState);
}

} // namespace
