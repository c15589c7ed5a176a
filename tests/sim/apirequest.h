#pragma once

#include <QList>
#include <QString>

#include "httpmessage.h"

namespace mindiesim {

// The user API families a MindIE Server serves (spec §1.2). Each has its own body and stream format.
enum class ApiFlavour
{
    TgiGenerate,      // POST /generate with "inputs" (always one JSON object)
    TgiRoot,          // POST / (array body when not streaming)
    TgiStream,        // POST /generate_stream
    Vllm,             // POST /generate with "prompt"
    OpenAiChat,       // POST /v1/chat/completions
    OpenAiCompletion, // POST /v1/completions
    TritonGenerate,   // POST /v2/models/{m}/generate and generate_stream
    TritonInfer,      // POST /v2/models/{m}/infer
    MindIeInfer,      // POST /infer
    MindIeInferToken, // POST /infer_token
};

const char* flavourName(ApiFlavour flavour);

struct ApiRequest
{
    ApiFlavour flavour = ApiFlavour::OpenAiChat;
    bool stream = false;
    bool details = false;
    QString promptText;
    QList<quint32> promptTokens;
    int maxNewTokens = 0;
    quint64 seed = 0;
    QString model;
    QByteArray clientId; // Triton "id", echoed back
};

struct ApiParseOptions
{
    int defaultOutputTokens = 16;
    int maxOutputTokens = 512;
    quint64 seed = 0;
    QString modelName;
};

struct ApiParseResult
{
    bool ok = false;
    bool routeKnown = false;
    QByteArray error;
    ApiRequest request;
};

// True for every POST route that runs inference.
bool isInferenceRoute(const QByteArray& path);
ApiParseResult parseApiRequest(const HttpRequest& http, const ApiParseOptions& options);

} // namespace mindiesim
