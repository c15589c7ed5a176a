#include "refreshreconciler.h"

#include <QSet>

namespace coord::scheduling {

bool isClusterAvailable(const InstanceTable& table, ClusterMode mode)
{
    if (!isPdMode(mode))
        return table.counts(InstanceRole::Unified).total > 0;
    return table.counts(InstanceRole::Prefill).total > 0 && table.counts(InstanceRole::Decode).total > 0;
}

namespace {

void removeUnlisted(InstanceTable& table, const QList<quint64>& ids, RefreshDiff& diff)
{
    const QSet<quint64> listed(ids.cbegin(), ids.cend());
    QList<quint64> unlisted;
    table.forEachInOrder([&](const TrackedInstance& instance) {
        if (!listed.contains(instance.info.id))
            unlisted.append(instance.info.id);
    });
    for (const quint64 id : unlisted) {
        diff.removed.append(table.find(id)->info);
        table.remove(id);
    }
}

} // namespace

RefreshDiff reconcileRefresh(InstanceTable& table, FaultyInstances& faulty, const RefreshRequest& request,
                             ClusterMode mode)
{
    RefreshDiff diff;
    diff.availableBefore = isClusterAvailable(table, mode);
    diff.skipped = request.skipped;
    removeUnlisted(table, request.ids, diff);

    for (const InstanceInfo& incoming : request.instances) {
        if (faulty.isIgnored(incoming.id)) {
            diff.skipped.append(
                {incoming.id, QStringLiteral("instance %1: marked faulty, ignored for another %2 ms")
                                  .arg(incoming.id)
                                  .arg(faulty.remainingMs(incoming.id))});
            continue;
        }
        const TrackedInstance* current = table.find(incoming.id);
        if (current != nullptr && current->info.role() == incoming.role()) {
            if (!(current->info.dynamicInfo == incoming.dynamicInfo)) {
                table.updateDynamic(incoming.id, incoming.dynamicInfo);
                diff.updated.append(table.find(incoming.id)->info);
            }
            continue;
        }
        if (current != nullptr) {
            diff.removed.append(current->info);
            table.remove(incoming.id);
        }
        diff.added.append(table.add(incoming).info);
    }
    diff.availableAfter = isClusterAvailable(table, mode);
    return diff;
}

} // namespace coord::scheduling
