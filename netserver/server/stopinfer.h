#pragma once

#include <QByteArray>

namespace coord::client {
class BackendClient;
}

namespace coord::server {

// Tells an instance to abort a request: POST /v2/models/{model}/stopInfer {"id":"<reqId>"},
// repeated up to `rounds` times until one answer is 200 (spec §5.3). Fire and forget: it
// outlives the request that asked for it, and stops quietly if the client goes away.
void sendStopInfer(client::BackendClient& client, const QByteArray& instanceBaseUrl, const QByteArray& model,
                   const QByteArray& requestId, int rounds, int timeoutMs);

} // namespace coord::server
