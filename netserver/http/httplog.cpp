#include "httplog.h"

Q_LOGGING_CATEGORY(lcHttp, "coord.http", QtInfoMsg)
