#pragma once

#include <QLoggingCategory>

// The config module's logging category ("coord.config"), routed into the run log.
Q_DECLARE_LOGGING_CATEGORY(lcConfig)
