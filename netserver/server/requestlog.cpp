#include "requestlog.h"

Q_LOGGING_CATEGORY(lcRequest, "coord.request", QtInfoMsg)
