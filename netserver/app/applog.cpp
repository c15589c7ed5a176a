#include "applog.h"

Q_LOGGING_CATEGORY(lcApp, "coord.app", QtInfoMsg)
