// The /dresult stream as a decode instance writes it: chunk framing, reqId scoping, keywords
// and payloads with colons, in any slicing of the bytes.
#include "request/dresultparser.h"

#include <gtest/gtest.h>

#include <QList>

using namespace coord;

namespace {

QByteArray chunk(const QByteArray& data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

QByteArray nul(const char* text)
{
    return QByteArray(text) + '\0';
}

struct Collected
{
    QList<DResultMessage> messages;
    DResultParser parser{[this](const DResultMessage& m) { messages.append(m); }};
};

TEST(DResultParserTest, ReqIdAppliesToTheRestOfItsChunk)
{
    Collected c;
    ASSERT_TRUE(c.parser.feed(chunk(nul("reqId:123") + nul("data:data: {\"a\":1}\n\n") + nul("lastData:x:y"))));
    ASSERT_EQ(c.messages.size(), 2);
    EXPECT_EQ(c.messages[0].requestId, "123");
    EXPECT_EQ(c.messages[0].keyword, "data");
    EXPECT_EQ(c.messages[0].payload, "data: {\"a\":1}\n\n"); // colons inside the payload are kept
    EXPECT_EQ(c.messages[1].keyword, "lastData");
    EXPECT_EQ(c.messages[1].payload, "x:y");
}

TEST(DResultParserTest, EachChunkStartsItsOwnRequestScope)
{
    Collected c;
    ASSERT_TRUE(c.parser.feed(chunk(nul("reqId:1") + nul("data:a")) + chunk(nul("ka:"))));
    ASSERT_EQ(c.messages.size(), 2);
    EXPECT_EQ(c.messages[1].keyword, "ka");
    EXPECT_TRUE(c.messages[1].requestId.isEmpty());
}

TEST(DResultParserTest, AnySlicingGivesTheSameMessages)
{
    const QByteArray stream = chunk(nul("reqId:7") + nul("data:one")) + chunk(nul("reqId:8") + nul("error:boom")) +
                              chunk(nul("reqId:7") + nul("lastData:two")) + "0\r\n\r\n";
    for (int step : {1, 2, 3, 7, 1000}) {
        Collected c;
        for (qsizetype at = 0; at < stream.size(); at += step)
            ASSERT_TRUE(c.parser.feed(stream.mid(at, step)));
        ASSERT_EQ(c.messages.size(), 3) << "step " << step;
        EXPECT_EQ(c.messages[0].requestId, "7");
        EXPECT_EQ(c.messages[1].requestId, "8");
        EXPECT_EQ(c.messages[1].keyword, "error");
        EXPECT_EQ(c.messages[2].payload, "two");
        EXPECT_TRUE(c.parser.streamEnded());
    }
}

TEST(DResultParserTest, ChunkWithoutNulIsIgnored)
{
    Collected c;
    ASSERT_TRUE(c.parser.feed(chunk("reqId:1data:x")));
    EXPECT_TRUE(c.messages.isEmpty());
}

TEST(DResultParserTest, BrokenFramingIsReportedNotGuessed)
{
    Collected c;
    EXPECT_FALSE(c.parser.feed("zz\r\nabc\r\n"));
    EXPECT_FALSE(c.parser.errorText().isEmpty());
    EXPECT_FALSE(c.parser.feed(chunk(nul("reqId:1") + nul("data:x"))));
    EXPECT_TRUE(c.messages.isEmpty());

    Collected missingCrlf;
    EXPECT_FALSE(missingCrlf.parser.feed("3\r\nabcXY"));
}

TEST(DResultParserTest, ChunkExtensionsAreIgnored)
{
    Collected c;
    const QByteArray body = nul("reqId:1") + nul("data:x");
    ASSERT_TRUE(c.parser.feed(QByteArray::number(body.size(), 16) + ";ext=1\r\n" + body + "\r\n"));
    EXPECT_EQ(c.messages.size(), 1);
}

} // namespace

#include "request/prefillreply.h"

#include <QFile>

namespace {

TEST(PrefillReplyTest, MindIesPublishedSampleParses)
{
    QFile file(QStringLiteral(COORD_SHARED_DIR "/vectors/mindie/ms_p_response.bin"));
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const std::optional<PrefillReply> reply = parsePrefillReply(file.readAll());
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->requestId, "aaa");
    EXPECT_TRUE(reply->isStream);
    EXPECT_FALSE(reply->isLastResp);
    EXPECT_EQ(reply->output, "i am master Doctor");
}

TEST(PrefillReplyTest, WrongShapesAreRefused)
{
    for (const char* body : {"", "[]", R"({"reqId":1,"isStream":true,"isLastResp":false,"output":""})",
                             R"({"reqId":"a","isStream":"yes","isLastResp":false,"output":""})",
                             R"({"reqId":"a","isStream":true,"isLastResp":false})"}) {
        EXPECT_FALSE(parsePrefillReply(body).has_value()) << body;
    }
}

} // namespace
