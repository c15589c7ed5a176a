// The epoll event dispatcher's socket notifiers as the relay uses them: large transfers both
// ways, hang-ups, notifiers disabled or deleted mid-iteration, reused descriptor numbers, the
// exclude flags, and thousands of connections open at once.
#include "epolltestsupport.h"

using namespace coord::test;

TEST(EpollEventDispatcherTest, TcpSocketsExchangeLargeDataBothWaysAndSeeThePeerClose)
{
    ASSERT_TRUE(runOnEpollThread([&](QObject*) {
        QByteArray atServer;
        QByteArray atClient;
        bool clientDisconnected = false;
        QTcpServer server;
        ASSERT_TRUE(server.listen(QHostAddress::LocalHost, 0));
        QTcpSocket* serverSide = nullptr;
        QObject::connect(&server, &QTcpServer::newConnection, [&] {
            serverSide = server.nextPendingConnection();
            QObject::connect(serverSide, &QTcpSocket::readyRead, [&] { atServer += serverSide->readAll(); });
        });
        QTcpSocket client;
        QObject::connect(&client, &QTcpSocket::readyRead, [&] { atClient += client.readAll(); });
        QObject::connect(&client, &QTcpSocket::disconnected, [&] { clientDisconnected = true; });
        client.connectToHost(QHostAddress::LocalHost, server.serverPort());
        ASSERT_TRUE(waitFor([&] { return serverSide && client.state() == QAbstractSocket::ConnectedState; }));

        client.write("ping");
        ASSERT_TRUE(waitFor([&] { return atServer == "ping"; }));
        serverSide->write("pong");
        ASSERT_TRUE(waitFor([&] { return atClient == "pong"; }));

        // Far beyond the socket buffers: the write notifiers are switched on and off many times.
        const QByteArray reply = pattern(8 << 20, 1);
        const QByteArray upload = pattern(8 << 20, 2);
        atClient.clear();
        serverSide->write(reply);
        ASSERT_TRUE(waitFor([&] { return atClient.size() >= reply.size(); }));
        EXPECT_TRUE(atClient == reply);
        atServer.clear();
        atClient.clear();
        client.write(upload);
        serverSide->write(reply);
        ASSERT_TRUE(
            waitFor([&] { return atServer.size() >= upload.size() && atClient.size() >= reply.size(); }));
        EXPECT_TRUE(atServer == upload);
        EXPECT_TRUE(atClient == reply);

        serverSide->disconnectFromHost();
        EXPECT_TRUE(waitFor([&] { return clientDisconnected; }));
    }));
}

TEST(EpollEventDispatcherTest, NotifierDisabledByAnotherInTheSameIterationIsNotActivated)
{
    int hitsA = 0;
    int hitsB = 0;
    ASSERT_TRUE(runOnEpollThread([&](QObject*) {
        SocketPair a;
        SocketPair b;
        QSocketNotifier notifierA(a.ours(), QSocketNotifier::Read);
        QSocketNotifier notifierB(b.ours(), QSocketNotifier::Read);
        QObject::connect(&notifierA, &QSocketNotifier::activated, [&] {
            ++hitsA;
            drain(a.ours());
            notifierB.setEnabled(false);
        });
        QObject::connect(&notifierB, &QSocketNotifier::activated, [&] {
            ++hitsB;
            drain(b.ours());
            notifierA.setEnabled(false);
        });
        // Both readable before the loop looks: the same wait reports both.
        send(a.peer(), "x");
        send(b.peer(), "x");
        EXPECT_TRUE(waitFor([&] { return hitsA + hitsB > 0; }));
        spinFor(50);
    }));
    EXPECT_EQ(hitsA + hitsB, 1);
}

TEST(EpollEventDispatcherTest, NotifierDeletedByAnotherInTheSameIterationIsNotActivated)
{
    int hits = 0;
    ASSERT_TRUE(runOnEpollThread([&](QObject*) {
        SocketPair a;
        SocketPair b;
        QPointer<QSocketNotifier> notifierA = new QSocketNotifier(a.ours(), QSocketNotifier::Read);
        QPointer<QSocketNotifier> notifierB = new QSocketNotifier(b.ours(), QSocketNotifier::Read);
        QObject::connect(notifierA, &QSocketNotifier::activated, [&] {
            ++hits;
            delete notifierB.data();
        });
        QObject::connect(notifierB, &QSocketNotifier::activated, [&] {
            ++hits;
            delete notifierA.data();
        });
        send(a.peer(), "x");
        send(b.peer(), "x");
        EXPECT_TRUE(waitFor([&] { return hits > 0; }));
        // The survivor stays readable and keeps firing (level-triggered); the other is gone.
        EXPECT_TRUE(notifierA.isNull() != notifierB.isNull());
        delete notifierA.data();
        delete notifierB.data();
    }));
    EXPECT_GE(hits, 1);
}

TEST(EpollEventDispatcherTest, ReadWriteAndExceptionNotifiersShareADescriptor)
{
    ASSERT_TRUE(runOnEpollThread([&](QObject*) {
        SocketPair pair;
        QSocketNotifier reader(pair.ours(), QSocketNotifier::Read);
        QSocketNotifier writer(pair.ours(), QSocketNotifier::Write);
        QSocketNotifier exception(pair.ours(), QSocketNotifier::Exception);
        QByteArray received;
        int writes = 0;
        int exceptions = 0;
        QObject::connect(&reader, &QSocketNotifier::activated, [&] { drain(pair.ours(), &received); });
        QObject::connect(&writer, &QSocketNotifier::activated, [&] {
            ++writes;
            writer.setEnabled(false);
        });
        QObject::connect(&exception, &QSocketNotifier::activated, [&] { ++exceptions; });
        EXPECT_TRUE(waitFor([&] { return writes == 1; }));
        send(pair.peer(), "hi");
        EXPECT_TRUE(waitFor([&] { return received == "hi"; }));
        writer.setEnabled(true);
        EXPECT_TRUE(waitFor([&] { return writes == 2; }));

        // Disabled, the reader hears nothing; enabled again, it hears what arrived meanwhile.
        reader.setEnabled(false);
        send(pair.peer(), "again");
        spinFor(30);
        EXPECT_EQ(received, "hi");
        reader.setEnabled(true);
        EXPECT_TRUE(waitFor([&] { return received == "hiagain"; }));
        EXPECT_EQ(exceptions, 0);
    }));
}

TEST(EpollEventDispatcherTest, PeerHangupReachesReadAndWriteNotifiers)
{
    ASSERT_TRUE(runOnEpollThread([&](QObject*) {
        SocketPair pair;
        // Fill the send buffer so that only the hang-up can wake the writer.
        const QByteArray chunk(65536, 'x');
        while (::write(pair.ours(), chunk.constData(), static_cast<size_t>(chunk.size())) > 0) {
        }
        QSocketNotifier reader(pair.ours(), QSocketNotifier::Read);
        QSocketNotifier writer(pair.ours(), QSocketNotifier::Write);
        bool sawEof = false;
        bool writerWoke = false;
        QObject::connect(&reader, &QSocketNotifier::activated, [&] {
            sawEof = !drain(pair.ours());
            reader.setEnabled(!sawEof);
        });
        QObject::connect(&writer, &QSocketNotifier::activated, [&] {
            writerWoke = true;
            writer.setEnabled(false);
        });
        QCoreApplication::processEvents(); // now in the kernel's set
        EXPECT_FALSE(writerWoke);
        pair.close(1);
        EXPECT_TRUE(waitFor([&] { return sawEof && writerWoke; }));
    }));
}

TEST(EpollEventDispatcherTest, ReusedDescriptorNumberIsWatchedAgain)
{
    bool reused = false;
    bool heard = false;
    ASSERT_TRUE(runOnEpollThread([&](QObject*) {
        auto first = std::make_unique<SocketPair>();
        const int number = first->ours();
        auto* old = new QSocketNotifier(number, QSocketNotifier::Read);
        QCoreApplication::processEvents(); // now in the kernel's set
        // From here to the wait, one iteration: the socket goes and a new one takes its number.
        delete old;
        first.reset();
        SocketPair second;
        const int end = second.fds[0] == number ? 0 : second.fds[1] == number ? 1 : -1;
        reused = end >= 0;
        if (!reused)
            return;
        QSocketNotifier fresh(number, QSocketNotifier::Read);
        QObject::connect(&fresh, &QSocketNotifier::activated, [&] {
            heard = true;
            drain(number);
        });
        send(second.fds[1 - end], "x");
        EXPECT_TRUE(waitFor([&] { return heard; }, 10000));
    }));
    if (!reused)
        GTEST_SKIP() << "the descriptor number was not reused";
    EXPECT_TRUE(heard);
}

TEST(EpollEventDispatcherTest, ExcludeFlagsHoldBackSocketsAndTimers)
{
    ASSERT_TRUE(runOnEpollThread([&](QObject*) {
        SocketPair pair;
        int reads = 0;
        QSocketNotifier reader(pair.ours(), QSocketNotifier::Read);
        QObject::connect(&reader, &QSocketNotifier::activated, [&] {
            ++reads;
            drain(pair.ours());
        });
        int timerFires = 0;
        QTimer timer;
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, [&] { ++timerFires; });
        timer.start(1);
        send(pair.peer(), "x");
        QThread::msleep(10);
        QCoreApplication::processEvents(QEventLoop::ExcludeSocketNotifiers | QEventLoop::X11ExcludeTimers);
        EXPECT_EQ(reads, 0);
        EXPECT_EQ(timerFires, 0);
        QCoreApplication::processEvents(QEventLoop::ExcludeSocketNotifiers);
        EXPECT_EQ(reads, 0);
        EXPECT_EQ(timerFires, 1);

        // With sockets excluded, a wait lasts until the timer instead of spinning on the ready socket.
        timer.start(100);
        int waits = 0;
        while (timerFires == 1 && waits < 100000) {
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents |
                                            QEventLoop::ExcludeSocketNotifiers);
            ++waits;
        }
        EXPECT_EQ(timerFires, 2);
        EXPECT_LT(waits, 1000);
        EXPECT_EQ(reads, 0);
        QCoreApplication::processEvents();
        EXPECT_EQ(reads, 1);
    }));
}

TEST(EpollEventDispatcherTest, TwoThousandConnectionsOpenAtOnceAllEcho)
{
    constexpr int kConnections = 2000;
    rlimit original{};
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &original), 0);
    const rlim_t needed = 2 * kConnections + 256;
    if (original.rlim_cur < needed) {
        rlimit raised = original;
        raised.rlim_cur = needed;
        if ((original.rlim_max != RLIM_INFINITY && original.rlim_max < needed) ||
            setrlimit(RLIMIT_NOFILE, &raised) != 0)
            GTEST_SKIP() << "cannot raise RLIMIT_NOFILE to " << needed;
    }
    int accepted = 0;
    int echoed = 0;
    int stillConnected = 0;
    const bool ended = runOnEpollThread([&](QObject*) {
        QTcpServer server;
        server.setListenBacklogSize(kConnections);
        server.setMaxPendingConnections(kConnections);
        ASSERT_TRUE(server.listen(QHostAddress::LocalHost, 0));
        QObject::connect(&server, &QTcpServer::newConnection, [&] {
            while (QTcpSocket* socket = server.nextPendingConnection()) {
                ++accepted;
                QObject::connect(socket, &QTcpSocket::readyRead, socket,
                                 [socket] { socket->write(socket->readAll()); });
            }
        });
        std::vector<QByteArray> received(kConnections);
        QObject clients;
        for (int i = 0; i < kConnections; ++i) {
            auto* client = new QTcpSocket(&clients);
            const QByteArray message = "connection " + QByteArray::number(i) + "\n";
            QObject::connect(client, &QTcpSocket::connected, client,
                             [client, message] { client->write(message); });
            QObject::connect(client, &QTcpSocket::readyRead, client, [&, i, client, message] {
                QByteArray& got = received[static_cast<size_t>(i)];
                got += client->readAll();
                echoed += got == message ? 1 : 0;
            });
            client->connectToHost(QHostAddress::LocalHost, server.serverPort());
        }
        EXPECT_TRUE(waitFor([&] { return echoed == kConnections; }, 180000));
        for (const QTcpSocket* client : clients.findChildren<QTcpSocket*>())
            stillConnected += client->state() == QAbstractSocket::ConnectedState ? 1 : 0;
    });
    setrlimit(RLIMIT_NOFILE, &original);
    ASSERT_TRUE(ended);
    EXPECT_EQ(accepted, kConnections);
    EXPECT_EQ(echoed, kConnections);
    EXPECT_EQ(stillConnected, kConnections);
}
