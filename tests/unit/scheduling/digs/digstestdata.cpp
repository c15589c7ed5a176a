#include "digstestdata.h"

namespace coord::testing {

namespace {

InstanceInfo digsInstance(quint64 id, InstanceRole role, InstanceLabel label, quint64 groupId)
{
    InstanceInfo info;
    info.id = id;
    info.ip = QStringLiteral("10.0.0.%1").arg(id % 250 + 1);
    info.port = quint16(1025 + id % 1000);
    info.metricPort = 1027;
    info.staticInfo.groupId = groupId;
    info.staticInfo.role = role;
    info.staticInfo.label = label;
    info.staticInfo.maxSeqLen = 4096;
    info.staticInfo.maxOutputLen = 512;
    info.staticInfo.totalSlotsNum = 100;
    info.staticInfo.totalBlockNum = 1000;
    info.staticInfo.blockSize = 128;
    info.dynamicInfo.availSlotsNum = 100;
    info.dynamicInfo.availBlockNum = 1000;
    return info;
}

} // namespace

InstanceInfo digsPrefill(quint64 id, quint64 groupId)
{
    return digsInstance(id, InstanceRole::Prefill, InstanceLabel::PrefillStatic, groupId);
}

InstanceInfo digsDecode(quint64 id, std::initializer_list<quint64> peers, quint64 groupId)
{
    InstanceInfo info = digsInstance(id, InstanceRole::Decode, InstanceLabel::DecodeStatic, groupId);
    info.dynamicInfo.peers = QList<quint64>(peers);
    return info;
}

scheduling::digs::DigsSettings digsTestSettings()
{
    scheduling::digs::DigsSettings settings;
    settings.resLimitRate = 1.0;
    settings.perInstanceCap = 1000;
    settings.blockSize = 128;
    return settings;
}

scheduling::digs::PendingRequest textRequest(quint64 key, qint64 bytes, qint64 arrivalMs)
{
    scheduling::digs::PendingRequest request;
    request.requestKey = key;
    request.inputLength = bytes;
    request.arrivalMs = arrivalMs;
    return request;
}

scheduling::digs::PendingRequest tokenRequest(quint64 key, qint64 tokens, qint64 arrivalMs)
{
    scheduling::digs::PendingRequest request = textRequest(key, tokens, arrivalMs);
    request.inputIsTokenCount = true;
    request.flavour = ApiFlavour::Triton;
    return request;
}

std::vector<quint64> keysOf(const std::vector<scheduling::digs::Assignment>& assignments)
{
    std::vector<quint64> keys;
    for (const auto& assignment : assignments)
        keys.push_back(assignment.requestKey);
    return keys;
}

} // namespace coord::testing
