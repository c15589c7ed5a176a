// cache_affinity (spec §4.3): multi-turn reuse, fallback under the thresholds, rename
// semantics, eviction order, and the conversation hash.
#include <QJsonObject>

#include <gtest/gtest.h>

#include "policies/affinitycache.h"
#include "policies/conversationkey.h"
#include "scheduler.h"
#include "schedulingtestdata.h"

using namespace coord;
using namespace coord::scheduling;
using coord::testing::makeInstance;
using coord::testing::refreshOf;

namespace {

QJsonObject message(const char* role, const QString& content)
{
    return QJsonObject{{"role", role}, {"content", content}};
}

ScheduleRequest chatRequest(const QJsonArray& messages)
{
    ScheduleRequest request;
    request.flavour = ApiFlavour::OpenAi;
    request.conversation = ConversationKey::fromMessages(messages);
    return request;
}

SchedulerSettings affinitySettings(qsizetype cacheSize = 100)
{
    SchedulerSettings settings;
    settings.algorithm = DefaultAlgorithm::CacheAffinity;
    settings.cacheSize = cacheSize;
    settings.thresholds = {0.1, 0.1};
    return settings;
}

// The next turn's messages: the assistant's reply and a new user message appended.
QJsonArray nextTurn(QJsonArray messages, const QString& topic, int turn)
{
    messages.append(message("assistant", QStringLiteral("%1 reply %2").arg(topic).arg(turn)));
    messages.append(message("user", QStringLiteral("%1 more %2").arg(topic).arg(turn)));
    return messages;
}

} // namespace

TEST(ConversationKeyTest, HistoryIsTheHashOfAllButTheLastTwo)
{
    const QJsonArray turnOne{message("user", "hi"), message("assistant", "hello")};
    const QJsonArray turnTwo = nextTurn(turnOne, "t", 1);
    const ConversationKey one = ConversationKey::fromMessages(turnOne);
    const ConversationKey two = ConversationKey::fromMessages(turnTwo);
    EXPECT_FALSE(one.historyHash.has_value());
    ASSERT_TRUE(two.historyHash.has_value());
    EXPECT_EQ(*two.historyHash, one.fullHash);
    EXPECT_NE(two.fullHash, one.fullHash);
    // The hash is over the compact dumps, concatenated.
    const QByteArray dump = R"({"content":"hi","role":"user"}{"content":"hello","role":"assistant"})";
    EXPECT_EQ(one.fullHash, fnv1a64(dump.constData(), dump.size()));
    // FNV-1a reference value for "a".
    EXPECT_EQ(fnv1a64("a", 1), 0xaf63dc4c8601ec8cULL);
    // Keys from dumps written once by the request parser are the same keys.
    const ConversationKey fromDumps = ConversationKey::fromMessageDumps(
        {R"({"content":"hi","role":"user"})", R"({"content":"hello","role":"assistant"})"});
    EXPECT_EQ(fromDumps.fullHash, one.fullHash);
    EXPECT_EQ(fromDumps.messageCount, one.messageCount);
}

TEST(CacheAffinityTest, MultiTurnConversationsStayOnTheirInstance)
{
    Scheduler scheduler(affinitySettings());
    scheduler.applyRefresh(refreshOf({makeInstance(1), makeInstance(2), makeInstance(3)}));
    QJsonArray alpha{message("user", "alpha"), message("assistant", "a")};
    QJsonArray beta{message("user", "beta"), message("assistant", "b")};
    const Placement alphaFirst = scheduler.schedule(chatRequest(alpha));
    const Placement betaFirst = scheduler.schedule(chatRequest(beta));
    EXPECT_NE(alphaFirst.instanceId, betaFirst.instanceId);
    EXPECT_FALSE(alphaFirst.cacheHit);
    for (int turn = 1; turn <= 4; ++turn) {
        alpha = nextTurn(alpha, "alpha", turn);
        beta = nextTurn(beta, "beta", turn);
        const Placement a = scheduler.schedule(chatRequest(alpha));
        const Placement b = scheduler.schedule(chatRequest(beta));
        EXPECT_TRUE(a.cacheHit);
        EXPECT_TRUE(b.cacheHit);
        EXPECT_EQ(a.instanceId, alphaFirst.instanceId);
        EXPECT_EQ(b.instanceId, betaFirst.instanceId);
    }
}

TEST(CacheAffinityTest, FallsBackWhenTheCachedInstanceIsBelowThresholds)
{
    Scheduler scheduler(affinitySettings());
    scheduler.applyRefresh(refreshOf({makeInstance(1), makeInstance(2)}));
    const QJsonArray first{message("user", "q"), message("assistant", "a")};
    const quint64 cached = scheduler.schedule(chatRequest(first)).instanceId;

    // The cached instance now has 10 of 100 slots free: not above the 0.1 threshold.
    const quint64 other = cached == 1 ? 2 : 1;
    scheduler.applyRefresh(
        refreshOf({makeInstance(cached, InstanceRole::Unified, 10, 1000), makeInstance(other)}));
    const QJsonArray second = nextTurn(first, "x", 1);
    const Placement moved = scheduler.schedule(chatRequest(second));
    EXPECT_FALSE(moved.cacheHit);
    EXPECT_EQ(moved.instanceId, other);

    // The new key points at the new instance, and the old one was erased.
    const Placement again = scheduler.schedule(chatRequest(nextTurn(second, "x", 2)));
    EXPECT_TRUE(again.cacheHit);
    EXPECT_EQ(again.instanceId, other);
}

TEST(CacheAffinityTest, RoundRobinPrefersInstancesAboveThresholds)
{
    Scheduler scheduler(affinitySettings());
    scheduler.applyRefresh(refreshOf({makeInstance(1, InstanceRole::Unified, 5, 1000), makeInstance(2)}));
    for (int i = 0; i < 3; ++i) {
        const QJsonArray fresh{message("user", QString::number(i))};
        EXPECT_EQ(scheduler.schedule(chatRequest(fresh)).instanceId, 2u);
    }
    // Nobody passes the test: any instance with free slots still takes the request.
    scheduler.applyRefresh(refreshOf({makeInstance(1, InstanceRole::Unified, 5, 1000)}));
    EXPECT_EQ(scheduler.schedule(chatRequest(QJsonArray{message("user", "z")})).instanceId, 1u);
}

TEST(CacheAffinityTest, NonChatRequestsUsePlainRoundRobin)
{
    Scheduler scheduler(affinitySettings());
    scheduler.applyRefresh(refreshOf({makeInstance(1, InstanceRole::Unified, 5, 1000), makeInstance(2)}));
    ScheduleRequest tgi;
    tgi.flavour = ApiFlavour::Tgi;
    tgi.conversation = ConversationKey::fromMessages(QJsonArray{message("user", "q")});
    EXPECT_EQ(scheduler.schedule(tgi).instanceId, 1u);
    EXPECT_EQ(scheduler.schedule(tgi).instanceId, 2u);
}

TEST(AffinityCacheTest, EvictsOldestInsertedOrRenamedAndLookupsDoNotRefresh)
{
    AffinityCache cache(3);
    cache.store(1, 10);
    cache.store(2, 20);
    cache.store(3, 30);
    EXPECT_EQ(cache.lookup(1), std::optional<quint64>(10)); // no age refresh
    cache.store(4, 40);                                     // evicts 1, the oldest
    EXPECT_FALSE(cache.lookup(1).has_value());
    EXPECT_EQ(cache.keysOldestFirst(), (QList<quint64>{2, 3, 4}));

    cache.rename(2, 5); // 2's entry becomes the newest, as 5
    EXPECT_EQ(cache.keysOldestFirst(), (QList<quint64>{3, 4, 5}));
    EXPECT_EQ(cache.lookup(5), std::optional<quint64>(20));
    EXPECT_FALSE(cache.lookup(2).has_value());
    cache.store(6, 60); // evicts 3
    EXPECT_EQ(cache.keysOldestFirst(), (QList<quint64>{4, 5, 6}));

    cache.rename(99, 7); // unknown: nothing happens
    cache.store(4, 41);  // overwrite makes it newest without growing
    EXPECT_EQ(cache.keysOldestFirst(), (QList<quint64>{5, 6, 4}));
    EXPECT_EQ(cache.size(), 3);
    cache.rename(5, 6); // renaming onto an existing key replaces it
    EXPECT_EQ(cache.keysOldestFirst(), (QList<quint64>{4, 6}));
    EXPECT_EQ(cache.lookup(6), std::optional<quint64>(20));
}

TEST(CacheAffinityTest, EvictedConversationsAreRescheduled)
{
    Scheduler scheduler(affinitySettings(1));
    scheduler.applyRefresh(refreshOf({makeInstance(1), makeInstance(2), makeInstance(3)}));
    const QJsonArray alpha{message("user", "alpha")};
    const QJsonArray beta{message("user", "beta")};
    scheduler.schedule(chatRequest(QJsonArray{alpha[0], message("assistant", "a")}));
    scheduler.schedule(chatRequest(QJsonArray{beta[0], message("assistant", "b")})); // evicts alpha
    const QJsonArray alphaNext = nextTurn(QJsonArray{alpha[0], message("assistant", "a")}, "alpha", 1);
    EXPECT_FALSE(scheduler.schedule(chatRequest(alphaNext)).cacheHit);
}

TEST(CacheAffinityTest, ClosedOrExcludedCachedInstanceIsNotReused)
{
    Scheduler scheduler(affinitySettings());
    scheduler.applyRefresh(refreshOf({makeInstance(1), makeInstance(2)}));
    const QJsonArray first{message("user", "q"), message("assistant", "a")};
    const quint64 cached = scheduler.schedule(chatRequest(first)).instanceId;
    ScheduleRequest retry = chatRequest(nextTurn(first, "q", 1));
    retry.excluded = {cached};
    const Placement placement = scheduler.schedule(retry);
    EXPECT_FALSE(placement.cacheHit);
    EXPECT_NE(placement.instanceId, cached);
}
