#include "manageroutes.h"

#include "dataplane.h"
#include "plainreplies.h"
#include "requestlog.h"

#include "log/logapi.h"
#include "pd/digsplacer.h"
#include "model/refreshparser.h"
#include "model/servicestate.h"
#include "registry/operationlogtext.h"
#include "scheduler.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace coord::server {

namespace {

constexpr int kMaxQueryParameters = 100;

QByteArray compact(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// {"ids":[u64,...]} with at most kMaxRefreshEntries ids; empty optional when malformed.
std::optional<QList<quint64>> parseIdList(const QByteArray& body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    const QJsonValue ids = document.object().value(QLatin1String("ids"));
    if (!ids.isArray() || ids.toArray().size() > kMaxRefreshEntries)
        return std::nullopt;
    QList<quint64> parsed;
    for (const QJsonValue& id : ids.toArray()) {
        if (!id.isDouble() || id.toDouble() < 0)
            return std::nullopt;
        parsed.append(static_cast<quint64>(id.toInteger()));
    }
    return parsed;
}

void updateReadiness(ManageContext& context, const scheduling::RefreshDiff& diff)
{
    context.state.setClusterAvailable(context.scheduler.clusterAvailable());
    context.state.setFirstModelName(context.scheduler.firstModelName());
    const bool ready = context.state.ready();
    if (diff.availabilityChanged() || context.refreshCount % 10 == 0) {
        if (ready)
            qCInfo(lcRequest) << "MindIE-MS coordinator is ready!!!";
        else
            qCWarning(lcRequest) << "MindIE-MS coordinator is not ready...";
    }
}

void handleRefresh(ManageContext& context, const http::HttpRequest& request, http::ResponseStream& response)
{
    context.controllerAddress = request.peerAddress;
    const RefreshParseResult parsed = parseRefreshBody(request.body, context.scheduler.mode());
    if (!parsed.ok()) {
        qCWarning(lcRequest).noquote() << "refresh refused:" << parsed.error;
        replyText(response, 400, parsed.error.toUtf8().constData());
        return;
    }
    ++context.refreshCount;
    applyRegistryChange(context, context.scheduler.applyRefresh(parsed.request));
    response.sendFull(200, QByteArray(), QByteArray());
}

void handleOpenClose(ManageContext& context, const http::HttpRequest& request, http::ResponseStream& response,
                     bool close)
{
    if (!context.initialized) {
        replyEmpty(response, 503);
        return;
    }
    const std::optional<QList<quint64>> ids = parseIdList(request.body);
    if (!ids) {
        replyText(response, 400, "Request format is invalid: expected {\"ids\":[...]} with at most 4096 ids");
        return;
    }
    const QList<InstanceInfo> changed = context.scheduler.setClosed(*ids, close);
    for (const InstanceInfo& instance : changed) {
        log::operation(close ? scheduling::offlineInstanceLogLine(instance)
                             : scheduling::onlineInstanceLogLine(instance));
    }
    if (context.onClosedChanged)
        context.onClosedChanged(changed, close);
    replyEmpty(response, 200);
}

void handleTasks(ManageContext& context, const http::HttpRequest& request, http::ResponseStream& response)
{
    const qsizetype queryAt = request.target.indexOf('?');
    const QUrlQuery query(queryAt < 0 ? QString() : QString::fromUtf8(request.target.mid(queryAt + 1)));
    QList<quint64> ids;
    QList<bool> valid;
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (qsizetype i = 0; i < items.size() && i < kMaxQueryParameters; ++i) {
        if (items[i].first != QLatin1String("id"))
            continue;
        bool ok = false;
        ids.append(items[i].second.toULongLong(&ok));
        valid.append(ok);
    }
    const QList<qint64> counts = context.scheduler.inFlightTasks(ids);
    QJsonArray tasks;
    for (qsizetype i = 0; i < counts.size(); ++i)
        tasks.append(valid[i] ? counts[i] : -1);
    replyJson(response, 200, compact({{QStringLiteral("tasks"), tasks}}));
}

void handleCoordinatorInfo(ManageContext& context, http::ResponseStream& response)
{
    if (!context.initialized) {
        replyEmpty(response, 503);
        return;
    }
    // DIGS reports what it has allocated per instance; the default scheduler allocates nothing,
    // so its schedule_info is empty and, as in MindIE, request_num is left out with it.
    QJsonArray scheduleInfo;
    if (const pd::DigsPlacer* digs = context.plane.digs()) {
        for (const auto& allocation : digs->allocations()) {
            scheduleInfo.append(QJsonObject{
                {QStringLiteral("id"), static_cast<qint64>(allocation.id)},
                {QStringLiteral("allocated_slots"), allocation.total().slotCount},
                {QStringLiteral("allocated_blocks"), allocation.total().blockCount},
            });
        }
    }
    const LengthAverages averages = context.plane.takeLengthAverages();
    QJsonObject info{
        {QStringLiteral("schedule_info"), scheduleInfo},
        {QStringLiteral("request_length_info"),
         QJsonObject{{QStringLiteral("input_len"), averages.inputLength},
                     {QStringLiteral("output_len"), averages.outputLength}}},
    };
    if (!scheduleInfo.isEmpty())
        info.insert(QStringLiteral("request_num"), context.plane.receivedTotal());
    replyJson(response, 200, compact(info));
}

void handleBackupInfo(ManageContext& context, const http::HttpRequest& request, http::ResponseStream& response)
{
    if (!context.initialized) {
        replyEmpty(response, 503);
        return;
    }
    const QJsonDocument document = QJsonDocument::fromJson(request.body);
    const QJsonValue abnormal = document.object().value(QLatin1String("is_abnormal"));
    if (!document.isObject() || !abnormal.isBool()) {
        replyJson(response, 400, compact({{QStringLiteral("update_successfully"), false}}));
        return;
    }
    context.abnormal = abnormal.toBool();
    replyJson(response, 200, compact({{QStringLiteral("update_successfully"), true}}));
}

void handleQueryTasks(ManageContext& context, const http::HttpRequest& request, http::ResponseStream& response)
{
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QJsonValue type = body.value(QLatin1String("role_change_type"));
    const QJsonValue pId = body.value(QLatin1String("p_id"));
    const QJsonValue dId = body.value(QLatin1String("d_id"));
    const bool typeOk = type.isDouble() && (type.toInt() == 0 || type.toInt() == 1);
    if (!typeOk || !pId.isDouble() || !dId.isDouble()) {
        replyJson(response, 400, compact({{QStringLiteral("is_end"), true}}));
        return;
    }
    // Spec §2.4: the instance giving up its role must have nothing in flight, and no live
    // request may still be travelling through this P-D pair. Unknown ids count as ended.
    const quint64 prefillId = static_cast<quint64>(pId.toInteger());
    const quint64 decodeId = static_cast<quint64>(dId.toInteger());
    const quint64 changing = type.toInt() == 0 ? prefillId : decodeId;
    const QList<qint64> counts = context.scheduler.inFlightTasks({prefillId, decodeId});
    const bool unknown = counts.value(0, -1) < 0 || counts.value(1, -1) < 0;
    const qint64 changingTasks = counts.value(changing == prefillId ? 0 : 1);
    const bool isEnd = !context.scheduler.clusterAvailable() || unknown ||
                       (changingTasks == 0 && !context.plane.requestRouter().hasRoute(prefillId, decodeId));
    replyJson(response, 200, compact({{QStringLiteral("is_end"), isEnd}}));
}

} // namespace

void applyRegistryChange(ManageContext& context, const scheduling::RefreshDiff& diff)
{
    for (const InstanceInfo& removed : diff.removed)
        log::operation(scheduling::removeInstanceLogLine(removed));
    for (const InstanceInfo& added : diff.added)
        log::operation(scheduling::addInstanceLogLine(added));
    for (const SkippedInstance& skipped : diff.skipped)
        qCWarning(lcRequest).noquote() << "refresh: instance skipped:" << skipped.reason;
    if (!context.scheduler.snapshot().isEmpty())
        context.initialized = true;
    updateReadiness(context, diff);
    if (context.onRegistryChanged)
        context.onRegistryChanged(diff);
}

void addManageRoutes(Router& router, ManageContext& context)
{
    router.add("POST", "/v1/instances/refresh",
               [&context](const http::HttpRequest& request, http::ResponseStream& response) {
                   handleRefresh(context, request, response);
               });
    router.add("POST", "/v1/instances/offline",
               [&context](const http::HttpRequest& request, http::ResponseStream& response) {
                   handleOpenClose(context, request, response, true);
               });
    router.add("POST", "/v1/instances/online",
               [&context](const http::HttpRequest& request, http::ResponseStream& response) {
                   handleOpenClose(context, request, response, false);
               });
    const auto tasks = [&context](const http::HttpRequest& request, http::ResponseStream& response) {
        handleTasks(context, request, response);
    };
    router.add("GET", "/v1/instances/tasks", tasks);
    router.add("GET", "/v1/instances/tasks?*", tasks);
    router.add("POST", "/v1/instances/query_tasks",
               [&context](const http::HttpRequest& request, http::ResponseStream& response) {
                   handleQueryTasks(context, request, response);
               });
    router.add("GET", "/v1/coordinator_info", [&context](const http::HttpRequest&, http::ResponseStream& response) {
        handleCoordinatorInfo(context, response);
    });
    router.add("GET", "/recvs_info", [&context](const http::HttpRequest&, http::ResponseStream& response) {
        const QJsonObject info{{QStringLiteral("is_master"), context.state.isMaster()},
                               {QStringLiteral("recv_flow"), context.plane.takeArrivals()}};
        response.sendFull(200, QByteArray(), compact(info));
    });
    router.add("POST", "/backup_info", [&context](const http::HttpRequest& request, http::ResponseStream& response) {
        handleBackupInfo(context, request, response);
    });
}

} // namespace coord::server
