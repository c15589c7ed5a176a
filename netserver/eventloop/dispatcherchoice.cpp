#include "dispatcherchoice.h"

#include <QByteArray>

#include "epolleventdispatcher.h"

namespace coord::eventloop {

namespace {
bool useQtDispatcher()
{
    return qgetenv("MS_COORDINATOR_EVENT_DISPATCHER").trimmed().toLower() == "qt";
}
} // namespace

QAbstractEventDispatcher* createEventDispatcher()
{
    return useQtDispatcher() ? nullptr : new EpollEventDispatcher;
}

QString eventDispatcherName()
{
    return useQtDispatcher() ? QStringLiteral("qt") : QStringLiteral("epoll");
}

} // namespace coord::eventloop
