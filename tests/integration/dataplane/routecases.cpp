#include "routecases.h"

namespace dptest {

QList<RouteCase> userRouteCases()
{
    return {
        {"/", R"({"inputs":"What is a router?","parameters":{"max_new_tokens":6}})", false},
        {"/", R"({"inputs":"What is a router?","parameters":{"max_new_tokens":6},"stream":true})", true},
        {"/generate", R"({"inputs":"TGI generate","parameters":{"max_new_tokens":5,"details":true}})", false},
        {"/generate_stream", R"({"inputs":"TGI stream","parameters":{"max_new_tokens":5}})", true},
        {"/generate", R"({"prompt":"vLLM prompt text","max_tokens":5})", false},
        {"/generate", R"({"prompt":"vLLM prompt text","max_tokens":5,"stream":true})", true},
        {"/v1/chat/completions",
         R"({"model":"llama_65b","messages":[{"role":"user","content":"hi"}],"max_tokens":6})", false},
        {"/v1/chat/completions",
         R"({"model":"llama_65b","messages":[{"role":"user","content":"hi"}],"max_tokens":6,"stream":true})",
         true},
        {"/v1/completions", R"({"model":"llama_65b","prompt":"Complete this","max_tokens":6})", false},
        {"/v1/completions", R"({"model":"llama_65b","prompt":"Complete this","max_tokens":6,"stream":true})",
         true},
        {"/v2/models/llama_65b/generate",
         R"({"id":"t1","text_input":"Triton text","parameters":{"max_new_tokens":5}})", false},
        {"/v2/models/llama_65b/generate_stream",
         R"({"id":"t2","text_input":"Triton text","parameters":{"max_new_tokens":5}})", true},
        {"/v2/models/llama_65b/infer",
         R"({"id":"t3","inputs":[{"name":"INPUT_IDS","shape":[1,4],"datatype":"UINT32","data":[11,22,33,44]}],)"
         R"("parameters":{"max_new_tokens":4}})",
         false},
        {"/infer", R"({"inputs":"MindIE text","parameters":{"max_new_tokens":5}})", false},
        {"/infer", R"({"inputs":"MindIE text","parameters":{"max_new_tokens":5},"stream":true})", true},
        {"/infer_token", R"({"input_id":[5,6,7,8,9],"parameters":{"max_new_tokens":5}})", false},
        {"/infer_token", R"({"input_id":[5,6,7,8,9],"parameters":{"max_new_tokens":5},"stream":true})", true},
    };
}

} // namespace dptest
