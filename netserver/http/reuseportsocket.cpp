#include "reuseportsocket.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace coord::http {

namespace {
// Fills a sockaddr for `address`; returns its length, or 0 if the address family is unusable.
socklen_t toSockaddr(const QHostAddress& address, quint16 port, sockaddr_storage* storage)
{
    std::memset(storage, 0, sizeof(*storage));
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto* v6 = reinterpret_cast<sockaddr_in6*>(storage);
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        std::memcpy(&v6->sin6_addr, &bytes, sizeof(bytes));
        return sizeof(sockaddr_in6);
    }
    auto* v4 = reinterpret_cast<sockaddr_in*>(storage);
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    v4->sin_addr.s_addr = htonl(address.toIPv4Address());
    return sizeof(sockaddr_in);
}

QString describe(const QHostAddress& address, quint16 port, const char* step)
{
    return QStringLiteral("cannot listen on %1:%2 (%3: %4)")
        .arg(address.toString())
        .arg(port)
        .arg(QString::fromLatin1(step), QString::fromLocal8Bit(std::strerror(errno)));
}
} // namespace

QList<qintptr> openReusePortListeners(const QHostAddress& address, quint16 port, int count, int backlog,
                                      QString* error)
{
    QList<qintptr> descriptors;
    const auto fail = [&](const char* step, int fd) {
        if (error)
            *error = describe(address, port, step);
        if (fd >= 0)
            ::close(fd);
        for (qintptr open : descriptors)
            ::close(static_cast<int>(open));
        return QList<qintptr>{};
    };
    for (int i = 0; i < count; ++i) {
        sockaddr_storage storage;
        const socklen_t length = toSockaddr(address, port, &storage);
        const int fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return fail("socket", fd);
        const int on = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
        if (::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0)
            return fail("SO_REUSEPORT", fd);
        if (::bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0)
            return fail("bind", fd);
        if (::listen(fd, backlog) != 0)
            return fail("listen", fd);
        if (port == 0) {
            // Later sockets must join the port the kernel chose for the first one.
            sockaddr_storage bound;
            socklen_t boundLength = sizeof(bound);
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &boundLength);
            port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                     : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
        }
        descriptors.append(fd);
    }
    return descriptors;
}

} // namespace coord::http
