#pragma once

#include <optional>

#include <QByteArray>
#include <QList>
#include <QString>

#include "apiflavour.h"

namespace coord {

// What the scheduler and the relay need to know about one user request, read from its route
// and body by the rules of spec §1.2. The body itself is forwarded unchanged.
struct InferenceRequest
{
    ApiFlavour flavour = ApiFlavour::OpenAi;
    bool stream = false;
    // Bytes of the text the request is scheduled by (prompt, inputs, messages dump...), or,
    // for token-id inputs, the number of tokens; see inputIsTokenCount.
    qint64 inputLength = 0;
    bool inputIsTokenCount = false;
    // OpenAI chat requests only: the compact JSON text of each element of `messages`, written
    // once here and reused by cache affinity's conversation hashes. The text is canonical in
    // whitespace, escapes and numbers (as Qt's Compact writer writes them, so its size is the
    // size Qt measured; of duplicate keys only the last is kept) but keeps the keys in the
    // order the client wrote them, where Qt would sort them: the same message sent with other
    // spacing or \u escapes gives the same text, and a client resending a conversation writes
    // its keys in the same order. (Bodies only Qt's lenient parser accepts, see
    // parseInferenceRequest, are rewritten by Qt first: their dumps have sorted keys.)
    QList<QByteArray> messageDumps;
    bool hasMessageArray = false;
    // Triton only: the model segment of the path.
    QByteArray model;
};

// Why a request was refused before scheduling: the status and the text of MindIE's answer.
struct RequestRejection
{
    int status = 400;
    QByteArray message; // without the trailing CRLF

    static RequestRejection invalidFormat();
};

struct ParseResult
{
    std::optional<InferenceRequest> request;
    RequestRejection rejection; // meaningful when request is empty
};

// Reads flavour, stream flag and scheduling input from a POST to `path` with `body`.
// `path` must be one of the inference routes (the router only calls this for those).
// The body is read with simdjson (one parser per thread). A body simdjson refuses is read again
// by QJsonDocument, which tolerates raw control characters in strings, unknown escapes and
// numbers such as .5 or integers beyond 64 bits, so that every body the former Qt-only reader
// accepted is still accepted with the same results. Differences from that reader: a string with
// a lone UTF-16 surrogate escape (\ud800) is refused, and a number that underflows to zero
// (1e-400) is accepted as 0.
ParseResult parseInferenceRequest(const QByteArray& path, const QByteArray& body);

} // namespace coord
