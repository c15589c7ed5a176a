#pragma once

#include "router.h"

namespace coord::server {

class RequestPipeline;

// The user inference routes of one predict worker (spec §1.2): every one hands its request to
// the worker's pipeline (admission, parsing, scheduling, dispatch, relay, finish).
void addPredictRoutes(Router& router, RequestPipeline& pipeline);

} // namespace coord::server
