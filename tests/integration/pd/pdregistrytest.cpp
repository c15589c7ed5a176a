// The Controller plays the registry itself here (the sim does not register): instances removed by
// a refresh answer their in-flight requests at once, and the single-container mode hands D's
// inter_comm_port to P and completes requests.
#include <memory>

#include <gtest/gtest.h>

#include "pdharness.h"
#include "recordinginstance.h"
#include "refreshbody.h"

namespace pdtest {
namespace {

// Timeouts far above the hang bounds: an answer within the bound did not wait for them.
QList<ConfigEdit> longTimeouts()
{
    return {edit("exception_config", "first_token_timeout", 60),
            edit("exception_config", "infer_timeout", 60)};
}

// A `--prefill 1 --decode 2` sim (ids 0; 1, 2) registered by the test, realistic timing.
class PdRemoval : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_harness.startCoordinator());
        ASSERT_TRUE(
            m_harness.startSim({QStringLiteral("--prefill"), QStringLiteral("1"), QStringLiteral("--decode"),
                                QStringLiteral("2"), QStringLiteral("--quiet")},
                               false));
        ASSERT_EQ(refresh({0, 1, 2}), 200);
        ASSERT_TRUE(waitForDecodeLinks(m_harness, {1, 2}));
    }
    int refresh(const QList<int>& ids)
    {
        simtest::SimProcess& sim = m_harness.sim();
        QList<QJsonObject> entries;
        for (const int id : ids) {
            const bool prefill = id == 0;
            entries.append(pdInstanceEntry(quint64(id), prefill, sim.port(id), sim.metricPort(id),
                                           prefill ? QList<quint64>{1, 2} : QList<quint64>{0}));
        }
        return m_harness.manage("POST", "/v1/instances/refresh", dptest::refreshBody(entries)).status;
    }

    DataPlaneHarness m_harness{pdConfig(Placement::RoundRobin, longTimeouts())};
};

TEST_F(PdRemoval, RemovedDecodeAnswersItsRequests)
{
    ASSERT_TRUE(m_harness.simFault(1, R"({"slow_factor":50})"));
    ASSERT_TRUE(m_harness.simFault(2, R"({"slow_factor":50})"));
    HttpTestClient client(QStringLiteral("127.0.0.1"), m_harness.predictPort());
    ASSERT_TRUE(client.send("POST", kCompletions, kLongStreamRequest));
    ASSERT_TRUE(HttpTestClient::waitUntil(
        [&] {
            return simCounter(m_harness, 1, "decode_tasks") + simCounter(m_harness, 2, "decode_tasks") == 1;
        },
        15000));
    const int decode = simCounter(m_harness, 1, "decode_tasks") == 1 ? 1 : 2;
    ASSERT_EQ(refresh({0, 3 - decode}), 200);
    EXPECT_TRUE(client.waitForComplete(15000)) << "the request waits for its timeout";
    EXPECT_EQ(client.response().status, 200) << "the stream had started";
    EXPECT_FALSE(client.response().body.contains("[DONE]")) << "it did not finish normally";
}

TEST_F(PdRemoval, RemovedPrefillAnswersItsRequests)
{
    ASSERT_TRUE(m_harness.simFault(0, R"({"stall":true})"));
    HttpTestClient client(QStringLiteral("127.0.0.1"), m_harness.predictPort());
    ASSERT_TRUE(client.send("POST", kCompletions, kLongStreamRequest));
    ASSERT_TRUE(HttpTestClient::waitUntil([&] { return m_harness.tasks({0}).value(0) == 1; }, 10000));
    ASSERT_EQ(refresh({1, 2}), 200);
    EXPECT_TRUE(client.waitForComplete(15000)) << "the request waits for its timeout";
    EXPECT_GE(client.response().status, 400);
}

TEST(PdSingleContainer, DecodeTargetCarriesTheInterCommPort)
{
    DataPlaneHarness harness(
        pdConfig(Placement::RoundRobin, {edit("digs_scheduler_config", "deploy_mode",
                                              QStringLiteral("pd_disaggregation_single_container"))}));
    ASSERT_TRUE(harness.startCoordinator());
    ASSERT_TRUE(harness.startSim({QStringLiteral("--prefill"), QStringLiteral("1"),
                                  QStringLiteral("--decode"), QStringLiteral("1"),
                                  QStringLiteral("--single-container"), QStringLiteral("--quiet")},
                                 false));
    dptest::RecordingInstance fakePrefill;
    simtest::SimProcess& sim = harness.sim();
    const quint16 interCommPort = 23456; // only P reads it; the coordinator never connects there
    const QByteArray body = dptest::refreshBody({
        pdInstanceEntry(0, true, fakePrefill.port(), fakePrefill.port(), {1}, 23455),
        pdInstanceEntry(1, false, sim.port(1), sim.metricPort(1), {0}, interCommPort),
    });
    ASSERT_EQ(harness.manage("POST", "/v1/instances/refresh", body).status, 200);
    ASSERT_TRUE(waitForDecodeLinks(harness, {1}));

    HttpTestClient client(QStringLiteral("127.0.0.1"), harness.predictPort());
    ASSERT_TRUE(client.send("POST", kCompletions, R"({"prompt":"which decode","max_tokens":4})"));
    ASSERT_TRUE(HttpTestClient::waitUntil([&] { return !fakePrefill.received().isEmpty(); }, 10000));
    const dptest::RecordingInstance::Received& prefill = fakePrefill.received().first();
    EXPECT_EQ(prefill.header("req-type"), "prefill");
    EXPECT_EQ(prefill.header("d-target"), "127.0.0.1;" + QByteArray::number(interCommPort));
    EXPECT_EQ(prefill.header("d-port"), QByteArray::number(sim.port(1)));
    EXPECT_FALSE(prefill.header("req-id").isEmpty());
    client.abort();
}

TEST(PdSingleContainer, RequestsComplete)
{
    DataPlaneHarness harness(
        pdConfig(Placement::RoundRobin, {edit("digs_scheduler_config", "deploy_mode",
                                              QStringLiteral("pd_disaggregation_single_container"))}));
    ASSERT_TRUE(startPdCluster(
        harness, {QStringLiteral("--timing"), QStringLiteral("fast"), QStringLiteral("--single-container")}));
    for (const QByteArray& request :
         {QByteArray(R"({"prompt":"single container","max_tokens":5})"),
          QByteArray(R"({"prompt":"single container","max_tokens":5,"stream":true})")}) {
        for (int i = 0; i < 2; ++i) {
            const HttpTestResponse reply = harness.predict(kCompletions, request);
            EXPECT_EQ(reply.status, 200) << reply.body.toStdString();
            EXPECT_TRUE(reply.body.contains("\"finish_reason\"")) << reply.body.toStdString();
        }
    }
    EXPECT_EQ(simCounter(harness, kDecode0, "requests_received") +
                  simCounter(harness, kDecode1, "requests_received"),
              4);
}

} // namespace
} // namespace pdtest
