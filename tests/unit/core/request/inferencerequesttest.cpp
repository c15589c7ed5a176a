// How each user route's body decides the API flavour, the stream flag and the scheduling
// input (spec §1.2), and which bodies are refused with which message.
#include "request/inferencerequest.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

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
    {"TgiGenerateIgnoresStream", "/generate", R"({"inputs":"ab","stream":true})", ApiFlavour::Tgi, false, 2, false},
    {"Vllm", "/generate", R"({"prompt":"hello","stream":true})", ApiFlavour::Vllm, true, 5, false},
    {"VllmNonStream", "/generate", R"({"prompt":"hello"})", ApiFlavour::Vllm, false, 5, false},
    {"OpenAiChat", "/v1/chat/completions", R"({"messages":[{"role":"user","content":"hi"}]})",
     ApiFlavour::OpenAi, false, 32, false},
    {"OpenAiCompletionPrompt", "/v1/completions", R"({"prompt":"hello","stream":true})", ApiFlavour::OpenAi,
     true, 7, false},
    {"TritonGenerate", "/v2/models/llama/generate", R"({"text_input":"test"})", ApiFlavour::Triton, false, 4,
     false},
    {"TritonGenerateStream", "/v2/models/llama/generate_stream", R"({"text_input":"test"})", ApiFlavour::Triton,
     true, 4, false},
    {"TritonInferTokens", "/v2/models/llama/infer",
     R"({"inputs":[{"name":"input0","datatype":"UINT32","shape":[1,3],"data":[1,2,3]}]})", ApiFlavour::Triton,
     false, 3, true},
    {"MindIeText", "/infer", R"({"inputs":"aaa","stream":false})", ApiFlavour::MindIe, false, 3, false},
    {"MindIeTokens", "/infer_token", R"({"input_id":[5,6,7,8],"stream":true})", ApiFlavour::MindIe, true, 4, true},
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
    {"TritonWrongDatatype", "/v2/models/m/infer", R"({"inputs":[{"datatype":"FP32","data":[1.0]}]})", kInvalid},
    {"MindIeBoth", "/infer", R"({"inputs":"a","input_id":[1]})", kInvalid},
    {"MindIeNeither", "/infer", R"({"stream":false})", kInvalid},
};

INSTANTIATE_TEST_SUITE_P(Routes, RejectedRequestTest, ::testing::ValuesIn(kRejected),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(InferenceRequestTest, ChatMessagesAreKeptForCacheAffinity)
{
    const ParseResult result = parseInferenceRequest(
        "/v1/chat/completions", R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]})");
    ASSERT_TRUE(result.request.has_value());
    EXPECT_TRUE(result.request->hasMessageArray);
    EXPECT_EQ(result.request->messageDumps.size(), 2);
}

TEST(InferenceRequestTest, MessagesInputLengthIsTheCompactDumpOfTheArray)
{
    const QByteArray messages =
        R"([{"role":"system","content":"be brief"},{"role":"user","content":"a \"quoted\" word","n":1.5},"x",[1,2]])";
    const ParseResult result = parseInferenceRequest("/v1/chat/completions", R"({"messages":)" + messages + "}");
    ASSERT_TRUE(result.request.has_value());
    const QJsonArray array = QJsonDocument::fromJson(messages).array();
    EXPECT_EQ(result.request->inputLength, QJsonDocument(array).toJson(QJsonDocument::Compact).size());
    EXPECT_EQ(result.request->messageDumps.size(), 4);
}

TEST(InferenceRequestTest, TritonModelSegmentIsRead)
{
    const ParseResult result = parseInferenceRequest("/v2/models/llama_65b/generate", R"({"text_input":"x"})");
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
