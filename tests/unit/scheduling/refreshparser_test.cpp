// The refresh body parser: whole-call errors (400) and per-instance rules (skip + reason).
#include <cctype>
#include <functional>

#include <QFile>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include "model/refreshparser.h"
#include "schedulingtestdata.h"

using namespace coord;
using coord::testing::instanceJson;
using coord::testing::refreshBody;

namespace {

using Mutation = std::function<void(QJsonObject&)>;

Mutation setTop(const char* key, QJsonValue value)
{
    return [key, value](QJsonObject& entry) { entry.insert(key, value); };
}

Mutation removeTop(const char* key)
{
    return [key](QJsonObject& entry) { entry.remove(key); };
}

Mutation setNested(const char* section, const char* key, QJsonValue value)
{
    return [section, key, value](QJsonObject& entry) {
        QJsonObject inner = entry.value(section).toObject();
        if (value.isUndefined())
            inner.remove(key);
        else
            inner.insert(key, value);
        entry.insert(section, inner);
    };
}

struct RuleCase
{
    const char* name;
    Mutation mutate;
    ClusterMode mode;
    InstanceRole role;
    // Substring the skip reason must contain; nullptr when the instance must be accepted.
    const char* reasonPart;
};

const RuleCase kRuleCases[] = {
    {"valid single node", [](QJsonObject&) {}, ClusterMode::SingleNode, InstanceRole::Unified, nullptr},
    {"valid P", [](QJsonObject&) {}, ClusterMode::PdSeparate, InstanceRole::Prefill, nullptr},
    {"valid D", [](QJsonObject&) {}, ClusterMode::PdSeparate, InstanceRole::Decode, nullptr},
    {"P in single node", [](QJsonObject&) {}, ClusterMode::SingleNode, InstanceRole::Prefill,
     "static_info.role"},
    {"U in PD", [](QJsonObject&) {}, ClusterMode::PdSeparate, InstanceRole::Unified, "static_info.role"},
    {"unknown role code", setNested("static_info", "role", 81), ClusterMode::SingleNode,
     InstanceRole::Unified, "static_info.role"},
    {"prefer label in PD", setNested("static_info", "label", 0), ClusterMode::PdSeparate,
     InstanceRole::Prefill, "static_info.label"},
    {"label out of range", setNested("static_info", "label", 5), ClusterMode::SingleNode,
     InstanceRole::Unified, "static_info.label"},
    {"max_seq_len zero", setNested("static_info", "max_seq_len", 0), ClusterMode::SingleNode,
     InstanceRole::Unified, "max_seq_len"},
    {"max_output_len zero", setNested("static_info", "max_output_len", 0), ClusterMode::SingleNode,
     InstanceRole::Unified, "max_output_len"},
    {"max_output_len above seq", setNested("static_info", "max_output_len", 4096), ClusterMode::SingleNode,
     InstanceRole::Unified, "max_output_len"},
    {"slots zero", setNested("static_info", "total_slots_num", 0), ClusterMode::SingleNode,
     InstanceRole::Unified, "total_slots_num"},
    {"slots above 5000", setNested("static_info", "total_slots_num", 5001), ClusterMode::SingleNode,
     InstanceRole::Unified, "total_slots_num"},
    {"slots 5000 ok", setNested("static_info", "total_slots_num", 5000), ClusterMode::SingleNode,
     InstanceRole::Unified, nullptr},
    {"blocks zero", setNested("static_info", "total_block_num", 0), ClusterMode::SingleNode,
     InstanceRole::Unified, "total_block_num"},
    {"block_size zero", setNested("static_info", "block_size", 0), ClusterMode::SingleNode,
     InstanceRole::Unified, "block_size"},
    {"block_size 129", setNested("static_info", "block_size", 129), ClusterMode::SingleNode,
     InstanceRole::Unified, "block_size"},
    {"bad ip", setTop("ip", "10.0.0.256"), ClusterMode::SingleNode, InstanceRole::Unified, "'ip'"},
    {"ipv4 any", setTop("ip", "0.0.0.0"), ClusterMode::SingleNode, InstanceRole::Unified, "unspecified"},
    {"ipv6 any", setTop("ip", "::"), ClusterMode::SingleNode, InstanceRole::Unified, "unspecified"},
    {"ipv6 ok", setTop("ip", "fe80::1"), ClusterMode::SingleNode, InstanceRole::Unified, nullptr},
    {"port below 1024", setTop("port", "1023"), ClusterMode::SingleNode, InstanceRole::Unified, "'port'"},
    {"port above 65535", setTop("port", "65536"), ClusterMode::SingleNode, InstanceRole::Unified, "'port'"},
    {"port not digits", setTop("port", "+1025"), ClusterMode::SingleNode, InstanceRole::Unified, "'port'"},
    {"port as number", setTop("port", 1025), ClusterMode::SingleNode, InstanceRole::Unified, "'port'"},
    {"metric_port empty", setTop("metric_port", ""), ClusterMode::SingleNode, InstanceRole::Unified,
     "metric_port"},
    {"inter_comm_port empty outside container", setTop("inter_comm_port", ""), ClusterMode::PdSeparate,
     InstanceRole::Decode, nullptr},
    {"inter_comm_port empty in container", setTop("inter_comm_port", ""), ClusterMode::PdSingleContainer,
     InstanceRole::Decode, "inter_comm_port"},
    {"missing metric_port", removeTop("metric_port"), ClusterMode::SingleNode, InstanceRole::Unified,
     "missing required key 'metric_port'"},
    {"missing inter_comm_port", removeTop("inter_comm_port"), ClusterMode::SingleNode, InstanceRole::Unified,
     "'inter_comm_port'"},
    {"missing model_name", removeTop("model_name"), ClusterMode::SingleNode, InstanceRole::Unified,
     "'model_name'"},
    {"missing p_percentage", setNested("static_info", "p_percentage", QJsonValue(QJsonValue::Undefined)),
     ClusterMode::SingleNode, InstanceRole::Unified, "static_info.p_percentage"},
    {"missing avail slots", setNested("dynamic_info", "avail_slots_num", QJsonValue(QJsonValue::Undefined)),
     ClusterMode::SingleNode, InstanceRole::Unified, "dynamic_info.avail_slots_num"},
    {"peers optional", setNested("dynamic_info", "peers", QJsonValue(QJsonValue::Undefined)),
     ClusterMode::SingleNode, InstanceRole::Unified, nullptr},
    {"peers wrong type", setNested("dynamic_info", "peers", "0,1"), ClusterMode::SingleNode,
     InstanceRole::Unified, "dynamic_info.peers"},
    {"fractional slots", setNested("static_info", "total_slots_num", 1.5), ClusterMode::SingleNode,
     InstanceRole::Unified, "must be an integer"},
    {"static_info not object", setTop("static_info", 3), ClusterMode::SingleNode, InstanceRole::Unified,
     "'static_info' must be an object"},
};

class RefreshParserRuleTest : public ::testing::TestWithParam<RuleCase>
{
};

} // namespace

TEST_P(RefreshParserRuleTest, AcceptsOrSkipsWithReason)
{
    const RuleCase& rule = GetParam();
    QJsonObject entry = instanceJson(7, rule.role);
    rule.mutate(entry);
    const RefreshParseResult result = parseRefreshBody(refreshBody(QJsonArray{entry}), rule.mode);
    ASSERT_TRUE(result.ok()) << result.error.toStdString();
    EXPECT_EQ(result.request.ids, QList<quint64>{7});
    if (rule.reasonPart == nullptr) {
        ASSERT_EQ(result.request.instances.size(), 1);
        EXPECT_TRUE(result.request.skipped.isEmpty());
        return;
    }
    EXPECT_TRUE(result.request.instances.isEmpty());
    ASSERT_EQ(result.request.skipped.size(), 1);
    const SkippedInstance& skipped = result.request.skipped.first();
    EXPECT_EQ(skipped.id, std::optional<quint64>(7));
    EXPECT_TRUE(skipped.reason.startsWith("instance 7: ")) << skipped.reason.toStdString();
    EXPECT_TRUE(skipped.reason.contains(QLatin1String(rule.reasonPart))) << skipped.reason.toStdString();
}

INSTANTIATE_TEST_SUITE_P(Rules, RefreshParserRuleTest, ::testing::ValuesIn(kRuleCases),
                         [](const ::testing::TestParamInfo<RuleCase>& param) {
                             std::string name = param.param.name;
                             for (char& c : name) {
                                 if (!std::isalnum(static_cast<unsigned char>(c)))
                                     c = '_';
                             }
                             return name;
                         });

TEST(RefreshParserTest, ReadsEveryField)
{
    QJsonObject entry = instanceJson(2, InstanceRole::Decode);
    setNested("dynamic_info", "peers", QJsonArray{0, 1})(entry);
    const RefreshParseResult result =
        parseRefreshBody(refreshBody(QJsonArray{entry}), ClusterMode::PdSeparate);
    ASSERT_TRUE(result.ok());
    ASSERT_EQ(result.request.instances.size(), 1);
    const InstanceInfo& info = result.request.instances.first();
    EXPECT_EQ(info.id, 2u);
    EXPECT_EQ(info.ip, "10.0.0.3");
    EXPECT_EQ(info.port, 1025);
    EXPECT_EQ(info.metricPort, 1027);
    EXPECT_EQ(info.interCommPort, 1030);
    EXPECT_EQ(info.modelName, "llama_65b");
    EXPECT_EQ(info.role(), InstanceRole::Decode);
    EXPECT_EQ(info.staticInfo.label, InstanceLabel::DecodeStatic);
    EXPECT_EQ(info.staticInfo.totalSlotsNum, 200);
    EXPECT_EQ(info.staticInfo.blockSize, 128);
    EXPECT_EQ(info.dynamicInfo.availBlockNum, 1024);
    EXPECT_EQ(info.dynamicInfo.peers, (QList<quint64>{0, 1}));
    EXPECT_EQ(info.address(), "10.0.0.3:1025");
}

TEST(RefreshParserTest, WholeCallErrors)
{
    const QJsonArray oneEntry{instanceJson(1)};
    QJsonArray tooMany;
    for (int i = 0; i < 4097; ++i)
        tooMany.append(i);
    const QByteArray bodies[] = {
        "not json",
        "[1,2]",
        QJsonDocument(QJsonObject{{"instances", oneEntry}}).toJson(),
        QJsonDocument(QJsonObject{{"ids", QJsonArray{1}}}).toJson(),
        QJsonDocument(QJsonObject{{"ids", "1"}, {"instances", oneEntry}}).toJson(),
        refreshBody(QJsonArray{-1}, oneEntry),
        refreshBody(tooMany, oneEntry),
    };
    for (const QByteArray& body : bodies) {
        const RefreshParseResult result = parseRefreshBody(body, ClusterMode::SingleNode);
        EXPECT_FALSE(result.ok()) << body.left(80).toStdString();
    }
    QJsonArray exactlyMax;
    for (int i = 0; i < 4096; ++i)
        exactlyMax.append(i);
    EXPECT_TRUE(parseRefreshBody(refreshBody(exactlyMax, oneEntry), ClusterMode::SingleNode).ok());
}

TEST(RefreshParserTest, EntriesNotListedDuplicatedOrNotObjectsAreSkipped)
{
    const QJsonArray entries{instanceJson(1), instanceJson(1), instanceJson(9), 5};
    const RefreshParseResult result =
        parseRefreshBody(refreshBody(QJsonArray{1, 2}, entries), ClusterMode::SingleNode);
    ASSERT_TRUE(result.ok());
    ASSERT_EQ(result.request.instances.size(), 1);
    EXPECT_EQ(result.request.instances.first().id, 1u);
    ASSERT_EQ(result.request.skipped.size(), 3);
    EXPECT_TRUE(result.request.skipped[0].reason.contains("twice"));
    EXPECT_TRUE(result.request.skipped[1].reason.contains("not listed"));
    EXPECT_FALSE(result.request.skipped[2].id.has_value());
    EXPECT_TRUE(result.request.skipped[2].reason.startsWith("instance entry #3"));
    EXPECT_EQ(result.request.ids, (QList<quint64>{1, 2}));
}

TEST(RefreshParserTest, LargeUnsignedIdsSurvive)
{
    // 2^63 + 2048 is past qint64 but exactly representable as a double.
    const quint64 bigId = (quint64(1) << 63) + 2048;
    QJsonObject entry = instanceJson(1);
    entry.insert("id", double(bigId));
    const RefreshParseResult result =
        parseRefreshBody(refreshBody(QJsonArray{double(bigId)}, QJsonArray{entry}), ClusterMode::SingleNode);
    ASSERT_TRUE(result.ok());
    ASSERT_EQ(result.request.instances.size(), 1);
    EXPECT_EQ(result.request.instances.first().id, bigId);
}

TEST(RefreshParserTest, OldMindIeSampleSkipsEveryInstanceButSucceeds)
{
    QFile sample(QStringLiteral(COORD_SHARED_DIR "/vectors/mindie/ms_refresh.bin"));
    ASSERT_TRUE(sample.open(QIODevice::ReadOnly));
    const RefreshParseResult result = parseRefreshBody(sample.readAll(), ClusterMode::PdSeparate);
    ASSERT_TRUE(result.ok()) << result.error.toStdString();
    EXPECT_EQ(result.request.ids.size(), 4);
    EXPECT_TRUE(result.request.instances.isEmpty());
    ASSERT_EQ(result.request.skipped.size(), 4);
    for (const SkippedInstance& skipped : result.request.skipped) {
        ASSERT_TRUE(skipped.id.has_value());
        EXPECT_TRUE(skipped.reason.contains(QString::number(*skipped.id)));
        EXPECT_TRUE(skipped.reason.contains("metric_port")) << skipped.reason.toStdString();
    }
}
