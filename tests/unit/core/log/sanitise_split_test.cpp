// Sanitising (control characters, whitespace) and splitting at max_log_str_size on UTF-8
// character boundaries.

#include <QStringDecoder>

#include <gtest/gtest.h>

#include "log/logformat.h"

using namespace coord::log;

namespace {

bool isValidUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    return !decoder.hasError() && text.toUtf8() == bytes;
}

struct SanitiseCase
{
    const char* name;
    const char16_t* input;
    const char16_t* expected;
};

// Names the row in test output instead of dumping its bytes.
void PrintTo(const SanitiseCase& row, std::ostream* out)
{
    *out << row.name;
}

} // namespace

class LogSanitiseTest : public ::testing::TestWithParam<SanitiseCase>
{
};

TEST_P(LogSanitiseTest, CleansMessage)
{
    const SanitiseCase& row = GetParam();
    EXPECT_EQ(sanitiseMessage(QStringView(row.input)), QString::fromUtf16(row.expected));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, LogSanitiseTest,
    ::testing::Values(SanitiseCase{"Unchanged", u"plain text", u"plain text"},
                      SanitiseCase{"NewlineCannotForgeALine", u"ok\n[2024-01-01] [ERROR] : fake",
                                   u"ok [2024-01-01] [ERROR] : fake"},
                      SanitiseCase{"CarriageReturnAndTab", u"a\r\n\tb", u"a b"},
                      SanitiseCase{"WhitespaceRunsCollapse", u"a    b  \t c", u"a b c"},
                      SanitiseCase{"EndsTrimmed", u"  padded \n", u"padded"},
                      SanitiseCase{"ControlCharsRemoved", u"bell\u0007 esc\u001b[31mred\u007f del",
                                   u"bell esc[31mred del"},
                      SanitiseCase{"C1ControlsRemoved", u"x\u0085y\u0090z", u"x yz"},
                      SanitiseCase{"ControlBetweenSpacesCollapses", u"a \u0001 b", u"a b"},
                      SanitiseCase{"NoBreakSpacesCollapse", u"a\u00a0\u00a0b", u"a b"},
                      SanitiseCase{"NonAsciiKept", u"调度器 ok ✓", u"调度器 ok ✓"},
                      SanitiseCase{"Empty", u"", u""}),
    [](const ::testing::TestParamInfo<SanitiseCase>& testCase) { return std::string(testCase.param.name); });

struct SplitCase
{
    const char* name;
    const char* unit; // UTF-8 text repeated to build the message
    int repeat;
    int maxBytes;
};

void PrintTo(const SplitCase& row, std::ostream* out)
{
    *out << row.name;
}

class LogSplitTest : public ::testing::TestWithParam<SplitCase>
{
};

TEST_P(LogSplitTest, PiecesAreBoundedAndWholeCharacters)
{
    const SplitCase& row = GetParam();
    const QByteArray text = QByteArray(row.unit).repeated(row.repeat);
    const QList<QByteArrayView> pieces = splitUtf8(text, row.maxBytes);

    QByteArray joined;
    for (qsizetype i = 0; i < pieces.size(); ++i) {
        const QByteArrayView piece = pieces.at(i);
        EXPECT_LE(piece.size(), row.maxBytes);
        if (i + 1 < pieces.size()) {
            EXPECT_GT(piece.size(), row.maxBytes - 4) << "a cut backs off by less than one character";
        }
        EXPECT_TRUE(isValidUtf8(piece));
        joined.append(piece);
    }
    EXPECT_GT(pieces.size(), 1);
    EXPECT_EQ(joined, text);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, LogSplitTest,
    ::testing::Values(SplitCase{"Ascii", "abcdefg", 100, 128}, SplitCase{"TwoByte", "é", 300, 128},
                      SplitCase{"ThreeByte", "中", 300, 128}, SplitCase{"FourByte", "😀", 300, 130},
                      SplitCase{"Mixed", "a中é😀", 200, 131}),
    [](const ::testing::TestParamInfo<SplitCase>& testCase) { return std::string(testCase.param.name); });

TEST(LogSplitLinesTest, ShortTextIsOnePiece)
{
    EXPECT_EQ(splitUtf8("short", 128).size(), 1);
    const QList<QByteArrayView> empty = splitUtf8("", 128);
    ASSERT_EQ(empty.size(), 1);
    EXPECT_TRUE(empty.first().isEmpty());
}

TEST(LogSplitLinesTest, ThreeByteCharactersCutBeforeTheBoundary)
{
    // 128 is not a multiple of 3: the cut falls back to 126 bytes (42 characters).
    const QList<QByteArrayView> pieces = splitUtf8(QByteArray("中").repeated(100), 128);
    ASSERT_EQ(pieces.size(), 3);
    EXPECT_EQ(pieces.at(0).size(), 126);
    EXPECT_EQ(pieces.at(1).size(), 126);
    EXPECT_EQ(pieces.at(2).size(), 48);
}

TEST(LogSplitLinesTest, FormatterWritesOneFullLinePerPiece)
{
    const ProcessIdentity identity{1, "host", "user"};
    const LineFormatter formatter(identity, false, 128);
    const QString message = QString(u'中').repeated(100); // 300 bytes -> 126 + 126 + 48
    const QByteArray lines = formatter.runLines(RunRecord{Level::Info, message}, LogClock::now(), 1);

    const QList<QByteArray> split = lines.chopped(1).split('\n');
    ASSERT_EQ(split.size(), 3);
    QString rebuilt;
    for (const QByteArray& line : split) {
        const qsizetype body = line.indexOf("] : ");
        ASSERT_GT(body, 0) << line.toStdString();
        EXPECT_TRUE(line.contains("[INFO] : "));
        EXPECT_TRUE(isValidUtf8(line));
        rebuilt += QString::fromUtf8(line.mid(body + 4));
    }
    EXPECT_EQ(rebuilt, message);
}

TEST(LogSplitLinesTest, SanitisingHappensBeforeSplitting)
{
    const ProcessIdentity identity{1, "host", "user"};
    const LineFormatter formatter(identity, false, 128);
    const QByteArray lines = formatter.operationLines(u"a\nb", LogClock::now());
    EXPECT_EQ(lines.count('\n'), 1);
    EXPECT_TRUE(lines.endsWith(" : a b\n"));
}
