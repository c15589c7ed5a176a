#pragma once

#include <QLoggingCategory>

// The backend client module's logging category ("coord.client"), routed into the run log.
Q_DECLARE_LOGGING_CATEGORY(lcClient)
