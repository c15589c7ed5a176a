#pragma once
// Helpers of the epoll event dispatcher tests: event-loop waits, a thread driven by the
// dispatcher, timer owners and socket pairs.
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

#include "eventloop/epolleventdispatcher.h"
#include "eventloopwait.h"

namespace coord::test {

using coord::eventloop::EpollEventDispatcher;

// Spins nested event loops of the current thread until `condition` holds or the (generous)
// limit passes.
inline bool waitFor(const std::function<bool()>& condition, int limitMs = 30000)
{
    return waitUntil(condition, limitMs);
}

inline void spinFor(int ms)
{
    waitFor([] { return false; }, ms);
}

// Ends `thread` within the limit; if its loop hangs (a lost wake-up), fails the test instead of
// hanging it.
inline bool joinOrTerminate(QThread& thread, int limitMs)
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
inline bool runOnEpollThread(const std::function<void(QObject* context)>& body, bool quitAfterBody = true,
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

inline void send(int fd, const QByteArray& data)
{
    EXPECT_EQ(::write(fd, data.constData(), static_cast<size_t>(data.size())), data.size());
}

// Reads what is there; false at end of stream.
inline bool drain(int fd, QByteArray* into = nullptr)
{
    char buffer[4096];
    ssize_t n = 0;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0) {
        if (into)
            into->append(buffer, n);
    }
    return n != 0;
}

inline QByteArray pattern(qsizetype size, int seed)
{
    QByteArray data(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = static_cast<char>((i * 131 + seed + i / 4093) & 0xff);
    return data;
}

} // namespace coord::test
