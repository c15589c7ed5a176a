#include "schedulinglog.h"

Q_LOGGING_CATEGORY(lcScheduling, "coord.scheduling", QtInfoMsg)
