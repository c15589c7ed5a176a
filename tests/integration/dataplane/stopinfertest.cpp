// stopInfer (spec §5.2, §5.3) reaches the instance that holds a request when the coordinator
// gives up on it: on a timeout and when the user disconnects. A recording stand-in instance
// shows the exact call: POST /v2/models/<model>/stopInfer with {"id":"<the req-id it was sent>"}.
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include "dataplaneharness.h"
#include "recordinginstance.h"
#include "refreshbody.h"

namespace dptest {
namespace {

// Registers the recording instance as id 0, the only instance.
bool registerRecorder(DataPlaneHarness& harness, RecordingInstance& recorder)
{
    const QByteArray body = refreshBody({singleInstanceEntry(0, recorder.port(), recorder.port())});
    return harness.manage("POST", "/v1/instances/refresh", body).status == 200 && harness.waitForInstances(1);
}

void expectStopFor(const RecordingInstance& recorder, const QByteArray& inferencePath)
{
    const QList<RecordingInstance::Received> dispatched = recorder.receivedOn(inferencePath);
    ASSERT_EQ(dispatched.size(), 1);
    const QByteArray reqId = dispatched.first().header("req-id");
    ASSERT_FALSE(reqId.isEmpty()) << "every dispatched request carries req-id";
    ASSERT_TRUE(
        HttpTestClient::waitUntil([&] { return !recorder.receivedOn("/stopInfer").isEmpty(); }, 10000))
        << "no stopInfer reached the instance";
    const RecordingInstance::Received stop = recorder.receivedOn("/stopInfer").first();
    EXPECT_EQ(stop.method, "POST");
    EXPECT_TRUE(stop.path.startsWith("/v2/models/")) << stop.path.toStdString();
    EXPECT_EQ(QJsonDocument::fromJson(stop.body).object().value(QLatin1String("id")).toString().toUtf8(),
              reqId)
        << stop.body.toStdString();
}

TEST(StopInfer, SentOnFirstTokenTimeout)
{
    DataPlaneHarness harness(
        {edit("exception_config", "first_token_timeout", 1), edit("exception_config", "infer_timeout", 30)});
    ASSERT_TRUE(harness.startCoordinator());
    RecordingInstance recorder;
    ASSERT_TRUE(registerRecorder(harness, recorder));
    const HttpTestResponse reply =
        harness.predict("/v1/completions", R"({"prompt":"never answered"})", {}, 10000);
    EXPECT_EQ(reply.status, 408);
    expectStopFor(recorder, "/v1/completions");
}

TEST(StopInfer, SentWhenTheUserDisconnects)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startCoordinator());
    RecordingInstance recorder;
    ASSERT_TRUE(registerRecorder(harness, recorder));
    HttpTestClient client(QStringLiteral("127.0.0.1"), harness.predictPort());
    ASSERT_TRUE(client.send("POST", "/generate_stream",
                            R"({"inputs":"walk away","parameters":{"max_new_tokens":9}})"));
    ASSERT_TRUE(
        HttpTestClient::waitUntil([&] { return !recorder.receivedOn("/generate_stream").isEmpty(); }, 5000));
    client.abort();
    expectStopFor(recorder, "/generate_stream");
    // The coordinator also lets go of the instance connection and of its task count.
    EXPECT_TRUE(HttpTestClient::waitUntil([&] { return harness.tasks({0}).value(0) == 0; }, 5000));
}

TEST(StopInfer, DispatchForwardsTheUserRequestUnchanged)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startCoordinator());
    RecordingInstance recorder;
    ASSERT_TRUE(registerRecorder(harness, recorder));
    const QByteArray body = R"({"prompt":"exact bytes \u00e9","max_tokens":3,  "extra":[1,2]})";
    HttpTestClient client(QStringLiteral("127.0.0.1"), harness.predictPort());
    ASSERT_TRUE(
        client.send("POST", "/v1/completions", body, {{"X-Custom", "kept"}, {"req-id", "user-chosen"}}));
    ASSERT_TRUE(
        HttpTestClient::waitUntil([&] { return !recorder.receivedOn("/v1/completions").isEmpty(); }, 5000));
    const RecordingInstance::Received dispatched = recorder.receivedOn("/v1/completions").first();
    EXPECT_EQ(dispatched.body, body);
    EXPECT_EQ(dispatched.header("X-Custom"), "kept");
    EXPECT_NE(dispatched.header("req-id"), "user-chosen") << "the coordinator names its requests";
    client.abort();
}

TEST(StopInfer, SimInstanceIsFreedWhenTheUserDisconnectsMidStream)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startCoordinator());
    ASSERT_TRUE(
        harness.startSim({QStringLiteral("--single"), QStringLiteral("1"), QStringLiteral("--decode-base-ms"),
                          QStringLiteral("100"), QStringLiteral("--decode-slope-ms"), QStringLiteral("0")}));
    ASSERT_TRUE(harness.waitForInstances(1));
    HttpTestClient client(QStringLiteral("127.0.0.1"), harness.predictPort());
    ASSERT_TRUE(
        client.send("POST", "/v1/completions", R"({"prompt":"long","max_tokens":200,"stream":true})"));
    ASSERT_TRUE(client.waitForChunks(1, 5000));
    EXPECT_EQ(harness.simState(0).value(QLatin1String("active_requests")).toInt(), 1);
    client.abort();
    EXPECT_TRUE(HttpTestClient::waitUntil(
        [&] { return harness.simState(0).value(QLatin1String("active_requests")).toInt() == 0; }, 5000));
    EXPECT_EQ(harness.simState(0).value(QLatin1String("requests_succeeded")).toInt(), 0);
}

} // namespace
} // namespace dptest
