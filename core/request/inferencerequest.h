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
    // once here and reused by cache affinity's conversation hashes.
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
ParseResult parseInferenceRequest(const QByteArray& path, const QByteArray& body);

} // namespace coord
