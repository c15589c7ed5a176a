#include "pdharness.h"

#include <QJsonArray>

#include "refreshbody.h"

namespace pdtest {

const QByteArray kLongStreamRequest =
    R"({"prompt":"keep decoding for a while","max_tokens":400,"stream":true})";
const char* const kCompletions = "/v1/completions";

std::string placementName(Placement placement)
{
    return placement == Placement::RoundRobin ? "RoundRobin" : "Digs";
}

std::string placementTestName(const ::testing::TestParamInfo<Placement>& info)
{
    return placementName(info.param);
}

QList<ConfigEdit> pdConfig(Placement placement, const QList<ConfigEdit>& extra)
{
    const bool digs = placement == Placement::Digs;
    QList<ConfigEdit> edits{
        edit("digs_scheduler_config", "deploy_mode", QStringLiteral("pd_separate")),
        edit("digs_scheduler_config", "scheduler_type",
             digs ? QStringLiteral("digs_scheduler") : QStringLiteral("default_scheduler")),
        edit("digs_scheduler_config", "algorithm_type",
             digs ? QStringLiteral("load_balance") : QStringLiteral("round_robin")),
    };
    if (digs) {
        // load_balance requires its tuning keys; these are the example config's.
        const char* const keys[][2] = {{"max_schedule_count", "10000"},
                                       {"reordering_type", "1"},
                                       {"max_res_num", "5000"},
                                       {"res_limit_rate", "1.1"},
                                       {"select_type", "2"},
                                       {"load_cost_values", "1, 0"},
                                       {"load_cost_coefficient", "0, 0.22, 1024, 24, 6, 0, 1, 0, 1"}};
        for (const auto& [key, value] : keys)
            edits.append(edit("digs_scheduler_config", key, QString::fromLatin1(value)));
    }
    return edits + extra;
}

bool waitForDecodeLinks(DataPlaneHarness& harness, const QList<int>& decodeIds, int timeoutMs)
{
    return HttpTestClient::waitUntil(
        [&] {
            return std::all_of(decodeIds.begin(), decodeIds.end(),
                               [&](int id) { return simCounter(harness, id, "dresult_links") > 0; });
        },
        timeoutMs);
}

bool startPdCluster(DataPlaneHarness& harness, const QStringList& simArguments)
{
    return harness.startCoordinator() &&
           harness.startSim(QStringList{QStringLiteral("--prefill"), QStringLiteral("2"),
                                        QStringLiteral("--decode"), QStringLiteral("2"),
                                        QStringLiteral("--quiet")} +
                            simArguments) &&
           harness.waitForInstances(4) && waitForDecodeLinks(harness, {kDecode0, kDecode1});
}

int simCounter(DataPlaneHarness& harness, int id, const char* key)
{
    return harness.simState(id).value(QLatin1String(key)).toInt(-1);
}

QJsonObject pdInstanceEntry(quint64 id, bool prefill, quint16 port, quint16 metricPort,
                            const QList<quint64>& peers, quint16 interCommPort)
{
    QJsonObject entry = dptest::singleInstanceEntry(id, port, metricPort);
    QJsonObject staticInfo = entry.value(QLatin1String("static_info")).toObject();
    staticInfo.insert(QStringLiteral("role"), prefill ? 80 : 68);
    staticInfo.insert(QStringLiteral("label"), prefill ? 2 : 3);
    entry.insert(QStringLiteral("static_info"), staticInfo);
    QJsonObject dynamicInfo = entry.value(QLatin1String("dynamic_info")).toObject();
    QJsonArray peerArray;
    for (const quint64 peer : peers)
        peerArray.append(qint64(peer));
    dynamicInfo.insert(QStringLiteral("peers"), peerArray);
    entry.insert(QStringLiteral("dynamic_info"), dynamicInfo);
    entry.insert(QStringLiteral("inter_comm_port"),
                 interCommPort ? QString::number(interCommPort) : QString());
    return entry;
}

} // namespace pdtest
