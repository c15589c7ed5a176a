#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace mindiesim {

struct EngineSnapshot;

// A Prometheus histogram with fixed upper bounds (the +Inf bucket is implicit).
class Histogram
{
public:
    explicit Histogram(QList<double> bounds);
    void observe(double value);
    void render(QByteArray& out, const QByteArray& name, const QByteArray& label) const;

private:
    QList<double> m_bounds;
    QList<quint64> m_counts; // per bound, not cumulative
    quint64 m_count = 0;
    double m_sum = 0;
};

// The per-instance counters behind GET /metrics, in MindIE Server's families (spec §6.1), in the
// same order, with the same HELP texts and the label {model_name="..."}.
class SimMetrics
{
public:
    SimMetrics();

    void requestReceived() { ++m_received; }
    void requestSucceeded(int promptTokens, int generatedTokens, double ttftSeconds, double e2eSeconds);
    void requestFailed() { ++m_failed; }
    void tokenInterval(double seconds) { m_tpot.observe(seconds); }

    quint64 received() const { return m_received; }
    quint64 succeeded() const { return m_succeeded; }
    quint64 failed() const { return m_failed; }

    // withRadix adds npu_radix_match_hit_num / all_radix_match_num, which the coordinator
    // prefers for the aggregated hit rate when every instance exposes them.
    QByteArray render(const QString& modelName, const EngineSnapshot& engine, double uptimeSeconds,
                      bool withRadix) const;

private:
    quint64 m_received = 0;
    quint64 m_succeeded = 0;
    quint64 m_failed = 0;
    quint64 m_promptTokens = 0;
    quint64 m_generationTokens = 0;
    Histogram m_ttft;
    Histogram m_tpot;
    Histogram m_e2e;
    Histogram m_promptHistogram;
    Histogram m_generationHistogram;
};

QByteArray formatMetricValue(double value);

} // namespace mindiesim
