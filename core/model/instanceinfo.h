#pragma once

#include <optional>

#include <QList>
#include <QString>

namespace coord {

// How the cluster is deployed, as far as the instance model cares. Kept apart from the config
// module's own deploy-mode enum so that core/model does not depend on core/config.
enum class ClusterMode
{
    SingleNode,
    PdSeparate,       // pd_separate and its synonym pd_disaggregation
    PdSingleContainer // pd_disaggregation_single_container: D also needs inter_comm_port
};

inline bool isPdMode(ClusterMode mode)
{
    return mode != ClusterMode::SingleNode;
}

// The wire encodes the role as an ASCII code.
enum class InstanceRole : quint8
{
    Unified = 85, // 'U', a mixed instance in single_node
    Prefill = 80, // 'P'
    Decode = 68,  // 'D'
    Flex = 70     // 'F', converted to P and/or D before registration
};

enum class InstanceLabel : quint8
{
    PrefillPrefer = 0,
    DecodePrefer = 1,
    PrefillStatic = 2,
    DecodeStatic = 3,
    FlexStatic = 4
};

std::optional<InstanceRole> instanceRoleFromCode(qint64 code);
std::optional<InstanceLabel> instanceLabelFromCode(qint64 code);
// The word MindIE's operation log uses for a role: "U", "P", "D" or "flex".
QString roleLogName(InstanceRole role);

// Numbers that do not change while an instance lives (the refresh's static_info).
struct InstanceStaticInfo
{
    quint64 groupId = 0;
    InstanceRole role = InstanceRole::Unified;
    InstanceLabel label = InstanceLabel::PrefillPrefer;
    qint64 pPercentage = 0;
    quint64 virtualId = 0;
    qint64 maxSeqLen = 0;
    qint64 maxOutputLen = 0;
    qint64 totalSlotsNum = 0;
    qint64 totalBlockNum = 0;
    qint64 blockSize = 0;
};

// Numbers each refresh updates (the refresh's dynamic_info).
struct InstanceDynamicInfo
{
    qint64 availSlotsNum = 0;
    qint64 availBlockNum = 0;
    // On a D: the P ids it can pull KV from. On a P: sent but unused by scheduling.
    QList<quint64> peers;

    friend bool operator==(const InstanceDynamicInfo&, const InstanceDynamicInfo&) = default;
};

// One MindIE Server instance as the Controller describes it. A plain value type, no thread
// affinity.
struct InstanceInfo
{
    // The id a flex instance's decode half gets (UINT64_MAX - 1), spec §2.5.
    static constexpr quint64 kFlexDecodeId = ~quint64(0) - 1;

    quint64 id = 0;
    QString ip;
    quint16 port = 0;
    quint16 metricPort = 0;
    quint16 interCommPort = 0; // 0 when absent or empty
    QString modelName;
    InstanceStaticInfo staticInfo;
    InstanceDynamicInfo dynamicInfo;
    // Set on both halves of a converted flex instance: the id the Controller knows it by, so
    // tasks/offline/coordinator_info can fold the halves back together.
    std::optional<quint64> flexOriginId;

    InstanceRole role() const { return staticInfo.role; }
    // "ip:port" exactly as MindIE prints it in its logs (no brackets around IPv6).
    QString address() const;
};

} // namespace coord
