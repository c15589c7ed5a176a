#pragma once

#include <QByteArray>

namespace coord {

// A route pattern as MindIE writes them: `*` matches any run of characters (slashes included)
// and `?` exactly one. A pattern matches the whole request target, query string included, so
// "/generate" does not match "/generate?x=1". Qt's wildcard conversion is not used because in
// Qt 6.4 its `*` stops at `/`.
class GlobPattern
{
public:
    // Targets longer than this never match, as in MindIE.
    static constexpr qsizetype kMaxTargetLength = 4096;

    explicit GlobPattern(QByteArray pattern) : m_pattern(std::move(pattern)) {}

    bool matches(const QByteArray& target) const;
    const QByteArray& pattern() const { return m_pattern; }

private:
    QByteArray m_pattern;
};

} // namespace coord
