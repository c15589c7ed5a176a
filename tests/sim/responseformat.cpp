#include "responseformat.h"

namespace mindiesim::responseformat {

namespace {

QByteArray number(double value)
{
    return QByteArray::number(value, 'g', 6);
}

QByteArray usage(const ReplyContext& context, int completionTokens)
{
    const auto promptTokens = context.request->promptTokens.size();
    return "{\"prompt_tokens\":" + QByteArray::number(promptTokens) +
           ",\"completion_tokens\":" + QByteArray::number(completionTokens) +
           ",\"total_tokens\":" + QByteArray::number(promptTokens + completionTokens) + "}";
}

QByteArray details(const ReplyContext& context, int generated, const QString& finishReason)
{
    return "{\"finish_reason\":" + jsonString(finishReason) +
           ",\"generated_tokens\":" + QByteArray::number(generated) +
           ",\"seed\":" + QByteArray::number(context.request->seed) + "}";
}

QByteArray sse(const QByteArray& json)
{
    return "data: " + json + "\n\n";
}

QByteArray openAiHead(const ReplyContext& context, const char* prefix, const char* object)
{
    return "{\"id\":\"" + QByteArray(prefix) + context.responseId + "\",\"object\":\"" + object +
           "\",\"created\":" + QByteArray::number(context.created) +
           ",\"model\":" + jsonString(context.request->model);
}

QByteArray tokenObject(const tokenmodel::OutputToken& token, const char* logprob)
{
    return "{\"id\":" + QByteArray::number(token.id) + ",\"text\":" + jsonString(token.text) +
           ",\"logprob\":" + logprob + ",\"special\":false}";
}

QByteArray tritonHead(const ReplyContext& context)
{
    return "{\"id\":" + jsonString(QString::fromUtf8(context.request->clientId)) +
           ",\"model_name\":" + jsonString(context.request->model) + ",\"model_version\":null";
}

} // namespace

QByteArray jsonString(const QString& text)
{
    QByteArray out;
    const QByteArray utf8 = text.toUtf8();
    out.reserve(utf8.size() + 2);
    out += '"';
    for (const char c : utf8) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20)
                out += "\\u00" + QByteArray::number(static_cast<unsigned char>(c), 16).rightJustified(2, '0');
            else
                out += c;
        }
    }
    out += '"';
    return out;
}

QByteArray streamEvent(const ReplyContext& context, const tokenmodel::OutputToken& token, int index,
                       bool last, const QString& textSoFar, const QString& finishReason)
{
    const ApiRequest& request = *context.request;
    const QByteArray finish = last ? jsonString(finishReason) : QByteArray("null");
    switch (request.flavour) {
    case ApiFlavour::OpenAiChat: {
        const QByteArray role = index == 0 ? QByteArray("\"role\":\"assistant\",") : QByteArray();
        QByteArray json = openAiHead(context, "chatcmpl-", "chat.completion.chunk") +
                          ",\"choices\":[{\"index\":0,\"delta\":{" + role +
                          "\"content\":" + jsonString(token.text) +
                          "},\"logprobs\":null,\"finish_reason\":" + finish + "}]";
        if (last)
            json += ",\"usage\":" + usage(context, index + 1);
        return sse(json + "}") + (last ? QByteArray("data: [DONE]\n\n") : QByteArray());
    }
    case ApiFlavour::OpenAiCompletion: {
        QByteArray json = openAiHead(context, "cmpl-", "text_completion") +
                          ",\"choices\":[{\"index\":0,\"text\":" + jsonString(token.text) +
                          ",\"logprobs\":null,\"finish_reason\":" + finish + "}]";
        if (last)
            json += ",\"usage\":" + usage(context, index + 1);
        return sse(json + "}") + (last ? QByteArray("data: [DONE]\n\n") : QByteArray());
    }
    case ApiFlavour::Vllm:
        return sse("{\"text\":" + jsonString(token.text) + "}");
    case ApiFlavour::TritonGenerate:
    case ApiFlavour::TritonInfer:
        return sse(tritonHead(context) + ",\"text_output\":" + jsonString(token.text) + ",\"details\":" +
                   (last ? details(context, index + 1, finishReason)
                         : "{\"generated_tokens\":" + QByteArray::number(index + 1) + "}") +
                   "}");
    case ApiFlavour::MindIeInfer:
    case ApiFlavour::MindIeInferToken:
        return sse("{\"prefill_time\":" + (index == 0 ? number(context.prefillMs) : QByteArray("null")) +
                   ",\"decode_time\":" + (index == 0 ? QByteArray("null") : number(context.decodeMs)) +
                   ",\"token\":" + tokenObject(token, "null") +
                   ",\"generated_text\":" + (last ? jsonString(textSoFar) : QByteArray("null")) +
                   ",\"details\":" + (last ? details(context, index + 1, finishReason) : QByteArray("null")) +
                   "}");
    case ApiFlavour::TgiGenerate:
    case ApiFlavour::TgiRoot:
    case ApiFlavour::TgiStream:
        return sse(
            "{\"token\":" + tokenObject(token, "0.0") +
            ",\"generated_text\":" + (last ? jsonString(textSoFar) : QByteArray("null")) + ",\"details\":" +
            (last && request.details ? details(context, index + 1, finishReason) : QByteArray("null")) + "}");
    }
    return {};
}

QByteArray fullBody(const ReplyContext& context, const QString& text, const QList<quint32>& tokenIds,
                    const QString& finishReason)
{
    const ApiRequest& request = *context.request;
    const int generated = int(tokenIds.size());
    switch (request.flavour) {
    case ApiFlavour::OpenAiChat:
        return openAiHead(context, "chatcmpl-", "chat.completion") +
               ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" +
               jsonString(text) + "},\"logprobs\":null,\"finish_reason\":" + jsonString(finishReason) +
               "}],\"usage\":" + usage(context, generated) + "}";
    case ApiFlavour::OpenAiCompletion:
        return openAiHead(context, "cmpl-", "text_completion") +
               ",\"choices\":[{\"index\":0,\"text\":" + jsonString(text) +
               ",\"logprobs\":null,\"finish_reason\":" + jsonString(finishReason) +
               "}],\"usage\":" + usage(context, generated) + "}";
    case ApiFlavour::Vllm:
        return "{\"text\":[" + jsonString(request.promptText + text) + "]}";
    case ApiFlavour::TritonGenerate:
        return tritonHead(context) + ",\"text_output\":" + jsonString(text) +
               ",\"details\":" + details(context, generated, finishReason) + "}";
    case ApiFlavour::TritonInfer: {
        QByteArray ids;
        for (const quint32 id : tokenIds)
            ids += (ids.isEmpty() ? "" : ",") + QByteArray::number(id);
        return tritonHead(context) + ",\"outputs\":[{\"name\":\"OUTPUT_IDS\",\"shape\":[1," +
               QByteArray::number(generated) + "],\"datatype\":\"UINT32\",\"data\":[" + ids + "]}]}";
    }
    case ApiFlavour::MindIeInfer:
    case ApiFlavour::MindIeInferToken:
        return "{\"generated_text\":" + jsonString(text) +
               ",\"details\":" + details(context, generated, finishReason) + "}";
    case ApiFlavour::TgiGenerate:
    case ApiFlavour::TgiRoot: {
        QByteArray object = "{\"generated_text\":" + jsonString(text);
        if (request.details)
            object += ",\"details\":" + details(context, generated, finishReason);
        object += "}";
        return request.flavour == ApiFlavour::TgiRoot ? "[" + object + "]" : object;
    }
    case ApiFlavour::TgiStream:
        return "{\"generated_text\":" + jsonString(text) + "}";
    }
    return {};
}

QByteArray contentType(const ApiRequest& request)
{
    return request.stream ? QByteArray("text/event-stream") : QByteArray("application/json");
}

QByteArray errorBody(ApiFlavour flavour, int status, const QByteArray& message)
{
    const QByteArray text = jsonString(QString::fromUtf8(message));
    switch (flavour) {
    case ApiFlavour::OpenAiChat:
    case ApiFlavour::OpenAiCompletion:
        return "{\"error\":{\"message\":" + text + ",\"type\":\"" +
               (status >= 500 ? "server_error" : "invalid_request_error") +
               "\",\"code\":" + QByteArray::number(status) + "}}";
    case ApiFlavour::TgiGenerate:
    case ApiFlavour::TgiRoot:
    case ApiFlavour::TgiStream:
    case ApiFlavour::Vllm:
        return "{\"error\":" + text + ",\"error_type\":\"" + (status >= 500 ? "generation" : "validation") +
               "\"}";
    default:
        return "{\"error\":" + text + ",\"code\":" + QByteArray::number(status) + "}";
    }
}

QByteArray tokenizerBody(const QList<quint32>& tokens)
{
    QByteArray ids;
    for (const quint32 id : tokens)
        ids += (ids.isEmpty() ? "" : ",") + QByteArray::number(id);
    return "{\"token\":[" + ids + "],\"token_number\":" + QByteArray::number(tokens.size()) + "}";
}

} // namespace mindiesim::responseformat
