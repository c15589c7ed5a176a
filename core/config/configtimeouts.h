#pragma once

#include <QtGlobal>

namespace coord::config {

// schedule_timeout must end this many seconds before first_token_timeout / infer_timeout.
inline constexpr int kScheduleTimeoutMargin = 20;

// Spec 5.2: if schedule + 20 > min(firstToken, infer), schedule becomes min - 20, or 0 (disabled)
// when min <= 20. As in MindIE, a disabled (0) first-token or infer timeout counts as 0 here,
// which disables the schedule timeout too.
constexpr qint64 effectiveScheduleTimeout(qint64 schedule, qint64 firstToken, qint64 infer)
{
    const qint64 limit = firstToken < infer ? firstToken : infer;
    if (schedule + kScheduleTimeoutMargin <= limit)
        return schedule;
    return limit <= kScheduleTimeoutMargin ? 0 : limit - kScheduleTimeoutMargin;
}

} // namespace coord::config
