#include "qtmessagerouting.h"

#include <QStringList>

namespace coord::log {

Level levelForQtMessage(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return Level::Debug;
    case QtInfoMsg:
        return Level::Info;
    case QtWarningMsg:
        return Level::Warn;
    case QtCriticalMsg:
        return Level::Error;
    case QtFatalMsg:
        return Level::Critical;
    }
    return Level::Error;
}

QString qtFilterRules(bool enabled, Level threshold)
{
    if (!enabled) {
        return QStringLiteral("*=false");
    }
    const auto onOff = [threshold](Level level) {
        return static_cast<int>(level) <= static_cast<int>(threshold) ? QStringLiteral("true")
                                                                      : QStringLiteral("false");
    };
    QStringList rules{QStringLiteral("qt.*.debug=false"), QStringLiteral("qt.*.info=false")};
    for (const QString& scope : {QStringLiteral("coord.*"), QStringLiteral("default")}) {
        rules << QStringLiteral("%1.debug=%2").arg(scope, onOff(Level::Debug))
              << QStringLiteral("%1.info=%2").arg(scope, onOff(Level::Info))
              << QStringLiteral("%1.warning=%2").arg(scope, onOff(Level::Warn))
              << QStringLiteral("%1.critical=%2").arg(scope, onOff(Level::Error));
    }
    return rules.join(u'\n');
}

QString withCategory(const char* category, const QString& message)
{
    if (!category || !*category || qstrcmp(category, "default") == 0) {
        return message;
    }
    const QString tag = u'[' + QLatin1StringView(category) + u']';
    if (message.startsWith(QLatin1StringView("[MIE"))) {
        const qsizetype close = message.indexOf(u']');
        if (close > 0) {
            return message.left(close + 1) + u' ' + tag + message.mid(close + 1);
        }
    }
    return tag + u' ' + message;
}

} // namespace coord::log
