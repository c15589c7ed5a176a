#include "refreshbody.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace dptest {

QJsonObject singleInstanceEntry(quint64 id, quint16 port, quint16 metricPort, const QString& modelName)
{
    const QJsonObject staticInfo{
        {QStringLiteral("group_id"), 0},
        {QStringLiteral("role"), 85},
        {QStringLiteral("label"), 0},
        {QStringLiteral("p_percentage"), 0},
        {QStringLiteral("virtual_id"), qint64(id)},
        {QStringLiteral("max_seq_len"), 2048},
        {QStringLiteral("max_output_len"), 512},
        {QStringLiteral("total_slots_num"), 256},
        {QStringLiteral("total_block_num"), 4096},
        {QStringLiteral("block_size"), 128},
    };
    const QJsonObject dynamicInfo{
        {QStringLiteral("avail_slots_num"), 256},
        {QStringLiteral("avail_block_num"), 4096},
        {QStringLiteral("peers"), QJsonArray()},
    };
    return QJsonObject{
        {QStringLiteral("id"), qint64(id)},
        {QStringLiteral("ip"), QStringLiteral("127.0.0.1")},
        {QStringLiteral("port"), QString::number(port)},
        {QStringLiteral("metric_port"), QString::number(metricPort)},
        {QStringLiteral("inter_comm_port"), QString()},
        {QStringLiteral("model_name"), modelName},
        {QStringLiteral("static_info"), staticInfo},
        {QStringLiteral("dynamic_info"), dynamicInfo},
    };
}

QByteArray refreshBody(const QList<QJsonObject>& instances)
{
    QJsonArray ids;
    QJsonArray entries;
    for (const QJsonObject& instance : instances) {
        ids.append(instance.value(QLatin1String("id")));
        entries.append(instance);
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("ids"), ids}, {QStringLiteral("instances"), entries}})
        .toJson(QJsonDocument::Compact);
}

} // namespace dptest
