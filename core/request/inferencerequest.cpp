#include "inferencerequest.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <QJsonDocument>

#include "jsondump.h"

namespace coord {

const char* flavourName(ApiFlavour flavour)
{
    switch (flavour) {
    case ApiFlavour::Tgi:
        return "TGI";
    case ApiFlavour::Vllm:
        return "vLLM";
    case ApiFlavour::OpenAi:
        return "OpenAI";
    case ApiFlavour::Triton:
        return "Triton";
    case ApiFlavour::MindIe:
        return "MindIE";
    case ApiFlavour::Tokenizer:
        return "tokenizer";
    }
    return "unknown";
}

RequestRejection RequestRejection::invalidFormat()
{
    return {400, QByteArrayLiteral("Request format is invalid")};
}

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

ParseResult reject(RequestRejection rejection = RequestRejection::invalidFormat())
{
    return ParseResult{std::nullopt, std::move(rejection)};
}

ParseResult accept(InferenceRequest request)
{
    return ParseResult{std::move(request), {}};
}

// A member of a JSON object as QJsonObject::value() saw it: the last of duplicate keys wins.
std::optional<element> member(object body, std::string_view key)
{
    std::optional<element> found;
    for (auto field = body.begin(); field != body.end(); ++field) {
        if (field.key_equals(key))
            found = field.value();
    }
    return found;
}

bool isString(const std::optional<element>& value)
{
    return value && value->type() == element_type::STRING;
}

bool isArray(const std::optional<element>& value)
{
    return value && value->type() == element_type::ARRAY;
}

// The text of a string value (empty for other types, as QJsonValue::toString()).
std::string_view stringOf(const std::optional<element>& value)
{
    return isString(value) ? value->get_string().value_unsafe() : std::string_view();
}

// A present "stream" must be a boolean; absent or null means false.
bool readStream(object body, bool* stream)
{
    const std::optional<element> value = member(body, "stream");
    if (!value || value->type() == element_type::NULL_VALUE) {
        *stream = false;
        return true;
    }
    if (value->type() != element_type::BOOL)
        return false;
    *stream = value->get_bool().value_unsafe();
    return true;
}

qint64 utf8Size(const std::optional<element>& value)
{
    return qint64(stringOf(value).size());
}

qint64 dumpSize(element value)
{
    if (value.type() == element_type::STRING)
        return qint64(value.get_string().value_unsafe().size()) + 2; // the dump keeps the quotes
    return json::compactSize(value);
}

ParseResult parseTriton(const QByteArray& path, object body)
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
    if (const std::optional<element> text = member(body, "text_input"); isString(text)) {
        request.inputLength = utf8Size(text);
        return accept(std::move(request));
    }
    // inputs[0] must be an object with datatype "UINT32" and an array `data`.
    const std::optional<element> inputs = member(body, "inputs");
    if (!isArray(inputs))
        return reject();
    const simdjson::dom::array inputArray = inputs->get_array().value_unsafe();
    if (inputArray.begin() == inputArray.end())
        return reject();
    const element firstInput = *inputArray.begin();
    if (firstInput.type() != element_type::OBJECT)
        return reject();
    const object input = firstInput.get_object().value_unsafe();
    const std::optional<element> data = member(input, "data");
    if (stringOf(member(input, "datatype")) == "UINT32" && isArray(data)) {
        request.inputLength = json::elementCount(data->get_array().value_unsafe());
        request.inputIsTokenCount = true;
        return accept(std::move(request));
    }
    return reject();
}

ParseResult parseTgiOrVllm(const QByteArray& path, object body)
{
    InferenceRequest request;
    const std::optional<element> inputs = member(body, "inputs");
    const std::optional<element> prompt = member(body, "prompt");
    if (path == "/generate" && !isString(inputs) && isString(prompt)) {
        request.flavour = ApiFlavour::Vllm;
        if (!readStream(body, &request.stream))
            return reject();
        request.inputLength = utf8Size(prompt);
        return accept(std::move(request));
    }
    if (!isString(inputs))
        return reject();
    request.flavour = ApiFlavour::Tgi;
    request.inputLength = utf8Size(inputs);
    if (path == "/generate_stream") {
        request.stream = true;
    } else if (path == "/") {
        if (!readStream(body, &request.stream))
            return reject();
    } // TGI's /generate always answers in one piece
    return accept(std::move(request));
}

ParseResult parseOpenAi(object body, std::string& scratch)
{
    InferenceRequest request;
    request.flavour = ApiFlavour::OpenAi;
    if (!readStream(body, &request.stream))
        return reject();
    const std::optional<element> prompt = member(body, "prompt");
    const std::optional<element> messages = member(body, "messages");
    if (prompt) {
        request.inputLength = dumpSize(*prompt);
    } else if (messages) {
        request.hasMessageArray = messages->type() == element_type::ARRAY;
        if (request.hasMessageArray) {
            // The array's compact dump is "[" + the elements' dumps joined by "," + "]", so each
            // message is written once and serves both the size and the conversation hashes.
            const simdjson::dom::array array = messages->get_array().value_unsafe();
            request.messageDumps.reserve(qsizetype(std::min<std::size_t>(array.size(), 4096)));
            qint64 size = 2;
            for (const element message : array) {
                scratch.clear();
                json::appendCompact(scratch, message);
                request.messageDumps.append(QByteArray(scratch.data(), qsizetype(scratch.size())));
                size += qint64(scratch.size());
            }
            request.inputLength = size + qMax<qint64>(0, request.messageDumps.size() - 1);
        } else {
            request.inputLength = dumpSize(*messages);
        }
    } else {
        return reject(
            {400, QByteArrayLiteral("Invalid request format: Missing both 'prompt' or 'messages'")});
    }
    return accept(std::move(request));
}

ParseResult parseMindIe(object body)
{
    InferenceRequest request;
    request.flavour = ApiFlavour::MindIe;
    if (!readStream(body, &request.stream))
        return reject();
    const std::optional<element> inputs = member(body, "inputs");
    const std::optional<element> inputIds = member(body, "input_id");
    if (inputs.has_value() == inputIds.has_value())
        return reject();
    if (inputs) {
        if (!isString(inputs))
            return reject();
        // Measured in UTF-16 code units (QString::size()), as the Qt implementation did.
        request.inputLength = json::utf16Length(stringOf(inputs));
    } else {
        if (!isArray(inputIds))
            return reject();
        request.inputLength = json::elementCount(inputIds->get_array().value_unsafe());
        request.inputIsTokenCount = true;
    }
    return accept(std::move(request));
}

ParseResult parseBodyObject(const QByteArray& path, object body, std::string& scratch)
{
    if (path.startsWith("/v2/models/"))
        return parseTriton(path, body);
    if (path == "/v1/chat/completions" || path == "/v1/completions")
        return parseOpenAi(body, scratch);
    if (path == "/infer" || path == "/infer_token")
        return parseMindIe(body);
    if (path == "/v1/tokenizer") {
        InferenceRequest request;
        request.flavour = ApiFlavour::Tokenizer;
        return accept(std::move(request));
    }
    return parseTgiOrVllm(path, body);
}

// A simdjson parser with its padded input buffer and a scratch string for message dumps.
// One is kept per thread for ordinary bodies; it keeps the capacity of the largest body seen.
class BodyParser
{
public:
    ParseResult parse(const QByteArray& path, const QByteArray& body);

private:
    simdjson::simdjson_result<element> parseJson(const char* data, std::size_t size);
    std::optional<element> parseQtTolerated(const QByteArray& body);

    simdjson::dom::parser m_parser;
    std::vector<char> m_buffer;
    std::string m_scratch;
};

simdjson::simdjson_result<element> BodyParser::parseJson(const char* data, std::size_t size)
{
    if (m_buffer.size() < size + simdjson::SIMDJSON_PADDING)
        m_buffer.resize(size + simdjson::SIMDJSON_PADDING);
    std::copy(data, data + size, m_buffer.data());
    return m_parser.parse(m_buffer.data(), size, false);
}

bool isSimdjsonInteger(std::string_view token)
{
    const char* const end = token.data() + token.size();
    std::int64_t signedValue = 0;
    const auto asSigned = std::from_chars(token.data(), end, signedValue);
    if (asSigned.ec == std::errc() && asSigned.ptr == end)
        return true;
    std::uint64_t unsignedValue = 0;
    const auto asUnsigned = std::from_chars(token.data(), end, unsignedValue);
    return asUnsigned.ec == std::errc() && asUnsigned.ptr == end;
}

// Qt's compact text made readable by simdjson: Qt writes a double beyond the 64-bit integers
// without a fraction when that is shorter (18446744073709552000), which simdjson refuses as
// too big an integer; such a number gets ".0", which keeps its value.
QByteArray readableBySimdjson(const QByteArray& compact)
{
    QByteArray out;
    out.reserve(compact.size() + 16);
    bool inString = false;
    for (qsizetype i = 0; i < compact.size();) {
        const char c = compact[i];
        if (inString) {
            out += c;
            ++i;
            if (c == '\\' && i < compact.size())
                out += compact[i++];
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c != '-' && (c < '0' || c > '9')) {
            inString = c == '"';
            out += c;
            ++i;
            continue;
        }
        qsizetype end = i + 1;
        bool integral = true;
        for (; end < compact.size(); ++end) {
            const char n = compact[end];
            if (n == '.' || n == 'e' || n == 'E' || n == '+')
                integral = false;
            else if (n != '-' && (n < '0' || n > '9'))
                break;
        }
        const std::string_view token(compact.constData() + i, std::size_t(end - i));
        out.append(token.data(), qsizetype(token.size()));
        if (integral && !isSimdjsonInteger(token))
            out += ".0";
        i = end;
    }
    return out;
}

// Qt's parser tolerates a few things that are not JSON and that simdjson refuses: raw control
// characters in strings, unknown escapes such as \q (read as q), numbers such as .5, 1. or
// integers beyond 64 bits. Such a body is read by Qt as before and its compact rewrite is
// parsed again, so every body Qt accepted is still accepted with the same sizes (a rewrite
// with lone surrogates, \ud800, is still refused). Bodies refused by both cost one Qt parse,
// as before.
std::optional<element> BodyParser::parseQtTolerated(const QByteArray& body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QByteArray rewritten = readableBySimdjson(document.toJson(QJsonDocument::Compact));
    const auto root = parseJson(rewritten.constData(), std::size_t(rewritten.size()));
    if (root.error())
        return std::nullopt;
    return root.value_unsafe();
}

ParseResult BodyParser::parse(const QByteArray& path, const QByteArray& body)
{
    // Qt skips a UTF-8 byte order mark before the document; simdjson does not.
    qsizetype skip = 0;
    if (body.size() > 3 && body.startsWith("\xef\xbb\xbf"))
        skip = 3;
    std::optional<element> root;
    const auto parsed = parseJson(body.constData() + skip, std::size_t(body.size() - skip));
    if (!parsed.error()) {
        root = parsed.value_unsafe();
    } else if (parsed.error() != simdjson::CAPACITY && parsed.error() != simdjson::MEMALLOC) {
        root = parseQtTolerated(body);
    }
    if (!root || root->type() != element_type::OBJECT)
        return reject();
    return parseBodyObject(path, root->get_object().value_unsafe(), m_scratch);
}

// Bodies up to this size use the thread's parser; larger ones get their own, so that a thread
// does not hold a large parser's memory after one large request (a simdjson parser takes about
// 14 bytes per byte of capacity, and keeps the capacity of the largest document it read).
constexpr qsizetype kReusedParserLimit = 256 * 1024;

} // namespace

ParseResult parseInferenceRequest(const QByteArray& path, const QByteArray& body)
{
    if (body.size() <= kReusedParserLimit) {
        thread_local BodyParser threadParser;
        return threadParser.parse(path, body);
    }
    BodyParser oneOff;
    return oneOff.parse(path, body);
}

} // namespace coord
