#pragma once

#include "http/responsestream.h"

namespace coord::server {

// Replies the coordinator writes itself are text/plain with the message followed by CRLF,
// exactly as MindIE writes them, because clients and scripts match on these strings.
inline void replyText(http::ResponseStream& response, int status, const char* message)
{
    response.sendFull(status, QByteArrayLiteral("text/plain; charset=utf-8"), QByteArray(message) + "\r\n");
}

// Probe answers carry no body and no content type.
inline void replyEmpty(http::ResponseStream& response, int status)
{
    response.sendFull(status, QByteArray(), QByteArray());
}

inline void replyJson(http::ResponseStream& response, int status, const QByteArray& json)
{
    response.sendFull(status, QByteArrayLiteral("application/json; charset=utf-8"), json);
}

} // namespace coord::server
