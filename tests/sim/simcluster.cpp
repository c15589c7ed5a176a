#include "simcluster.h"

#include "siminstance.h"
#include "simlogging.h"

namespace mindiesim {

SimCluster::SimCluster(const SimOptions& options, QObject* parent) : QObject(parent), m_options(options) {}

SimCluster::~SimCluster() = default;

QList<InstanceInfo> SimCluster::plan(const SimOptions& options)
{
    QList<InstanceInfo> infos;
    const auto add = [&](Role role, int indexInRole) {
        InstanceInfo info;
        info.id = quint64(infos.size());
        info.role = role;
        info.group = role == Role::Single ? 0 : indexInRole % options.groups;
        info.ip = options.host;
        if (options.basePort > 0) {
            const int base = options.basePort + 3 * int(info.id);
            info.port = quint16(base);
            info.metricPort = quint16(base + 1);
            info.interCommPort = options.singleContainer ? quint16(base + 2) : 0;
        }
        infos.append(info);
    };
    for (int i = 0; i < options.singleCount; ++i)
        add(Role::Single, i);
    for (int i = 0; i < options.prefillCount; ++i)
        add(Role::Prefill, i);
    for (int i = 0; i < options.decodeCount; ++i)
        add(Role::Decode, i);
    for (InstanceInfo& decode : infos) {
        if (decode.role != Role::Decode)
            continue;
        for (const InstanceInfo& prefill : std::as_const(infos)) {
            if (prefill.role == Role::Prefill && prefill.group == decode.group)
                decode.peers.append(prefill.id);
        }
    }
    // P instances carry their group's D ids too; DIGS ignores them but the Controller sends them.
    for (InstanceInfo& prefill : infos) {
        if (prefill.role != Role::Prefill)
            continue;
        for (const InstanceInfo& decode : std::as_const(infos)) {
            if (decode.role == Role::Decode && decode.group == prefill.group)
                prefill.peers.append(decode.id);
        }
    }
    return infos;
}

bool SimCluster::start(QString* error)
{
    for (const InstanceInfo& info : plan(m_options)) {
        auto* instance = new SimInstance(info, m_options, this, this);
        m_instances.append(instance);
        if (!instance->start(error))
            return false;
        qCInfo(lcSim).noquote() << QStringLiteral("instance %1 role %2 group %3 on %4 port %5 metric_port %6")
                                       .arg(info.id)
                                       .arg(QLatin1String(roleName(info.role)))
                                       .arg(info.group)
                                       .arg(info.ip)
                                       .arg(instance->info().port)
                                       .arg(instance->info().metricPort);
    }
    return true;
}

SimInstance* SimCluster::instance(quint64 id) const
{
    for (SimInstance* instance : m_instances) {
        if (instance->info().id == id)
            return instance;
    }
    return nullptr;
}

QList<InstanceInfo> SimCluster::infos() const
{
    QList<InstanceInfo> infos;
    for (const SimInstance* instance : m_instances)
        infos.append(instance->info());
    return infos;
}

SimInstance* SimCluster::findDecode(const QByteArray& host, quint16 port) const
{
    // All instances share one host here, so the port decides; the host only breaks ties.
    SimInstance* byPort = nullptr;
    for (SimInstance* instance : m_instances) {
        if (instance->info().role != Role::Decode || instance->info().port != port)
            continue;
        if (instance->info().ip.toUtf8() == host)
            return instance;
        byPort = instance;
    }
    return byPort;
}

void SimCluster::crashAll()
{
    for (SimInstance* instance : m_instances)
        instance->crash();
}

} // namespace mindiesim
