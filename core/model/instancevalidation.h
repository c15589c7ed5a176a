#pragma once

#include <QString>

#include "instanceinfo.h"

namespace coord {

inline constexpr qint64 kMaxTotalSlotsNum = 5000;
inline constexpr qint64 kMaxBlockSize = 128;

// The per-instance range rules of spec §2.2, applied after flex conversion. Returns an empty
// string when the instance is usable, otherwise what is wrong, naming the field.
QString validateInstance(const InstanceInfo& instance, ClusterMode mode);

} // namespace coord
