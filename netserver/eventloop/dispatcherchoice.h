#pragma once

#include <QString>

class QAbstractEventDispatcher;

namespace coord::eventloop {

// The event dispatcher the daemon's threads run on: EpollEventDispatcher unless the environment
// says MS_COORDINATOR_EVENT_DISPATCHER=qt (Qt's own, glib or poll), kept as a way back should
// a platform misbehave with epoll. Returns null for Qt's own: the thread then creates it.
QAbstractEventDispatcher* createEventDispatcher();

// "epoll" or "qt", for the startup log line.
QString eventDispatcherName();

} // namespace coord::eventloop
