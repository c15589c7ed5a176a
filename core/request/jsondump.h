#pragma once

// Compact JSON text of values parsed by simdjson's DOM API, written the way Qt's
// QJsonDocument::toJson(QJsonDocument::Compact) writes the same value, so that sizes measured
// here equal the sizes the Qt implementation measured:
//   - no whitespace; strings escape `"`, `\`, \b \f \n \r \t and the other control characters
//     as \u00xx (lowercase hex); `/` and all non-ASCII characters are written as raw UTF-8;
//   - numbers as Qt stores them after parsing: an integral value in the qint64 range prints as
//     an integer (1.0, 1e3 and -0 give 1, 1000 and 0), any other value in the shortest form
//     that reads back exactly, in decimal unless the exponent form is shorter (0.001, 1e-05,
//     12345678901234567000, 1e+19);
//   - duplicate keys of an object are dropped except the last one, as Qt's parser does.
// Unlike Qt, the keys of an object keep the input's order (Qt sorts them); sizes do not depend
// on the order.
//
// Only for coord_core's own sources: simdjson is a private dependency of coord_core.

#include <simdjson.h>
#include <string>
#include <string_view>

#include <QtGlobal>

namespace coord::json {

// Appends the compact text of `value` to `out`.
void appendCompact(std::string& out, simdjson::dom::element value);

// The size of the compact text of `value`, without writing it.
qint64 compactSize(simdjson::dom::element value);

// The number of UTF-16 code units of valid UTF-8 text (QString::size() of the same text):
// code points above U+FFFF count 2.
qint64 utf16Length(std::string_view utf8);

// The number of elements of `array` (simdjson's size() saturates at 0xFFFFFF).
qint64 elementCount(simdjson::dom::array array);

} // namespace coord::json
