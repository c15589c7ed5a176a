// The real mindie_sim binary: --help, --print-refresh, --register, --metrics-file and faults
// set by flag, by the control API and by signal.
#include <csignal>

#include <QFile>
#include <QJsonArray>

#include <gtest/gtest.h>

#include "httpserver.h"
#include "simtestsupport.h"

using namespace simtest;

namespace {
const QString kHost = QStringLiteral("127.0.0.1");
const QByteArray kInfer = R"({"inputs":"x","parameters":{"max_new_tokens":2}})";

QByteArray runToEnd(const QStringList& arguments)
{
    QProcess process;
    process.start(simBinary(), arguments);
    process.waitForFinished(15000);
    return process.readAllStandardOutput();
}
} // namespace

TEST(simProcessTest, HelpDocumentsEveryFlagWithItsDefault)
{
    const QString help = QString::fromUtf8(runToEnd({"--help"}));
    for (const char* flag : {"--single",
                             "--prefill",
                             "--decode",
                             "--base-port",
                             "--timing",
                             "--slots",
                             "--kv-blocks",
                             "--block-size",
                             "--prefill-rate",
                             "--decode-base-ms",
                             "--metrics-file",
                             "--register",
                             "--register-interval",
                             "--print-refresh",
                             "--crash-after",
                             "--stall",
                             "--error-rate",
                             "--slow-factor",
                             "--refuse",
                             "--dresult-retry-every"})
        EXPECT_TRUE(help.contains(QLatin1String(flag))) << flag;
    EXPECT_GE(help.count(QStringLiteral("Default")), 35);
}

TEST(simProcessTest, PrintRefreshDescribesPrefillAndDecode)
{
    const QJsonObject refresh =
        parseObject(runToEnd({"--prefill", "2", "--decode", "2", "--base-port", "20000", "--print-refresh"}));
    EXPECT_EQ(refresh.value("ids").toArray().size(), 4);
    const QJsonArray instances = refresh.value("instances").toArray();
    ASSERT_EQ(instances.size(), 4);
    const QJsonObject p = instances[0].toObject();
    const QJsonObject d = instances[3].toObject();
    EXPECT_EQ(p.value("port").toString(), "20000");
    EXPECT_EQ(p.value("metric_port").toString(), "20001");
    EXPECT_EQ(d.value("port").toString(), "20009");
    EXPECT_EQ(p.value("static_info").toObject().value("role").toInt(), 80);
    EXPECT_EQ(p.value("static_info").toObject().value("label").toInt(), 2);
    EXPECT_EQ(d.value("static_info").toObject().value("role").toInt(), 68);
    EXPECT_EQ(d.value("static_info").toObject().value("label").toInt(), 3);
    EXPECT_EQ(d.value("dynamic_info").toObject().value("peers").toArray(), (QJsonArray{0, 1}));
    for (const char* key : {"group_id", "p_percentage", "virtual_id", "max_seq_len", "max_output_len",
                            "total_slots_num", "total_block_num", "block_size"})
        EXPECT_TRUE(d.value("static_info").toObject().contains(QLatin1String(key))) << key;
    EXPECT_TRUE(d.contains("inter_comm_port"));
    const QJsonObject single = parseObject(runToEnd({"--single", "1", "--print-refresh"}));
    EXPECT_EQ(single.value("instances")
                  .toArray()[0]
                  .toObject()
                  .value("static_info")
                  .toObject()
                  .value("role")
                  .toInt(),
              85);
}

TEST(simProcessTest, RegisterPushesRefreshToTheManagePort)
{
    mindiesim::HttpServer manage;
    ASSERT_TRUE(manage.listen(QHostAddress::LocalHost, 0));
    QList<QByteArray> bodies;
    QObject::connect(&manage, &mindiesim::HttpServer::requestReceived,
                     [&](mindiesim::HttpConnection* connection, const mindiesim::HttpRequest& request) {
                         if (request.path == "/v1/instances/refresh")
                             bodies.append(request.body);
                         connection->respond(200, "text/plain", {});
                     });
    SimProcess sim;
    ASSERT_TRUE(
        sim.start({"--single", "2", "--register", QStringLiteral("http://127.0.0.1:%1").arg(manage.port()),
                   "--register-interval", "0.2"}));
    ASSERT_TRUE(HttpTestClient::waitUntil([&] { return bodies.size() >= 2; }, 10000));
    const QJsonObject refresh = parseObject(bodies.last());
    ASSERT_EQ(refresh.value("instances").toArray().size(), 2);
    EXPECT_EQ(refresh.value("instances").toArray()[1].toObject().value("port").toString().toInt(),
              sim.port(1));
}

TEST(simProcessTest, MetricsFileIsServedVerbatim)
{
    const QString path = QStringLiteral(COORD_SHARED_DIR "/vectors/mindie/ms_metricsPDNodeData_2.bin");
    SimProcess sim;
    ASSERT_TRUE(sim.start({"--single", "2", "--metrics-file", QStringLiteral("1=") + path}));
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    EXPECT_EQ(HttpTestClient::oneShot(kHost, sim.metricPort(1), "GET", "/metrics").body, file.readAll());
}

TEST(simProcessTest, CrashAfterClosesEverySocket)
{
    SimProcess sim;
    ASSERT_TRUE(
        sim.start({"--single", "2", "--timing", "fast", "--crash-after", "2", "--fault-target", "0"}));
    EXPECT_EQ(HttpTestClient::oneShot(kHost, sim.port(0), "POST", "/infer", kInfer).status, 200);
    EXPECT_EQ(HttpTestClient::oneShot(kHost, sim.port(0), "POST", "/infer", kInfer).status, 200);
    const HttpTestResponse third =
        HttpTestClient::oneShot(kHost, sim.port(0), "POST", "/infer", kInfer, {}, 5000);
    EXPECT_EQ(third.status, 0);
    EXPECT_TRUE(third.connectionClosed);
    HttpTestClient refused(kHost, sim.port(0));
    EXPECT_FALSE(refused.connectToServer(3000));
    // Instance 1 was not targeted.
    EXPECT_EQ(HttpTestClient::oneShot(kHost, sim.port(1), "POST", "/infer", kInfer).status, 200);
}

TEST(simProcessTest, SignalCrashesEveryInstance)
{
    SimProcess sim;
    ASSERT_TRUE(sim.start({"--single", "1", "--timing", "fast"}));
    HttpTestClient held(kHost, sim.port(0));
    ASSERT_TRUE(held.connectToServer(3000));
    ::kill(pid_t(sim.process().processId()), SIGUSR1);
    EXPECT_TRUE(held.waitForClose(5000));
    HttpTestClient refused(kHost, sim.port(0));
    EXPECT_FALSE(refused.connectToServer(3000));
}

TEST(simProcessTest, StallErrorRateAndRefuse)
{
    SimProcess sim;
    ASSERT_TRUE(sim.start({"--single", "1", "--timing", "fast", "--error-rate", "1"}));
    const HttpTestResponse failed =
        HttpTestClient::oneShot(kHost, sim.port(0), "POST", "/v1/chat/completions", R"({"messages":[]})");
    EXPECT_EQ(failed.status, 500);
    EXPECT_EQ(parseObject(failed.body).value("error").toObject().value("code").toInt(), 500);

    ASSERT_TRUE(postFault(sim.metricPort(0), R"({"error_rate":0,"stall":true})"));
    const HttpTestResponse stalled =
        HttpTestClient::oneShot(kHost, sim.port(0), "POST", "/infer", kInfer, {}, 500);
    EXPECT_TRUE(stalled.timedOut);
    EXPECT_EQ(stalled.status, 0);

    ASSERT_TRUE(postFault(sim.metricPort(0), R"({"stall":false,"refuse":true})"));
    HttpTestClient refused(kHost, sim.port(0));
    EXPECT_FALSE(refused.connectToServer(3000));
    ASSERT_TRUE(postFault(sim.metricPort(0), R"({"reset":true})"));
    EXPECT_EQ(HttpTestClient::oneShot(kHost, sim.port(0), "POST", "/infer", kInfer).status, 200);
    EXPECT_EQ(
        HttpTestClient::oneShot(kHost, sim.metricPort(0), "POST", "/sim/fault", R"({"bogus":1})").status,
        400);
}

TEST(simProcessTest, SlowFactorIsApplied)
{
    SimProcess sim;
    ASSERT_TRUE(sim.start({"--single", "1", "--slow-factor", "3"}));
    EXPECT_EQ(simState(sim.metricPort(0)).value("faults").toObject().value("slow_factor").toDouble(), 3.0);
    EXPECT_EQ(HttpTestClient::oneShot(kHost, sim.port(0), "POST", "/infer", kInfer).status, 200);
}
