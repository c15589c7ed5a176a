#pragma once

#include <QHostAddress>
#include <QList>

namespace coord::http {

// Opens `count` listening sockets on one address and port with SO_REUSEPORT, so that each
// worker thread can accept on its own socket and the kernel spreads connections over them.
// With port 0 the first socket picks a free port and the others join it. Returns the
// descriptors (the caller hands each to one HttpFrontend), or an empty list and `error`.
QList<qintptr> openReusePortListeners(const QHostAddress& address, quint16 port, int count, int backlog,
                                      QString* error);

} // namespace coord::http
