#pragma once

#include <QString>

#include "model/instanceinfo.h"

namespace coord::scheduling {

// The operation-log lines MindIE writes for registry changes, byte for byte. The role word is
// U, P or D, or "flex" for the halves of a converted flex instance. Pure functions, any thread.
QString instanceLogRole(const InstanceInfo& instance);
QString addInstanceLogLine(const InstanceInfo& instance);     // [Add] Add instance P IP ip:port
QString removeInstanceLogLine(const InstanceInfo& instance);  // [Remove] Remove P instance IP: ip:port
QString offlineInstanceLogLine(const InstanceInfo& instance); // [Offline] Instance offline ip: ip:port
QString onlineInstanceLogLine(const InstanceInfo& instance);  // [Online] Instance online ip: ip:port

} // namespace coord::scheduling
