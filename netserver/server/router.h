#pragma once

#include "http/httprequest.h"
#include "http/responsestream.h"
#include "util/globpattern.h"

#include <functional>
#include <vector>

namespace coord::server {

// Method + glob route table of one port. Routes are tried in the order they were added; a
// request that matches none gets MindIE's 400 "Invalid request" and its connection is closed.
//
// Thread affinity: built once before the port listens, then only read.
class Router
{
public:
    using Handler = std::function<void(const http::HttpRequest&, http::ResponseStream&)>;

    void add(QByteArray method, QByteArray pattern, Handler handler);
    void dispatch(const http::HttpRequest& request, http::ResponseStream response) const;

private:
    struct Route
    {
        QByteArray method;
        GlobPattern pattern;
        Handler handler;
    };
    std::vector<Route> m_routes;
};

} // namespace coord::server
