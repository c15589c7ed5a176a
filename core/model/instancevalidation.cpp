#include "instancevalidation.h"

#include "util/ipliteral.h"

namespace coord {
namespace {

QString validateRole(const InstanceInfo& instance, ClusterMode mode)
{
    const InstanceRole role = instance.role();
    if (isPdMode(mode)) {
        if (role != InstanceRole::Prefill && role != InstanceRole::Decode)
            return QStringLiteral("'static_info.role' %1 is not P (80) or D (68), required in PD modes")
                .arg(int(role));
        const InstanceLabel label = instance.staticInfo.label;
        if (label != InstanceLabel::PrefillStatic && label != InstanceLabel::DecodeStatic &&
            label != InstanceLabel::FlexStatic)
            return QStringLiteral("'static_info.label' %1 is not 2, 3 or 4, required in PD modes")
                .arg(int(label));
        return QString();
    }
    if (role != InstanceRole::Unified)
        return QStringLiteral("'static_info.role' %1 is not U (85), required in single_node").arg(int(role));
    return QString();
}

QString validateSizes(const InstanceStaticInfo& info)
{
    if (info.maxSeqLen <= 0)
        return QStringLiteral("'static_info.max_seq_len' must be > 0, got %1").arg(info.maxSeqLen);
    if (info.maxOutputLen < 1 || info.maxOutputLen > info.maxSeqLen)
        return QStringLiteral("'static_info.max_output_len' must be in [1, max_seq_len=%1], got %2")
            .arg(info.maxSeqLen)
            .arg(info.maxOutputLen);
    if (info.totalSlotsNum < 1 || info.totalSlotsNum > kMaxTotalSlotsNum)
        return QStringLiteral("'static_info.total_slots_num' must be in [1, %1], got %2")
            .arg(kMaxTotalSlotsNum)
            .arg(info.totalSlotsNum);
    if (info.totalBlockNum <= 0)
        return QStringLiteral("'static_info.total_block_num' must be > 0, got %1").arg(info.totalBlockNum);
    if (info.blockSize < 1 || info.blockSize > kMaxBlockSize)
        return QStringLiteral("'static_info.block_size' must be in [1, %1], got %2")
            .arg(kMaxBlockSize)
            .arg(info.blockSize);
    return QString();
}

QString validateAddress(const InstanceInfo& instance, ClusterMode mode)
{
    if (!isValidIpLiteral(instance.ip))
        return QStringLiteral("'ip' \"%1\" is not a valid IPv4 or IPv6 address").arg(instance.ip);
    if (isUnspecifiedIpLiteral(instance.ip))
        return QStringLiteral("'ip' \"%1\" is the unspecified address").arg(instance.ip);
    if (mode == ClusterMode::PdSingleContainer && instance.interCommPort == 0)
        return QStringLiteral("'inter_comm_port' must be a digit string in [1024, 65535] in "
                              "pd_disaggregation_single_container");
    return QString();
}

} // namespace

QString validateInstance(const InstanceInfo& instance, ClusterMode mode)
{
    if (QString error = validateRole(instance, mode); !error.isEmpty())
        return error;
    if (QString error = validateSizes(instance.staticInfo); !error.isEmpty())
        return error;
    return validateAddress(instance, mode);
}

} // namespace coord
