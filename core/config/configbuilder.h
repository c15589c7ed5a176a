#pragma once

#include <QJsonObject>

#include "coordinatorconfig.h"

namespace coord::config {

// Typed config from a document that passed validateConfig() without errors. Optional keys that
// are absent take their schema default; conditional keys that do not apply keep theirs too.
CoordinatorConfig buildCoordinatorConfig(const QJsonObject& validatedRoot);

} // namespace coord::config
