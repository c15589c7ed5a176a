// Flex ('F') instances in PD modes: converted to P, D or a split pair by p_percentage (spec §2.5).
#include <gtest/gtest.h>

#include "model/refreshparser.h"
#include "schedulingtestdata.h"

using namespace coord;
using coord::testing::instanceJson;
using coord::testing::refreshBody;

namespace {

constexpr quint64 kFlexId = 5;
constexpr quint64 kOtherPrefillId = 1;

// A same-group P that lists the flex instance as a peer, plus the flex instance itself.
QByteArray clusterWithFlex(int percentage, int flexSlots = 200)
{
    QJsonObject prefill = instanceJson(kOtherPrefillId, InstanceRole::Prefill);
    QJsonObject prefillDynamic = prefill.value("dynamic_info").toObject();
    prefillDynamic.insert("peers", QJsonArray{qint64(kFlexId)});
    prefill.insert("dynamic_info", prefillDynamic);

    QJsonObject flex = instanceJson(kFlexId, InstanceRole::Flex);
    QJsonObject flexStatic = flex.value("static_info").toObject();
    flexStatic.insert("p_percentage", percentage);
    flexStatic.insert("total_slots_num", flexSlots);
    flex.insert("static_info", flexStatic);
    QJsonObject flexDynamic = flex.value("dynamic_info").toObject();
    flexDynamic.insert("peers", QJsonArray{qint64(kOtherPrefillId)});
    flexDynamic.insert("avail_slots_num", flexSlots);
    flex.insert("dynamic_info", flexDynamic);
    return refreshBody(QJsonArray{prefill, flex});
}

const InstanceInfo* findInstance(const RefreshRequest& request, quint64 id)
{
    for (const InstanceInfo& instance : request.instances) {
        if (instance.id == id)
            return &instance;
    }
    return nullptr;
}

} // namespace

TEST(FlexConversionTest, HundredPercentBecomesPrefill)
{
    const RefreshParseResult result = parseRefreshBody(clusterWithFlex(100), ClusterMode::PdSeparate);
    ASSERT_TRUE(result.ok());
    const InstanceInfo* flex = findInstance(result.request, kFlexId);
    ASSERT_NE(flex, nullptr);
    EXPECT_EQ(flex->role(), InstanceRole::Prefill);
    EXPECT_EQ(flex->staticInfo.label, InstanceLabel::PrefillStatic);
    EXPECT_TRUE(flex->dynamicInfo.peers.isEmpty());
    EXPECT_TRUE(findInstance(result.request, kOtherPrefillId)->dynamicInfo.peers.isEmpty());
    EXPECT_EQ(flex->flexOriginId, std::optional<quint64>(kFlexId));
}

TEST(FlexConversionTest, ZeroPercentBecomesDecodeWithReservedId)
{
    const RefreshParseResult result = parseRefreshBody(clusterWithFlex(0), ClusterMode::PdSeparate);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(findInstance(result.request, kFlexId), nullptr);
    const InstanceInfo* decode = findInstance(result.request, InstanceInfo::kFlexDecodeId);
    ASSERT_NE(decode, nullptr);
    EXPECT_EQ(decode->role(), InstanceRole::Decode);
    EXPECT_EQ(InstanceInfo::kFlexDecodeId, 18446744073709551614ULL);
    EXPECT_TRUE(result.request.ids.contains(InstanceInfo::kFlexDecodeId));
    EXPECT_FALSE(result.request.ids.contains(kFlexId));
    EXPECT_EQ(findInstance(result.request, kOtherPrefillId)->dynamicInfo.peers,
              QList<quint64>{InstanceInfo::kFlexDecodeId});
}

TEST(FlexConversionTest, SplitScalesResourcesAndCrossLinks)
{
    const RefreshParseResult result = parseRefreshBody(clusterWithFlex(30, 201), ClusterMode::PdSeparate);
    ASSERT_TRUE(result.ok());
    const InstanceInfo* prefill = findInstance(result.request, kFlexId);
    const InstanceInfo* decode = findInstance(result.request, InstanceInfo::kFlexDecodeId);
    ASSERT_NE(prefill, nullptr);
    ASSERT_NE(decode, nullptr);
    EXPECT_EQ(prefill->role(), InstanceRole::Prefill);
    EXPECT_EQ(decode->role(), InstanceRole::Decode);
    EXPECT_EQ(prefill->staticInfo.totalSlotsNum, 60);
    EXPECT_EQ(decode->staticInfo.totalSlotsNum, 141);
    EXPECT_EQ(prefill->dynamicInfo.availSlotsNum + decode->dynamicInfo.availSlotsNum, 201);
    EXPECT_EQ(prefill->staticInfo.totalBlockNum + decode->staticInfo.totalBlockNum, 1024);
    EXPECT_TRUE(prefill->dynamicInfo.peers.contains(InstanceInfo::kFlexDecodeId));
    EXPECT_TRUE(decode->dynamicInfo.peers.contains(kFlexId));
    EXPECT_EQ(decode->flexOriginId, std::optional<quint64>(kFlexId));
    EXPECT_TRUE(result.request.ids.contains(kFlexId));
    EXPECT_TRUE(result.request.ids.contains(InstanceInfo::kFlexDecodeId));
    EXPECT_EQ(findInstance(result.request, kOtherPrefillId)->dynamicInfo.peers,
              QList<quint64>{InstanceInfo::kFlexDecodeId});
}

TEST(FlexConversionTest, PercentageAboveHundredFailsTheCall)
{
    EXPECT_FALSE(parseRefreshBody(clusterWithFlex(101), ClusterMode::PdSeparate).ok());
}

TEST(FlexConversionTest, FlexInSingleNodeIsSkipped)
{
    const RefreshParseResult result = parseRefreshBody(clusterWithFlex(50), ClusterMode::SingleNode);
    ASSERT_TRUE(result.ok());
    // Neither the P (wrong role for single_node) nor the flex instance survives.
    EXPECT_TRUE(result.request.instances.isEmpty());
    EXPECT_EQ(result.request.skipped.size(), 2);
}
