#include "generationstate.h"

namespace mindiesim {

GenerationState::GenerationState(const ApiRequest& request, const QByteArray& responseId, qint64 created)
    : m_request(request), m_promptHash(tokenmodel::promptHash(request.promptTokens))
{
    m_context.request = &m_request;
    m_context.responseId = responseId;
    m_context.created = created;
    m_clock.start();
}

tokenmodel::OutputToken GenerationState::append(int index)
{
    const tokenmodel::OutputToken token = tokenmodel::outputToken(m_request.seed, m_promptHash, index);
    m_text += token.text;
    m_ids.append(token.id);
    const qint64 now = m_clock.nsecsElapsed();
    if (m_lastTokenNs < 0) {
        m_ttftSeconds = double(now) / 1e9;
        m_context.prefillMs = double(now) / 1e6;
    } else {
        m_lastIntervalSeconds = double(now - m_lastTokenNs) / 1e9;
        m_context.decodeMs = double(now - m_lastTokenNs) / 1e6;
    }
    m_lastTokenNs = now;
    return token;
}

QByteArray GenerationState::streamEvent(const tokenmodel::OutputToken& token, int index, bool last) const
{
    return responseformat::streamEvent(m_context, token, index, last, m_text, m_finishReason);
}

QByteArray GenerationState::fullBody() const
{
    return responseformat::fullBody(m_context, m_text, m_ids, m_finishReason);
}

} // namespace mindiesim
