#pragma once

#include <QByteArray>
#include <QList>

#include "instanceinfo.h"
#include "simoptions.h"

namespace mindiesim {

class SimCluster;

// Live figures reported in dynamic_info.
struct InstanceLoad
{
    int availSlots = 0;
    int availBlocks = 0;
};

// Builds the Controller's POST /v1/instances/refresh body (spec §2): ids, and per instance the
// addresses (ports as strings), role as an ASCII code, label (P 2, D 3, U 0), static info and
// live dynamic info with peers.
QByteArray buildRefreshJson(const QList<InstanceInfo>& infos, const QList<InstanceLoad>& loads,
                            const SimOptions& options);
// Idle figures: every slot and block available.
QByteArray buildRefreshJson(const QList<InstanceInfo>& infos, const SimOptions& options);
QByteArray buildRefreshJson(const SimCluster& cluster);

} // namespace mindiesim
