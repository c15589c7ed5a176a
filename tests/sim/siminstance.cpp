#include "siminstance.h"

#include <QJsonDocument>
#include <QJsonObject>

#include "apirequest.h"
#include "controlapi.h"
#include "decodechannel.h"
#include "prefillrequest.h"
#include "responseformat.h"
#include "simlogging.h"
#include "singlerequest.h"
#include "tokenmodel.h"

namespace mindiesim {

namespace {
QByteArray jsonError(const QByteArray& message)
{
    return "{\"error\":" + responseformat::jsonString(QString::fromUtf8(message)) + "}";
}

bool isStopInferPath(const QByteArray& path)
{
    // /v2/models/{m}/stopInfer; the model segment is empty in single_node deployments.
    return path.startsWith("/v2/models/") && path.endsWith("/stopInfer") && path.count('/') == 4;
}
} // namespace

SimInstance::SimInstance(const InstanceInfo& info, const SimOptions& options, SimCluster* cluster,
                         QObject* parent)
    : QObject(parent), m_info(info), m_options(options), m_cluster(cluster),
      m_engine(new Engine(options.engine, this)), m_random(quint32(options.seed ^ (info.id * 7919 + 17)))
{
    if (options.faultTarget < 0 || quint64(options.faultTarget) == info.id)
        m_faults = options.faults;
    if (info.role == Role::Decode)
        m_decode = new DecodeChannel(this);
    m_control = new ControlApi(this, &m_metricServer);
    connect(&m_inferenceServer, &HttpServer::requestReceived, this, &SimInstance::onInferenceRequest);
    m_uptime.start();
}

SimInstance::~SimInstance() = default;

bool SimInstance::start(QString* error)
{
    const QHostAddress address(m_info.ip);
    const auto bind = [&](HttpServer& server, quint16& port, const char* what) {
        if (server.listen(address, port)) {
            port = server.port();
            return true;
        }
        if (error)
            *error = QStringLiteral("instance %1: cannot bind %2 port %3:%4: %5")
                         .arg(m_info.id)
                         .arg(QLatin1String(what), m_info.ip)
                         .arg(port)
                         .arg(server.errorString());
        return false;
    };
    if (!bind(m_inferenceServer, m_info.port, "inference") ||
        !bind(m_metricServer, m_info.metricPort, "metric"))
        return false;
    if (m_options.singleContainer) {
        // Reserved so that the advertised inter_comm_port is really ours; it serves nothing.
        m_interCommServer = new HttpServer(this);
        if (!bind(*m_interCommServer, m_info.interCommPort, "inter_comm"))
            return false;
        connect(m_interCommServer, &HttpServer::requestReceived, this,
                [](HttpConnection* connection, const HttpRequest&) {
                    connection->respond(404, "application/json", jsonError("not served"));
                });
    }
    applyFaults();
    return true;
}

ApiParseOptions SimInstance::apiOptions() const
{
    ApiParseOptions options;
    options.defaultOutputTokens = m_options.defaultOutputTokens;
    options.maxOutputTokens = m_options.maxOutputTokens;
    options.seed = m_options.seed;
    options.modelName = m_options.modelName;
    return options;
}

void SimInstance::registerActive(const QByteArray& reqId, std::function<void()> stop)
{
    m_active.insert(reqId, std::move(stop));
}

void SimInstance::unregisterActive(const QByteArray& reqId)
{
    m_active.remove(reqId);
}

void SimInstance::applyFaults()
{
    m_engine->setSlowFactor(m_faults.slowFactor);
    if (m_crashed)
        return;
    if (m_faults.refuse)
        m_inferenceServer.stopListening();
    else if (!m_inferenceServer.resumeListening())
        qCWarning(lcSim) << "instance" << m_info.id
                         << "cannot listen again:" << m_inferenceServer.errorString();
}

void SimInstance::crash()
{
    if (m_crashed)
        return;
    m_crashed = true;
    qCInfo(lcSim) << "instance" << m_info.id << "crashes: closing every socket";
    m_inferenceServer.stopListening();
    m_metricServer.stopListening();
    if (m_interCommServer)
        m_interCommServer->stopListening();
    if (m_decode)
        m_decode->shutDown();
    m_inferenceServer.abortAll();
    m_metricServer.abortAll();
}

bool SimInstance::drawServerError()
{
    return m_faults.errorRate > 0 && m_random.generateDouble() < m_faults.errorRate;
}

void SimInstance::onInferenceRequest(HttpConnection* connection, const HttpRequest& request)
{
    if (m_crashed) {
        connection->abort();
        return;
    }
    ++m_requestCounter;
    if (m_faults.crashAfter > 0 && m_requestCounter > quint64(m_faults.crashAfter)) {
        crash();
        return;
    }
    if (m_faults.stall)
        return; // the connection stays open and unanswered until the client gives up
    if (request.path == "/dresult" && request.method == "GET") {
        if (m_decode)
            m_decode->attachLink(connection);
        else
            connection->respond(404, "application/json", jsonError("not a decode instance"));
        return;
    }
    if (request.method == "POST" && isStopInferPath(request.path)) {
        handleStopInfer(connection, request);
        return;
    }
    if (request.path == "/v1/tokenizer" && request.method == "POST") {
        handleTokenizer(connection, request);
        return;
    }
    if (request.method == "GET" && (request.path == "/health" || request.path == "/v1/health")) {
        connection->respond(200, "application/json", "{\"status\":\"ok\"}");
        return;
    }
    if (request.method == "POST" && isInferenceRoute(request.path)) {
        handleInference(connection, request);
        return;
    }
    connection->respond(404, "application/json",
                        jsonError("no route for " + request.method + ' ' + request.path));
}

void SimInstance::handleStopInfer(HttpConnection* connection, const HttpRequest& request)
{
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QJsonValue idValue = body.value(QLatin1String("id"));
    const QByteArray reqId =
        idValue.isString() ? idValue.toString().toUtf8() : QByteArray::number(qint64(idValue.toDouble()));
    if (!idValue.isString() && !idValue.isDouble()) {
        connection->respond(400, "application/json", jsonError("body must be {\"id\":\"<request id>\"}"));
        return;
    }
    const auto it = m_active.find(reqId);
    if (it == m_active.end()) {
        connection->respond(404, "application/json", jsonError("request not found: " + reqId));
        return;
    }
    const std::function<void()> stop = it.value();
    m_active.erase(it);
    qCDebug(lcSim) << "instance" << m_info.id << "stops request" << reqId;
    stop();
    connection->respond(200, "application/json", "{\"message\":\"success\"}");
}

void SimInstance::handleTokenizer(HttpConnection* connection, const HttpRequest& request)
{
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QJsonValue inputs = body.value(QLatin1String("inputs"));
    if (!inputs.isString()) {
        connection->respond(400, "application/json", jsonError("inputs must be a string"));
        return;
    }
    connection->respond(200, "application/json",
                        responseformat::tokenizerBody(tokenmodel::tokenize(inputs.toString())));
}

bool SimInstance::servesAsPrefill(const HttpRequest& request) const
{
    // P == D (flex self-route) arrives with PD headers but is answered like a mixed instance.
    if (request.header("req-type") != "prefill" || m_info.role == Role::Single)
        return false;
    return request.header("d-port").toUInt() != m_info.port;
}

void SimInstance::handleInference(HttpConnection* connection, const HttpRequest& request)
{
    m_metrics.requestReceived();
    const ApiParseResult parsed = parseApiRequest(request, apiOptions());
    if (!parsed.ok) {
        m_metrics.requestFailed();
        connection->respond(400, "application/json",
                            responseformat::errorBody(parsed.request.flavour, 400, parsed.error));
        return;
    }
    if (drawServerError()) {
        m_metrics.requestFailed();
        connection->respond(500, "application/json",
                            responseformat::errorBody(parsed.request.flavour, 500, "simulated server error"));
        return;
    }
    QByteArray reqId = request.header("req-id");
    if (reqId.isEmpty())
        reqId = "sim" + QByteArray::number(m_info.id) + "-" + QByteArray::number(m_requestCounter);
    if (servesAsPrefill(request)) {
        auto* prefill = new PrefillRequest(this, connection, parsed.request, reqId, request);
        prefill->start();
        return;
    }
    auto* single = new SingleRequest(this, connection, parsed.request, reqId);
    single->start();
}

} // namespace mindiesim
