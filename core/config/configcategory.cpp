#include "configcategory.h"

Q_LOGGING_CATEGORY(lcConfig, "coord.config", QtInfoMsg)
