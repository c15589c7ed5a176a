#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace dptest {

// One single-node (role U) instance entry of a POST /v1/instances/refresh body (spec §2), with
// the figures mindie_sim registers. Tests that play the Controller themselves build these.
QJsonObject singleInstanceEntry(quint64 id, quint16 port, quint16 metricPort,
                                const QString& modelName = QStringLiteral("llama_65b"));

// {"ids":[...],"instances":[...]} with the ids taken from the entries.
QByteArray refreshBody(const QList<QJsonObject>& instances);

} // namespace dptest
