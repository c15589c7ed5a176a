#include "simtestsupport.h"

#include <QJsonArray>
#include <QJsonDocument>

#include "siminstance.h"
#include "simoptions.h"

namespace simtest {

std::unique_ptr<mindiesim::SimCluster> startCluster(const QStringList& arguments)
{
    const mindiesim::OptionsResult parsed = mindiesim::parseOptions(
        QStringList{QStringLiteral("mindie_sim"), QStringLiteral("--base-port"), QStringLiteral("0")} +
        arguments);
    if (!parsed.ok)
        return nullptr;
    auto cluster = std::make_unique<mindiesim::SimCluster>(parsed.options);
    QString error;
    if (!cluster->start(&error))
        return nullptr;
    return cluster;
}

quint16 portOf(const mindiesim::SimCluster& cluster, int id)
{
    return cluster.instance(quint64(id))->info().port;
}

quint16 metricPortOf(const mindiesim::SimCluster& cluster, int id)
{
    return cluster.instance(quint64(id))->info().metricPort;
}

QString simBinary()
{
    return QStringLiteral(COORD_BINARY_DIR "/bin/mindie_sim");
}

SimProcess::~SimProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool SimProcess::start(const QStringList& arguments, int timeoutMs)
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(simBinary(), QStringList{QStringLiteral("--base-port"), QStringLiteral("0"),
                                             QStringLiteral("--quiet")} +
                                     arguments);
    if (!m_process.waitForStarted(timeoutMs))
        return false;
    QByteArray output;
    const bool ready = HttpTestClient::waitUntil(
        [&] {
            output += m_process.readAllStandardOutput();
            return output.contains('\n') || m_process.state() == QProcess::NotRunning;
        },
        timeoutMs);
    const qsizetype at = output.indexOf("READY ");
    if (!ready || at < 0)
        return false;
    m_ready = parseObject(output.mid(at + 6, output.indexOf('\n', at) - at - 6));
    return !m_ready.isEmpty();
}

quint16 SimProcess::port(int id) const
{
    return quint16(m_ready.value(QLatin1String("instances"))
                       .toArray()
                       .at(id)
                       .toObject()
                       .value(QLatin1String("port"))
                       .toInt());
}

quint16 SimProcess::metricPort(int id) const
{
    return quint16(m_ready.value(QLatin1String("instances"))
                       .toArray()
                       .at(id)
                       .toObject()
                       .value(QLatin1String("metric_port"))
                       .toInt());
}

QJsonObject parseObject(const QByteArray& json)
{
    return QJsonDocument::fromJson(json).object();
}

QList<QByteArray> sseData(const QByteArray& body)
{
    QList<QByteArray> events;
    for (const QByteArray& event : body.split('\n')) {
        if (event.startsWith("data: "))
            events.append(event.mid(6));
    }
    return events;
}

QString streamedText(const QByteArray& body)
{
    QString text;
    for (const QByteArray& data : sseData(body)) {
        const QJsonObject event = parseObject(data);
        if (event.contains(QLatin1String("choices"))) {
            const QJsonObject choice = event.value(QLatin1String("choices")).toArray().at(0).toObject();
            text += choice.contains(QLatin1String("delta")) ? choice.value(QLatin1String("delta"))
                                                                  .toObject()
                                                                  .value(QLatin1String("content"))
                                                                  .toString()
                                                            : choice.value(QLatin1String("text")).toString();
        } else if (event.contains(QLatin1String("token"))) {
            text += event.value(QLatin1String("token")).toObject().value(QLatin1String("text")).toString();
        } else if (event.contains(QLatin1String("text_output"))) {
            text += event.value(QLatin1String("text_output")).toString();
        } else if (event.contains(QLatin1String("text"))) {
            text += event.value(QLatin1String("text")).toString();
        }
    }
    return text;
}

QJsonObject simState(quint16 metricPort)
{
    return parseObject(
        HttpTestClient::oneShot(QStringLiteral("127.0.0.1"), metricPort, "GET", "/sim/state").body);
}

bool postFault(quint16 metricPort, const QByteArray& json)
{
    return HttpTestClient::oneShot(QStringLiteral("127.0.0.1"), metricPort, "POST", "/sim/fault", json)
               .status == 200;
}

} // namespace simtest
