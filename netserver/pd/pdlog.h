#pragma once

#include <QLoggingCategory>

// The prefill/decode flow's logging category ("coord.pd"), routed into the run log.
Q_DECLARE_LOGGING_CATEGORY(lcPd)
