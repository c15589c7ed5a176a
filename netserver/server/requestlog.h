#pragma once

#include <QLoggingCategory>

// The request pipeline's logging category ("coord.request"), routed into the run log.
Q_DECLARE_LOGGING_CATEGORY(lcRequest)
