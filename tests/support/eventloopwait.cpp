#include "eventloopwait.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

namespace coord::test {

bool waitUntil(const std::function<bool()>& condition, int limitMs, int stepMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition() && timer.elapsed() < limitMs) {
        QEventLoop loop;
        QTimer::singleShot(stepMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return condition();
}

void spinEventLoop(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace coord::test
