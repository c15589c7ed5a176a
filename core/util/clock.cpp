#include "clock.h"

#include <chrono>

namespace coord {

qint64 SteadyClock::nowMs() const
{
    const auto sinceEpoch = std::chrono::steady_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::milliseconds>(sinceEpoch).count();
}

const SteadyClock& SteadyClock::instance()
{
    static const SteadyClock clock;
    return clock;
}

} // namespace coord
