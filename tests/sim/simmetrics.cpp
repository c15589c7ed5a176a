#include "simmetrics.h"

#include <cmath>

#include "engine.h"

namespace mindiesim {

namespace {
const QList<double> kTtftBounds = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,
                                   0.25,  0.5,   0.75, 1,    2.5,  5,    7.5,  10};
const QList<double> kTpotBounds = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5};
const QList<double> kE2eBounds = {1, 2.5, 5, 10, 15, 20, 30, 40, 50, 60};
const QList<double> kTokenBounds = {10,    50,    100,   200,   500,   1000,  2000,  5000,
                                    10000, 16000, 20000, 32000, 50000, 64000, 128000};

void family(QByteArray& out, const char* name, const char* help, const char* type)
{
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void sample(QByteArray& out, const char* name, const QByteArray& label, double value)
{
    out += name;
    out += label;
    out += ' ';
    out += formatMetricValue(value);
    out += '\n';
}

void scalar(QByteArray& out, const char* name, const char* help, const char* type, const QByteArray& label,
            double value)
{
    family(out, name, help, type);
    sample(out, name, label, value);
}
} // namespace

QByteArray formatMetricValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    return QByteArray::number(value, 'g', 12);
}

Histogram::Histogram(QList<double> bounds) : m_bounds(std::move(bounds)), m_counts(m_bounds.size(), 0) {}

void Histogram::observe(double value)
{
    ++m_count;
    m_sum += value;
    for (qsizetype i = 0; i < m_bounds.size(); ++i) {
        if (value <= m_bounds[i]) {
            ++m_counts[i];
            return;
        }
    }
}

void Histogram::render(QByteArray& out, const QByteArray& name, const QByteArray& modelLabel) const
{
    const QByteArray label = "{" + modelLabel + "}";
    out += name + "_count" + label + ' ' + QByteArray::number(m_count) + '\n';
    out += name + "_sum" + label + ' ' + formatMetricValue(m_sum) + '\n';
    quint64 cumulative = 0;
    for (qsizetype i = 0; i < m_bounds.size(); ++i) {
        cumulative += m_counts[i];
        out += name + "_bucket{" + modelLabel + ",le=\"" + formatMetricValue(m_bounds[i]) + "\"} " +
               QByteArray::number(cumulative) + '\n';
    }
    out += name + "_bucket{" + modelLabel + ",le=\"+Inf\"} " + QByteArray::number(m_count) + '\n';
}

SimMetrics::SimMetrics()
    : m_ttft(kTtftBounds), m_tpot(kTpotBounds), m_e2e(kE2eBounds), m_promptHistogram(kTokenBounds),
      m_generationHistogram(kTokenBounds)
{}

void SimMetrics::requestSucceeded(int promptTokens, int generatedTokens, double ttftSeconds,
                                  double e2eSeconds)
{
    ++m_succeeded;
    m_promptTokens += quint64(promptTokens);
    m_generationTokens += quint64(generatedTokens);
    m_ttft.observe(ttftSeconds);
    m_e2e.observe(e2eSeconds);
    m_promptHistogram.observe(promptTokens);
    m_generationHistogram.observe(generatedTokens);
}

QByteArray SimMetrics::render(const QString& modelName, const EngineSnapshot& engine, double uptimeSeconds,
                              bool withRadix) const
{
    const QByteArray modelLabel = "model_name=\"" + modelName.toUtf8() + "\"";
    const QByteArray label = "{" + modelLabel + "}";
    const double uptime = qMax(uptimeSeconds, 1.0);
    const double failedShare = m_received ? double(m_failed) / double(m_received) : 0.0;
    const double hitRate =
        engine.queriedBlocks ? double(engine.hitBlocks) / double(engine.queriedBlocks) : 0.0;
    QByteArray out;
    out.reserve(8192);
    scalar(out, "request_received_total", "Number of requests received so far.", "counter", label,
           m_received);
    scalar(out, "request_success_total", "Count of successfully processed requests.", "counter", label,
           m_succeeded);
    scalar(out, "request_failed_total", "Number of responses failed so far", "counter", label, m_failed);
    scalar(out, "prompt_tokens_total", "Number of prefill tokens processed.", "counter", label,
           m_promptTokens);
    scalar(out, "generation_tokens_total", "Number of generation tokens processed.", "counter", label,
           m_generationTokens);
    scalar(out, "num_preemptions_total", "Cumulative number of preemption from the engine.", "counter", label,
           0);
    scalar(out, "num_requests_running", "Number of requests currently running on GPU.", "gauge", label,
           engine.running);
    scalar(out, "num_requests_waiting", "Number of requests waiting to be processed.", "gauge", label,
           engine.waiting);
    scalar(out, "num_requests_swapped", "Number of requests swapped to CPU.", "gauge", label, 0);
    scalar(out, "avg_prompt_throughput_toks_per_s", "Average prefill throughput in tokens/s.", "gauge", label,
           double(m_promptTokens) / uptime);
    scalar(out, "avg_generation_throughput_toks_per_s", "Average generation throughput in tokens/s.", "gauge",
           label, double(m_generationTokens) / uptime);
    scalar(out, "failed_request_perc", "Requests failure rate. 1 means 100 percent usage.", "gauge", label,
           failedShare);
    scalar(out, "npu_cache_usage_perc", "NPU KV-cache usage. 1 means 100 percent usage.", "gauge", label,
           engine.totalBlocks ? double(engine.usedBlocks) / engine.totalBlocks : 0.0);
    scalar(out, "cpu_cache_usage_perc", "CPU KV-cache usage. 1 means 100 percent usage.", "gauge", label, 0);
    scalar(out, "npu_prefix_cache_hit_rate", "NPU prefix cache block hit rate..", "gauge", label, hitRate);
    family(out, "time_to_first_token_seconds", "Histogram of time to first token in seconds.", "histogram");
    m_ttft.render(out, "time_to_first_token_seconds", modelLabel);
    family(out, "time_per_output_token_seconds", "Histogram of time per output token in seconds.",
           "histogram");
    m_tpot.render(out, "time_per_output_token_seconds", modelLabel);
    family(out, "e2e_request_latency_seconds", "Histogram of end to end request latency in seconds.",
           "histogram");
    m_e2e.render(out, "e2e_request_latency_seconds", modelLabel);
    family(out, "request_prompt_tokens", "Number of prefill tokens processed.", "histogram");
    m_promptHistogram.render(out, "request_prompt_tokens", modelLabel);
    family(out, "request_generation_tokens", "Number of generation tokens processed.", "histogram");
    m_generationHistogram.render(out, "request_generation_tokens", modelLabel);
    if (withRadix) {
        scalar(out, "npu_radix_match_hit_num", "Number of prefix cache blocks hit.", "counter", label,
               double(engine.hitBlocks));
        scalar(out, "all_radix_match_num", "Number of prefix cache blocks looked up.", "counter", label,
               double(engine.queriedBlocks));
    }
    return out;
}

} // namespace mindiesim
