#pragma once

#include <QByteArray>
#include <QJsonObject>

#include "configproblem.h"

namespace coord::config {

// MindIE discards JSON nested deeper than this; we refuse such a document outright so that a
// silently truncated config can never run. The top-level object is level 1.
inline constexpr int kMaxJsonNestingDepth = 10;

struct ParsedDocument
{
    QJsonObject root;
    QList<ConfigProblem> errors; // syntax error, non-object root or excessive nesting
};

// `sourceName` names the document in problems ("conf/ms_coordinator.json").
ParsedDocument parseConfigDocument(const QByteArray& bytes, const QString& sourceName);

// Deepest nesting level of objects and arrays under `value` (an object or array counts as one
// level); `deepestPath` receives the dotted path of a container at that level.
int jsonNestingDepth(const QJsonValue& value, QString* deepestPath = nullptr);

} // namespace coord::config
