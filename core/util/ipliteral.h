#pragma once

#include <QStringView>

namespace coord {

// Checks on textual IP addresses without pulling in Qt Network (coord_core is Qt Core only).
// Both accept IPv4 dotted quads and IPv6 literals without brackets or zone ids.
bool isValidIpLiteral(QStringView text);
// True for 0.0.0.0 and :: (any spelling of the all-zero IPv6 address).
bool isUnspecifiedIpLiteral(QStringView text);

} // namespace coord
