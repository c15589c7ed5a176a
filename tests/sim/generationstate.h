#pragma once

#include <QElapsedTimer>

#include "apirequest.h"
#include "responseformat.h"
#include "tokenmodel.h"

namespace mindiesim {

// The output of one request as it grows, and its reply bytes. Shared by the single, prefill and
// decode paths so that a P->D handoff renders exactly what a single instance would.
class GenerationState
{
public:
    GenerationState(const ApiRequest& request, const QByteArray& responseId, qint64 created);
    Q_DISABLE_COPY_MOVE(GenerationState)

    const ApiRequest& request() const { return m_request; }
    ReplyContext& context() { return m_context; }
    int generated() const { return int(m_ids.size()); }
    const QString& text() const { return m_text; }

    // Adds output token `index` and returns it; records TTFT / per-token intervals.
    tokenmodel::OutputToken append(int index);
    QByteArray streamEvent(const tokenmodel::OutputToken& token, int index, bool last) const;
    QByteArray fullBody() const;
    QString finishReason() const { return m_finishReason; }
    void setFinishReason(const QString& reason) { m_finishReason = reason; }

    double secondsSinceStart() const { return double(m_clock.nsecsElapsed()) / 1e9; }
    double ttftSeconds() const { return m_ttftSeconds; }
    double lastIntervalSeconds() const { return m_lastIntervalSeconds; }

private:
    ApiRequest m_request;
    ReplyContext m_context;
    quint64 m_promptHash = 0;
    QString m_text;
    QList<quint32> m_ids;
    QString m_finishReason = QStringLiteral("length");
    QElapsedTimer m_clock;
    qint64 m_lastTokenNs = -1;
    double m_ttftSeconds = 0;
    double m_lastIntervalSeconds = 0;
};

} // namespace mindiesim
