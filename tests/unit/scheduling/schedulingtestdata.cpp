#include "schedulingtestdata.h"

#include <QJsonDocument>

namespace coord::testing {

QJsonObject instanceJson(quint64 id, InstanceRole role)
{
    const bool pd = role != InstanceRole::Unified;
    const int label = role == InstanceRole::Prefill ? 2 : role == InstanceRole::Decode ? 3 : pd ? 4 : 0;
    const QJsonObject staticInfo{
        {"group_id", 0},         {"role", int(role)},        {"label", label},
        {"p_percentage", 0},     {"virtual_id", qint64(id)}, {"max_seq_len", 2048},
        {"max_output_len", 512}, {"total_slots_num", 200},   {"total_block_num", 1024},
        {"block_size", 128}};
    const QJsonObject dynamicInfo{
        {"avail_slots_num", 200}, {"avail_block_num", 1024}, {"peers", QJsonArray()}};
    return QJsonObject{{"id", qint64(id)},
                       {"ip", QStringLiteral("10.0.0.%1").arg(id % 250 + 1)},
                       {"port", "1025"},
                       {"metric_port", "1027"},
                       {"inter_comm_port", "1030"},
                       {"model_name", "llama_65b"},
                       {"static_info", staticInfo},
                       {"dynamic_info", dynamicInfo}};
}

QByteArray refreshBody(const QJsonArray& ids, const QJsonArray& entries)
{
    return QJsonDocument(QJsonObject{{"ids", ids}, {"instances", entries}}).toJson(QJsonDocument::Compact);
}

QByteArray refreshBody(const QJsonArray& entries)
{
    QJsonArray ids;
    for (const QJsonValue& entry : entries)
        ids.append(entry.toObject().value("id"));
    return refreshBody(ids, entries);
}

InstanceInfo makeInstance(quint64 id, InstanceRole role, qint64 availSlots, qint64 availBlocks)
{
    InstanceInfo info;
    info.id = id;
    info.ip = QStringLiteral("10.0.%1.%2").arg(id / 250).arg(id % 250 + 1);
    info.port = 1025;
    info.metricPort = 1027;
    info.modelName = QStringLiteral("model-%1").arg(id);
    info.staticInfo.role = role;
    info.staticInfo.label = role == InstanceRole::Prefill  ? InstanceLabel::PrefillStatic
                            : role == InstanceRole::Decode ? InstanceLabel::DecodeStatic
                                                           : InstanceLabel::PrefillPrefer;
    info.staticInfo.virtualId = id;
    info.staticInfo.maxSeqLen = 2048;
    info.staticInfo.maxOutputLen = 512;
    info.staticInfo.totalSlotsNum = 100;
    info.staticInfo.totalBlockNum = 1000;
    info.staticInfo.blockSize = 128;
    info.dynamicInfo.availSlotsNum = availSlots;
    info.dynamicInfo.availBlockNum = availBlocks;
    return info;
}

RefreshRequest refreshOf(std::initializer_list<InstanceInfo> instances)
{
    return refreshOf(QList<InstanceInfo>(instances));
}

RefreshRequest refreshOf(const QList<InstanceInfo>& instances)
{
    RefreshRequest request;
    request.instances = instances;
    for (const InstanceInfo& instance : instances)
        request.ids.append(instance.id);
    return request;
}

scheduling::SchedulerSettings pdSettings()
{
    scheduling::SchedulerSettings settings;
    settings.mode = ClusterMode::PdSeparate;
    return settings;
}

} // namespace coord::testing
