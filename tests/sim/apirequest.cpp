#include "apirequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "tokenmodel.h"

namespace mindiesim {

namespace {

bool isTritonRoute(const QByteArray& path, const QByteArray& action)
{
    // /v2/models/{m}/<action>; the model segment may be empty when the caller does not know it.
    return path.startsWith("/v2/models/") && path.endsWith("/" + action) && path.count('/') == 4;
}

int readInt(const QJsonValue& value, int fallback)
{
    if (value.isDouble())
        return value.toInt(fallback);
    if (value.isString()) {
        bool ok = false;
        const int parsed = value.toString().toInt(&ok);
        return ok ? parsed : fallback;
    }
    return fallback;
}

quint64 readSeed(const QJsonValue& value)
{
    if (value.isDouble())
        return quint64(value.toDouble());
    if (value.isString())
        return value.toString().toULongLong(); // "null" and other text give 0, like no seed
    return 0;
}

QString chatPromptText(const QJsonArray& messages)
{
    // A fixed role template: shared leading messages give shared leading tokens (prefix cache).
    QString text;
    for (const QJsonValue& message : messages) {
        const QJsonObject object = message.toObject();
        text += QLatin1String("<|") + object.value(QLatin1String("role")).toString() + QLatin1String("|>\n");
        const QJsonValue content = object.value(QLatin1String("content"));
        text += content.isString()
                    ? content.toString()
                    : QString::fromUtf8(QJsonDocument(content.toArray()).toJson(QJsonDocument::Compact));
        text += QLatin1Char('\n');
    }
    return text + QLatin1String("<|assistant|>\n");
}

QList<quint32> readTokenIds(const QJsonArray& array)
{
    QList<quint32> tokens;
    tokens.reserve(array.size());
    for (const QJsonValue& value : array)
        tokens.append(quint32(value.toDouble()));
    return tokens;
}

bool identifyFlavour(const QByteArray& path, const QJsonObject& body, ApiFlavour& flavour)
{
    if (path == "/generate") {
        if (body.contains(QLatin1String("inputs")))
            flavour = ApiFlavour::TgiGenerate;
        else if (body.contains(QLatin1String("prompt")))
            flavour = ApiFlavour::Vllm;
        else
            return false;
        return true;
    }
    if (path == "/")
        flavour = ApiFlavour::TgiRoot;
    else if (path == "/generate_stream")
        flavour = ApiFlavour::TgiStream;
    else if (path == "/v1/chat/completions")
        flavour = ApiFlavour::OpenAiChat;
    else if (path == "/v1/completions")
        flavour = ApiFlavour::OpenAiCompletion;
    else if (isTritonRoute(path, "generate") || isTritonRoute(path, "generate_stream"))
        flavour = ApiFlavour::TritonGenerate;
    else if (isTritonRoute(path, "infer"))
        flavour = ApiFlavour::TritonInfer;
    else if (path == "/infer")
        flavour = ApiFlavour::MindIeInfer;
    else if (path == "/infer_token")
        flavour = ApiFlavour::MindIeInferToken;
    else
        return false;
    return true;
}

// Fills prompt, stream flag, length and seed from the flavour's own fields.
QByteArray readFields(const QByteArray& path, const QJsonObject& body, ApiRequest& request, int& maxTokens)
{
    const QJsonObject parameters = body.value(QLatin1String("parameters")).toObject();
    const bool bodyStream = body.value(QLatin1String("stream")).toBool(false);
    request.details = parameters.value(QLatin1String("details")).toBool(false);
    request.seed =
        readSeed(parameters.contains(QLatin1String("seed")) ? parameters.value(QLatin1String("seed"))
                                                            : body.value(QLatin1String("seed")));
    switch (request.flavour) {
    case ApiFlavour::TgiGenerate:
    case ApiFlavour::TgiRoot:
    case ApiFlavour::TgiStream:
        request.promptText = body.value(QLatin1String("inputs")).toString();
        request.stream = request.flavour == ApiFlavour::TgiStream ||
                         (request.flavour == ApiFlavour::TgiRoot && bodyStream);
        maxTokens = readInt(parameters.value(QLatin1String("max_new_tokens")), 0);
        return request.promptText.isEmpty() ? QByteArray("inputs must be a non-empty string") : QByteArray();
    case ApiFlavour::Vllm:
        request.promptText = body.value(QLatin1String("prompt")).toString();
        request.stream = bodyStream;
        maxTokens = readInt(body.value(QLatin1String("max_tokens")), 0);
        return request.promptText.isEmpty() ? QByteArray("prompt must be a non-empty string") : QByteArray();
    case ApiFlavour::OpenAiChat:
    case ApiFlavour::OpenAiCompletion: {
        request.stream = bodyStream;
        request.model = body.value(QLatin1String("model")).toString();
        maxTokens = readInt(body.value(QLatin1String("max_completion_tokens")),
                            readInt(body.value(QLatin1String("max_tokens")), 0));
        if (body.value(QLatin1String("prompt")).isString())
            request.promptText = body.value(QLatin1String("prompt")).toString();
        else if (body.value(QLatin1String("messages")).isArray())
            request.promptText = chatPromptText(body.value(QLatin1String("messages")).toArray());
        else
            return "Missing both 'prompt' or 'messages'";
        return {};
    }
    case ApiFlavour::TritonGenerate:
    case ApiFlavour::TritonInfer: {
        request.stream = path.endsWith("/generate_stream");
        request.clientId = body.value(QLatin1String("id")).toString().toUtf8();
        maxTokens = readInt(parameters.value(QLatin1String("max_new_tokens")), 0);
        if (body.value(QLatin1String("text_input")).isString()) {
            request.promptText = body.value(QLatin1String("text_input")).toString();
            return {};
        }
        const QJsonObject input = body.value(QLatin1String("inputs")).toArray().first().toObject();
        if (input.value(QLatin1String("datatype")).toString() != QLatin1String("UINT32"))
            return "text_input or UINT32 inputs[0] required";
        request.promptTokens = readTokenIds(input.value(QLatin1String("data")).toArray());
        return request.promptTokens.isEmpty() ? QByteArray("inputs[0].data is empty") : QByteArray();
    }
    case ApiFlavour::MindIeInfer:
    case ApiFlavour::MindIeInferToken: {
        request.stream = bodyStream;
        maxTokens = readInt(parameters.value(QLatin1String("max_new_tokens")), 0);
        const bool hasText = body.contains(QLatin1String("inputs"));
        const bool hasIds = body.contains(QLatin1String("input_id"));
        if (hasText == hasIds)
            return "exactly one of inputs and input_id is required";
        if (hasIds)
            request.promptTokens = readTokenIds(body.value(QLatin1String("input_id")).toArray());
        else
            request.promptText = body.value(QLatin1String("inputs")).toString();
        return {};
    }
    }
    return {};
}

} // namespace

const char* flavourName(ApiFlavour flavour)
{
    switch (flavour) {
    case ApiFlavour::TgiGenerate:
    case ApiFlavour::TgiRoot:
    case ApiFlavour::TgiStream:
        return "tgi";
    case ApiFlavour::Vllm:
        return "vllm";
    case ApiFlavour::OpenAiChat:
    case ApiFlavour::OpenAiCompletion:
        return "openai";
    case ApiFlavour::TritonGenerate:
    case ApiFlavour::TritonInfer:
        return "triton";
    case ApiFlavour::MindIeInfer:
    case ApiFlavour::MindIeInferToken:
        return "mindie";
    }
    return "unknown";
}

bool isInferenceRoute(const QByteArray& path)
{
    ApiFlavour ignored{};
    QJsonObject withInputs;
    withInputs.insert(QLatin1String("inputs"), QString());
    return identifyFlavour(path, withInputs, ignored);
}

ApiParseResult parseApiRequest(const HttpRequest& http, const ApiParseOptions& options)
{
    ApiParseResult result;
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(http.body, &parseError);
    const QJsonObject body = document.object();
    result.routeKnown = isInferenceRoute(http.path);
    if (!result.routeKnown)
        return result;
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        result.error = "request body is not a JSON object";
        return result;
    }
    ApiRequest& request = result.request;
    if (!identifyFlavour(http.path, body, request.flavour)) {
        result.error = "body has neither inputs nor prompt";
        return result;
    }
    int maxTokens = 0;
    result.error = readFields(http.path, body, request, maxTokens);
    if (!result.error.isEmpty())
        return result;
    if (request.promptTokens.isEmpty())
        request.promptTokens = tokenmodel::tokenize(request.promptText);
    if (request.promptTokens.isEmpty())
        request.promptTokens.append(1); // an empty prompt still costs one step, like a BOS token
    if (request.model.isEmpty())
        request.model = options.modelName;
    request.maxNewTokens =
        qBound(1, maxTokens > 0 ? maxTokens : options.defaultOutputTokens, qMax(1, options.maxOutputTokens));
    request.seed ^= options.seed;
    result.ok = true;
    return result;
}

} // namespace mindiesim
