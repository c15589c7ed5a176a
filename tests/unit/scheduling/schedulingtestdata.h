#pragma once

#include <initializer_list>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>

#include "model/instanceinfo.h"
#include "model/refreshparser.h"
#include "schedulersettings.h"

namespace coord::testing {

// A valid refresh entry as the Controller sends it (spec §2), to be bent by each test.
QJsonObject instanceJson(quint64 id, InstanceRole role = InstanceRole::Unified);
// {"ids": ids, "instances": entries} as bytes.
QByteArray refreshBody(const QJsonArray& ids, const QJsonArray& entries);
// A refresh whose ids are exactly the entries' ids.
QByteArray refreshBody(const QJsonArray& entries);

// A registered-ready instance (what the parser would produce).
InstanceInfo makeInstance(quint64 id, InstanceRole role = InstanceRole::Unified, qint64 availSlots = 100,
                          qint64 availBlocks = 1000);
// A parsed refresh listing exactly these instances.
RefreshRequest refreshOf(std::initializer_list<InstanceInfo> instances);
RefreshRequest refreshOf(const QList<InstanceInfo>& instances);

// Default settings in pd_separate mode.
scheduling::SchedulerSettings pdSettings();

} // namespace coord::testing
