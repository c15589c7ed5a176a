#include "refreshparser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include "flexconversion.h"
#include "instancejsonreader.h"
#include "instancevalidation.h"

namespace coord {
namespace {

QString describeEntry(const std::optional<quint64>& id, qsizetype index)
{
    if (id)
        return QStringLiteral("instance %1").arg(*id);
    return QStringLiteral("instance entry #%1").arg(index);
}

QString readIds(const QJsonArray& array, QList<quint64>& ids)
{
    ids.reserve(array.size());
    for (const QJsonValue& value : array) {
        const auto id = jsonUnsignedNumber(value);
        if (!id)
            return QStringLiteral("'ids' must hold non-negative integers");
        ids.append(*id);
    }
    return QString();
}

// Reads the typed entries; entries that cannot be read, repeat an id or are not listed in
// `ids` are skipped here.
QList<InstanceInfo> readEntries(const QJsonArray& entries, const QList<quint64>& ids,
                                QList<SkippedInstance>& skipped)
{
    const QSet<quint64> listed(ids.cbegin(), ids.cend());
    QSet<quint64> seen;
    QList<InstanceInfo> instances;
    instances.reserve(entries.size());
    for (qsizetype index = 0; index < entries.size(); ++index) {
        const QJsonValue entry = entries.at(index);
        const std::optional<quint64> id =
            entry.isObject() ? jsonUnsignedNumber(entry.toObject().value(QLatin1String("id"))) : std::nullopt;
        const QString who = describeEntry(id, index);
        if (!entry.isObject()) {
            skipped.append({id, who + QStringLiteral(": entry is not a JSON object")});
            continue;
        }
        InstanceReadResult read = readInstanceJson(entry.toObject());
        if (const QString* error = std::get_if<QString>(&read)) {
            skipped.append({id, who + QStringLiteral(": ") + *error});
            continue;
        }
        InstanceInfo instance = std::get<InstanceInfo>(std::move(read));
        if (!listed.contains(instance.id)) {
            skipped.append({id, who + QStringLiteral(": id is not listed in 'ids'")});
            continue;
        }
        if (seen.contains(instance.id)) {
            skipped.append({id, who + QStringLiteral(": id appears twice in 'instances'")});
            continue;
        }
        seen.insert(instance.id);
        instances.append(std::move(instance));
    }
    return instances;
}

} // namespace

RefreshParseResult parseRefreshBody(const QByteArray& body, ClusterMode mode)
{
    RefreshParseResult result;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        result.error = QStringLiteral("refresh body is not a JSON object: %1").arg(parseError.errorString());
        return result;
    }
    const QJsonObject root = document.object();
    const QJsonValue idsValue = root.value(QLatin1String("ids"));
    const QJsonValue instancesValue = root.value(QLatin1String("instances"));
    if (!idsValue.isArray()) {
        result.error = QStringLiteral("refresh body has no 'ids' array");
        return result;
    }
    if (!instancesValue.isArray()) {
        result.error = QStringLiteral("refresh body has no 'instances' array");
        return result;
    }
    const QJsonArray idsArray = idsValue.toArray();
    const QJsonArray entries = instancesValue.toArray();
    if (idsArray.size() > kMaxRefreshEntries || entries.size() > kMaxRefreshEntries) {
        result.error = QStringLiteral("refresh lists %1 ids and %2 instances, more than %3")
                           .arg(idsArray.size())
                           .arg(entries.size())
                           .arg(kMaxRefreshEntries);
        return result;
    }

    RefreshRequest& request = result.request;
    if (QString error = readIds(idsArray, request.ids); !error.isEmpty()) {
        result.error = error;
        return result;
    }
    QList<InstanceInfo> candidates = readEntries(entries, request.ids, request.skipped);
    if (isPdMode(mode)) {
        if (QString error = convertFirstFlexInstance(candidates, request.ids); !error.isEmpty()) {
            result.error = error;
            return result;
        }
    }
    request.instances.reserve(candidates.size());
    for (InstanceInfo& instance : candidates) {
        if (QString error = validateInstance(instance, mode); !error.isEmpty()) {
            request.skipped.append(
                {instance.id, QStringLiteral("instance %1: %2").arg(instance.id).arg(error)});
            continue;
        }
        request.instances.append(std::move(instance));
    }
    return result;
}

} // namespace coord
