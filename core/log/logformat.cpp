#include "logformat.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace coord::log {

namespace {

constexpr char kComponentTag[] = "[ms] ";

bool isUtf8Continuation(char byte)
{
    return (static_cast<unsigned char>(byte) & 0xC0) == 0x80;
}

QByteArrayView baseName(const char* path)
{
    const QByteArrayView view(path);
    const qsizetype slash = view.lastIndexOf('/');
    return slash < 0 ? view : view.sliced(slash + 1);
}

bool isWhitespaceOrControl(QChar ch)
{
    return ch.isSpace() || ch.category() == QChar::Other_Control;
}

// Most messages are already clean; checking is cheaper than rebuilding them.
bool needsSanitising(QStringView message)
{
    if (message.isEmpty()) {
        return false;
    }
    if (message.front().isSpace() || message.back().isSpace()) {
        return true;
    }
    bool previousWasSpace = false;
    for (const QChar ch : message) {
        const char16_t code = ch.unicode();
        if (code == u' ') {
            if (previousWasSpace) {
                return true;
            }
            previousWasSpace = true;
            continue;
        }
        previousWasSpace = false;
        if (code < 0x20 || (code > 0x7E && isWhitespaceOrControl(ch))) {
            return true;
        }
    }
    return false;
}

} // namespace

QByteArray formatTimestamp(LogClock::time_point when)
{
    using namespace std::chrono;
    const auto micros = duration_cast<microseconds>(when.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
    const int fraction = static_cast<int>(micros % 1'000'000);

    std::tm local{};
    ::localtime_r(&seconds, &local);
    const long offsetMinutes = local.tm_gmtoff / 60;
    const char sign = offsetMinutes < 0 ? '-' : '+';
    const long absMinutes = std::labs(offsetMinutes);

    char text[96];
    const int length =
        std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d.%06d%c%02ld:%02ld",
                      local.tm_year + 1900, local.tm_mon + 1, local.tm_mday, local.tm_hour, local.tm_min,
                      local.tm_sec, fraction, sign, absMinutes / 60, absMinutes % 60);
    return QByteArray(text, length);
}

QString sanitiseMessage(QStringView message)
{
    if (!needsSanitising(message)) {
        return message.toString();
    }
    QString clean;
    clean.reserve(message.size());
    bool pendingSpace = false;
    for (const QChar ch : message) {
        if (ch.isSpace()) {
            pendingSpace = !clean.isEmpty();
            continue;
        }
        if (ch.category() == QChar::Other_Control) {
            continue;
        }
        if (pendingSpace) {
            clean.append(u' ');
            pendingSpace = false;
        }
        clean.append(ch);
    }
    return clean;
}

QList<QByteArrayView> splitUtf8(QByteArrayView text, qsizetype maxBytes)
{
    // A UTF-8 character takes at most four bytes; a smaller limit could never make progress.
    maxBytes = qMax<qsizetype>(maxBytes, 4);
    QList<QByteArrayView> pieces;
    while (text.size() > maxBytes) {
        qsizetype cut = maxBytes;
        while (cut > 0 && isUtf8Continuation(text.at(cut))) {
            --cut;
        }
        if (cut == 0) {
            cut = maxBytes; // not valid UTF-8 (no lead byte in reach): cut anyway rather than loop
        }
        pieces.append(text.first(cut));
        text = text.sliced(cut);
    }
    pieces.append(text);
    return pieces;
}

LineFormatter::LineFormatter(const ProcessIdentity& identity, bool verbose, int maxLogStrSize)
    : m_identity(identity), m_verbose(verbose), m_maxLogStrSize(maxLogStrSize)
{}

QByteArray LineFormatter::runLines(const RunRecord& record, LogClock::time_point when, qint64 threadId) const
{
    QByteArray prefix;
    prefix.reserve(128);
    prefix.append('[').append(formatTimestamp(when)).append("] ");
    if (m_verbose || record.level == Level::Debug) {
        prefix.append('[').append(QByteArray::number(m_identity.pid)).append("] [");
        prefix.append(QByteArray::number(threadId)).append("] ").append(kComponentTag);
    }
    prefix.append('[').append(levelName(record.level).latin1()).append("] ");
    if (m_verbose && record.file && *record.file) {
        prefix.append('[').append(baseName(record.file)).append(':');
        prefix.append(QByteArray::number(record.line)).append("] ");
    }
    prefix.append(": ");
    return assemble(prefix, record.message);
}

QByteArray LineFormatter::operationLines(QStringView message, LogClock::time_point when) const
{
    QByteArray prefix;
    prefix.reserve(128);
    prefix.append('[').append(formatTimestamp(when)).append("] ");
    prefix.append('[').append(QByteArray::number(m_identity.pid)).append("] ");
    prefix.append('[').append(m_identity.hostname).append("] ");
    prefix.append('[').append(m_identity.user).append("] ");
    prefix.append(kComponentTag).append(": ");
    return assemble(prefix, message);
}

QByteArray LineFormatter::assemble(const QByteArray& prefix, QStringView message) const
{
    const QByteArray body = sanitiseMessage(message).toUtf8();
    const QList<QByteArrayView> pieces = splitUtf8(body, m_maxLogStrSize);
    QByteArray lines;
    lines.reserve((prefix.size() + 1) * pieces.size() + body.size());
    for (const QByteArrayView piece : pieces) {
        lines.append(prefix).append(piece).append('\n');
    }
    return lines;
}

} // namespace coord::log
