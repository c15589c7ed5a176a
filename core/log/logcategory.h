#pragma once

#include <QLoggingCategory>

// The log module's logging category ("coord.log"), routed into the run log.
Q_DECLARE_LOGGING_CATEGORY(lcLog)
