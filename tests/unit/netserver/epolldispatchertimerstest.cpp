// The epoll event dispatcher as the relay's worker threads use it: calls and quits from other
// threads, deleteLater, and QTimers (order, stop and restart from handlers, owners deleted
// mid-pass, no drift, no catch-up). Sockets: epolldispatchersocketstest.cpp.
#include "epolltestsupport.h"

using namespace coord::test;

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
