#pragma once

#include <memory>

#include <QJsonObject>
#include <QProcess>
#include <QStringList>

#include "httptestclient.h"
#include "simcluster.h"

namespace simtest {

using coordtest::HttpTestClient;
using coordtest::HttpTestResponse;

// A simulator inside the test process (ephemeral ports, quiet).
std::unique_ptr<mindiesim::SimCluster> startCluster(const QStringList& arguments);
quint16 portOf(const mindiesim::SimCluster& cluster, int id);
quint16 metricPortOf(const mindiesim::SimCluster& cluster, int id);

// The real mindie_sim binary, started with ephemeral ports; killed on destruction.
class SimProcess
{
public:
    ~SimProcess();
    bool start(const QStringList& arguments, int timeoutMs = 15000);
    quint16 port(int id) const;
    quint16 metricPort(int id) const;
    QProcess& process() { return m_process; }

private:
    QProcess m_process;
    QJsonObject m_ready;
};

QString simBinary();
QJsonObject parseObject(const QByteArray& json);
// "data: X\n\n" events of an SSE body, without the "data: " prefix.
QList<QByteArray> sseData(const QByteArray& body);
// The text a stream spells out, for any flavour.
QString streamedText(const QByteArray& body);
QJsonObject simState(quint16 metricPort);
bool postFault(quint16 metricPort, const QByteArray& json);

} // namespace simtest
