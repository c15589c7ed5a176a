#pragma once

#include <QByteArray>
#include <QJsonObject>

namespace mindiesim {

// Faults one instance injects. Set from flags at start-up and changed at run time through
// POST /sim/fault on the instance's metric port (see docs/mindie_sim.md).
struct FaultSettings
{
    int crashAfter = 0;        // crash (close every socket) when request N+1 arrives; 0 = never
    bool stall = false;        // accept requests and never answer them
    bool refuse = false;       // stop listening: new connections are refused
    double errorRate = 0;      // share of inference requests answered with HTTP 500
    double slowFactor = 1.0;   // multiplies every engine step
    int dresultErrorEvery = 0; // every K-th decode request ends with "error:" (0 = never)
    int dresultRetryEvery = 0; // every K-th decode request is answered with "retry:"
    int dresultErrorNext = 0;  // the next N decode requests end with "error:"
    int dresultRetryNext = 0;  // the next N decode requests get "retry:"
    int dropDresultAfter = 0;  // close every /dresult stream after N messages (0 = never)

    QJsonObject toJson() const;
    // Applies the keys present in `json`; returns an error text for unknown keys or bad values.
    QByteArray apply(const QJsonObject& json);
};

} // namespace mindiesim
