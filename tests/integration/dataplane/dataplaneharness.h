#pragma once

#include <memory>

#include <QJsonObject>
#include <QStringList>
#include <QTemporaryDir>

#include "daemonprocess.h"
#include "httptestclient.h"
#include "simtestsupport.h"

namespace dptest {

using coordtest::HeaderList;
using coordtest::HttpTestClient;
using coordtest::HttpTestResponse;

// One value of ms_coordinator.json to change: section.key = value.
struct ConfigEdit
{
    QString section;
    QString key;
    QJsonValue value;
};

// The real ms_coordinator (single-node example config, free loopback ports, `edits` applied)
// and, when asked, a real mindie_sim in front of which it runs. Everything is killed on
// destruction. All helpers return within their timeouts.
class DataPlaneHarness
{
public:
    explicit DataPlaneHarness(const QList<ConfigEdit>& edits = {});
    ~DataPlaneHarness();

    // Starts the coordinator and waits for its status port.
    bool startCoordinator();
    // Starts mindie_sim with `arguments` (e.g. "--single 2 --timing fast"); with `registerItself`
    // it pushes its refresh to the manage port every second.
    bool startSim(const QStringList& arguments, bool registerItself = true);
    // Waits until the coordinator knows `count` instances with ids 0..count-1.
    bool waitForInstances(int count, int timeoutMs = 15000);
    // Coordinator with a self-registering `--single N --timing fast` sim, all instances known.
    bool startWithSim(int instances, const QStringList& extraSimArguments = {});

    quint16 predictPort() const;
    quint16 managePort() const;
    quint16 statusPort() const;

    HttpTestResponse predict(const QByteArray& target, const QByteArray& body, const HeaderList& headers = {},
                             int timeoutMs = 10000);
    HttpTestResponse manage(const QByteArray& method, const QByteArray& target, const QByteArray& body = {},
                            int timeoutMs = 10000);
    // Straight to sim instance `id`, bypassing the coordinator.
    HttpTestResponse direct(int id, const QByteArray& target, const QByteArray& body, int timeoutMs = 10000);

    simtest::SimProcess& sim() { return *m_sim; }
    QJsonObject simState(int id);
    bool simFault(int id, const QByteArray& json);
    // In-flight counts from GET /v1/instances/tasks, in the order of `ids`.
    QList<qint64> tasks(const QList<quint64>& ids);
    // Everything the coordinator wrote to stdout so far (for failure messages).
    QByteArray coordinatorOutput();

private:
    QTemporaryDir m_logs;
    QJsonObject m_config;
    std::unique_ptr<coord::test::RunningDaemon> m_daemon;
    std::unique_ptr<simtest::SimProcess> m_sim;
};

// A config edit, for brevity in test tables.
ConfigEdit edit(const char* section, const char* key, const QJsonValue& value);

// The sim stamps OpenAI replies with the request id and the current second, and MindIE stream
// events with measured step times; everything else in a reply depends only on the request. This
// blanks those fields so that two answers to the same request compare byte for byte.
QByteArray withoutRequestStamps(const QByteArray& reply);

} // namespace dptest
