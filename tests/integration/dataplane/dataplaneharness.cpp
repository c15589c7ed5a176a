#include "dataplaneharness.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace dptest {

namespace {
const QString kLoopback = QStringLiteral("127.0.0.1");
} // namespace

ConfigEdit edit(const char* section, const char* key, const QJsonValue& value)
{
    return ConfigEdit{QString::fromLatin1(section), QString::fromLatin1(key), value};
}

DataPlaneHarness::DataPlaneHarness(const QList<ConfigEdit>& edits)
    : m_config(coord::test::localTestConfig(m_logs.path()))
{
    // The daemon also logs to stdout; that pipe is drained whenever a test spins the event loop.
    for (const ConfigEdit& change : edits) {
        QJsonObject section = m_config.value(change.section).toObject();
        section.insert(change.key, change.value);
        m_config.insert(change.section, section);
    }
}

DataPlaneHarness::~DataPlaneHarness() = default;

bool DataPlaneHarness::startCoordinator()
{
    m_daemon = std::make_unique<coord::test::RunningDaemon>(m_config);
    return m_daemon->waitUntilUp();
}

bool DataPlaneHarness::startSim(const QStringList& arguments, bool registerItself)
{
    QStringList all = arguments;
    if (registerItself)
        all << QStringLiteral("--register") << QStringLiteral("http://127.0.0.1:%1").arg(managePort());
    m_sim = std::make_unique<simtest::SimProcess>();
    return m_sim->start(all);
}

bool DataPlaneHarness::waitForInstances(int count, int timeoutMs)
{
    QList<quint64> ids;
    for (int i = 0; i < count; ++i)
        ids.append(quint64(i));
    return HttpTestClient::waitUntil(
        [&] {
            const QList<qint64> counts = tasks(ids);
            return counts.size() == count &&
                   std::all_of(counts.begin(), counts.end(), [](qint64 n) { return n >= 0; });
        },
        timeoutMs);
}

bool DataPlaneHarness::startWithSim(int instances, const QStringList& extraSimArguments)
{
    return startCoordinator() &&
           startSim(QStringList{QStringLiteral("--single"), QString::number(instances),
                                QStringLiteral("--timing"), QStringLiteral("fast")} +
                    extraSimArguments) &&
           waitForInstances(instances);
}

quint16 DataPlaneHarness::predictPort() const
{
    return m_daemon->port("predict_port");
}

quint16 DataPlaneHarness::managePort() const
{
    return m_daemon->port("manage_port");
}

quint16 DataPlaneHarness::statusPort() const
{
    return m_daemon->port("status_port");
}

HttpTestResponse DataPlaneHarness::predict(const QByteArray& target, const QByteArray& body,
                                           const HeaderList& headers, int timeoutMs)
{
    return HttpTestClient::oneShot(kLoopback, predictPort(), "POST", target, body, headers, timeoutMs);
}

HttpTestResponse DataPlaneHarness::manage(const QByteArray& method, const QByteArray& target,
                                          const QByteArray& body, int timeoutMs)
{
    return HttpTestClient::oneShot(kLoopback, managePort(), method, target, body, {}, timeoutMs);
}

HttpTestResponse DataPlaneHarness::direct(int id, const QByteArray& target, const QByteArray& body,
                                          int timeoutMs)
{
    return HttpTestClient::oneShot(kLoopback, m_sim->port(id), "POST", target, body, {}, timeoutMs);
}

QJsonObject DataPlaneHarness::simState(int id)
{
    return simtest::simState(m_sim->metricPort(id));
}

bool DataPlaneHarness::simFault(int id, const QByteArray& json)
{
    return simtest::postFault(m_sim->metricPort(id), json);
}

QList<qint64> DataPlaneHarness::tasks(const QList<quint64>& ids)
{
    QByteArray target = "/v1/instances/tasks";
    for (qsizetype i = 0; i < ids.size(); ++i)
        target += (i == 0 ? "?id=" : "&id=") + QByteArray::number(ids[i]);
    const QJsonArray array = QJsonDocument::fromJson(manage("GET", target, {}, 5000).body)
                                 .object()
                                 .value(QLatin1String("tasks"))
                                 .toArray();
    QList<qint64> counts;
    for (const QJsonValue& value : array)
        counts.append(value.toInteger(-2));
    return counts;
}

QByteArray DataPlaneHarness::coordinatorOutput()
{
    return m_daemon ? m_daemon->output() : QByteArray();
}

QByteArray withoutRequestStamps(const QByteArray& reply)
{
    static const QRegularExpression openAiId(QStringLiteral(R"("id":"(chatcmpl-|cmpl-)[^"]*")"));
    static const QRegularExpression created(QStringLiteral(R"("created":\d+)"));
    static const QRegularExpression stepTimes(
        QStringLiteral(R"re("(prefill_time|decode_time)":[0-9.e-]+)re"));
    QString text = QString::fromUtf8(reply);
    text.replace(openAiId, QStringLiteral(R"("id":"\1")"));
    text.replace(created, QStringLiteral(R"("created":0)"));
    text.replace(stepTimes, QStringLiteral(R"("\1":0)"));
    return text.toUtf8();
}

} // namespace dptest
