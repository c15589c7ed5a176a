#pragma once

#include <QByteArray>
#include <QJsonValue>

namespace coord {

// The compact JSON text of any value, as `QJsonDocument::Compact` writes it inside an array or
// object. QJsonDocument only holds objects and arrays, so a scalar is written inside a
// one-element array and the brackets are cut off.
QByteArray compactJson(const QJsonValue& value);

} // namespace coord
