#include "operationlogtext.h"

namespace coord::scheduling {

QString instanceLogRole(const InstanceInfo& instance)
{
    return instance.flexOriginId ? roleLogName(InstanceRole::Flex) : roleLogName(instance.role());
}

QString addInstanceLogLine(const InstanceInfo& instance)
{
    return QStringLiteral("[Add] Add instance %1 IP %2").arg(instanceLogRole(instance), instance.address());
}

QString removeInstanceLogLine(const InstanceInfo& instance)
{
    return QStringLiteral("[Remove] Remove %1 instance IP: %2")
        .arg(instanceLogRole(instance), instance.address());
}

QString offlineInstanceLogLine(const InstanceInfo& instance)
{
    return QStringLiteral("[Offline] Instance offline ip: %1").arg(instance.address());
}

QString onlineInstanceLogLine(const InstanceInfo& instance)
{
    // MindIE has no separate online line; this mirrors the offline one.
    return QStringLiteral("[Online] Instance online ip: %1").arg(instance.address());
}

} // namespace coord::scheduling
