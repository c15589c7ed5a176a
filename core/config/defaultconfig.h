#pragma once

#include <QByteArray>

namespace coord::config {

// The documented default ms_coordinator.json (the MindIE guide's sample; PD separate with every
// TLS block on), as printed by `ms_coordinator --print-default-config`.
QByteArray defaultConfigJson();

} // namespace coord::config
