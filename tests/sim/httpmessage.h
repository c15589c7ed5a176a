#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace mindiesim {

// One parsed HTTP/1.1 request. Header names keep their original spelling; lookups ignore case.
struct HttpRequest
{
    QByteArray method;
    QByteArray target; // as sent, including the query string
    QByteArray path;   // target without the query string
    QByteArray version;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray& name) const;
    bool hasHeader(const QByteArray& name) const;
    bool wantsKeepAlive() const;
};

// Reason phrases for the statuses the simulator produces.
QByteArray reasonPhrase(int status);

// Chunked transfer framing: "<hex size>\r\n<data>\r\n". An empty payload yields nothing, because a
// zero-size chunk would terminate the stream.
QByteArray frameChunk(const QByteArray& data);
inline constexpr char kLastChunk[] = "0\r\n\r\n";

} // namespace mindiesim
