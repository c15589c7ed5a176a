// Size-based rotation (spec §10.4): name.01.log shifting, the N-file cap, and file modes.

#include <QDir>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include "log/rotatingfile.h"
#include "logtesthelpers.h"

using namespace coord::log;
using coord::log::test::modeOf;
using coord::log::test::readLines;

namespace {

// A 20-byte line: "line NNNN ..........\n"
QByteArray numberedLine(int number)
{
    QByteArray line = "line " + QByteArray::number(number).rightJustified(4, '0') + ' ';
    return line.leftJustified(19, '.') + '\n';
}

QStringList logFilesIn(const QString& dir)
{
    return QDir(dir).entryList({QStringLiteral("*.log")}, QDir::Files, QDir::Name);
}

} // namespace

TEST(LogRotatedPathTest, InsertsTwoDigitIndexBeforeSuffix)
{
    EXPECT_EQ(RotatingFile::rotatedPath(QStringLiteral("/d/run.log"), 1), QStringLiteral("/d/run.01.log"));
    EXPECT_EQ(RotatingFile::rotatedPath(QStringLiteral("/d/run.log"), 12), QStringLiteral("/d/run.12.log"));
    EXPECT_EQ(RotatingFile::rotatedPath(QStringLiteral("/d/mindie-ms_coordinator_1_2.log"), 3),
              QStringLiteral("/d/mindie-ms_coordinator_1_2.03.log"));
    EXPECT_EQ(RotatingFile::rotatedPath(QStringLiteral("logs/run.txt"), 2),
              QStringLiteral("logs/run.02.txt"));
    EXPECT_EQ(RotatingFile::rotatedPath(QStringLiteral("/d/run"), 1), QStringLiteral("/d/run.01"));
}

TEST(LogRotatingFileTest, CreatesDirectoriesAndFileWithModes)
{
    QTemporaryDir temp;
    ASSERT_TRUE(temp.isValid());
    const QString path = temp.filePath(QStringLiteral("a/b/run.log"));
    RotatingFile file(path, 1000, 3);
    QString error;
    ASSERT_TRUE(file.open(&error)) << error.toStdString();
    EXPECT_EQ(modeOf(temp.filePath(QStringLiteral("a"))), 0750);
    EXPECT_EQ(modeOf(temp.filePath(QStringLiteral("a/b"))), 0750);
    EXPECT_EQ(modeOf(path), 0640);
}

TEST(LogRotatingFileTest, OpenFailureNamesThePath)
{
    QTemporaryDir temp;
    QFile blocker(temp.filePath(QStringLiteral("blocker")));
    ASSERT_TRUE(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    RotatingFile file(temp.filePath(QStringLiteral("blocker/sub/run.log")), 1000, 3);
    QString error;
    EXPECT_FALSE(file.open(&error));
    EXPECT_TRUE(error.contains(temp.filePath(QStringLiteral("blocker")))) << error.toStdString();
}

TEST(LogRotatingFileTest, ShiftsToNumberedCopiesAndCapsTheCount)
{
    QTemporaryDir temp;
    const QString path = temp.filePath(QStringLiteral("run.log"));
    RotatingFile file(path, 100, 3); // five 20-byte lines per file, three files
    QString error;
    for (int i = 1; i <= 40; ++i) {
        ASSERT_TRUE(file.write(numberedLine(i), &error)) << error.toStdString();
        EXPECT_LE(file.size(), 100);
    }
    EXPECT_EQ(
        logFilesIn(temp.path()),
        (QStringList{QStringLiteral("run.01.log"), QStringLiteral("run.02.log"), QStringLiteral("run.log")}));

    // Newest lines in the live file, the previous five in .01, the five before in .02.
    EXPECT_EQ(readLines(path).first(), numberedLine(36).chopped(1));
    EXPECT_EQ(readLines(path).last(), numberedLine(40).chopped(1));
    EXPECT_EQ(readLines(RotatingFile::rotatedPath(path, 1)).first(), numberedLine(31).chopped(1));
    EXPECT_EQ(readLines(RotatingFile::rotatedPath(path, 2)).first(), numberedLine(26).chopped(1));

    EXPECT_EQ(modeOf(path), 0640);
    EXPECT_EQ(modeOf(RotatingFile::rotatedPath(path, 1)), 0440);
    EXPECT_EQ(modeOf(RotatingFile::rotatedPath(path, 2)), 0440);
}

TEST(LogRotatingFileTest, RotatesOnlyWhenTheNextWriteWouldExceed)
{
    QTemporaryDir temp;
    const QString path = temp.filePath(QStringLiteral("run.log"));
    RotatingFile file(path, 60, 2);
    for (int i = 1; i <= 3; ++i) {
        ASSERT_TRUE(file.write(numberedLine(i), nullptr)); // exactly 60 bytes: still one file
    }
    EXPECT_EQ(logFilesIn(temp.path()), QStringList{QStringLiteral("run.log")});
    ASSERT_TRUE(file.write(numberedLine(4), nullptr));
    EXPECT_EQ(logFilesIn(temp.path()),
              (QStringList{QStringLiteral("run.01.log"), QStringLiteral("run.log")}));
    EXPECT_EQ(readLines(path).size(), 1);
}

TEST(LogRotatingFileTest, SingleFileLimitTruncatesInPlace)
{
    QTemporaryDir temp;
    const QString path = temp.filePath(QStringLiteral("run.log"));
    RotatingFile file(path, 50, 1);
    for (int i = 1; i <= 10; ++i) {
        ASSERT_TRUE(file.write(numberedLine(i), nullptr));
    }
    EXPECT_EQ(logFilesIn(temp.path()), QStringList{QStringLiteral("run.log")});
    EXPECT_EQ(readLines(path).last(), numberedLine(10).chopped(1));
}

TEST(LogRotatingFileTest, OversizedRecordIsWrittenWhole)
{
    QTemporaryDir temp;
    const QString path = temp.filePath(QStringLiteral("run.log"));
    RotatingFile file(path, 10, 2);
    const QByteArray big = QByteArray(50, 'x') + '\n';
    ASSERT_TRUE(file.write(big, nullptr));
    ASSERT_TRUE(file.write(big, nullptr));
    EXPECT_EQ(readLines(path), QList<QByteArray>{big.chopped(1)});
    EXPECT_EQ(readLines(RotatingFile::rotatedPath(path, 1)), QList<QByteArray>{big.chopped(1)});
}

TEST(LogRotatingFileTest, AppendsToAnExistingFileAndCountsItsSize)
{
    QTemporaryDir temp;
    const QString path = temp.filePath(QStringLiteral("run.log"));
    {
        RotatingFile first(path, 100, 2);
        ASSERT_TRUE(first.write(numberedLine(1), nullptr));
    }
    RotatingFile second(path, 100, 2);
    ASSERT_TRUE(second.open(nullptr));
    EXPECT_EQ(second.size(), 20);
    ASSERT_TRUE(second.write(numberedLine(2), nullptr));
    EXPECT_EQ(readLines(path).size(), 2);
}

TEST(LogRotatingFileTest, ShiftsCopiesLeftByAnEarlierRun)
{
    QTemporaryDir temp;
    const QString path = temp.filePath(QStringLiteral("run.log"));
    const QString stale = RotatingFile::rotatedPath(path, 1);
    {
        QFile file(stale);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write("stale\n");
        file.setPermissions(QFileDevice::ReadOwner);
    }
    RotatingFile file(path, 20, 3);
    ASSERT_TRUE(file.write(numberedLine(1), nullptr));
    ASSERT_TRUE(file.write(numberedLine(2), nullptr));
    EXPECT_EQ(readLines(stale), QList<QByteArray>{numberedLine(1).chopped(1)});
    EXPECT_EQ(readLines(RotatingFile::rotatedPath(path, 2)), QList<QByteArray>{"stale"});
}
