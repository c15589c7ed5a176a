#pragma once

#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>
#include <QUrl>

namespace mindiesim {

class SimCluster;

// Plays the Controller: pushes POST /v1/instances/refresh with the cluster's live state to a
// coordinator's manage port every interval. One request in flight at a time.
class Registrar : public QObject
{
    Q_OBJECT
public:
    Registrar(SimCluster* cluster, const QUrl& manageUrl, double intervalSeconds, QObject* parent = nullptr);

    void start();
    int successCount() const { return m_successes; }

private:
    void push();

    SimCluster* m_cluster;
    QUrl m_refreshUrl;
    QNetworkAccessManager m_network;
    QTimer m_timer;
    bool m_inFlight = false;
    bool m_lastFailed = false;
    int m_successes = 0;
};

} // namespace mindiesim
