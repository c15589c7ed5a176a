#include "predictroutes.h"

#include "pipeline/requestpipeline.h"

namespace coord::server {

namespace {
const char* const kInferencePatterns[] = {
    "/v2/models/*/generate_stream",
    "/v2/models/*/generate",
    "/v2/models/*/infer",
    "/",
    "/generate_stream",
    "/generate",
    "/v1/chat/completions",
    "/v1/completions",
    "/infer",
    "/infer_token",
    "/v1/tokenizer",
};
} // namespace

void addPredictRoutes(Router& router, RequestPipeline& pipeline)
{
    const auto handle = [&pipeline](const http::HttpRequest& request, http::ResponseStream& response) {
        pipeline.submit(request, response);
    };
    for (const char* pattern : kInferencePatterns)
        router.add("POST", pattern, handle);
}

} // namespace coord::server
