// Cache affinity (spec §4.3): the later turns of an OpenAI conversation go to the instance that
// served the earlier ones, where the prompt prefix is cached. The coordinator does not relay the
// sim's x-sim-cached-tokens header, so the sims' own counters tell where requests landed.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include "dataplaneharness.h"

namespace dptest {
namespace {

QJsonObject message(const char* role, const QString& content)
{
    return QJsonObject{{QStringLiteral("role"), QLatin1String(role)}, {QStringLiteral("content"), content}};
}

QByteArray chatBody(const QJsonArray& messages)
{
    return QJsonDocument(
               QJsonObject{{QStringLiteral("messages"), messages}, {QStringLiteral("max_tokens"), 4}})
        .toJson(QJsonDocument::Compact);
}

struct Counters
{
    int received[2] = {0, 0};
    qint64 cachedTokens[2] = {0, 0};
};

Counters counters(DataPlaneHarness& harness)
{
    Counters now;
    for (int id = 0; id < 2; ++id) {
        const QJsonObject state = harness.simState(id);
        now.received[id] = state.value(QLatin1String("requests_received")).toInt();
        now.cachedTokens[id] = state.value(QLatin1String("prefix_cached_tokens")).toInteger();
    }
    return now;
}

// Which instance took the requests between two counter readings; -1 when not exactly one did.
int servedBy(const Counters& before, const Counters& after)
{
    const bool first = after.received[0] > before.received[0];
    const bool second = after.received[1] > before.received[1];
    return first == second ? -1 : (first ? 0 : 1);
}

TEST(CacheAffinity, LaterTurnsLandWhereTheConversationStarted)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(2));
    // A long system prompt fills several KV blocks, so a repeat visit hits the prefix cache.
    QJsonArray conversation{message("system", QString(3000, QLatin1Char('s'))),
                            message("user", QStringLiteral("hi"))};

    Counters before = counters(harness);
    ASSERT_EQ(harness.predict("/v1/chat/completions", chatBody(conversation)).status, 200);
    Counters after = counters(harness);
    const int home = servedBy(before, after);
    ASSERT_GE(home, 0);

    for (int turn = 0; turn < 3; ++turn) {
        // Move round robin so that, without affinity, the next pick would be the other instance.
        for (int i = 0; i < 4; ++i) {
            before = counters(harness);
            ASSERT_EQ(harness.predict("/v1/completions", R"({"prompt":"elsewhere","max_tokens":1})").status,
                      200);
            if (servedBy(before, counters(harness)) == home)
                break;
        }
        conversation.append(message("assistant", QStringLiteral("answer %1").arg(turn)));
        conversation.append(message("user", QStringLiteral("question %1").arg(turn)));
        before = counters(harness);
        ASSERT_EQ(harness.predict("/v1/chat/completions", chatBody(conversation)).status, 200);
        after = counters(harness);
        SCOPED_TRACE(turn);
        EXPECT_EQ(servedBy(before, after), home);
        EXPECT_GT(after.cachedTokens[home], before.cachedTokens[home]) << "the prefix was found in the cache";
    }
}

TEST(CacheAffinity, NewConversationsSpreadOverInstances)
{
    DataPlaneHarness harness;
    ASSERT_TRUE(harness.startWithSim(2));
    for (int i = 0; i < 6; ++i) {
        const QJsonArray conversation{message("user", QStringLiteral("fresh conversation %1").arg(i))};
        ASSERT_EQ(harness.predict("/v1/chat/completions", chatBody(conversation)).status, 200);
    }
    const Counters now = counters(harness);
    EXPECT_GT(now.received[0], 0);
    EXPECT_GT(now.received[1], 0);
}

} // namespace
} // namespace dptest
