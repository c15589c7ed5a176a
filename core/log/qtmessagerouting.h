#pragma once

#include <QString>
#include <QtGlobal>

#include "loglevel.h"

// Pure pieces of the bridge between Qt's logging (qCDebug/qCInfo/qCWarning/qCCritical/qFatal)
// and the run log. The handler itself lives in Logger.
namespace coord::log {

// QtDebugMsg->DEBUG, QtInfoMsg->INFO, QtWarningMsg->WARN, QtCriticalMsg->ERROR, QtFatalMsg->CRITICAL.
// Qt has no level between critical and fatal, so qCCritical is our ERROR and only qFatal (which
// aborts) is CRITICAL; non-fatal CRITICAL lines are written with Logger::writeRun directly.
Level levelForQtMessage(QtMsgType type);

// QLoggingCategory filter rules for a threshold, so that a disabled qCDebug costs one flag test
// and never builds its message. Our "coord.*" categories and Qt's "default" category follow the
// threshold; Qt's own "qt.*" categories stay at warning and above. When logging is disabled
// altogether every category is switched off (qFatal cannot be filtered and still gets through).
QString qtFilterRules(bool enabled, Level threshold);

// Adds the category name to a message in the place MindIE's line shape reserves for the
// sub-module ("[error code] [*] message"): after a leading "[MIE...]" error code if there is one,
// otherwise at the front. The full category name is used because it is what QT_LOGGING_RULES
// takes, so a reader can turn that category up or down by copying it from the line.
QString withCategory(const char* category, const QString& message);

} // namespace coord::log
