// ms_coordinator: command line, configuration, logging, then the daemon's event loop.
#include <cstdio>

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QTextStream>

#include "applog.h"
#include "config/commandline.h"
#include "config/configloader.h"
#include "config/configschema.h"
#include "config/defaultconfig.h"
#include "coordversion.h"
#include "daemon.h"
#include "eventloop/dispatcherchoice.h"
#include "log/logapi.h"
#include "log/logger.h"
#include "log/logsettings.h"
#include "util/posixsignalwatcher.h"

namespace {

using namespace coord;

enum ExitCode
{
    kExitOk = 0,
    kExitInvalid = 1,
    kExitUnreadable = 2,
};

// Server-side TLS blocks this build cannot serve yet. Starting in plain text while the
// operator asked for TLS would be a silent downgrade, so such a config is refused.
QStringList unsupportedTlsBlocks(const config::TlsConfig& tls)
{
    QStringList enabled;
    const std::pair<const char*, const config::TlsItems*> blocks[] = {
        {"request_server", &tls.requestServer},
        {"controller_server", &tls.controllerServer},
        {"external", &tls.external},
        {"status", &tls.status},
        {"mindie_client", &tls.mindieClient},
        {"mindie_mangment", &tls.mindieManagement},
        {"alarm_client", &tls.alarmClient},
        {"etcd_server", &tls.etcdServer},
    };
    for (const auto& [name, items] : blocks) {
        if (items->enabled)
            enabled.append(QStringLiteral("tls_config.%1_tls_enable").arg(QString::fromLatin1(name)));
    }
    return enabled;
}

int runDaemon(const config::CommandLine& commandLine, QCoreApplication& application)
{
    QTextStream err(stderr);
    config::LoadOptions options;
    options.explicitPath = commandLine.configPath;
    options.positionalArgs = commandLine.positional;
    const config::LoadResult loaded = config::loadCoordinatorConfig(options);
    if (loaded.status != config::LoadStatus::Ok) {
        err << "[Coordinator] Configure initialize failed: " << loaded.sourcePath << "\n";
        for (const config::ConfigProblem& problem : loaded.errors)
            err << problem.toString() << "\n";
        return loaded.status == config::LoadStatus::Unreadable ? kExitUnreadable : kExitInvalid;
    }
    const config::CoordinatorConfig& config = loaded.config;
    if (const QStringList tlsKeys = unsupportedTlsBlocks(config.tls); !tlsKeys.isEmpty()) {
        for (const QString& key : tlsKeys)
            err << key << ": TLS links are not supported by this build yet (allowed: false)\n";
        return kExitInvalid;
    }

    QStringList logWarnings;
    const log::LogSettings logSettings =
        log::resolveLogSettings(config.logInfo, QProcessEnvironment::systemEnvironment(), &logWarnings);
    QString logError;
    if (!log::Logger::instance().start(logSettings, &logError)) {
        err << "[Coordinator] Log initialize failed: " << logError << "\n";
        return kExitInvalid;
    }
    log::Logger::instance().installQtMessageHandler();
    for (const QString& warning : loaded.warnings + logWarnings)
        qCWarning(lcApp).noquote() << warning;
    qCInfo(lcApp).noquote() << "ms_coordinator" << kVersion << "using" << loaded.sourcePath << "on the"
                            << eventloop::eventDispatcherName() << "event dispatcher";
    if (config.exception.effectiveScheduleTimeout != config.exception.scheduleTimeout) {
        log::operation(QStringLiteral("[Configure] Set schedule timeout to %1")
                           .arg(config.exception.effectiveScheduleTimeout));
    }

    app::Daemon daemon(config, loaded.sourcePath);
    QString startError;
    if (!daemon.start(&startError)) {
        qCCritical(lcApp).noquote() << "[Coordinator] Start failed:" << startError;
        err << "[Coordinator] Start failed: " << startError << "\n";
        return kExitInvalid;
    }
    log::operation(QStringLiteral("[Start] MindIE-MS coordinator start successful."));

    PosixSignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &PosixSignalWatcher::stopRequested, &application, [&](int signalNumber) {
        qCInfo(lcApp) << "signal" << signalNumber << "received, stopping";
        daemon.stop();
        application.quit();
    });
    const int code = application.exec();
    log::operation(QStringLiteral("[Stop] MindIE-MS coordinator stopped."));
    log::Logger::instance().uninstallQtMessageHandler();
    log::Logger::instance().stop();
    return code;
}

} // namespace

int main(int argc, char** argv)
{
    // Before the application object, which would otherwise create Qt's own dispatcher.
    if (QAbstractEventDispatcher* dispatcher = coord::eventloop::createEventDispatcher())
        QCoreApplication::setEventDispatcher(dispatcher);
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ms_coordinator"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(coord::kVersion));

    const coord::config::CommandLine commandLine = coord::config::parseCommandLine(application.arguments());
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (!commandLine.errors.isEmpty()) {
        for (const QString& error : commandLine.errors)
            err << "ms_coordinator: " << error << "\n";
        err << "\n" << coord::config::helpText();
        return kExitInvalid;
    }
    using Action = coord::config::CommandLine::Action;
    switch (commandLine.action) {
    case Action::Version:
        out << "ms_coordinator " << coord::kVersion << "\n";
        return kExitOk;
    case Action::Help:
        out << coord::config::helpText();
        return kExitOk;
    case Action::PrintDefaultConfig:
        out << coord::config::defaultConfigJson();
        return kExitOk;
    case Action::PrintConfigReference:
        out << coord::config::renderSchemaMarkdown();
        return kExitOk;
    case Action::CheckConfig:
        return coord::config::runCheckConfig(commandLine, out, err, QProcessEnvironment::systemEnvironment());
    case Action::Run:
        break;
    }
    return runDaemon(commandLine, application);
}
