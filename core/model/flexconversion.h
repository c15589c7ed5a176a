#pragma once

#include <QList>
#include <QString>

#include "instanceinfo.h"

namespace coord {

// Turns the first flex ('F') instance of a refresh into a P, a D, or a P+D pair by its
// p_percentage (spec §2.5), rewriting peers of same-group P instances and the `ids` list to
// match. Further flex instances are left as they are (validation then skips them).
// Returns an error (the whole refresh answers 400) when p_percentage is outside 0..100.
// Only meaningful in PD modes; the caller does not call it in single_node.
QString convertFirstFlexInstance(QList<InstanceInfo>& instances, QList<quint64>& ids);

} // namespace coord
