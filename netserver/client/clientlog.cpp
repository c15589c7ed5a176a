#include "clientlog.h"

Q_LOGGING_CATEGORY(lcClient, "coord.client", QtInfoMsg)
