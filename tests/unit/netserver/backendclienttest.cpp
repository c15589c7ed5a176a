// The backend client as the relay uses it: answers arrive as head, data pieces and one final
// outcome; broken and silent peers end in a failure outcome, never in silence.
#include "client/backendclient.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <gtest/gtest.h>

#include "eventloopwait.h"
#include "scriptedhttpserver.h"

using namespace coord::client;
using coord::test::ScriptedHttpServer;

namespace {

struct Recorded
{
    int status = 0;
    HeaderList headers;
    QByteArray body;
    QList<QByteArray> pieces;
    bool done = false;
    TransferOutcome outcome = TransferOutcome::Cancelled;
    int doneCalls = 0;
};

BackendRequest recordingRequest(const QByteArray& url, Recorded* record)
{
    BackendRequest request;
    request.url = url;
    request.body = R"({"inputs":"hi"})";
    request.headers = {{"Content-Type", "application/json"}};
    request.onHead = [record](int status, const HeaderList& headers) {
        record->status = status;
        record->headers = headers;
    };
    request.onData = [record](const QByteArray& data) {
        record->body += data;
        record->pieces.append(data);
    };
    request.onDone = [record](TransferOutcome outcome, const QString&) {
        record->done = true;
        record->outcome = outcome;
        ++record->doneCalls;
    };
    return request;
}

// Spins the event loop until `condition` holds or the (generous) limit passes.
bool waitFor(const std::function<bool()>& condition, int limitMs = 10000)
{
    return coord::test::waitUntil(condition, limitMs);
}

void reply(QTcpSocket* socket, const QByteArray& body)
{
    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                  QByteArray::number(body.size()) + "\r\n\r\n" + body);
}

TEST(BackendClientTest, ContentLengthAnswerArrivesWithStatusHeadersAndBody)
{
    QByteArray seenHead;
    ScriptedHttpServer server([&](QTcpSocket* socket, const QByteArray& head, const QByteArray& body) {
        seenHead = head;
        reply(socket, "echo:" + body);
    });
    BackendClient client;
    Recorded record;
    client.start(recordingRequest(server.url("/generate"), &record));
    ASSERT_TRUE(waitFor([&] { return record.done; }));
    EXPECT_EQ(record.outcome, TransferOutcome::Completed);
    EXPECT_EQ(record.status, 200);
    EXPECT_EQ(record.body, R"(echo:{"inputs":"hi"})");
    EXPECT_EQ(record.doneCalls, 1);
    EXPECT_TRUE(seenHead.startsWith("POST /generate HTTP/1.1"));
    EXPECT_TRUE(seenHead.contains("Content-Type: application/json"));
}

TEST(BackendClientTest, ProxyVariablesInTheEnvironmentAreNotUsed)
{
    // Containers often keep http_proxy from their image build; instance traffic must not go
    // there. The proxy named here accepts nothing, so using it would fail the request.
    const QByteArray savedHttp = qgetenv("http_proxy");
    const QByteArray savedAll = qgetenv("ALL_PROXY");
    qputenv("http_proxy", "http://127.0.0.1:9");
    qputenv("ALL_PROXY", "http://127.0.0.1:9");
    ScriptedHttpServer server(
        [](QTcpSocket* socket, const QByteArray&, const QByteArray&) { reply(socket, "direct"); });
    BackendClient client;
    Recorded record;
    client.start(recordingRequest(server.url("/generate"), &record));
    const bool done = waitFor([&] { return record.done; });
    savedHttp.isNull() ? qunsetenv("http_proxy") : qputenv("http_proxy", savedHttp);
    savedAll.isNull() ? qunsetenv("ALL_PROXY") : qputenv("ALL_PROXY", savedAll);
    ASSERT_TRUE(done);
    EXPECT_EQ(record.outcome, TransferOutcome::Completed);
    EXPECT_EQ(record.body, "direct");
}

TEST(BackendClientTest, ChunkedStreamArrivesPieceByPieceDechunked)
{
    ScriptedHttpServer server([](QTcpSocket* socket, const QByteArray&, const QByteArray&) {
        socket->write(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
        socket->write("6\r\ndata:1\r\n");
        socket->flush();
        QTimer::singleShot(30, socket, [socket] { socket->write("6\r\ndata:2\r\n0\r\n\r\n"); });
    });
    BackendClient client;
    Recorded record;
    client.start(recordingRequest(server.url("/generate_stream"), &record));
    ASSERT_TRUE(waitFor([&] { return record.done; }));
    EXPECT_EQ(record.outcome, TransferOutcome::Completed);
    EXPECT_EQ(record.body, "data:1data:2");
    EXPECT_GE(record.pieces.size(), 2);
    EXPECT_EQ(record.pieces.first(), "data:1");
}

TEST(BackendClientTest, RefusedConnectionIsConnectFailed)
{
    quint16 closedPort = 0;
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        closedPort = probe.serverPort();
    }
    BackendClient client;
    Recorded record;
    client.start(recordingRequest("http://127.0.0.1:" + QByteArray::number(closedPort) + "/", &record));
    ASSERT_TRUE(waitFor([&] { return record.done; }));
    EXPECT_EQ(record.outcome, TransferOutcome::ConnectFailed);
    EXPECT_EQ(record.status, 0);
}

TEST(BackendClientTest, PeerClosingMidBodyIsReadFailed)
{
    ScriptedHttpServer server([](QTcpSocket* socket, const QByteArray&, const QByteArray&) {
        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..");
        socket->flush();
        socket->disconnectFromHost();
    });
    BackendClient client;
    Recorded record;
    client.start(recordingRequest(server.url("/"), &record));
    ASSERT_TRUE(waitFor([&] { return record.done; }));
    EXPECT_EQ(record.outcome, TransferOutcome::ReadFailed);
    EXPECT_EQ(record.status, 200);
}

TEST(BackendClientTest, TotalTimeoutEndsASilentPeer)
{
    ScriptedHttpServer server([](QTcpSocket*, const QByteArray&, const QByteArray&) {});
    BackendClient client;
    Recorded record;
    BackendRequest request = recordingRequest(server.url("/"), &record);
    request.totalTimeoutMs = 200;
    client.start(std::move(request));
    ASSERT_TRUE(waitFor([&] { return record.done; }));
    EXPECT_EQ(record.outcome, TransferOutcome::TimedOut);
}

TEST(BackendClientTest, CancelledTransferReportsNothingMore)
{
    ScriptedHttpServer server([](QTcpSocket* socket, const QByteArray&, const QByteArray&) {
        QTimer::singleShot(100, socket, [socket] { reply(socket, "late"); });
    });
    BackendClient client;
    Recorded record;
    const quint64 id = client.start(recordingRequest(server.url("/"), &record));
    waitFor([&] { return server.requestsSeen() == 1; });
    client.cancel(id);
    waitFor([] { return false; }, 300);
    EXPECT_FALSE(record.done);
    EXPECT_TRUE(record.body.isEmpty());
    EXPECT_EQ(client.activeTransfers(), 0);
}

TEST(BackendClientTest, CancelFromInsideADataCallbackStopsTheStream)
{
    ScriptedHttpServer server([](QTcpSocket* socket, const QByteArray&, const QByteArray&) {
        socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n");
        socket->flush();
        QTimer::singleShot(50, socket, [socket] { socket->write("1\r\nb\r\n0\r\n\r\n"); });
    });
    BackendClient client;
    Recorded record;
    quint64 id = 0;
    BackendRequest request = recordingRequest(server.url("/"), &record);
    request.onData = [&](const QByteArray& data) {
        record.body += data;
        client.cancel(id);
    };
    id = client.start(std::move(request));
    waitFor([&] { return !record.body.isEmpty(); });
    waitFor([] { return false; }, 200);
    EXPECT_EQ(record.body, "a");
    EXPECT_FALSE(record.done);
    EXPECT_EQ(client.activeTransfers(), 0);
}

TEST(BackendClientTest, ManyConcurrentRequestsToOneHostAreNotCapped)
{
    // Every request is held until all of them have arrived: a per-host connection cap
    // (QNetworkAccessManager has 6) would deadlock here until the time limit.
    constexpr int kConcurrent = 64;
    QList<QTcpSocket*> held;
    ScriptedHttpServer server([&](QTcpSocket* socket, const QByteArray&, const QByteArray&) {
        held.append(socket);
        if (held.size() == kConcurrent) {
            for (QTcpSocket* waiting : held)
                reply(waiting, "ok");
        }
    });
    BackendClient client;
    std::vector<Recorded> records(kConcurrent);
    for (Recorded& record : records)
        client.start(recordingRequest(server.url("/"), &record));
    ASSERT_TRUE(waitFor([&] {
        return std::all_of(records.begin(), records.end(), [](const Recorded& r) { return r.done; });
    }));
    for (const Recorded& record : records)
        EXPECT_EQ(record.outcome, TransferOutcome::Completed);
    EXPECT_EQ(server.connectionsAccepted(), kConcurrent);
}

TEST(BackendClientTest, SequentialRequestsReuseOneKeptAliveConnection)
{
    ScriptedHttpServer server(
        [](QTcpSocket* socket, const QByteArray&, const QByteArray&) { reply(socket, "ok"); });
    BackendClient client;
    for (int i = 0; i < 5; ++i) {
        Recorded record;
        client.start(recordingRequest(server.url("/"), &record));
        ASSERT_TRUE(waitFor([&] { return record.done; }));
        EXPECT_EQ(record.outcome, TransferOutcome::Completed);
    }
    EXPECT_EQ(server.requestsSeen(), 5);
    EXPECT_EQ(server.connectionsAccepted(), 1);
}

// A write buffer whose backlog the test sets, standing in for the user's socket.
class BackloggedSink : public QIODevice
{
public:
    BackloggedSink() { open(QIODevice::WriteOnly); }
    qint64 backlog = 0;
    qint64 bytesToWrite() const override { return backlog; }
    void drain()
    {
        backlog = 0;
        emit bytesWritten(1);
    }

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char*, qint64 size) override { return size; }
};

TEST(BackendClientTest, StreamPausesWhileTheSinkIsBackloggedAndResumesWhenItDrains)
{
    ScriptedHttpServer server([](QTcpSocket* socket, const QByteArray&, const QByteArray&) {
        socket->write(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
        socket->write("6\r\ndata:1\r\n");
        socket->flush();
        QTimer::singleShot(30, socket,
                           [socket] { socket->write("6\r\ndata:2\r\n6\r\ndata:3\r\n0\r\n\r\n"); });
    });
    BackendClient client;
    BackloggedSink sink;
    Recorded record;
    BackendRequest request = recordingRequest(server.url("/generate_stream"), &record);
    request.backpressureSink = &sink;
    auto recordPiece = request.onData;
    request.onData = [&sink, recordPiece](const QByteArray& data) {
        recordPiece(data);
        sink.backlog = BackendRequest::kBacklogHighBytes + 1; // the user reads nothing
    };
    client.start(std::move(request));
    ASSERT_TRUE(waitFor([&] { return !record.body.isEmpty(); }));
    waitFor([] { return false; }, 200); // the rest of the stream has long arrived at our socket
    EXPECT_EQ(record.body, "data:1");
    EXPECT_FALSE(record.done);

    // Each drain lets at least one more piece through, which backlogs the sink again.
    for (int drains = 0; drains < 10 && !record.done; ++drains) {
        sink.drain();
        waitFor([&] { return record.done || sink.backlog > 0; }, 3000);
    }
    ASSERT_TRUE(waitFor([&] { return record.done; }));
    EXPECT_EQ(record.outcome, TransferOutcome::Completed);
    EXPECT_EQ(record.body, "data:1data:2data:3");
}

TEST(BackendClientTest, InstanceClosingAnIdlePooledConnectionDoesNotFailTheNextRequest)
{
    // The pooled connection's reader stays registered while idle; the instance's close must be
    // noticed without a busy loop, and the next request goes out on a new connection.
    ScriptedHttpServer server([](QTcpSocket* socket, const QByteArray&, const QByteArray&) {
        reply(socket, "ok");
        socket->flush();
        QTimer::singleShot(20, socket, [socket] { socket->disconnectFromHost(); });
    });
    BackendClient client;
    for (int i = 0; i < 3; ++i) {
        Recorded record;
        client.start(recordingRequest(server.url("/"), &record));
        ASSERT_TRUE(waitFor([&] { return record.done; }));
        EXPECT_EQ(record.outcome, TransferOutcome::Completed) << "request " << i;
        waitFor([] { return false; }, 100); // the instance closes the idle connection meanwhile
    }
    EXPECT_EQ(server.connectionsAccepted(), 3);
}

TEST(BackendClientTest, ManySequentialRequestsReuseHandlesAndOneConnection)
{
    ScriptedHttpServer server(
        [](QTcpSocket* socket, const QByteArray&, const QByteArray& body) { reply(socket, "echo:" + body); });
    BackendClient client;
    for (int i = 0; i < 50; ++i) {
        Recorded record;
        BackendRequest request = recordingRequest(server.url("/"), &record);
        request.body = QByteArray::number(i);
        client.start(std::move(request));
        ASSERT_TRUE(waitFor([&] { return record.done; }));
        ASSERT_EQ(record.body, "echo:" + QByteArray::number(i)); // no option leaks from a reused handle
    }
    EXPECT_EQ(server.connectionsAccepted(), 1);
}

} // namespace
