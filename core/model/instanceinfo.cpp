#include "instanceinfo.h"

namespace coord {

std::optional<InstanceRole> instanceRoleFromCode(qint64 code)
{
    switch (code) {
    case qint64(InstanceRole::Unified):
        return InstanceRole::Unified;
    case qint64(InstanceRole::Prefill):
        return InstanceRole::Prefill;
    case qint64(InstanceRole::Decode):
        return InstanceRole::Decode;
    case qint64(InstanceRole::Flex):
        return InstanceRole::Flex;
    default:
        return std::nullopt;
    }
}

std::optional<InstanceLabel> instanceLabelFromCode(qint64 code)
{
    if (code < qint64(InstanceLabel::PrefillPrefer) || code > qint64(InstanceLabel::FlexStatic))
        return std::nullopt;
    return static_cast<InstanceLabel>(code);
}

QString roleLogName(InstanceRole role)
{
    switch (role) {
    case InstanceRole::Unified:
        return QStringLiteral("U");
    case InstanceRole::Prefill:
        return QStringLiteral("P");
    case InstanceRole::Decode:
        return QStringLiteral("D");
    case InstanceRole::Flex:
        return QStringLiteral("flex");
    }
    return QString();
}

QString InstanceInfo::address() const
{
    return QStringLiteral("%1:%2").arg(ip).arg(port);
}

} // namespace coord
