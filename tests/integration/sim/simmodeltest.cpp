// The behaviour model: /metrics families and counters, the prefix cache (with LRU eviction)
// and continuous batching over finite slots. Assertions use the simulator's own counters, never
// measured time.
#include <QFile>
#include <QRegularExpression>

#include <gtest/gtest.h>

#include "simtestsupport.h"

using namespace simtest;

namespace {
const QString kHost = QStringLiteral("127.0.0.1");

QStringList families(const QByteArray& metrics)
{
    QStringList names;
    for (const QByteArray& line : metrics.split('\n')) {
        if (line.startsWith("# TYPE "))
            names.append(QString::fromUtf8(line.mid(7)));
    }
    return names;
}

double sample(const QByteArray& metrics, const QByteArray& series)
{
    for (const QByteArray& line : metrics.split('\n')) {
        if (line.startsWith(series + ' '))
            return line.mid(series.size() + 1).toDouble();
    }
    return -1;
}

QByteArray longPrompt(const QString& head, int characters)
{
    QString text = head;
    while (text.size() < characters)
        text += QStringLiteral(" shared context sentence");
    return text.left(characters).toUtf8();
}

int cachedTokens(quint16 port, const QByteArray& prompt)
{
    const HttpTestResponse response = HttpTestClient::oneShot(
        kHost, port, "POST", "/v1/completions", R"({"prompt":")" + prompt + R"(","max_tokens":2})");
    return response.header("x-sim-cached-tokens").toInt();
}
} // namespace

TEST(simMetricsTest, FamiliesMatchMindIeGoldenFilesInOrder)
{
    auto cluster = startCluster({"--single", "1", "--timing", "fast", "--quiet"});
    ASSERT_TRUE(cluster);
    QFile golden(QStringLiteral(COORD_SHARED_DIR "/vectors/mindie/ms_metricsSingleNodeData_0.bin"));
    ASSERT_TRUE(golden.open(QIODevice::ReadOnly));
    const HttpTestResponse metrics =
        HttpTestClient::oneShot(kHost, metricPortOf(*cluster, 0), "GET", "/metrics");
    ASSERT_EQ(metrics.status, 200);
    EXPECT_EQ(families(metrics.body), families(golden.readAll()));
    // Every line follows the strict "<series> <value>" shape the coordinator parses.
    const QRegularExpression line(QStringLiteral(R"(^(# (HELP|TYPE) \S+ .+|[a-z0-9_]+(\{[^ ]*\})? \S+)$)"));
    for (const QByteArray& text : metrics.body.trimmed().split('\n'))
        EXPECT_TRUE(line.match(QString::fromUtf8(text)).hasMatch()) << text.constData();
}

TEST(simMetricsTest, CountersFollowTheTraffic)
{
    auto cluster = startCluster({"--single", "1", "--timing", "fast", "--quiet", "--metrics-radix"});
    ASSERT_TRUE(cluster);
    HttpTestClient client(kHost, portOf(*cluster, 0));
    for (int i = 0; i < 3; ++i)
        client.post("/infer", R"({"inputs":"abcdefgh","parameters":{"max_new_tokens":4}})");
    client.post("/infer", R"({"bad":1})");
    const QByteArray body = HttpTestClient::oneShot(kHost, metricPortOf(*cluster, 0), "GET", "/metrics").body;
    const QByteArray label = R"({model_name="llama_65b"})";
    EXPECT_EQ(sample(body, "request_received_total" + label), 4);
    EXPECT_EQ(sample(body, "request_success_total" + label), 3);
    EXPECT_EQ(sample(body, "request_failed_total" + label), 1);
    EXPECT_EQ(sample(body, "prompt_tokens_total" + label), 6);
    EXPECT_EQ(sample(body, "generation_tokens_total" + label), 12);
    EXPECT_EQ(sample(body, "time_to_first_token_seconds_count" + label), 3);
    EXPECT_EQ(sample(body, "time_per_output_token_seconds_count" + label), 9);
    EXPECT_EQ(sample(body, "request_generation_tokens_bucket{model_name=\"llama_65b\",le=\"10\"}"), 3);
    EXPECT_GE(sample(body, "all_radix_match_num" + label), 0);
}

TEST(simPrefixCacheTest, SharedPrefixIsServedFromCache)
{
    auto cluster = startCluster({"--single", "1", "--block-size", "16", "--quiet", "--decode-base-ms", "1"});
    ASSERT_TRUE(cluster);
    const quint16 port = portOf(*cluster, 0);
    const QByteArray prefix = longPrompt(QStringLiteral("system prompt A."), 2000); // ~500 tokens
    EXPECT_EQ(cachedTokens(port, prefix + " first question"), 0);
    const int cached = cachedTokens(port, prefix + " second, different question");
    EXPECT_GE(cached, 400);
    EXPECT_LE(cached, 500);
    const QJsonObject state = simState(metricPortOf(*cluster, 0));
    EXPECT_GT(state.value("prefix_hit_blocks").toInt(), 20);
    EXPECT_EQ(state.value("prefix_cached_tokens").toInt(), cached);
    const QByteArray metrics =
        HttpTestClient::oneShot(kHost, metricPortOf(*cluster, 0), "GET", "/metrics").body;
    EXPECT_GT(sample(metrics, R"(npu_prefix_cache_hit_rate{model_name="llama_65b"})"), 0.3);
    // A different instance has its own cache: no hit there.
    auto other = startCluster({"--single", "1", "--block-size", "16", "--quiet", "--decode-base-ms", "1"});
    EXPECT_EQ(cachedTokens(portOf(*other, 0), prefix + " second, different question"), 0);
}

TEST(simPrefixCacheTest, LeastRecentlyUsedPrefixIsEvicted)
{
    // 64 blocks of 16 tokens: one 400-token prompt fills ~26 blocks, so three others evict it.
    auto cluster = startCluster(
        {"--single", "1", "--block-size", "16", "--kv-blocks", "64", "--timing", "fast", "--quiet"});
    ASSERT_TRUE(cluster);
    const quint16 port = portOf(*cluster, 0);
    const QByteArray first = longPrompt(QStringLiteral("first"), 1600);
    cachedTokens(port, first);
    EXPECT_GT(cachedTokens(port, first), 0);
    for (const char* head : {"second", "third", "fourth"})
        cachedTokens(port, longPrompt(QLatin1String(head), 1600));
    EXPECT_EQ(cachedTokens(port, first), 0);
}

TEST(simBatchingTest, FiniteSlotsQueueRequests)
{
    auto cluster = startCluster({"--single", "1", "--slots", "1", "--decode-base-ms", "20", "--quiet"});
    ASSERT_TRUE(cluster);
    HttpTestClient a(kHost, portOf(*cluster, 0));
    HttpTestClient b(kHost, portOf(*cluster, 0));
    const QByteArray body = R"({"inputs":"q","stream":true,"parameters":{"max_new_tokens":40}})";
    ASSERT_TRUE(a.send("POST", "/infer", body));
    ASSERT_TRUE(a.waitForChunks(1, 10000));
    ASSERT_TRUE(b.send("POST", "/infer", body));
    EXPECT_TRUE(HttpTestClient::waitUntil(
        [&] {
            const QJsonObject state = simState(metricPortOf(*cluster, 0));
            return state.value("running").toInt() == 1 && state.value("waiting").toInt() == 1;
        },
        5000));
    EXPECT_TRUE(a.waitForComplete(20000));
    EXPECT_TRUE(b.waitForComplete(20000));
    EXPECT_EQ(sseData(b.response().body).size(), 40);
}
