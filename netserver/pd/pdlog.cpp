#include "pdlog.h"

Q_LOGGING_CATEGORY(lcPd, "coord.pd", QtInfoMsg)
