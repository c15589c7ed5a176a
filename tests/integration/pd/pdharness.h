#pragma once

#include <string>

#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <gtest/gtest.h>

#include "dataplaneharness.h"

namespace pdtest {

using dptest::ConfigEdit;
using dptest::DataPlaneHarness;
using dptest::edit;
using dptest::HttpTestClient;
using dptest::HttpTestResponse;

// The two ways the coordinator pairs a prefill with a decode instance.
enum class Placement
{
    RoundRobin, // default_scheduler + round_robin: decided on the worker thread
    Digs,       // digs_scheduler + load_balance: decided by the control thread's rounds
};
std::string placementName(Placement placement);
// Names the instances of a test suite parameterized over Placement.
std::string placementTestName(const ::testing::TestParamInfo<Placement>& info);

// Ids mindie_sim gives a `--prefill 2 --decode 2` cluster.
constexpr int kPrefill0 = 0;
constexpr int kPrefill1 = 1;
constexpr int kDecode0 = 2;
constexpr int kDecode1 = 3;

// Config edits for a pd_separate coordinator with `placement`, then `extra`.
QList<ConfigEdit> pdConfig(Placement placement, const QList<ConfigEdit>& extra = {});

// Coordinator plus a self-registering `--prefill 2 --decode 2 <simArguments>` sim; true once all
// four instances are known and both decode instances have their /dresult link open.
bool startPdCluster(DataPlaneHarness& harness, const QStringList& simArguments);
bool waitForDecodeLinks(DataPlaneHarness& harness, const QList<int>& decodeIds, int timeoutMs = 15000);

// Counters of the sim instance `id` (GET /sim/state).
int simCounter(DataPlaneHarness& harness, int id, const char* key);

// A P (role 80) or D (role 68) entry of a refresh body, as mindie_sim registers it.
QJsonObject pdInstanceEntry(quint64 id, bool prefill, quint16 port, quint16 metricPort,
                            const QList<quint64>& peers, quint16 interCommPort = 0);

// A streamed request long enough to be watched in flight on a slowed decode instance.
extern const QByteArray kLongStreamRequest;
extern const char* const kCompletions;

} // namespace pdtest
