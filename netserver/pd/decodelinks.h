#pragma once

#include "model/instanceinfo.h"

#include <QHash>
#include <QObject>

#include <memory>

namespace coord::client {
class BackendClient;
}

namespace coord::pd {

class RequestRouter;

struct DecodeLinkSettings
{
    int maxRetry = 5;               // relink attempts before the instance is given up
    int idleTimeoutMs = 30000;      // no byte (not even a ka: heartbeat) for this long = lost
    int relinkDelayMs = 1000;       // pause between relink attempts
    QByteArray userAgent = QByteArrayLiteral("Coordinator/1.0");
};

// The coordinator's one long-lived `GET /dresult` stream per decode instance (spec §3.3, §5.4).
// Each message goes to its request through the RequestRouter. A link that breaks, idles past
// 30 s or sends `close` is reopened up to max_retry times; after that `linkLost` is emitted
// so the daemon can mark the instance faulty and answer the requests that were on it.
//
// Thread affinity: the control thread (it owns its BackendClient there).
class DecodeLinks : public QObject
{
    Q_OBJECT
public:
    DecodeLinks(DecodeLinkSettings settings, client::BackendClient& client, RequestRouter& router,
                QObject* parent = nullptr);
    ~DecodeLinks() override;

    void open(const InstanceInfo& decode);
    void close(quint64 decodeId);
    bool isOpen(quint64 decodeId) const;
    int linkCount() const { return static_cast<int>(m_links.size()); }

signals:
    void linkUp(quint64 decodeId);
    void linkLost(quint64 decodeId, const QString& reason);

private:
    struct Link;
    void connectLink(const std::shared_ptr<Link>& link);
    void onLinkEnded(const std::shared_ptr<Link>& link, const QString& reason);

    DecodeLinkSettings m_settings;
    client::BackendClient& m_client;
    RequestRouter& m_router;
    QHash<quint64, std::shared_ptr<Link>> m_links;
};

} // namespace coord::pd
