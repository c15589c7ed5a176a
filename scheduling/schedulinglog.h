#pragma once

#include <QLoggingCategory>

// The scheduling module's logging category ("coord.scheduling"), routed into the run log.
Q_DECLARE_LOGGING_CATEGORY(lcScheduling)
