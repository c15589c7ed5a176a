#pragma once

#include "router.h"

#include "registry/refreshdiff.h"

#include <QHostAddress>

#include <functional>

namespace coord {
class ServiceState;
}
namespace coord::scheduling {
class Scheduler;
}

namespace coord::server {

class DataPlane;

// What the Controller's API reads and changes, owned by the daemon on the control thread.
struct ManageContext
{
    ManageContext(scheduling::Scheduler& registry, DataPlane& dataPlane, ServiceState& serviceState)
        : scheduler(registry), plane(dataPlane), state(serviceState)
    {
    }

    scheduling::Scheduler& scheduler;
    DataPlane& plane;
    ServiceState& state;
    // Set by the first refresh that registers an instance; until then most routes answer 503.
    bool initialized = false;
    // Where the last refresh came from: alarms go to this address.
    QHostAddress controllerAddress;
    // backup_info's is_abnormal, as the Controller last set it.
    bool abnormal = false;
    qint64 refreshCount = 0;
    // Called after every registry change (refresh), e.g. to open or close /dresult links.
    std::function<void(const scheduling::RefreshDiff&)> onRegistryChanged;
    // Called after /v1/instances/offline or /online with the instances that changed.
    std::function<void(const QList<InstanceInfo>&, bool closed)> onClosedChanged;
};

// Writes the operation-log lines of a registry change and updates readiness.
void applyRegistryChange(ManageContext& context, const scheduling::RefreshDiff& diff);

// The manage port (spec §1.3): refresh, offline, online, tasks, query_tasks, coordinator_info,
// recvs_info, backup_info. `context` must outlive the router.
void addManageRoutes(Router& router, ManageContext& context);

} // namespace coord::server
