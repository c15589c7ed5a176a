#pragma once

#include <QDir>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTextStream>

namespace coord::config {

struct CommandLine
{
    enum class Action
    {
        Run,
        CheckConfig,
        PrintDefaultConfig,
        PrintConfigReference,
        Version,
        Help
    };

    Action action = Action::Run;
    QString configPath;     // --config PATH, or the PATH of --check-config
    QStringList positional; // [predict_ip [manage_ip]] or predict_ip predict_port manage_ip manage_port
    QStringList errors;     // usage problems; the caller prints them with helpText() and exits
};

// `arguments` is the full argv, program name first (QCoreApplication::arguments()).
// Options: --config PATH | --config=PATH, --check-config [PATH] | --check-config=PATH,
// --print-default-config, --print-config-reference, --version | -v, --help | -h, and "--" to end
// options. The word after --check-config is taken as its PATH unless it starts with "-" or is an
// IP address (then it is the first positional argument). The count of positional arguments is
// checked when the config is loaded, so --check-config reports it with the other problems.
CommandLine parseCommandLine(const QStringList& arguments);

QString helpText();

// `ms_coordinator --check-config`: loads the config as the daemon would (file checks, TLS file
// checks, environment and positional overrides) and reports. Problem lines go to `err`, one per
// line as "<json.key.path>: <what is wrong> (allowed: <range>)", warnings as "warning: <line>";
// the summary "<config path>: OK" or "<config path>: 7 errors, 1 warning" goes to `out`.
// Returns 0 when valid, 1 when invalid (or when `commandLine` has usage errors), 2 when the file
// cannot be read or is refused by the file checks.
int runCheckConfig(const CommandLine& commandLine, QTextStream& out, QTextStream& err,
                   const QProcessEnvironment& env, const QString& workingDir = QDir::currentPath());

} // namespace coord::config
