#include "logcategory.h"

Q_LOGGING_CATEGORY(lcLog, "coord.log", QtInfoMsg)
