// Prints the mean cost of one parseInferenceRequest call for four typical bodies: a small
// OpenAI chat (1 message), a 10-message chat (~4 KB), a TGI body and a Triton token-id body
// with 2,000 ids. Each figure is the best of several rounds, in ns per parse.
// Build Release, then run: build-parse/bin/bench_parse
#include <algorithm>
#include <chrono>
#include <cstdio>

#include <QByteArray>

#include "request/inferencerequest.h"

using namespace coord;

namespace {

constexpr int kRounds = 7;
constexpr qint64 kTargetNsPerRound = 100'000'000;
volatile qint64 g_sink = 0; // keeps the parse results observable

struct Case
{
    const char* name;
    QByteArray path;
    QByteArray body;
};

QByteArray smallChat()
{
    return R"({"model":"llama-3-8b-instruct","messages":[{"role":"user","content":"Explain in two )"
           R"(sentences why the sky is blue, naming Rayleigh scattering."}],"max_tokens":128,)"
           R"("temperature":0.7,"stream":false})";
}

QByteArray longChat()
{
    QByteArray body = R"({"model":"llama-3-8b-instruct","messages":[)";
    body += R"({"role":"system","content":"You are a concise assistant. Answer in plain English."})";
    for (int i = 1; i < 10; ++i) {
        body += i % 2 == 1 ? R"(,{"role":"user","content":")" : R"(,{"role":"assistant","content":")";
        for (int word = 0; word < 47; ++word)
            body += QByteArray("word") + QByteArray::number(i * 100 + word) + ' ';
        body += R"(\"quoted\" line\nend"})";
    }
    body += R"(],"max_tokens":256,"temperature":0.2,"top_p":0.9,"stream":true})";
    return body;
}

QByteArray tgiBody()
{
    return R"({"inputs":"My name is Olivier and I am a software engineer who likes writing fast parsers",)"
           R"("parameters":{"max_new_tokens":128,"temperature":0.7,"top_k":50,"top_p":0.95,)"
           R"("do_sample":true,"repetition_penalty":1.03,"seed":42,"details":false}})";
}

QByteArray tritonTokens()
{
    QByteArray body = R"({"inputs":[{"name":"input0","datatype":"UINT32","shape":[1,2000],"data":[)";
    for (int i = 0; i < 2000; ++i) {
        if (i != 0)
            body += ',';
        body += QByteArray::number(1000 + (i * 7919) % 30000);
    }
    body += R"(]}],"parameters":{"max_new_tokens":64}})";
    return body;
}

// Runs `iterations` parses and returns the elapsed ns; `accepted` counts successful parses so
// the calls cannot be dropped.
qint64 runRound(const Case& c, qint64 iterations, qint64& accepted)
{
    const auto start = std::chrono::steady_clock::now();
    for (qint64 i = 0; i < iterations; ++i) {
        const ParseResult result = parseInferenceRequest(c.path, c.body);
        accepted += result.request.has_value() ? result.request->inputLength : -1;
    }
    const auto elapsed = std::chrono::steady_clock::now() - start;
    return std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count();
}

} // namespace

int main()
{
    const Case cases[] = {
        {"openai chat, 1 message", "/v1/chat/completions", smallChat()},
        {"openai chat, 10 messages", "/v1/chat/completions", longChat()},
        {"tgi /generate", "/generate", tgiBody()},
        {"triton 2000 token ids", "/v2/models/llama/infer", tritonTokens()},
    };
    std::printf("%-26s %8s %12s %14s\n", "body", "bytes", "inputLength", "ns per parse");
    for (const Case& c : cases) {
        const ParseResult check = parseInferenceRequest(c.path, c.body);
        if (!check.request) {
            std::printf("%-26s rejected: %s\n", c.name, check.rejection.message.constData());
            return 1;
        }
        qint64 sink = 0;
        // Calibrate the iteration count so that one round lasts about kTargetNsPerRound.
        qint64 iterations = 1;
        qint64 ns = 0;
        while ((ns = runRound(c, iterations, sink)) < kTargetNsPerRound / 10)
            iterations *= 2;
        iterations = std::max<qint64>(1, iterations * kTargetNsPerRound / std::max<qint64>(1, ns));
        double best = 1e300;
        for (int round = 0; round < kRounds; ++round)
            best = std::min(best, double(runRound(c, iterations, sink)) / double(iterations));
        g_sink = sink;
        std::printf("%-26s %8lld %12lld %14.0f\n", c.name, static_cast<long long>(c.body.size()),
                    static_cast<long long>(check.request->inputLength), best);
    }
    return 0;
}
