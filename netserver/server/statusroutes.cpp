#include "statusroutes.h"

#include "model/servicestate.h"
#include "plainreplies.h"

#include <QJsonDocument>

namespace coord::server {

namespace {
// "/v2/models/{m}/ready" -> "{m}"; empty when the target has another shape.
QByteArray modelSegment(const QByteArray& target)
{
    static const QByteArray prefix = QByteArrayLiteral("/v2/models/");
    static const QByteArray suffix = QByteArrayLiteral("/ready");
    if (!target.startsWith(prefix) || !target.endsWith(suffix))
        return {};
    return target.mid(prefix.size(), target.size() - prefix.size() - suffix.size());
}
} // namespace

void addStatusRoutes(Router& router, const ServiceState& state, std::function<QJsonObject()> statusSnapshot)
{
    const auto alwaysUp = [](const http::HttpRequest&, http::ResponseStream& response) {
        replyEmpty(response, 200);
    };
    router.add("GET", "/v1/startup", alwaysUp);
    router.add("GET", "/v1/health", alwaysUp);
    router.add("GET", "/v2/health/live", alwaysUp);

    router.add("GET", "/v2/health/ready", [&state](const http::HttpRequest&, http::ResponseStream& response) {
        replyEmpty(response, state.ready() ? 200 : 503);
    });
    router.add("GET", "/v1/readiness", [&state](const http::HttpRequest&, http::ResponseStream& response) {
        replyEmpty(response, state.readinessForTraffic() ? 200 : 503);
    });
    // MindIE compares the name with the first registered instance only; kept for compatibility.
    router.add("GET", "/v2/models/*/ready", [&state](const http::HttpRequest& request, http::ResponseStream& response) {
        const QByteArray model = modelSegment(request.target);
        const bool ready = state.ready() && !model.isEmpty() && model == state.firstModelName().toUtf8();
        replyEmpty(response, ready ? 200 : 503);
    });

    router.add("GET", "/v1/status",
               [snapshot = std::move(statusSnapshot)](const http::HttpRequest&, http::ResponseStream& response) {
                   replyJson(response, 200, QJsonDocument(snapshot()).toJson(QJsonDocument::Compact));
               });
}

} // namespace coord::server
