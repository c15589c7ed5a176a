#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include "engine.h"
#include "faultsettings.h"

namespace mindiesim {

// Everything the command line sets. Defaults are the documented ones (docs/mindie_sim.md).
struct SimOptions
{
    QString host = QStringLiteral("127.0.0.1");
    int basePort = 17000; // 0 = every port ephemeral
    int singleCount = 0;
    int prefillCount = 0;
    int decodeCount = 0;
    int groups = 1;
    bool singleContainer = false; // also bind and advertise inter_comm_port
    QString modelName = QStringLiteral("llama_65b");
    quint64 seed = 0;
    int defaultOutputTokens = 16;
    int maxOutputTokens = 512;
    int maxSeqLen = 2048;
    EngineParams engine;
    double kaIntervalSeconds = 5.0;
    QHash<int, QString> metricsFiles; // instance id -> file served verbatim on /metrics
    bool metricsRadix = false;
    QString registerUrl;
    double registerIntervalSeconds = 1.0;
    bool printRefresh = false;
    int faultTarget = -1; // instance id the fault flags apply to; -1 = all
    FaultSettings faults;
    bool quiet = false;

    int instanceCount() const { return singleCount + prefillCount + decodeCount; }
};

struct OptionsResult
{
    bool ok = false;
    bool exitNow = false; // --help / --version printed
    QString error;
    SimOptions options;
};

OptionsResult parseOptions(const QStringList& arguments);

} // namespace mindiesim
