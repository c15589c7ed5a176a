#pragma once

#include <QByteArray>

#include "apirequest.h"
#include "tokenmodel.h"

namespace mindiesim {

// Everything a formatter needs to render one event or one whole reply.
struct ReplyContext
{
    const ApiRequest* request = nullptr;
    QByteArray responseId; // e.g. the coordinator's req-id, used in OpenAI "id" fields
    qint64 created = 0;    // seconds since the epoch, OpenAI "created"
    double prefillMs = 0;  // MindIE stream fields prefill_time / decode_time
    double decodeMs = 0;
};

// Renders MindIE Server reply bytes per API flavour. Stream events are complete SSE events
// ("data: {json}\n\n"); the last one of an OpenAI stream is followed by "data: [DONE]\n\n".
namespace responseformat {

QByteArray jsonString(const QString& text);

// One stream event for output token `index` (0-based). `textSoFar` includes this token.
QByteArray streamEvent(const ReplyContext& context, const tokenmodel::OutputToken& token, int index,
                       bool last, const QString& textSoFar, const QString& finishReason);
// The full non-stream body.
QByteArray fullBody(const ReplyContext& context, const QString& text, const QList<quint32>& tokenIds,
                    const QString& finishReason);
QByteArray contentType(const ApiRequest& request);
// Error body in the flavour's usual shape (shapes of spec §1.2).
QByteArray errorBody(ApiFlavour flavour, int status, const QByteArray& message);
QByteArray tokenizerBody(const QList<quint32>& tokens);

} // namespace responseformat
} // namespace mindiesim
