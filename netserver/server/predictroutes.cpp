#include "predictroutes.h"

#include "dataplane.h"
#include "plainreplies.h"
#include "requestjob.h"

#include "model/servicestate.h"

namespace coord::server {

namespace {
const char* const kInferencePatterns[] = {
    "/v2/models/*/generate_stream", "/v2/models/*/generate", "/v2/models/*/infer",
    "/", "/generate_stream", "/generate", "/v1/chat/completions", "/v1/completions",
    "/infer", "/infer_token", "/v1/tokenizer",
};
} // namespace

void addPredictRoutes(Router& router, DataPlane& plane, client::BackendClient& client, QObject* jobOwner)
{
    const auto handle = [&plane, &client, jobOwner](const http::HttpRequest& request, http::ResponseStream& response) {
        plane.countArrival();
        if (!plane.state().clusterAvailable()) {
            replyText(response, 503, "MindIE-MS Coordinator is not ready");
            return;
        }
        if (!plane.tryAdmit()) {
            replyText(response, 429, "Too many requests");
            return;
        }
        ParseResult parsed = parseInferenceRequest(request.path, request.body);
        if (!parsed.request) {
            plane.release(false, 0, 0);
            replyText(response, parsed.rejection.status, parsed.rejection.message.constData());
            return;
        }
        auto* job = new RequestJob(plane, client, request, response, std::move(*parsed.request), plane.newRequestId());
        job->setParent(jobOwner);
        job->start();
    };
    for (const char* pattern : kInferencePatterns)
        router.add("POST", pattern, handle);
}

} // namespace coord::server
