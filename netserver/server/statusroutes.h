#pragma once

#include "router.h"

#include <QJsonObject>

namespace coord {
class ServiceState;
}

namespace coord::server {

// The status port: Kubernetes probes with MindIE's semantics (spec §1.4) and a JSON status
// snapshot for the operator console at GET /v1/status.
void addStatusRoutes(Router& router, const ServiceState& state, std::function<QJsonObject()> statusSnapshot);

} // namespace coord::server
