#pragma once

#include <QLoggingCategory>

// The HTTP front-end module's logging category ("coord.http"), routed into the run log.
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
