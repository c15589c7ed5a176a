// Several threads logging at once must produce whole lines that never mix, also across rotation.

#include <thread>
#include <vector>

#include <QDir>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include "log/logger.h"
#include "logtesthelpers.h"

using namespace coord::log;
using coord::log::test::readLines;

namespace {

constexpr int kThreads = 8;
constexpr int kLinesPerThread = 500;

// Payload long enough that a torn write would be visible: "t<thread> n<number> <filler>|"
QString payload(int thread, int number)
{
    const QString head = QStringLiteral("t%1 n%2 ").arg(thread).arg(number);
    return head + QString(QChar(u'a' + thread)).repeated(200) + u'|';
}

void runWriters(Logger& logger)
{
    std::vector<std::thread> writers;
    for (int t = 0; t < kThreads; ++t) {
        writers.emplace_back([&logger, t] {
            for (int n = 0; n < kLinesPerThread; ++n) {
                if (n % 10 == 0) {
                    logger.writeOperation(payload(t, n));
                } else {
                    logger.writeRun(Level::Info, payload(t, n));
                }
            }
        });
    }
    for (std::thread& writer : writers) {
        writer.join();
    }
}

// Checks every line's shape and returns how many lines were seen per thread, in order.
void checkLines(const QList<QByteArray>& lines, std::vector<int>* lastNumber, int* total)
{
    static const QRegularExpression shape(QStringLiteral(
        R"(^\[[^\]]+\] (\[INFO\]|\[\d+\] \[[^\]]+\] \[[^\]]+\] \[ms\]) : t(\d) n(\d+) ([a-h])\4{199}\|$)"));
    for (const QByteArray& raw : lines) {
        const QString line = QString::fromUtf8(raw);
        const QRegularExpressionMatch match = shape.match(line);
        ASSERT_TRUE(match.hasMatch()) << line.toStdString();
        const int thread = match.captured(2).toInt();
        EXPECT_EQ(match.captured(4).at(0), QChar(u'a' + thread)) << line.toStdString();
        (*lastNumber)[thread] = match.captured(3).toInt();
        ++*total;
    }
}

LogSettings settingsIn(const QTemporaryDir& temp)
{
    LogSettings settings;
    settings.verbose = false;
    settings.runLogFile = temp.filePath(QStringLiteral("debug/run.log"));
    settings.operationLogFile = temp.filePath(QStringLiteral("security/op.log"));
    return settings;
}

} // namespace

TEST(LogConcurrencyTest, LinesFromManyThreadsStayWhole)
{
    QTemporaryDir temp;
    const LogSettings settings = settingsIn(temp);
    Logger logger;
    QString error;
    ASSERT_TRUE(logger.start(settings, &error)) << error.toStdString();
    runWriters(logger);
    logger.stop();

    std::vector<int> lastNumber(kThreads, -1);
    int total = 0;
    checkLines(readLines(settings.runLogFile), &lastNumber, &total);
    checkLines(readLines(settings.operationLogFile), &lastNumber, &total);
    EXPECT_EQ(total, kThreads * kLinesPerThread);
}

TEST(LogConcurrencyTest, RotationUnderConcurrentWritersLosesNothing)
{
    QTemporaryDir temp;
    LogSettings settings = settingsIn(temp);
    settings.maxFileBytes = 64 * 1024; // ~1 MB of lines spread over many files
    settings.maxFileNum = 64;
    Logger logger;
    QString error;
    ASSERT_TRUE(logger.start(settings, &error)) << error.toStdString();
    runWriters(logger);
    logger.stop();

    std::vector<int> lastNumber(kThreads, -1);
    int total = 0;
    int runFiles = 0;
    for (const QString& sub : {QStringLiteral("debug"), QStringLiteral("security")}) {
        const QDir dir(temp.filePath(sub));
        for (const QString& name : dir.entryList({QStringLiteral("*.log")}, QDir::Files)) {
            const QString path = dir.filePath(name);
            EXPECT_LE(QFileInfo(path).size(), settings.maxFileBytes) << name.toStdString();
            checkLines(readLines(path), &lastNumber, &total);
            runFiles += sub == u"debug" ? 1 : 0;
        }
    }
    EXPECT_GT(runFiles, 1);
    EXPECT_EQ(total, kThreads * kLinesPerThread);
}
