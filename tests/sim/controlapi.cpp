#include "controlapi.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include "decodechannel.h"
#include "siminstance.h"
#include "simlogging.h"

namespace mindiesim {

ControlApi::ControlApi(SimInstance* instance, HttpServer* server) : QObject(instance), m_instance(instance)
{
    connect(server, &HttpServer::requestReceived, this, &ControlApi::onRequest);
}

void ControlApi::onRequest(HttpConnection* connection, const HttpRequest& request)
{
    if (m_instance->isCrashed()) {
        connection->abort();
        return;
    }
    if (request.method == "GET" && request.path == "/metrics")
        serveMetrics(connection);
    else if (request.method == "GET" && request.path == "/sim/state")
        serveState(connection);
    else if (request.method == "POST" && request.path == "/sim/fault")
        applyFault(connection, request);
    else
        connection->respond(404, "application/json", "{\"error\":\"not found\"}");
}

void ControlApi::serveMetrics(HttpConnection* connection)
{
    const QString file = m_instance->options().metricsFiles.value(int(m_instance->info().id));
    if (!file.isEmpty()) {
        QFile source(file);
        if (!source.open(QIODevice::ReadOnly)) {
            connection->respond(500, "text/plain", "cannot read " + file.toUtf8() + "\r\n");
            return;
        }
        connection->respond(200, "text/plain; version=0.0.4", source.readAll());
        return;
    }
    const QByteArray body =
        m_instance->metrics().render(m_instance->options().modelName, m_instance->engine().snapshot(),
                                     m_instance->uptimeSeconds(), m_instance->options().metricsRadix);
    connection->respond(200, "text/plain; version=0.0.4", body);
}

void ControlApi::serveState(HttpConnection* connection)
{
    const EngineSnapshot engine = m_instance->engine().snapshot();
    const SimMetrics& metrics = m_instance->metrics();
    QJsonObject state;
    state.insert(QLatin1String("id"), qint64(m_instance->info().id));
    state.insert(QLatin1String("role"), QLatin1String(roleName(m_instance->info().role)));
    state.insert(QLatin1String("requests_received"), qint64(metrics.received()));
    state.insert(QLatin1String("requests_succeeded"), qint64(metrics.succeeded()));
    state.insert(QLatin1String("requests_failed"), qint64(metrics.failed()));
    state.insert(QLatin1String("active_requests"), m_instance->activeCount());
    state.insert(QLatin1String("running"), engine.running);
    state.insert(QLatin1String("waiting"), engine.waiting);
    state.insert(QLatin1String("free_slots"), engine.freeSlots);
    state.insert(QLatin1String("total_blocks"), engine.totalBlocks);
    state.insert(QLatin1String("used_blocks"), engine.usedBlocks);
    state.insert(QLatin1String("cached_blocks"), engine.cachedBlocks);
    state.insert(QLatin1String("prompt_tokens"), qint64(engine.promptTokens));
    state.insert(QLatin1String("prefix_cached_tokens"), qint64(engine.cachedTokens));
    state.insert(QLatin1String("prefix_queried_blocks"), qint64(engine.queriedBlocks));
    state.insert(QLatin1String("prefix_hit_blocks"), qint64(engine.hitBlocks));
    if (const DecodeChannel* decode = m_instance->decodeChannel()) {
        state.insert(QLatin1String("dresult_links"), decode->linkCount());
        state.insert(QLatin1String("decode_tasks"), decode->taskCount());
    }
    state.insert(QLatin1String("faults"), m_instance->faults().toJson());
    connection->respond(200, "application/json", QJsonDocument(state).toJson(QJsonDocument::Compact));
}

void ControlApi::applyFault(HttpConnection* connection, const HttpRequest& request)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        connection->respond(400, "application/json", "{\"error\":\"body must be a JSON object\"}");
        return;
    }
    const QJsonObject json = document.object();
    FaultSettings updated =
        json.value(QLatin1String("reset")).toBool() ? FaultSettings() : m_instance->faults();
    const QByteArray error = updated.apply(json);
    if (!error.isEmpty()) {
        connection->respond(400, "application/json", "{\"error\":\"" + error + "\"}");
        return;
    }
    m_instance->faults() = updated;
    m_instance->applyFaults();
    qCInfo(lcSim) << "instance" << m_instance->info().id << "faults now" << request.body;
    const QByteArray reply = QJsonDocument(updated.toJson()).toJson(QJsonDocument::Compact);
    if (json.value(QLatin1String("drop_dresult")).toBool() && m_instance->decodeChannel())
        m_instance->decodeChannel()->dropLinks();
    if (json.value(QLatin1String("crash")).toBool()) {
        // Answer first, then close every socket including this one.
        connection->respond(200, "application/json", reply);
        m_instance->crash();
        return;
    }
    connection->respond(200, "application/json", reply);
}

} // namespace mindiesim
