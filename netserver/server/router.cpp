#include "router.h"

#include "plainreplies.h"

namespace coord::server {

void Router::add(QByteArray method, QByteArray pattern, Handler handler)
{
    m_routes.push_back(Route{std::move(method), GlobPattern(std::move(pattern)), std::move(handler)});
}

void Router::dispatch(const http::HttpRequest& request, http::ResponseStream response) const
{
    for (const Route& route : m_routes) {
        if (route.method == request.method && route.pattern.matches(request.target)) {
            route.handler(request, response);
            return;
        }
    }
    response.setCloseAfterReply(true);
    replyText(response, 400, "Invalid request");
}

} // namespace coord::server
