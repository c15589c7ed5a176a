#include "flexconversion.h"

#include <algorithm>

namespace coord {
namespace {

bool isSameGroupPrefill(const InstanceInfo& other, const InstanceInfo& flex)
{
    return other.id != flex.id && other.role() == InstanceRole::Prefill &&
           other.staticInfo.groupId == flex.staticInfo.groupId;
}

void replacePeer(QList<quint64>& peers, quint64 from, quint64 to)
{
    std::replace(peers.begin(), peers.end(), from, to);
}

void appendPeerOnce(QList<quint64>& peers, quint64 id)
{
    if (!peers.contains(id))
        peers.append(id);
}

// The share of a resource the P half keeps; the D half gets the rest so nothing is lost.
qint64 prefillShare(qint64 amount, qint64 percentage)
{
    return amount * percentage / 100;
}

void becomePrefill(InstanceInfo& flex, QList<InstanceInfo>& instances)
{
    flex.staticInfo.role = InstanceRole::Prefill;
    flex.staticInfo.label = InstanceLabel::PrefillStatic;
    for (InstanceInfo& other : instances) {
        if (isSameGroupPrefill(other, flex)) {
            other.dynamicInfo.peers.removeAll(flex.id);
            flex.dynamicInfo.peers.removeAll(other.id);
        }
    }
}

void becomeDecode(InstanceInfo& flex, QList<InstanceInfo>& instances, QList<quint64>& ids)
{
    const quint64 originalId = flex.id;
    flex.id = InstanceInfo::kFlexDecodeId;
    flex.staticInfo.role = InstanceRole::Decode;
    flex.staticInfo.label = InstanceLabel::DecodeStatic;
    replacePeer(ids, originalId, flex.id);
    for (InstanceInfo& other : instances) {
        if (isSameGroupPrefill(other, flex))
            replacePeer(other.dynamicInfo.peers, originalId, flex.id);
    }
}

void splitIntoPair(InstanceInfo& flex, QList<InstanceInfo>& instances, QList<quint64>& ids)
{
    const qint64 percentage = flex.staticInfo.pPercentage;
    InstanceInfo decode = flex;
    decode.id = InstanceInfo::kFlexDecodeId;
    decode.staticInfo.role = InstanceRole::Decode;
    decode.staticInfo.label = InstanceLabel::DecodeStatic;
    flex.staticInfo.role = InstanceRole::Prefill;
    flex.staticInfo.label = InstanceLabel::PrefillStatic;

    const auto split = [percentage](qint64& prefillPart, qint64& decodePart) {
        const qint64 whole = prefillPart;
        prefillPart = prefillShare(whole, percentage);
        decodePart = whole - prefillPart;
    };
    split(flex.staticInfo.totalSlotsNum, decode.staticInfo.totalSlotsNum);
    split(flex.staticInfo.totalBlockNum, decode.staticInfo.totalBlockNum);
    split(flex.dynamicInfo.availSlotsNum, decode.dynamicInfo.availSlotsNum);
    split(flex.dynamicInfo.availBlockNum, decode.dynamicInfo.availBlockNum);

    for (InstanceInfo& other : instances) {
        if (isSameGroupPrefill(other, flex)) {
            replacePeer(other.dynamicInfo.peers, flex.id, decode.id);
            flex.dynamicInfo.peers.removeAll(other.id);
        }
    }
    // Cross-link the halves: the D half pulls KV from the P half.
    appendPeerOnce(flex.dynamicInfo.peers, decode.id);
    appendPeerOnce(decode.dynamicInfo.peers, flex.id);
    if (!ids.contains(decode.id))
        ids.append(decode.id);
    instances.append(decode);
}

} // namespace

QString convertFirstFlexInstance(QList<InstanceInfo>& instances, QList<quint64>& ids)
{
    const auto flexIt = std::find_if(instances.begin(), instances.end(),
                                     [](const InstanceInfo& i) { return i.role() == InstanceRole::Flex; });
    if (flexIt == instances.end())
        return QString();
    const qint64 percentage = flexIt->staticInfo.pPercentage;
    if (percentage < 0 || percentage > 100)
        return QStringLiteral("flex instance %1: 'static_info.p_percentage' must be in [0, 100], got %2")
            .arg(flexIt->id)
            .arg(percentage);

    // Work on a copy: the helpers walk `instances`, and splitting appends to it.
    const qsizetype flexIndex = flexIt - instances.begin();
    InstanceInfo flex = instances.at(flexIndex);
    flex.flexOriginId = flex.id;
    if (percentage == 100) {
        becomePrefill(flex, instances);
        instances[flexIndex] = flex;
    } else if (percentage == 0) {
        becomeDecode(flex, instances, ids);
        instances[flexIndex] = flex;
    } else {
        // Put the converted P in place first so the D half is appended after it.
        splitIntoPair(flex, instances, ids);
        instances[flexIndex] = flex;
    }
    return QString();
}

} // namespace coord
