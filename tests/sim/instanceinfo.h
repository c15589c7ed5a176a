#pragma once

#include <QList>
#include <QString>

namespace mindiesim {

// Roles as the Controller encodes them: ASCII codes (spec §2.1).
enum class Role : char
{
    Single = 'U',
    Prefill = 'P',
    Decode = 'D'
};

inline const char* roleName(Role role)
{
    switch (role) {
    case Role::Single:
        return "U";
    case Role::Prefill:
        return "P";
    case Role::Decode:
        return "D";
    }
    return "?";
}

// Identity and addresses of one simulated instance, as advertised to the coordinator.
struct InstanceInfo
{
    quint64 id = 0;
    Role role = Role::Single;
    int group = 0;
    QString ip;
    quint16 port = 0;
    quint16 metricPort = 0;
    quint16 interCommPort = 0; // 0 = not used
    QList<quint64> peers;      // for D: the P ids of its group
};

} // namespace mindiesim
