#pragma once

#include <QByteArray>

#include "request/inferencerequest.h"

namespace coord::test {

// The former QJsonDocument implementation of parseInferenceRequest, kept as the reference the
// simdjson implementation is compared with: same rules, and message dumps as Qt writes them
// (keys sorted).
ParseResult qtReferenceParse(const QByteArray& path, const QByteArray& body);

} // namespace coord::test
