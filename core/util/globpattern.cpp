#include "globpattern.h"

namespace coord {

// Linear-time wildcard matching: on a mismatch after a `*`, retry with that star absorbing one
// more character. Only the most recent star needs remembering, so there is no exponential
// backtracking whatever the pattern.
bool GlobPattern::matches(const QByteArray& target) const
{
    if (target.size() > kMaxTargetLength)
        return false;
    const qsizetype patternSize = m_pattern.size();
    const qsizetype targetSize = target.size();
    qsizetype p = 0;
    qsizetype t = 0;
    qsizetype starAt = -1;
    qsizetype starMatchEnd = 0;
    while (t < targetSize) {
        if (p < patternSize && (m_pattern[p] == '?' || m_pattern[p] == target[t])) {
            ++p;
            ++t;
        } else if (p < patternSize && m_pattern[p] == '*') {
            starAt = p++;
            starMatchEnd = t;
        } else if (starAt >= 0) {
            p = starAt + 1;
            t = ++starMatchEnd;
        } else {
            return false;
        }
    }
    while (p < patternSize && m_pattern[p] == '*')
        ++p;
    return p == patternSize;
}

} // namespace coord
