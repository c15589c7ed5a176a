#include "registrar.h"

#include <QNetworkReply>
#include <QNetworkRequest>

#include "refreshbuilder.h"
#include "simcluster.h"
#include "simlogging.h"

namespace mindiesim {

Registrar::Registrar(SimCluster* cluster, const QUrl& manageUrl, double intervalSeconds, QObject* parent)
    : QObject(parent), m_cluster(cluster), m_refreshUrl(manageUrl)
{
    // Accept "http://host:1026" as well as the full refresh URL.
    if (!m_refreshUrl.path().endsWith(QLatin1String("/v1/instances/refresh")))
        m_refreshUrl.setPath(
            m_refreshUrl.path().chopped(m_refreshUrl.path().endsWith(QLatin1Char('/')) ? 1 : 0) +
            QLatin1String("/v1/instances/refresh"));
    m_timer.setInterval(int(intervalSeconds * 1000));
    connect(&m_timer, &QTimer::timeout, this, &Registrar::push);
}

void Registrar::start()
{
    push();
    m_timer.start();
}

void Registrar::push()
{
    if (m_inFlight)
        return;
    QNetworkRequest request(m_refreshUrl);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setTransferTimeout(5000);
    m_inFlight = true;
    QNetworkReply* reply = m_network.post(request, buildRefreshJson(*m_cluster));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        m_inFlight = false;
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const bool failed = reply->error() != QNetworkReply::NoError || status != 200;
        // Log changes only, so a coordinator that is down does not flood the log every second.
        if (failed && !m_lastFailed)
            qCWarning(lcSim).noquote()
                << "refresh to" << m_refreshUrl.toString() << "failed:" << status << reply->errorString();
        else if (!failed && m_lastFailed)
            qCInfo(lcSim).noquote() << "refresh to" << m_refreshUrl.toString() << "accepted again";
        m_lastFailed = failed;
        if (!failed)
            ++m_successes;
    });
}

} // namespace mindiesim
