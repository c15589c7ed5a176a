#include "qtreferenceparser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "util/compactjson.h"

namespace coord::test {

namespace {

ParseResult reject(RequestRejection rejection = RequestRejection::invalidFormat())
{
    return ParseResult{std::nullopt, std::move(rejection)};
}

ParseResult accept(InferenceRequest request)
{
    return ParseResult{std::move(request), {}};
}

// A present "stream" must be a boolean; absent means false.
bool readStream(const QJsonObject& body, bool* stream)
{
    const QJsonValue value = body.value(QLatin1String("stream"));
    if (value.isUndefined() || value.isNull()) {
        *stream = false;
        return true;
    }
    if (!value.isBool())
        return false;
    *stream = value.toBool();
    return true;
}

qint64 utf8Size(const QJsonValue& value)
{
    return value.toString().toUtf8().size();
}

qint64 dumpSize(const QJsonValue& value)
{
    if (value.isString())
        return utf8Size(value) + 2; // the dump of a string keeps its quotes
    return compactJson(value).size();
}

ParseResult parseTriton(const QByteArray& path, const QJsonObject& body)
{
    static const QByteArray prefix = QByteArrayLiteral("/v2/models/");
    const qsizetype lastSlash = path.lastIndexOf('/');
    InferenceRequest request;
    request.flavour = ApiFlavour::Triton;
    request.model = path.mid(prefix.size(), lastSlash - prefix.size());
    if (request.model.isEmpty())
        return reject();
    const QByteArray action = path.mid(lastSlash + 1);
    request.stream = action == "generate_stream";
    if (const QJsonValue text = body.value(QLatin1String("text_input")); text.isString()) {
        request.inputLength = utf8Size(text);
        return accept(request);
    }
    const QJsonObject firstInput = body.value(QLatin1String("inputs")).toArray().first().toObject();
    const QJsonValue data = firstInput.value(QLatin1String("data"));
    if (firstInput.value(QLatin1String("datatype")).toString() == QLatin1String("UINT32") && data.isArray()) {
        request.inputLength = data.toArray().size();
        request.inputIsTokenCount = true;
        return accept(request);
    }
    return reject();
}

ParseResult parseTgiOrVllm(const QByteArray& path, const QJsonObject& body)
{
    InferenceRequest request;
    const QJsonValue inputs = body.value(QLatin1String("inputs"));
    const QJsonValue prompt = body.value(QLatin1String("prompt"));
    if (path == "/generate" && !inputs.isString() && prompt.isString()) {
        request.flavour = ApiFlavour::Vllm;
        if (!readStream(body, &request.stream))
            return reject();
        request.inputLength = utf8Size(prompt);
        return accept(request);
    }
    if (!inputs.isString())
        return reject();
    request.flavour = ApiFlavour::Tgi;
    request.inputLength = utf8Size(inputs);
    if (path == "/generate_stream") {
        request.stream = true;
    } else if (path == "/") {
        if (!readStream(body, &request.stream))
            return reject();
    } // TGI's /generate always answers in one piece
    return accept(request);
}

ParseResult parseOpenAi(const QJsonObject& body)
{
    InferenceRequest request;
    request.flavour = ApiFlavour::OpenAi;
    if (!readStream(body, &request.stream))
        return reject();
    const QJsonValue prompt = body.value(QLatin1String("prompt"));
    const QJsonValue messages = body.value(QLatin1String("messages"));
    if (!prompt.isUndefined()) {
        request.inputLength = dumpSize(prompt);
    } else if (!messages.isUndefined()) {
        request.hasMessageArray = messages.isArray();
        if (request.hasMessageArray) {
            // The array's compact dump is "[" + the elements' dumps joined by "," + "]", so each
            // message is written once and serves both the size and the conversation hashes.
            const QJsonArray array = messages.toArray();
            qint64 size = 2 + qMax<qint64>(0, array.size() - 1);
            for (const QJsonValue& message : array) {
                request.messageDumps.append(compactJson(message));
                size += request.messageDumps.constLast().size();
            }
            request.inputLength = size;
        } else {
            request.inputLength = dumpSize(messages);
        }
    } else {
        return reject(
            {400, QByteArrayLiteral("Invalid request format: Missing both 'prompt' or 'messages'")});
    }
    return accept(request);
}

ParseResult parseMindIe(const QJsonObject& body)
{
    InferenceRequest request;
    request.flavour = ApiFlavour::MindIe;
    if (!readStream(body, &request.stream))
        return reject();
    const QJsonValue inputs = body.value(QLatin1String("inputs"));
    const QJsonValue inputIds = body.value(QLatin1String("input_id"));
    const bool hasText = !inputs.isUndefined();
    const bool hasIds = !inputIds.isUndefined();
    if (hasText == hasIds)
        return reject();
    if (hasText) {
        if (!inputs.isString())
            return reject();
        request.inputLength = inputs.toString().size();
    } else {
        if (!inputIds.isArray())
            return reject();
        request.inputLength = inputIds.toArray().size();
        request.inputIsTokenCount = true;
    }
    return accept(request);
}

} // namespace

ParseResult qtReferenceParse(const QByteArray& path, const QByteArray& body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return reject();
    const QJsonObject object = document.object();

    if (path.startsWith("/v2/models/"))
        return parseTriton(path, object);
    if (path == "/v1/chat/completions" || path == "/v1/completions")
        return parseOpenAi(object);
    if (path == "/infer" || path == "/infer_token")
        return parseMindIe(object);
    if (path == "/v1/tokenizer") {
        InferenceRequest request;
        request.flavour = ApiFlavour::Tokenizer;
        return accept(request);
    }
    return parseTgiOrVllm(path, object);
}

} // namespace coord::test
