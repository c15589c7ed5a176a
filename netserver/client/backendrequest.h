#pragma once

#include <functional>

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QString>

class QIODevice;

namespace coord::client {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// Why a transfer ended. Everything except Completed is a failure the caller must answer for.
enum class TransferOutcome
{
    Completed,     // the whole response arrived
    ConnectFailed, // no connection could be made (refused, unreachable, connect timeout)
    SendFailed,    // connected, but the request could not be written
    ReadFailed,    // the response broke off or could not be parsed
    TimedOut,      // the transfer's own time limit passed
    Cancelled,     // cancel() was called; no callback follows
};

const char* outcomeName(TransferOutcome outcome);

// One HTTP request to an instance (or the Controller, or etcd), answered through callbacks on
// the thread of the BackendClient that runs it. Callbacks may cancel the transfer.
struct BackendRequest
{
    QByteArray method = QByteArrayLiteral("POST");
    QByteArray url; // http(s)://ip:port/target
    HeaderList headers;
    QByteArray body;
    int connectTimeoutMs = 5000;
    int totalTimeoutMs = 0; // 0: none; request timeouts are enforced by the request pipeline
    int idleTimeoutMs = 0;  // 0: none; otherwise the transfer fails after this long without a byte
    // Deliver the body with its chunk framing untouched, for protocols that give chunk
    // boundaries a meaning (the /dresult stream).
    bool rawChunkedBody = false;
    // Where onData writes the body (the user's socket), for backpressure: while more than
    // kBacklogHighBytes wait in its write buffer, the transfer stops reading from the instance
    // and resumes once the buffer has drained below kBacklogLowBytes. A slow reader then holds
    // the instance's stream in TCP buffers rather than in our memory. Null: no backpressure.
    QPointer<QIODevice> backpressureSink;
    static constexpr qint64 kBacklogHighBytes = 1024 * 1024;
    static constexpr qint64 kBacklogLowBytes = 256 * 1024;

    // The status line and headers arrived (first of the callbacks, once).
    std::function<void(int status, const HeaderList& headers)> onHead;
    // A piece of the body, already de-chunked; pieces arrive in order as they are received.
    std::function<void(const QByteArray& data)> onData;
    // The transfer ended (last callback, exactly once unless cancelled).
    std::function<void(TransferOutcome outcome, const QString& detail)> onDone;
};

} // namespace coord::client
