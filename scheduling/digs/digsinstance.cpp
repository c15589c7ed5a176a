#include "digsinstance.h"

#include <cmath>

namespace coord::scheduling::digs {

DigsPool poolFor(const InstanceInfo& info)
{
    switch (info.staticInfo.label) {
    case InstanceLabel::PrefillStatic:
    case InstanceLabel::PrefillPrefer:
        return DigsPool::Prefill;
    case InstanceLabel::DecodeStatic:
    case InstanceLabel::DecodePrefer:
        return DigsPool::Decode;
    case InstanceLabel::FlexStatic:
        break;
    }
    switch (info.role()) {
    case InstanceRole::Prefill:
        return DigsPool::Prefill;
    case InstanceRole::Decode:
        return DigsPool::Decode;
    default:
        return DigsPool::None;
    }
}

qint64 DigsInstance::reportedUsedBlocks() const
{
    const qint64 used = info.staticInfo.totalBlockNum - info.dynamicInfo.availBlockNum;
    return used > 0 ? used : 0;
}

Resources DigsInstance::limit(double resLimitRate) const
{
    Resources result;
    result.slotCount = qint64(std::floor(double(info.staticInfo.totalSlotsNum) * resLimitRate));
    result.blockCount = qint64(std::floor(double(info.staticInfo.totalBlockNum) * resLimitRate));
    return result;
}

bool withinLimit(const Resources& allocated, const Resources& limit, const Resources& demand,
                 bool countDemand)
{
    if (!countDemand)
        return allocated.slotCount <= limit.slotCount && allocated.blockCount <= limit.blockCount;
    const auto fits = [](qint64 held, qint64 cap, qint64 wanted) {
        return held == 0 || held + wanted <= cap;
    };
    return fits(allocated.slotCount, limit.slotCount, demand.slotCount) &&
           fits(allocated.blockCount, limit.blockCount, demand.blockCount);
}

} // namespace coord::scheduling::digs
