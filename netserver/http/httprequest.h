#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>

namespace coord::http {

// A request as the rest of the daemon sees it: copied out of QtHttpServer's per-connection
// request object (which is reused for the next request on the connection), so it can be kept
// for as long as the job that serves it lives.
struct HttpRequest
{
    QByteArray method; // upper case, e.g. "POST"
    QByteArray path;   // decoded path, e.g. "/v1/chat/completions"
    QByteArray target; // path plus "?query" when a query is present: what routes match against
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QHostAddress peerAddress;
    quint16 peerPort = 0;

    // First header with this name, compared case-insensitively; empty when absent.
    QByteArray header(const QByteArray& name) const
    {
        for (const auto& [key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
};

} // namespace coord::http
