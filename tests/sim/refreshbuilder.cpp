#include "refreshbuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "simcluster.h"
#include "siminstance.h"

namespace mindiesim {

namespace {
int labelFor(Role role)
{
    switch (role) {
    case Role::Prefill:
        return 2; // PREFILL_STATIC
    case Role::Decode:
        return 3; // DECODE_STATIC
    case Role::Single:
        return 0;
    }
    return 0;
}

QString portString(quint16 port)
{
    return port ? QString::number(port) : QString();
}
} // namespace

QByteArray buildRefreshJson(const QList<InstanceInfo>& infos, const QList<InstanceLoad>& loads,
                            const SimOptions& options)
{
    QJsonArray ids;
    QJsonArray instances;
    for (qsizetype i = 0; i < infos.size(); ++i) {
        const InstanceInfo& info = infos[i];
        const InstanceLoad load = loads.value(i);
        ids.append(qint64(info.id));
        QJsonObject staticInfo;
        staticInfo.insert(QLatin1String("group_id"), info.group);
        staticInfo.insert(QLatin1String("role"), int(info.role));
        staticInfo.insert(QLatin1String("label"), labelFor(info.role));
        staticInfo.insert(QLatin1String("p_percentage"), 0);
        staticInfo.insert(QLatin1String("virtual_id"), qint64(info.id));
        staticInfo.insert(QLatin1String("max_seq_len"), options.maxSeqLen);
        staticInfo.insert(QLatin1String("max_output_len"), qMin(options.maxOutputTokens, options.maxSeqLen));
        staticInfo.insert(QLatin1String("total_slots_num"), options.engine.slotCount);
        staticInfo.insert(QLatin1String("total_block_num"), options.engine.totalBlocks);
        staticInfo.insert(QLatin1String("block_size"), options.engine.blockSize);
        QJsonArray peers;
        for (const quint64 peer : info.peers)
            peers.append(qint64(peer));
        QJsonObject dynamicInfo;
        dynamicInfo.insert(QLatin1String("avail_slots_num"), load.availSlots);
        dynamicInfo.insert(QLatin1String("avail_block_num"), load.availBlocks);
        dynamicInfo.insert(QLatin1String("peers"), peers);
        QJsonObject instance;
        instance.insert(QLatin1String("id"), qint64(info.id));
        instance.insert(QLatin1String("ip"), info.ip);
        instance.insert(QLatin1String("port"), portString(info.port));
        instance.insert(QLatin1String("metric_port"), portString(info.metricPort));
        instance.insert(QLatin1String("inter_comm_port"), portString(info.interCommPort));
        instance.insert(QLatin1String("model_name"), options.modelName);
        instance.insert(QLatin1String("static_info"), staticInfo);
        instance.insert(QLatin1String("dynamic_info"), dynamicInfo);
        instances.append(instance);
    }
    QJsonObject root;
    root.insert(QLatin1String("ids"), ids);
    root.insert(QLatin1String("instances"), instances);
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

QByteArray buildRefreshJson(const QList<InstanceInfo>& infos, const SimOptions& options)
{
    QList<InstanceLoad> loads;
    for (qsizetype i = 0; i < infos.size(); ++i)
        loads.append({options.engine.slotCount, options.engine.totalBlocks});
    return buildRefreshJson(infos, loads, options);
}

QByteArray buildRefreshJson(const SimCluster& cluster)
{
    QList<InstanceInfo> infos;
    QList<InstanceLoad> loads;
    for (SimInstance* instance : cluster.instances()) {
        // A crashed instance disappears from the list, as when the Controller notices a dead pod.
        if (instance->isCrashed())
            continue;
        const EngineSnapshot snapshot = instance->engine().snapshot();
        infos.append(instance->info());
        loads.append({snapshot.freeSlots, snapshot.totalBlocks - snapshot.usedBlocks});
    }
    return buildRefreshJson(infos, loads, cluster.options());
}

} // namespace mindiesim
