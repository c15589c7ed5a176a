// How each user route's body decides the API flavour, the stream flag and the scheduling
// input (spec §1.2), and which bodies are refused with which message.
#include "request/inferencerequest.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QString>

#include <gtest/gtest.h>

#include "qtreferenceparser.h"
#include "util/compactjson.h"

using namespace coord;

namespace {

struct Row
{
    const char* name;
    const char* path;
    const char* body;
    ApiFlavour flavour;
    bool stream;
    qint64 inputLength;
    bool tokenCount;
};

// Names the row in test listings instead of dumping its bytes.
void PrintTo(const Row& row, std::ostream* out)
{
    *out << row.name;
}

class AcceptedRequestTest : public ::testing::TestWithParam<Row>
{
};

TEST_P(AcceptedRequestTest, ReadsFlavourStreamAndInput)
{
    const Row& row = GetParam();
    const ParseResult result = parseInferenceRequest(row.path, row.body);
    ASSERT_TRUE(result.request.has_value()) << result.rejection.message.constData();
    EXPECT_EQ(result.request->flavour, row.flavour);
    EXPECT_EQ(result.request->stream, row.stream);
    EXPECT_EQ(result.request->inputLength, row.inputLength);
    EXPECT_EQ(result.request->inputIsTokenCount, row.tokenCount);
}

const Row kAccepted[] = {
    {"TgiRoot", "/", R"({"inputs":"abcd"})", ApiFlavour::Tgi, false, 4, false},
    {"TgiRootStream", "/", R"({"inputs":"abcd","stream":true})", ApiFlavour::Tgi, true, 4, false},
    {"TgiGenerateStream", "/generate_stream", R"({"inputs":"ab"})", ApiFlavour::Tgi, true, 2, false},
    {"TgiGenerateIgnoresStream", "/generate", R"({"inputs":"ab","stream":true})", ApiFlavour::Tgi, false, 2,
     false},
    {"Vllm", "/generate", R"({"prompt":"hello","stream":true})", ApiFlavour::Vllm, true, 5, false},
    {"VllmNonStream", "/generate", R"({"prompt":"hello"})", ApiFlavour::Vllm, false, 5, false},
    {"OpenAiChat", "/v1/chat/completions", R"({"messages":[{"role":"user","content":"hi"}]})",
     ApiFlavour::OpenAi, false, 32, false},
    {"OpenAiCompletionPrompt", "/v1/completions", R"({"prompt":"hello","stream":true})", ApiFlavour::OpenAi,
     true, 7, false},
    {"TritonGenerate", "/v2/models/llama/generate", R"({"text_input":"test"})", ApiFlavour::Triton, false, 4,
     false},
    {"TritonGenerateStream", "/v2/models/llama/generate_stream", R"({"text_input":"test"})",
     ApiFlavour::Triton, true, 4, false},
    {"TritonInferTokens", "/v2/models/llama/infer",
     R"({"inputs":[{"name":"input0","datatype":"UINT32","shape":[1,3],"data":[1,2,3]}]})", ApiFlavour::Triton,
     false, 3, true},
    {"MindIeText", "/infer", R"({"inputs":"aaa","stream":false})", ApiFlavour::MindIe, false, 3, false},
    {"MindIeTokens", "/infer_token", R"({"input_id":[5,6,7,8],"stream":true})", ApiFlavour::MindIe, true, 4,
     true},
    {"Tokenizer", "/v1/tokenizer", R"({"inputs":"aaaa"})", ApiFlavour::Tokenizer, false, 0, false},
};

INSTANTIATE_TEST_SUITE_P(Routes, AcceptedRequestTest, ::testing::ValuesIn(kAccepted),
                         [](const auto& row) { return std::string(row.param.name); });

struct RejectedRow
{
    const char* name;
    const char* path;
    const char* body;
    const char* message;
};

void PrintTo(const RejectedRow& row, std::ostream* out)
{
    *out << row.name;
}

class RejectedRequestTest : public ::testing::TestWithParam<RejectedRow>
{
};

TEST_P(RejectedRequestTest, AnswersMindIesMessage)
{
    const RejectedRow& row = GetParam();
    const ParseResult result = parseInferenceRequest(row.path, row.body);
    ASSERT_FALSE(result.request.has_value());
    EXPECT_EQ(result.rejection.status, 400);
    EXPECT_EQ(result.rejection.message, QByteArray(row.message));
}

const char* const kInvalid = "Request format is invalid";
const RejectedRow kRejected[] = {
    {"NotJson", "/generate", "{inputs", kInvalid},
    {"JsonArray", "/generate", "[1,2]", kInvalid},
    {"GenerateWithNeither", "/generate", R"({"text":"x"})", kInvalid},
    {"TgiInputsNotString", "/", R"({"inputs":5})", kInvalid},
    {"StreamNotBool", "/", R"({"inputs":"a","stream":"yes"})", kInvalid},
    {"OpenAiNeither", "/v1/chat/completions", R"({"model":"m"})",
     "Invalid request format: Missing both 'prompt' or 'messages'"},
    {"TritonEmptyModel", "/v2/models//generate", R"({"text_input":"x"})", kInvalid},
    {"TritonNoInput", "/v2/models/m/generate", R"({"parameters":{}})", kInvalid},
    {"TritonWrongDatatype", "/v2/models/m/infer", R"({"inputs":[{"datatype":"FP32","data":[1.0]}]})",
     kInvalid},
    {"MindIeBoth", "/infer", R"({"inputs":"a","input_id":[1]})", kInvalid},
    {"MindIeNeither", "/infer", R"({"stream":false})", kInvalid},
};

INSTANTIATE_TEST_SUITE_P(Routes, RejectedRequestTest, ::testing::ValuesIn(kRejected),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(InferenceRequestTest, ChatMessagesAreKeptForCacheAffinity)
{
    const ParseResult result = parseInferenceRequest(
        "/v1/chat/completions",
        R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]})");
    ASSERT_TRUE(result.request.has_value());
    EXPECT_TRUE(result.request->hasMessageArray);
    EXPECT_EQ(result.request->messageDumps.size(), 2);
}

// Qt's compact dump of a JSON array written as text.
QByteArray qtCompact(const QByteArray& arrayText)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(arrayText, &error);
    EXPECT_EQ(error.error, QJsonParseError::NoError) << arrayText.constData();
    return document.toJson(QJsonDocument::Compact);
}

TEST(InferenceRequestTest, MessagesInputLengthIsTheCompactDumpOfTheArray)
{
    const QByteArray messages =
        R"([{"role":"system","content":"be brief"},{"role":"user","content":"a \"quoted\" word","n":1.5},"x",[1,2],)"
        R"( {"content" : "tab\there\nnew line \\ back\/slash \b\f\r \u0001\u001F\u007f", "role":"user"},)"
        "{\"role\":\"user\",\"content\":\"caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 "
        "\\u00e9\\u65e5\\ud83d\\ude00\"},"
        R"({"numbers":[1.5,1e3,-0,-0.0,0.0,12345678901234567890,1.0,1e15,1e19,1e21,0.001,0.0001,1.23e-5,-1.5e-10,)"
        R"(9223372036854775807,-9223372036854775808,9223372036854775808,18446744073709551615,4.9e-324,)"
        R"(1.7976931348623157e308,1234567890123456.5,9007199254740993,0.1,2.5e-7,123456.789]},)"
        R"({"nested":{"a":[{},[],{"b":[null,true,false,{"c":{}}]}],"d":{"e":[[[]]]}}},[],{},"",null,true,false,0])";
    const ParseResult result =
        parseInferenceRequest("/v1/chat/completions", R"({"messages":)" + messages + "}");
    ASSERT_TRUE(result.request.has_value());
    EXPECT_EQ(result.request->inputLength, qtCompact(messages).size());
    const QJsonArray array = QJsonDocument::fromJson(messages).array();
    ASSERT_EQ(result.request->messageDumps.size(), array.size());
    for (qsizetype i = 0; i < array.size(); ++i)
        EXPECT_EQ(result.request->messageDumps[i].size(), compactJson(array[i]).size()) << i;
}

TEST(InferenceRequestTest, MessageDumpsAreQtsCompactTextInTheInputKeyOrder)
{
    // Keys already sorted: the dumps are byte for byte what Qt writes.
    const QByteArray sorted =
        R"([{"content":"hi \"you\"\n\u00e9\ud83d\ude00 \/ \u0007","name":"n","role":"user"},)"
        R"({"a":[1.5,1e3,-0,1e-7,12345678901234567890,{"b":null}],"z":{}},"just text",42,-1.25e+30,null])";
    const ParseResult result =
        parseInferenceRequest("/v1/chat/completions", R"({"messages":)" + sorted + "}");
    ASSERT_TRUE(result.request.has_value());
    const QJsonArray array = QJsonDocument::fromJson(sorted).array();
    ASSERT_EQ(result.request->messageDumps.size(), array.size());
    for (qsizetype i = 0; i < array.size(); ++i)
        EXPECT_EQ(result.request->messageDumps[i], compactJson(array[i])) << i;

    // Otherwise the keys keep the order the client wrote them in.
    const ParseResult unsorted = parseInferenceRequest(
        "/v1/chat/completions", R"({"messages":[ {"role" : "user", "content" : "a"} ]})");
    ASSERT_TRUE(unsorted.request.has_value());
    ASSERT_EQ(unsorted.request->messageDumps.size(), 1);
    EXPECT_EQ(unsorted.request->messageDumps[0], R"({"role":"user","content":"a"})");
}

TEST(InferenceRequestTest, MessageDumpsAreCanonicalInSpacingEscapesAndNumbers)
{
    const QByteArray plain = R"({"messages":[{"role":"user","content":"café / \"x\"\n","n":1000}]})";
    const QByteArray spelled = "{ \"messages\" :\n [ { \"r\\u006fle\" : \"user\" ,\t\"content\" : "
                               "\"caf\\u00e9 \\/ \\u0022x\\\"\\u000a\" , \"n\" : 1e3 } ] }";
    const ParseResult a = parseInferenceRequest("/v1/chat/completions", plain);
    const ParseResult b = parseInferenceRequest("/v1/chat/completions", spelled);
    ASSERT_TRUE(a.request.has_value());
    ASSERT_TRUE(b.request.has_value());
    EXPECT_EQ(a.request->messageDumps, b.request->messageDumps);
    EXPECT_EQ(a.request->messageDumps.value(0), R"({"role":"user","content":"café / \"x\"\n","n":1000})");
    EXPECT_EQ(a.request->inputLength, b.request->inputLength);
}

TEST(InferenceRequestTest, DuplicateKeysKeepTheLastValueAsQtDoes)
{
    QByteArray many = R"({"k0":0)";
    for (int i = 1; i < 20; ++i)
        many += ",\"k" + QByteArray::number(i % 12) + "\":\"" + QByteArray(i, 'v') + '"';
    many += '}';
    const QByteArray messages = R"([{"role":"user","content":"a","content":"longer text"},)" + many + "]";
    const ParseResult result =
        parseInferenceRequest("/v1/chat/completions", R"({"messages":)" + messages + "}");
    ASSERT_TRUE(result.request.has_value());
    EXPECT_EQ(result.request->inputLength, qtCompact(messages).size());
    ASSERT_EQ(result.request->messageDumps.size(), 2);
    EXPECT_EQ(result.request->messageDumps[0], R"({"role":"user","content":"longer text"})");

    // The top-level members too: the last "stream" counts.
    const ParseResult stream = parseInferenceRequest("/", R"({"inputs":"a","stream":"no","stream":true})");
    ASSERT_TRUE(stream.request.has_value());
    EXPECT_TRUE(stream.request->stream);
}

TEST(InferenceRequestTest, PromptAndNonArrayMessagesAreMeasuredByTheirDump)
{
    struct
    {
        const char* body;
        qint64 inputLength;
        bool hasMessageArray;
    } cases[] = {
        // A string counts its UTF-8 bytes plus the quotes, escapes not expanded.
        {R"({"prompt":"a\"b\n\u00e9"})", 1 + 1 + 1 + 1 + 2 + 2, false},
        {R"({"prompt":null})", 4, false},
        {R"({"prompt":[1, 2.50, "x"]})", 11, false},
        {R"({"prompt":{"b":1e3,"a":[]}})", 17, false},
        {R"({"messages":{"role":"user"}})", 15, false},
        {R"({"messages":"text"})", 6, false},
        {R"({"messages":[]})", 2, true},
        {R"({"prompt":"p","messages":[1,2]})", 3, false},
    };
    for (const auto& c : cases) {
        const ParseResult result = parseInferenceRequest("/v1/completions", c.body);
        ASSERT_TRUE(result.request.has_value()) << c.body;
        EXPECT_EQ(result.request->inputLength, c.inputLength) << c.body;
        EXPECT_EQ(result.request->hasMessageArray, c.hasMessageArray) << c.body;
    }
}

TEST(InferenceRequestTest, MindIeTextCountsUtf16CodeUnits)
{
    // é is 1 unit, 😀 (U+1F600) 2, 日 1: 5 units for 10 UTF-8 bytes.
    const QByteArray text = "a\xc3\xa9\xf0\x9f\x98\x80\xe6\x97\xa5";
    const ParseResult result = parseInferenceRequest("/infer", R"({"inputs":")" + text + R"(\ud83d\ude00"})");
    ASSERT_TRUE(result.request.has_value());
    EXPECT_EQ(result.request->inputLength, 5 + 2);
    EXPECT_EQ(result.request->inputLength, QString::fromUtf8(text).size() + 2);
    // The other flavours count UTF-8 bytes.
    const ParseResult tgi = parseInferenceRequest("/", R"({"inputs":")" + text + R"("})");
    ASSERT_TRUE(tgi.request.has_value());
    EXPECT_EQ(tgi.request->inputLength, 10);
}

TEST(InferenceRequestTest, StreamNullCountsAsAbsent)
{
    for (const char* path : {"/", "/v1/chat/completions", "/infer"}) {
        const ParseResult result =
            parseInferenceRequest(path, R"({"inputs":"a","messages":[],"stream":null})");
        ASSERT_TRUE(result.request.has_value()) << path;
        EXPECT_FALSE(result.request->stream) << path;
    }
}

TEST(InferenceRequestTest, TritonInputsMustStartWithAUint32Tensor)
{
    const char* rejected[] = {
        R"({"inputs":{"datatype":"UINT32","data":[1]}})",
        R"({"inputs":[]})",
        R"({"inputs":["UINT32"]})",
        R"({"inputs":[{"datatype":"UINT32","data":{}}]})",
        R"({"inputs":[{"datatype":"FP32","data":[1]},{"datatype":"UINT32","data":[1]}]})",
        R"({"text_input":5})",
    };
    for (const char* body : rejected)
        EXPECT_FALSE(parseInferenceRequest("/v2/models/m/infer", body).request.has_value()) << body;
    const ParseResult result = parseInferenceRequest(
        "/v2/models/m/infer", R"({"inputs":[{"datatype":"UINT32","data":[]},{"datatype":"FP32"}]})");
    ASSERT_TRUE(result.request.has_value());
    EXPECT_EQ(result.request->inputLength, 0);
    EXPECT_TRUE(result.request->inputIsTokenCount);
}

TEST(InferenceRequestTest, BodiesOnlyQtToleratesAreStillAccepted)
{
    // Not JSON, but Qt's parser took them: raw control characters, unknown escapes, loose
    // numbers, integers beyond 64 bits and a byte order mark.
    const QByteArray bodies[] = {
        "{\"inputs\":\"line one\nline\ttwo\"}",
        R"({"inputs":"\q\'"})",
        R"({"inputs":"a","parameters":{"t":.5,"u":1.,"v":1.e5,"w":123456789012345678901234567890}})",
        "\xef\xbb\xbf{\"inputs\":\"abc\"}",
    };
    for (const QByteArray& body : bodies) {
        const ParseResult result = parseInferenceRequest("/", body);
        ASSERT_TRUE(result.request.has_value()) << body.constData();
        EXPECT_EQ(result.request->inputLength, test::qtReferenceParse("/", body).request->inputLength)
            << body.constData();
    }
    const QByteArray stillInvalid = "{\"inputs\":\"raw\nnewline\",\"n\":1e}";
    EXPECT_FALSE(parseInferenceRequest("/", stillInvalid).request.has_value());
    const QByteArray bigInt = R"({"messages":[{"role":"user","n":123456789012345678901234567890}]})";
    const ParseResult big = parseInferenceRequest("/v1/chat/completions", bigInt);
    ASSERT_TRUE(big.request.has_value());
    EXPECT_EQ(big.request->messageDumps.value(0), R"({"n":1.2345678901234568e+29,"role":"user"})");
    EXPECT_EQ(big.request->inputLength,
              test::qtReferenceParse("/v1/chat/completions", bigInt).request->inputLength);
}

TEST(InferenceRequestTest, MalformedBodiesAreRefused)
{
    const QByteArray deep = QByteArray(1023, '[') + QByteArray(1023, ']');
    const QByteArray tooDeep = QByteArray(1024, '[') + QByteArray(1024, ']');
    EXPECT_TRUE(parseInferenceRequest("/v1/completions", R"({"prompt":)" + deep + "}").request.has_value());
    const QByteArray bodies[] = {
        "",
        " ",
        "5",
        R"("text")",
        "null",
        "{}x",
        QByteArray("{}\0", 3),
        "{\"inputs\":\"\xff\"}",
        "{\"inputs\":\"\xc0\xaf\"}",
        "{\"inputs\":\"\xed\xa0\x80\"}",
        "{\"inputs\":\"\xf4\x90\x80\x80\"}",
        R"({"inputs":"a",})",
        R"({"inputs":"a")",
        R"({"inputs":"a"}})",
        R"({"inputs":NaN})",
        R"({"inputs":"a","x":1e400})",
        R"({"inputs":"a","x":-})",
        R"({"inputs":"a","x":01})",
        R"({"prompt":)" + tooDeep + "}",
        QByteArray(100000, '{'),
        QByteArray(100000, '['),
        // Qt accepted a lone surrogate escape; it is not valid Unicode and is refused now.
        R"({"inputs":"\ud800"})",
        R"({"inputs":"\udc00x"})",
    };
    for (const QByteArray& body : bodies) {
        for (const char* path : {"/", "/v1/completions", "/infer", "/v1/tokenizer", "/v2/models/m/infer"}) {
            const ParseResult result = parseInferenceRequest(path, body);
            ASSERT_FALSE(result.request.has_value()) << path << ' ' << body.left(60).constData();
            EXPECT_EQ(result.rejection.status, 400);
            EXPECT_EQ(result.rejection.message, QByteArray(kInvalid));
        }
    }
}

TEST(InferenceRequestTest, TritonModelSegmentIsRead)
{
    const ParseResult result =
        parseInferenceRequest("/v2/models/llama_65b/generate", R"({"text_input":"x"})");
    ASSERT_TRUE(result.request.has_value());
    EXPECT_EQ(result.request->model, "llama_65b");
}

TEST(InferenceRequestTest, MindIesPublishedSamplesAreAccepted)
{
    const struct
    {
        const char* file;
        const char* path;
        ApiFlavour flavour;
    } samples[] = {
        {"ms_OpenAI.bin", "/v1/chat/completions", ApiFlavour::OpenAi},
        {"ms_TGI.bin", "/generate", ApiFlavour::Tgi},
        {"ms_Triton.bin", "/v2/models/llama/generate", ApiFlavour::Triton},
        {"ms_develop.bin", "/infer", ApiFlavour::MindIe},
    };
    for (const auto& sample : samples) {
        QFile file(QStringLiteral(COORD_SHARED_DIR "/vectors/mindie/") + QString::fromLatin1(sample.file));
        ASSERT_TRUE(file.open(QIODevice::ReadOnly)) << sample.file;
        const ParseResult result = parseInferenceRequest(sample.path, file.readAll());
        ASSERT_TRUE(result.request.has_value()) << sample.file;
        EXPECT_EQ(result.request->flavour, sample.flavour) << sample.file;
        EXPECT_FALSE(result.request->stream) << sample.file;
    }
}

} // namespace
