#include "decodelinks.h"

#include "client/backendclient.h"
#include "requestrouter.h"
#include "pdlog.h"
#include "request/dresultparser.h"

#include <QTimer>

namespace coord::pd {

struct DecodeLinks::Link
{
    InstanceInfo instance;
    quint64 transferId = 0;
    int failures = 0; // consecutive attempts that ended without the stream ever answering 200
    bool established = false;
    bool closing = false;
    bool closeRequested = false; // the instance sent "close:"
    std::unique_ptr<DResultParser> parser;
};

DecodeLinks::DecodeLinks(DecodeLinkSettings settings, client::BackendClient& client, RequestRouter& router,
                         QObject* parent)
    : QObject(parent), m_settings(std::move(settings)), m_client(client), m_router(router)
{
}

DecodeLinks::~DecodeLinks()
{
    for (const auto& link : std::as_const(m_links)) {
        link->closing = true;
        m_client.cancel(link->transferId);
    }
}

void DecodeLinks::open(const InstanceInfo& decode)
{
    if (m_links.contains(decode.id))
        return;
    auto link = std::make_shared<Link>();
    link->instance = decode;
    m_links.insert(decode.id, link);
    connectLink(link);
}

void DecodeLinks::close(quint64 decodeId)
{
    const std::shared_ptr<Link> link = m_links.take(decodeId);
    if (!link)
        return;
    link->closing = true;
    m_client.cancel(link->transferId);
}

bool DecodeLinks::isOpen(quint64 decodeId) const
{
    const auto link = m_links.value(decodeId);
    return link && link->established;
}

void DecodeLinks::connectLink(const std::shared_ptr<Link>& link)
{
    link->established = false;
    link->closeRequested = false;
    Link* raw = link.get();
    link->parser = std::make_unique<DResultParser>([this, raw](const DResultMessage& message) {
        if (message.keyword == "close") {
            raw->closeRequested = true;
            return;
        }
        if (message.keyword == "ka" || message.requestId.isEmpty())
            return;
        if (!m_router.deliver(message))
            qCDebug(lcPd).noquote() << "/dresult message for unknown request" << message.requestId << message.keyword;
    });
    const QByteArray host = link->instance.ip.contains(QLatin1Char(':')) ? "[" + link->instance.ip.toLatin1() + "]"
                                                                         : link->instance.ip.toLatin1();
    client::BackendRequest request;
    request.method = QByteArrayLiteral("GET");
    request.url = "http://" + host + ":" + QByteArray::number(link->instance.port) + "/dresult";
    request.headers = {{"Connection", "keep-alive"}, {"User-Agent", m_settings.userAgent}};
    request.idleTimeoutMs = m_settings.idleTimeoutMs;
    request.rawChunkedBody = true;
    std::weak_ptr<Link> weak = link;
    request.onHead = [this, weak](int status, const client::HeaderList&) {
        const auto alive = weak.lock();
        if (!alive || alive->closing)
            return;
        if (status == 200) {
            alive->established = true;
            alive->failures = 0;
            qCInfo(lcPd).noquote() << "/dresult link up to decode instance" << alive->instance.address();
            emit linkUp(alive->instance.id);
        }
    };
    request.onData = [this, weak](const QByteArray& data) {
        const auto alive = weak.lock();
        if (!alive || alive->closing || !alive->established)
            return;
        if (!alive->parser->feed(data)) {
            m_client.cancel(alive->transferId);
            onLinkEnded(alive, QStringLiteral("bad /dresult framing: %1").arg(alive->parser->errorText()));
        } else if (alive->closeRequested) {
            m_client.cancel(alive->transferId);
            onLinkEnded(alive, QStringLiteral("the instance sent close"));
        }
    };
    request.onDone = [this, weak](client::TransferOutcome outcome, const QString& detail) {
        const auto alive = weak.lock();
        if (!alive || alive->closing)
            return;
        onLinkEnded(alive, outcome == client::TransferOutcome::Completed
                               ? QStringLiteral("stream closed by the instance")
                               : QStringLiteral("%1 %2").arg(QString::fromLatin1(client::outcomeName(outcome)), detail));
    };
    link->transferId = m_client.start(std::move(request));
}

void DecodeLinks::onLinkEnded(const std::shared_ptr<Link>& link, const QString& reason)
{
    if (m_links.value(link->instance.id) != link)
        return; // closed or replaced meanwhile
    link->transferId = 0;
    link->established = false;
    ++link->failures;
    qCWarning(lcPd).noquote() << "/dresult link to decode instance" << link->instance.address() << "lost:" << reason
                              << "attempt" << link->failures << "of" << m_settings.maxRetry;
    if (link->failures > m_settings.maxRetry) {
        m_links.remove(link->instance.id);
        emit linkLost(link->instance.id, reason);
        return;
    }
    std::weak_ptr<Link> weak = link;
    QTimer::singleShot(m_settings.relinkDelayMs, this, [this, weak] {
        if (const auto alive = weak.lock(); alive && !alive->closing)
            connectLink(alive);
    });
}

} // namespace coord::pd
