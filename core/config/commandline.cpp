#include "commandline.h"

#include "configloader.h"
#include "configschema.h"
#include "configvalues.h"

namespace coord::config {

namespace {

using Action = CommandLine::Action;

QString optionName(Action action)
{
    switch (action) {
    case Action::Run:
        return {};
    case Action::CheckConfig:
        return QStringLiteral("--check-config");
    case Action::PrintDefaultConfig:
        return QStringLiteral("--print-default-config");
    case Action::PrintConfigReference:
        return QStringLiteral("--print-config-reference");
    case Action::Version:
        return QStringLiteral("--version");
    case Action::Help:
        return QStringLiteral("--help");
    }
    return {};
}

void selectAction(CommandLine& commandLine, Action action)
{
    if (commandLine.action != Action::Run && commandLine.action != action) {
        commandLine.errors.append(QStringLiteral("%1 and %2 cannot be combined")
                                      .arg(optionName(commandLine.action), optionName(action)));
        return;
    }
    commandLine.action = action;
}

void setConfigPath(CommandLine& commandLine, const QString& path)
{
    if (path.isEmpty()) {
        commandLine.errors.append(QStringLiteral("the config path must not be empty"));
    } else if (!commandLine.configPath.isEmpty() && commandLine.configPath != path) {
        commandLine.errors.append(QStringLiteral("two different config paths given: \"%1\" and \"%2\"")
                                      .arg(commandLine.configPath, path));
    } else {
        commandLine.configPath = path;
    }
}

QString countOf(qsizetype count, const char* noun)
{
    return QStringLiteral("%1 %2%3").arg(count).arg(QLatin1String(noun)).arg(count == 1 ? "" : "s");
}

} // namespace

CommandLine parseCommandLine(const QStringList& arguments)
{
    CommandLine commandLine;
    bool optionsEnded = false;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString& argument = arguments[i];
        if (optionsEnded || !argument.startsWith(QLatin1Char('-'))) {
            commandLine.positional.append(argument);
        } else if (argument == QLatin1String("--")) {
            optionsEnded = true;
        } else if (argument == QLatin1String("--config")) {
            if (i + 1 < arguments.size())
                setConfigPath(commandLine, arguments[++i]);
            else
                commandLine.errors.append(QStringLiteral("--config needs a path"));
        } else if (argument.startsWith(QLatin1String("--config="))) {
            setConfigPath(commandLine, argument.mid(9));
        } else if (argument == QLatin1String("--check-config")) {
            selectAction(commandLine, Action::CheckConfig);
            const bool nextIsPath = i + 1 < arguments.size() &&
                                    !arguments[i + 1].startsWith(QLatin1Char('-')) &&
                                    !isValidIpAddress(arguments[i + 1]);
            if (nextIsPath)
                setConfigPath(commandLine, arguments[++i]);
        } else if (argument.startsWith(QLatin1String("--check-config="))) {
            selectAction(commandLine, Action::CheckConfig);
            setConfigPath(commandLine, argument.mid(15));
        } else if (argument == QLatin1String("--print-default-config")) {
            selectAction(commandLine, Action::PrintDefaultConfig);
        } else if (argument == QLatin1String("--print-config-reference")) {
            selectAction(commandLine, Action::PrintConfigReference);
        } else if (argument == QLatin1String("--version") || argument == QLatin1String("-v")) {
            selectAction(commandLine, Action::Version);
        } else if (argument == QLatin1String("--help") || argument == QLatin1String("-h")) {
            selectAction(commandLine, Action::Help);
        } else {
            commandLine.errors.append(QStringLiteral("unknown option \"%1\"").arg(argument));
        }
    }
    const bool usesConfig = commandLine.action == Action::Run || commandLine.action == Action::CheckConfig;
    if (!usesConfig && (!commandLine.positional.isEmpty() || !commandLine.configPath.isEmpty()))
        commandLine.errors.append(QStringLiteral("%1 takes no config path or positional arguments")
                                      .arg(optionName(commandLine.action)));
    return commandLine;
}

QString helpText()
{
    QString text;
    QTextStream out(&text);
    out << "Usage:\n"
        << "  ms_coordinator [options] [<predict_ip> [<manage_ip>]]\n"
        << "  ms_coordinator [options] <predict_ip> <predict_port> <manage_ip> <manage_port>\n\n"
        << "LLM inference request coordinator, compatible with the MindIE-MS Coordinator.\n"
        << "Positional arguments override http_config.predict_ip, manage_ip and the two ports.\n\n"
        << "Options:\n"
        << "  --config PATH             read PATH instead of the default config location\n"
        << "  --check-config [PATH]     validate the config, print every problem, and exit\n"
        << "                            (0 valid, 1 invalid, 2 unreadable or refused)\n"
        << "  --print-default-config    print the documented default ms_coordinator.json\n"
        << "  --print-config-reference  print the reference of every config key (Markdown)\n"
        << "  -v, --version             print the version\n"
        << "  -h, --help                print this help\n\n"
        << "Config location: --config, else $MINDIE_MS_COORDINATOR_CONFIG_FILE_PATH, else\n"
        << "../conf/ms_coordinator.json relative to the working directory.\n\n"
        << "Environment:\n"
        << "  MINDIE_MS_COORDINATOR_CONFIG_FILE_PATH  config file path\n"
        << "  MINDIE_CHECK_INPUTFILES_PERMISSION=0    relax the permission and owner checks of the\n"
        << "                                          config file (if named) and the TLS files\n";
    for (const ConfigKey& key : configSchema()) {
        if (!key.envVar.isEmpty() && key.path.startsWith(QLatin1String("request_limit.")))
            out << "  " << key.envVar << "  overrides " << key.path << " (" << key.allowedText() << ")\n";
    }
    out << "  MINDIE_LOG_LEVEL, MINDIE_LOG_TO_FILE, MINDIE_LOG_TO_STDOUT, MINDIE_LOG_PATH,\n"
        << "  MINDIE_LOG_ROTATE                       override log_info (see the config reference)\n";
    out.flush();
    return text;
}

int runCheckConfig(const CommandLine& commandLine, QTextStream& out, QTextStream& err,
                   const QProcessEnvironment& env, const QString& workingDir)
{
    if (!commandLine.errors.isEmpty()) {
        for (const QString& error : commandLine.errors)
            err << "command line: " << error << '\n';
        err.flush();
        return 1;
    }

    LoadOptions options;
    options.explicitPath = commandLine.configPath;
    options.positionalArgs = commandLine.positional;
    options.env = env;
    options.workingDir = workingDir;
    const LoadResult result = loadCoordinatorConfig(options);

    for (const ConfigProblem& problem : result.errors)
        err << problem.toString() << '\n';
    for (const QString& warning : result.warnings)
        err << "warning: " << warning << '\n';
    err.flush();

    if (result.status == LoadStatus::Ok) {
        out << result.sourcePath << ": OK";
        if (!result.warnings.isEmpty())
            out << ", " << countOf(result.warnings.size(), "warning");
    } else {
        out << result.sourcePath << ": " << countOf(result.errors.size(), "error") << ", "
            << countOf(result.warnings.size(), "warning");
    }
    out << '\n';
    out.flush();

    switch (result.status) {
    case LoadStatus::Ok:
        return 0;
    case LoadStatus::Invalid:
        return 1;
    case LoadStatus::Unreadable:
        return 2;
    }
    return 1;
}

} // namespace coord::config
