#pragma once

#include <optional>
#include <variant>

#include <QJsonObject>
#include <QJsonValue>

#include "instanceinfo.h"

namespace coord {

// Reads the typed fields of one refresh instance entry (spec §2): every required key must be
// present with the right JSON type. Ranges are checked later (instancevalidation.h), after
// flex conversion, because a flex instance is only judged once it has become a P or a D.
// Ports are the exception: port and metric_port must already be digit strings in range here;
// an unusable inter_comm_port is stored as 0 and only refused in single-container mode.
// The error text names the field; the caller prefixes the instance id.
using InstanceReadResult = std::variant<InstanceInfo, QString>;
InstanceReadResult readInstanceJson(const QJsonObject& entry);

inline constexpr int kMinInstancePort = 1024;
inline constexpr int kMaxInstancePort = 65535;
// A digit string in [1024, 65535] as the port value; 0 for anything else.
quint16 parseInstancePort(const QString& text);

// A JSON number holding a whole value that fits the type; nullopt otherwise. Qt keeps integers
// up to 2^63 exactly; larger u64 ids arrive as doubles and are accepted when whole.
std::optional<qint64> jsonWholeNumber(const QJsonValue& value);
std::optional<quint64> jsonUnsignedNumber(const QJsonValue& value);

} // namespace coord
