#pragma once

#include "router.h"

namespace coord::client {
class BackendClient;
}

namespace coord::server {

class DataPlane;

// The user inference routes of one predict worker (spec §1.2): admission (503 while no instance
// can serve, 429 beyond max_requests), body parsing (400), then a RequestJob per request.
// Jobs become children of `jobOwner`, so the worker can end whatever is left at shutdown.
void addPredictRoutes(Router& router, DataPlane& plane, client::BackendClient& client, QObject* jobOwner);

} // namespace coord::server
