// mindie_sim: simulated MindIE Server instances. See docs/mindie_sim.md.
#include <cstdio>

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "refreshbuilder.h"
#include "registrar.h"
#include "signalwatcher.h"
#include "simcluster.h"
#include "siminstance.h"
#include "simlogging.h"
#include "simoptions.h"

using namespace mindiesim;

namespace {
// One machine-readable line on stdout once every port is bound; scripts and tests wait for it.
QByteArray readyLine(const SimCluster& cluster)
{
    QJsonArray instances;
    for (const InstanceInfo& info : cluster.infos()) {
        QJsonObject entry;
        entry.insert(QLatin1String("id"), qint64(info.id));
        entry.insert(QLatin1String("role"), QLatin1String(roleName(info.role)));
        entry.insert(QLatin1String("ip"), info.ip);
        entry.insert(QLatin1String("port"), info.port);
        entry.insert(QLatin1String("metric_port"), info.metricPort);
        entry.insert(QLatin1String("inter_comm_port"), info.interCommPort);
        instances.append(entry);
    }
    QJsonObject ready;
    ready.insert(QLatin1String("instances"), instances);
    return "READY " + QJsonDocument(ready).toJson(QJsonDocument::Compact) + "\n";
}
} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("mindie_sim"));
    QCoreApplication::setApplicationVersion(QStringLiteral("1.0.0"));
    const OptionsResult parsed = parseOptions(QCoreApplication::arguments());
    if (!parsed.ok) {
        std::fprintf(stderr, "mindie_sim: %s\nTry 'mindie_sim --help'.\n", qPrintable(parsed.error));
        return 2;
    }
    if (parsed.exitNow)
        return 0;
    const SimOptions& options = parsed.options;
    if (options.quiet)
        QLoggingCategory::setFilterRules(QStringLiteral("mindie.sim.info=false"));
    if (options.printRefresh) {
        const QByteArray json = buildRefreshJson(SimCluster::plan(options), options);
        std::fwrite(json.constData(), 1, size_t(json.size()), stdout);
        std::fputc('\n', stdout);
        return 0;
    }
    SimCluster cluster(options);
    QString error;
    if (!cluster.start(&error)) {
        std::fprintf(stderr, "mindie_sim: %s\n", qPrintable(error));
        return 1;
    }
    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::crashRequested, &cluster, &SimCluster::crashAll);
    QObject::connect(&signalWatcher, &SignalWatcher::quitRequested, &app, &QCoreApplication::quit);
    Registrar* registrar = nullptr;
    if (!options.registerUrl.isEmpty()) {
        registrar = new Registrar(&cluster, QUrl(options.registerUrl), options.registerIntervalSeconds, &app);
        registrar->start();
    }
    const QByteArray ready = readyLine(cluster);
    std::fwrite(ready.constData(), 1, size_t(ready.size()), stdout);
    std::fflush(stdout);
    qCInfo(lcSim) << "timing" << (options.engine.fast ? "fast" : "realistic") << ","
                  << options.instanceCount() << "instances ready";
    return app.exec();
}
