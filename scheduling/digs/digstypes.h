#pragma once

#include <QList>
#include <QtGlobal>

#include "demand.h"
#include "request/apiflavour.h"

namespace coord::scheduling::digs {

// A request waiting for a P-D pair. A plain value type.
struct PendingRequest
{
    quint64 requestKey = 0;
    // Prompt bytes, or a token count when inputIsTokenCount (Triton token arrays).
    qint64 inputLength = 0;
    bool inputIsTokenCount = false;
    ApiFlavour flavour = ApiFlavour::OpenAi;
    qint64 arrivalMs = 0; // on the engine's clock; anti-starvation measures waiting from here
    // P instances this request already failed on: avoided while another P can take it.
    QList<quint64> excludedPrefill;
};

// One placement decided by a round. The demand is already counted on both instances.
struct Assignment
{
    quint64 requestKey = 0;
    quint64 prefillId = 0;
    quint64 decodeId = 0;
    qint64 inputTokens = 0; // DIGS's input length, which coordinator_info averages

    friend bool operator==(const Assignment&, const Assignment&) = default;
};

// What DIGS has handed to one instance, as coordinator_info's schedule_info reports it. The two
// halves of a split flex instance are folded into the flex id.
struct InstanceAllocation
{
    quint64 id = 0;
    Resources prefill;
    Resources decode;
    qint64 prefillRequests = 0; // placed requests whose P has not replied yet
    qint64 decodeRequests = 0;  // placed requests not yet finished

    Resources total() const
    {
        Resources sum = prefill;
        sum += decode;
        return sum;
    }
    qint64 inFlight() const { return prefillRequests + decodeRequests; }
};

} // namespace coord::scheduling::digs
