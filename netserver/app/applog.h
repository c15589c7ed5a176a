#pragma once

#include <QLoggingCategory>

// The daemon application's logging category ("coord.app"), routed into the run log.
Q_DECLARE_LOGGING_CATEGORY(lcApp)
