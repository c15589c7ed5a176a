#include "stopinfer.h"

#include "client/backendclient.h"

#include <QLoggingCategory>
#include <QPointer>

#include <memory>

namespace coord::server {

namespace {
struct StopAttempt
{
    QPointer<client::BackendClient> client;
    client::BackendRequest request;
    int roundsLeft = 0;
};

void sendOnce(const std::shared_ptr<StopAttempt>& attempt)
{
    if (!attempt->client || attempt->roundsLeft <= 0)
        return;
    --attempt->roundsLeft;
    client::BackendRequest request = attempt->request;
    auto status = std::make_shared<int>(0);
    request.onHead = [status](int code, const client::HeaderList&) { *status = code; };
    request.onDone = [attempt, status](client::TransferOutcome, const QString&) {
        if (*status != 200)
            sendOnce(attempt);
    };
    attempt->client->start(std::move(request));
}
} // namespace

void sendStopInfer(client::BackendClient& client, const QByteArray& instanceBaseUrl, const QByteArray& model,
                   const QByteArray& requestId, int rounds, int timeoutMs)
{
    auto attempt = std::make_shared<StopAttempt>();
    attempt->client = &client;
    attempt->roundsLeft = qMax(1, rounds);
    attempt->request.url = instanceBaseUrl + "/v2/models/" + model + "/stopInfer";
    attempt->request.headers = {{"Content-Type", "application/json"}};
    attempt->request.body = R"({"id":")" + requestId + R"("})";
    attempt->request.totalTimeoutMs = timeoutMs;
    sendOnce(attempt);
}

} // namespace coord::server
