#pragma once

#include <QMutex>
#include <QString>

#include <atomic>

namespace coord {

// What the probes and the status API report about this coordinator: whether it can serve,
// and whether it is the master. Written by the control thread, read from any thread.
class ServiceState
{
public:
    bool dataServerBound() const { return m_dataServerBound.load(); }
    void setDataServerBound(bool bound) { m_dataServerBound.store(bound); }

    // At least one instance in single_node, or at least one P and one D in PD modes.
    bool clusterAvailable() const { return m_clusterAvailable.load(); }
    void setClusterAvailable(bool available) { m_clusterAvailable.store(available); }

    bool isMaster() const { return m_master.load(); }
    void setMaster(bool master) { m_master.store(master); }

    bool backupEnabled() const { return m_backupEnabled.load(); }
    void setBackupEnabled(bool enabled) { m_backupEnabled.store(enabled); }

    // The model_name of the first registered instance (what /v2/models/{m}/ready compares).
    QString firstModelName() const
    {
        QMutexLocker lock(&m_mutex);
        return m_firstModelName;
    }
    void setFirstModelName(const QString& name)
    {
        QMutexLocker lock(&m_mutex);
        m_firstModelName = name;
    }

    // /v2/health/ready: the cluster can serve and the data port is bound.
    bool ready() const { return clusterAvailable() && dataServerBound(); }
    // /v1/readiness: as ready(), and with master/standby on, only the master is ready.
    bool readinessForTraffic() const { return ready() && (!backupEnabled() || isMaster()); }

private:
    std::atomic<bool> m_dataServerBound{false};
    std::atomic<bool> m_clusterAvailable{false};
    std::atomic<bool> m_master{true};
    std::atomic<bool> m_backupEnabled{false};
    mutable QMutex m_mutex;
    QString m_firstModelName;
};

} // namespace coord
