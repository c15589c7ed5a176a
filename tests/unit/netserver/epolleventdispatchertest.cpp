// The epoll event dispatcher as the relay's worker threads use it: calls and quits from other
// threads, deleteLater, QTimers (order, stop and restart from handlers, owners deleted mid-pass),
// sockets (large transfers both ways, hang-ups, notifiers disabled mid-iteration, reused
// descriptor numbers) and thousands of connections open at once.
#include "eventloop/epolleventdispatcher.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <thread>
#include <unistd.h>
#include <vector>

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QTimerEvent>

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>

using coord::eventloop::EpollEventDispatcher;

namespace {

// Spins nested event loops of the current thread until `condition` holds or the (generous)
// limit passes.
bool waitFor(const std::function<bool()>& condition, int limitMs = 30000)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition() && timer.elapsed() < limitMs) {
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return condition();
}

void spinFor(int ms)
{
    waitFor([] { return false; }, ms);
}

// Ends `thread` within the limit; if its loop hangs (a lost wake-up), fails the test instead of
// hanging it.
bool joinOrTerminate(QThread& thread, int limitMs)
{
    if (thread.wait(limitMs))
        return true;
    ADD_FAILURE() << "the thread's event loop did not end within " << limitMs << " ms";
    thread.quit();
    if (!thread.wait(5000)) {
        thread.terminate();
        thread.wait();
    }
    return false;
}

// Runs `body` inside the event loop of a new thread driven by an EpollEventDispatcher and waits
// until that thread ends. With quitAfterBody the loop ends when `body` returns; otherwise `body`
// or what it schedules calls QThread::currentThread()->quit(). `context` lives in that thread.
bool runOnEpollThread(const std::function<void(QObject* context)>& body, bool quitAfterBody = true,
                      int limitMs = 240000)
{
    QThread thread;
    thread.setEventDispatcher(new EpollEventDispatcher);
    QObject context;
    context.moveToThread(&thread);
    QMetaObject::invokeMethod(
        &context,
        [&] {
            EXPECT_NE(dynamic_cast<EpollEventDispatcher*>(QAbstractEventDispatcher::instance()), nullptr);
            body(&context);
            if (quitAfterBody)
                QThread::currentThread()->quit();
        },
        Qt::QueuedConnection);
    thread.start();
    return joinOrTerminate(thread, limitMs);
}

class TimerOwner : public QObject
{
public:
    explicit TimerOwner(int* fired) : m_fired(fired) {}

protected:
    void timerEvent(QTimerEvent*) override { ++*m_fired; }

private:
    int* m_fired;
};

struct SocketPair
{
    int fds[2] = {-1, -1};
    SocketPair() { EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0); }
    ~SocketPair() { close(0), close(1); }
    void close(int end)
    {
        if (fds[end] >= 0)
            ::close(fds[end]);
        fds[end] = -1;
    }
    int ours() const { return fds[0]; }
    int peer() const { return fds[1]; }
};

void send(int fd, const QByteArray& data)
{
    EXPECT_EQ(::write(fd, data.constData(), static_cast<size_t>(data.size())), data.size());
}

// Reads what is there; false at end of stream.
bool drain(int fd, QByteArray* into = nullptr)
{
    char buffer[4096];
    ssize_t n = 0;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0) {
        if (into)
            into->append(buffer, n);
    }
    return n != 0;
}

QByteArray pattern(qsizetype size, int seed)
{
    QByteArray data(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = static_cast<char>((i * 131 + seed + i / 4093) & 0xff);
    return data;
}

} // namespace

TEST(EpollEventDispatcherTest, CallFromAnotherThreadWakesAnIdleLoop)
{
    std::thread poster;
    bool delivered = false;
    const bool ended = runOnEpollThread(
        [&](QObject* context) {
            // No timer is running: only the wake-up can end the wait.
            poster = std::thread([context, &delivered] {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                QMetaObject::invokeMethod(
                    context,
                    [&delivered] {
                        delivered = true;
                        QThread::currentThread()->quit();
                    },
                    Qt::QueuedConnection);
            });
        },
        false, 30000);
    poster.join();
    EXPECT_TRUE(ended);
    EXPECT_TRUE(delivered);
}

TEST(EpollEventDispatcherTest, CallsPostedByTheLoopThreadItselfRunWithoutWaitingForATimer)
{
    // Posted from the loop's own thread, a call skips the eventfd; the loop must still not
    // sleep until its next timer (60 s here) before running it.
    QElapsedTimer elapsed;
    qint64 ranAfterMs = -1;
    const bool ended = runOnEpollThread(
        [&](QObject* context) {
            auto* far = new QTimer(context);
            far->start(60000);
            QTimer::singleShot(0, context, [&, context] {
                elapsed.start();
                QMetaObject::invokeMethod(
                    context,
                    [&] {
                        ranAfterMs = elapsed.elapsed();
                        QThread::currentThread()->quit();
                    },
                    Qt::QueuedConnection);
            });
        },
        false, 30000);
    EXPECT_TRUE(ended);
    EXPECT_GE(ranAfterMs, 0);
    EXPECT_LT(ranAfterMs, 20000); // far below the 60 s timer: the wait did not block
}

TEST(EpollEventDispatcherTest, QuitFromAnotherThreadEndsAnIdleLoop)
{
    QThread thread;
    thread.setEventDispatcher(new EpollEventDispatcher);
    QObject context;
    context.moveToThread(&thread);
    std::atomic<bool> running{false};
    QMetaObject::invokeMethod(
        &context, [&] { running = true; }, Qt::QueuedConnection);
    thread.start();
    QElapsedTimer timer;
    timer.start();
    while (!running && timer.elapsed() < 30000)
        QThread::msleep(1);
    ASSERT_TRUE(running);
    QThread::msleep(50); // most likely blocked in the wait by now
    thread.quit();
    EXPECT_TRUE(joinOrTerminate(thread, 30000));
}

TEST(EpollEventDispatcherTest, QueuedCallsAndSignalsFromOtherThreadsArriveInOrder)
{
    constexpr int kCalls = 5000;
    constexpr int kSignals = 300;
    int calls = 0;
    bool inOrder = true;
    int signalsSeen = 0;
    ASSERT_TRUE(runOnEpollThread([&](QObject* context) {
        std::thread poster([&] {
            for (int i = 0; i < kCalls; ++i) {
                QMetaObject::invokeMethod(
                    context,
                    [&, i] {
                        inOrder = inOrder && i == calls;
                        ++calls;
                    },
                    Qt::QueuedConnection);
                if (i % 500 == 0)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        });
        std::thread emitter([&] {
            QObject sender;
            QObject::connect(
                &sender, &QObject::objectNameChanged, context, [&] { ++signalsSeen; }, Qt::QueuedConnection);
            for (int i = 0; i < kSignals; ++i)
                sender.setObjectName(QString::number(i));
        });
        EXPECT_TRUE(waitFor([&] { return calls == kCalls && signalsSeen == kSignals; }));
        poster.join();
        emitter.join();
    }));
    EXPECT_EQ(calls, kCalls);
    EXPECT_TRUE(inOrder);
    EXPECT_EQ(signalsSeen, kSignals);
}

TEST(EpollEventDispatcherTest, DeleteLaterDeletesOnceControlReturnsToTheLoop)
{
    bool destroyed = false;
    bool destroyedInsideHandler = true;
    bool destroyedBeforeNextCall = false;
    ASSERT_TRUE(runOnEpollThread(
        [&](QObject* context) {
            auto* object = new QObject;
            QObject::connect(object, &QObject::destroyed, [&] { destroyed = true; });
            object->deleteLater();
            QCoreApplication::processEvents(); // not here: this handler may still use it
            destroyedInsideHandler = destroyed;
            QMetaObject::invokeMethod(
                context,
                [&] {
                    destroyedBeforeNextCall = destroyed;
                    QThread::currentThread()->quit();
                },
                Qt::QueuedConnection);
        },
        false));
    EXPECT_FALSE(destroyedInsideHandler);
    EXPECT_TRUE(destroyedBeforeNextCall);
}

TEST(EpollEventDispatcherTest, DeleteLaterFromAHandlerInANestedLoopDeletes)
{
    bool destroyed = false;
    ASSERT_TRUE(runOnEpollThread([&](QObject* context) {
        QPointer<QObject> object = new QObject;
        QObject::connect(object, &QObject::destroyed, [&] { destroyed = true; });
        QTimer::singleShot(1, context, [object] { object->deleteLater(); });
        EXPECT_TRUE(waitFor([&] { return destroyed; }));
    }));
    EXPECT_TRUE(destroyed);
}

TEST(EpollEventDispatcherTest, SingleShotAndRepeatingTimersFire)
{
    int singleShots = 0;
    int staticSingleShots = 0;
    int repeats = 0;
    ASSERT_TRUE(runOnEpollThread([&](QObject* context) {
        QTimer single;
        single.setSingleShot(true);
        QObject::connect(&single, &QTimer::timeout, [&] { ++singleShots; });
        QTimer repeating;
        QObject::connect(&repeating, &QTimer::timeout, [&] { ++repeats; });
        single.start(20);
        repeating.start(5);
        QTimer::singleShot(10, context, [&] { ++staticSingleShots; });
        EXPECT_TRUE(waitFor([&] { return singleShots == 1 && staticSingleShots == 1 && repeats >= 10; }));
        spinFor(60);
    }));
    EXPECT_EQ(singleShots, 1);
    EXPECT_EQ(staticSingleShots, 1);
    EXPECT_GE(repeats, 10);
}

TEST(EpollEventDispatcherTest, DueTimersFireInDeadlineOrder)
{
    std::vector<int> order;
    ASSERT_TRUE(runOnEpollThread([&](QObject*) {
        std::vector<std::unique_ptr<QTimer>> timers;
        for (const int interval : {800, 600, 400, 200, 0}) {
            auto timer = std::make_unique<QTimer>();
            timer->setSingleShot(true);
            QObject::connect(timer.get(), &QTimer::timeout,
                             [&order, interval] { order.push_back(interval); });
            timer->start(interval);
            timers.push_back(std::move(timer));
        }
        // Keep the loop away until all are due, so that one pass has to order them.
        QThread::msleep(900);
        EXPECT_TRUE(waitFor([&] { return order.size() == 5; }));
    }));
    EXPECT_EQ(order, (std::vector<int>{0, 200, 400, 600, 800}));
}

TEST(EpollEventDispatcherTest, StoppedTimersDoNotFire)
{
    int stoppedAtOnce = 0;
    int stoppedByEarlierTimer = 0;
    int stopper = 0;
    int selfStopping = 0;
    ASSERT_TRUE(runOnEpollThread([&](QObject*) {
        QTimer atOnce;
        QObject::connect(&atOnce, &QTimer::timeout, [&] { ++stoppedAtOnce; });
        atOnce.start(10);
        atOnce.stop();
        QTimer early;
        QTimer victim;
        early.setSingleShot(true);
        QObject::connect(&early, &QTimer::timeout, [&] {
            ++stopper;
            victim.stop();
        });
        QObject::connect(&victim, &QTimer::timeout, [&] { ++stoppedByEarlierTimer; });
        early.start(10);
        victim.start(20);
        QTimer repeating;
        QObject::connect(&repeating, &QTimer::timeout, [&] {
            if (++selfStopping == 3)
                repeating.stop();
        });
        QThread::msleep(50); // early and victim are both due in the next pass
        repeating.start(5);
        EXPECT_TRUE(waitFor([&] { return stopper == 1 && selfStopping == 3; }));
        spinFor(100);
    }));
    EXPECT_EQ(stoppedAtOnce, 0);
    EXPECT_EQ(stopper, 1);
    EXPECT_EQ(stoppedByEarlierTimer, 0);
    EXPECT_EQ(selfStopping, 3);
}

TEST(EpollEventDispatcherTest, TimersRestartedFromTheirOwnHandlerFireAgain)
{
    int singleShotFires = 0;
    int repeatingFires = 0;
    int zeroFires = 0;
    ASSERT_TRUE(runOnEpollThread([&](QObject*) {
        QTimer once;
        once.setSingleShot(true);
        QObject::connect(&once, &QTimer::timeout, [&] {
            if (++singleShotFires < 3)
                once.start(5);
        });
        QTimer repeating;
        QObject::connect(&repeating, &QTimer::timeout, [&] {
            if (++repeatingFires == 1)
                repeating.start(10);
        });
        // A zero-interval single shot that keeps restarting itself must not starve the others.
        QTimer zero;
        zero.setSingleShot(true);
        QObject::connect(&zero, &QTimer::timeout, [&] {
            ++zeroFires;
            zero.start(0);
        });
        once.start(5);
        repeating.start(5);
        zero.start(0);
        EXPECT_TRUE(waitFor([&] { return singleShotFires == 3 && repeatingFires >= 4; }));
        zero.stop();
        spinFor(50);
    }));
    EXPECT_EQ(singleShotFires, 3);
    EXPECT_GE(repeatingFires, 4);
    EXPECT_GT(zeroFires, 1);
}

TEST(EpollEventDispatcherTest, RepeatingTimerKeepsItsCadenceButDoesNotCatchUp)
{
    int cadenceRemaining = -2;
    int laggardRemaining = -2;
    ASSERT_TRUE(runOnEpollThread([&](QObject*) {
        QTimer cadence;
        QTimer laggard;
        QObject::connect(&cadence, &QTimer::timeout, [&] {
            cadenceRemaining = cadence.remainingTime();
            cadence.stop();
        });
        QObject::connect(&laggard, &QTimer::timeout, [&] {
            laggardRemaining = laggard.remainingTime();
            laggard.stop();
        });
        cadence.start(200);
        laggard.start(100);
        // 150 ms late for `cadence`: its next deadline still counts from the missed one, 50 ms
        // ahead. More than an interval late for `laggard`: it fires once, next one from now.
        QThread::msleep(350);
        EXPECT_TRUE(waitFor([&] { return cadenceRemaining != -2 && laggardRemaining != -2; }));
    }));
    EXPECT_GE(cadenceRemaining, 0);
    EXPECT_LE(cadenceRemaining, 100);
    EXPECT_GT(laggardRemaining, 0);
}

TEST(EpollEventDispatcherTest, ZeroIntervalTimerFiresOncePerIteration)
{
    int fires = 0;
    ASSERT_TRUE(runOnEpollThread([&](QObject*) {
        QTimer zero;
        QObject::connect(&zero, &QTimer::timeout, [&] { ++fires; });
        zero.start(0);
        for (int i = 0; i < 10; ++i)
            QCoreApplication::processEvents();
        zero.stop();
    }));
    EXPECT_EQ(fires, 10);
}

TEST(EpollEventDispatcherTest, TimerOwnersDeletedByAnEarlierTimerInTheSamePassDoNotFire)
{
    int ownerFires = 0;
    int childFires = 0;
    int killerFires = 0;
    qsizetype registeredBefore = 0;
    ASSERT_TRUE(runOnEpollThread([&](QObject*) {
        auto* owner = new TimerOwner(&ownerFires);
        owner->startTimer(20);
        owner->startTimer(21);
        owner->startTimer(22, Qt::PreciseTimer);
        registeredBefore = QAbstractEventDispatcher::instance()->registeredTimers(owner).size();
        auto* parent = new QObject;
        auto* child = new QTimer(parent);
        QObject::connect(child, &QTimer::timeout, [&] { ++childFires; });
        child->start(20);
        QTimer killer;
        killer.setSingleShot(true);
        QObject::connect(&killer, &QTimer::timeout, [&] {
            ++killerFires;
            delete owner;
            delete parent;
        });
        killer.start(5);
        QThread::msleep(60); // everything is due in the next pass, the killer first
        EXPECT_TRUE(waitFor([&] { return killerFires == 1; }));
        spinFor(60);
    }));
    EXPECT_EQ(registeredBefore, 3);
    EXPECT_EQ(killerFires, 1);
    EXPECT_EQ(ownerFires, 0);
    EXPECT_EQ(childFires, 0);
}

TEST(EpollEventDispatcherTest, TimerIsNotDeliveredAgainInsideItsOwnNestedLoop)
{
    int entries = 0;
    int reentries = 0;
    ASSERT_TRUE(runOnEpollThread([&](QObject*) {
        int ticks = 0;
        QTimer ticker;
        QObject::connect(&ticker, &QTimer::timeout, [&] { ++ticks; });
        ticker.start(5);
        bool inside = false;
        QTimer busy;
        QObject::connect(&busy, &QTimer::timeout, [&] {
            if (inside) {
                ++reentries;
                return;
            }
            inside = true;
            if (++entries == 1) {
                // Overdue several times over while this nested loop runs.
                const int start = ticks;
                EXPECT_TRUE(waitFor([&] { return ticks >= start + 10; }));
            }
            inside = false;
        });
        busy.start(5);
        EXPECT_TRUE(waitFor([&] { return entries >= 3; }));
    }));
    EXPECT_EQ(reentries, 0);
    EXPECT_GE(entries, 3);
}

TEST(EpollEventDispatcherTest, RegisteredTimersAndRemainingTimeReportRegistrations)
{
    ASSERT_TRUE(runOnEpollThread([&](QObject*) {
        QAbstractEventDispatcher* dispatcher = QAbstractEventDispatcher::instance();
        int fired = 0;
        TimerOwner owner(&fired);
        const int second = owner.startTimer(1000, Qt::PreciseTimer);
        const int hour = owner.startTimer(std::chrono::hours(1), Qt::VeryCoarseTimer);
        QObject other;
        EXPECT_TRUE(dispatcher->registeredTimers(&other).isEmpty());

        const auto timers = dispatcher->registeredTimers(&owner);
        ASSERT_EQ(timers.size(), 2);
        for (const auto& info : timers) {
            if (info.timerId == second) {
                EXPECT_EQ(info.interval, 1000);
                EXPECT_EQ(info.timerType, Qt::PreciseTimer);
            } else {
                EXPECT_EQ(info.timerId, hour);
                EXPECT_EQ(info.interval, 3600 * 1000);
                EXPECT_EQ(info.timerType, Qt::VeryCoarseTimer);
            }
        }
        EXPECT_GE(dispatcher->remainingTime(second), 0);
        EXPECT_LE(dispatcher->remainingTime(second), 1000);
        EXPECT_GT(dispatcher->remainingTime(hour), 3000 * 1000);
        EXPECT_LE(dispatcher->remainingTime(hour), 3600 * 1000);
        EXPECT_EQ(dispatcher->remainingTime(std::max(second, hour) + 1000000), -1);

        owner.killTimer(second);
        ASSERT_EQ(dispatcher->registeredTimers(&owner).size(), 1);
        EXPECT_EQ(dispatcher->registeredTimers(&owner).first().timerId, hour);
        EXPECT_EQ(dispatcher->remainingTime(second), -1);

        QTimer timer;
        timer.start(5000);
        EXPECT_GT(timer.remainingTime(), 0);
        EXPECT_LE(timer.remainingTime(), 5000);
        QTimer overdue;
        overdue.start(1);
        QThread::msleep(10);
        EXPECT_EQ(overdue.remainingTime(), 0);
        EXPECT_EQ(fired, 0);
    }));
}

TEST(EpollEventDispatcherTest, ManyTimersStartedAndStoppedFireExactlyWhenRunning)
{
    constexpr int kTimers = 3000;
    std::vector<int> fires(kTimers);
    // Odd ones are stopped, and half of those started again.
    const auto running = [](int i) { return i % 2 == 0 || i % 4 == 1; };
    int expected = 0;
    for (int i = 0; i < kTimers; ++i)
        expected += running(i) ? 1 : 0;
    int total = 0;
    ASSERT_TRUE(runOnEpollThread([&](QObject*) {
        std::vector<std::unique_ptr<QTimer>> timers;
        for (int i = 0; i < kTimers; ++i) {
            auto timer = std::make_unique<QTimer>();
            timer->setSingleShot(true);
            QObject::connect(timer.get(), &QTimer::timeout, [&, i] {
                ++fires[static_cast<size_t>(i)];
                ++total;
            });
            timer->start(1 + (i * 37) % 60);
            timers.push_back(std::move(timer));
        }
        for (int i = 1; i < kTimers; i += 2)
            timers[static_cast<size_t>(i)]->stop();
        for (int i = 1; i < kTimers; i += 4)
            timers[static_cast<size_t>(i)]->start(30);
        EXPECT_TRUE(waitFor([&] { return total == expected; }));
        spinFor(100);
    }));
    EXPECT_EQ(total, expected);
    for (int i = 0; i < kTimers; ++i)
        ASSERT_EQ(fires[static_cast<size_t>(i)], running(i) ? 1 : 0) << "timer " << i;
}

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
