#pragma once

#include <QList>
#include <QObject>

#include "instanceinfo.h"
#include "simoptions.h"

namespace mindiesim {

class SimInstance;

// All instances of one simulator process. Ids: singles 0..N-1; or prefill 0..P-1 then decode
// P..P+M-1. Instance k of a role joins group k mod G; a D's peers are the P ids of its group.
// Ports: instance i listens on base+3i (inference), base+3i+1 (metrics), base+3i+2 (inter_comm).
class SimCluster : public QObject
{
    Q_OBJECT
public:
    explicit SimCluster(const SimOptions& options, QObject* parent = nullptr);
    ~SimCluster() override;

    // Plans the instances without binding anything (enough for --print-refresh).
    static QList<InstanceInfo> plan(const SimOptions& options);
    bool start(QString* error);

    const QList<SimInstance*>& instances() const { return m_instances; }
    SimInstance* instance(quint64 id) const;
    QList<InstanceInfo> infos() const;
    // The decode instance at host:port (the prefill's d-target / d-port headers).
    SimInstance* findDecode(const QByteArray& host, quint16 port) const;
    void crashAll();
    const SimOptions& options() const { return m_options; }

private:
    SimOptions m_options;
    QList<SimInstance*> m_instances;
};

} // namespace mindiesim
