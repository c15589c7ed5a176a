#include "backendclient.h"

#include <mutex>
#include <unistd.h>

#include <QIODevice>
#include <QPointer>
#include <QSocketNotifier>

#include <curl/curl.h>

#include "clientlog.h"

namespace coord::client {

const char* outcomeName(TransferOutcome outcome)
{
    switch (outcome) {
    case TransferOutcome::Completed:
        return "completed";
    case TransferOutcome::ConnectFailed:
        return "connect failed";
    case TransferOutcome::SendFailed:
        return "send failed";
    case TransferOutcome::ReadFailed:
        return "read failed";
    case TransferOutcome::TimedOut:
        return "timed out";
    case TransferOutcome::Cancelled:
        return "cancelled";
    }
    return "unknown";
}

struct BackendClient::Transfer
{
    quint64 id = 0;
    CURL* easy = nullptr;
    curl_slist* headerList = nullptr;
    BackendRequest request;
    int status = 0;
    HeaderList responseHeaders;
    bool headReported = false;
    bool cancelled = false;
    BackendClient* owner = nullptr;
    // Backpressure: the next body piece is refused with CURL_WRITEFUNC_PAUSE (libcurl keeps it
    // and delivers it again on resume) while the sink drains.
    bool holdBody = false;
    bool pausedInCurl = false;
    QMetaObject::Connection drainWatch;
    char errorBuffer[CURL_ERROR_SIZE] = {};
};

struct BackendClient::SocketWatch
{
    QSocketNotifier* reader = nullptr;
    QSocketNotifier* writer = nullptr;
    // False while the connection idles in libcurl's cache (after CURL_POLL_REMOVE).
    bool curlWatching = false;
    quint64 idleSinceSweep = 0; // m_sweepGeneration when libcurl last stopped watching it
};

namespace {
std::once_flag g_curlGlobalInit;
// Enough for every transfer of a busy worker to find a reset handle; beyond it handles are freed.
constexpr std::size_t kMaxIdleEasyHandles = 4096;
constexpr int kIdleSweepIntervalMs = 1000;

void reportHead(BackendClient::Transfer* transfer)
{
    if (transfer->headReported)
        return;
    transfer->headReported = true;
    if (transfer->request.onHead)
        transfer->request.onHead(transfer->status, transfer->responseHeaders);
}

size_t onHeaderLine(char* data, size_t size, size_t count, void* userData)
{
    auto* transfer = static_cast<BackendClient::Transfer*>(userData);
    const size_t length = size * count;
    if (transfer->cancelled)
        return 0;
    // Read in place: only the kept name and value are copied.
    const QByteArrayView line = QByteArrayView(data, static_cast<qsizetype>(length)).trimmed();
    if (line.startsWith("HTTP/")) {
        // A new status line: any earlier one was an interim 1xx answer.
        const qsizetype space = line.indexOf(' ');
        const QByteArrayView code =
            space < 0 ? QByteArrayView()
                      : line.sliced(space + 1).first(qMin<qsizetype>(3, line.size() - space - 1));
        transfer->status = code.toInt();
        transfer->responseHeaders.clear();
    } else if (line.isEmpty()) {
        if (transfer->status >= 200)
            reportHead(transfer);
    } else if (const qsizetype colon = line.indexOf(':'); colon > 0) {
        transfer->responseHeaders.append(
            {line.first(colon).trimmed().toByteArray(), line.sliced(colon + 1).trimmed().toByteArray()});
    }
    return transfer->cancelled ? 0 : length;
}

TransferOutcome outcomeOf(CURLcode code, CURL* easy)
{
    switch (code) {
    case CURLE_OK:
        return TransferOutcome::Completed;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
        return TransferOutcome::ConnectFailed;
    case CURLE_SEND_ERROR:
        return TransferOutcome::SendFailed;
    case CURLE_OPERATION_TIMEDOUT: {
        curl_off_t connectTime = 0;
        curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &connectTime);
        return connectTime == 0 ? TransferOutcome::ConnectFailed : TransferOutcome::TimedOut;
    }
    default:
        return TransferOutcome::ReadFailed;
    }
}

void applyTls(CURL* easy, const TlsClientProfile& tls)
{
    if (!tls.enabled)
        return;
    curl_easy_setopt(easy, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_3);
    curl_easy_setopt(easy, CURLOPT_TLS13_CIPHERS,
                     "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:"
                     "TLS_AES_128_CCM_SHA256");
    curl_easy_setopt(easy, CURLOPT_CAINFO, tls.caCert.toLocal8Bit().constData());
    curl_easy_setopt(easy, CURLOPT_SSLCERT, tls.certificate.toLocal8Bit().constData());
    curl_easy_setopt(easy, CURLOPT_SSLKEY, tls.privateKey.toLocal8Bit().constData());
    if (!tls.keyPassword.isEmpty())
        curl_easy_setopt(easy, CURLOPT_KEYPASSWD, tls.keyPassword.constData());
    if (!tls.crl.isEmpty())
        curl_easy_setopt(easy, CURLOPT_CRLFILE, tls.crl.toLocal8Bit().constData());
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    // MindIE verifies the chain but not the host name: instances are addressed by IP.
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
}
} // namespace

BackendClient::BackendClient(TlsClientProfile tls, QObject* parent) : QObject(parent), m_tls(std::move(tls))
{
    std::call_once(g_curlGlobalInit, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    m_multi = curl_multi_init();
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, &BackendClient::onSocket);
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, &BackendClient::onTimer);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERDATA, this);
    // No per-host cap, and a connection cache large enough to keep every stream's connection.
    curl_multi_setopt(m_multi, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
    curl_multi_setopt(m_multi, CURLMOPT_MAXCONNECTS, 20000L);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        m_zeroTimerPending = false;
        socketAction(CURL_SOCKET_TIMEOUT, 0);
    });
    m_idleSweepTimer.setInterval(kIdleSweepIntervalMs);
    connect(&m_idleSweepTimer, &QTimer::timeout, this, &BackendClient::sweepIdleReaders);
}

BackendClient::~BackendClient()
{
    for (auto& [id, transfer] : m_transfers) {
        transfer->cancelled = true;
        curl_multi_remove_handle(m_multi, transfer->easy);
        release(transfer);
    }
    m_transfers.clear();
    curl_multi_cleanup(m_multi); // closes the pooled connections through onCloseSocket
    for (CURL* easy : m_idleEasyHandles)
        curl_easy_cleanup(easy);
    for (auto& [socket, watch] : m_watches)
        delete watch;
}

CURL* BackendClient::takeEasyHandle()
{
    if (m_idleEasyHandles.empty())
        return curl_easy_init();
    CURL* easy = m_idleEasyHandles.back();
    m_idleEasyHandles.pop_back();
    return easy;
}

quint64 BackendClient::start(BackendRequest request)
{
    auto* transfer = new Transfer;
    transfer->id = m_nextId++;
    transfer->request = std::move(request);
    transfer->owner = this;
    CURL* easy = takeEasyHandle();
    transfer->easy = easy;
    const BackendRequest& req = transfer->request;

    curl_easy_setopt(easy, CURLOPT_URL, req.url.constData());
    curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->errorBuffer);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    // A connection keeps the close callback of the handle that opened it; every handle of this
    // client sets the same one, so the socket's notifiers always go before its descriptor.
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &BackendClient::onCloseSocket);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, this);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(req.connectTimeoutMs));
    if (req.totalTimeoutMs > 0)
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(req.totalTimeoutMs));
    curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
    // Instances, the Controller and etcd are reached directly, never through an http_proxy or
    // all_proxy set in the container's environment (a common leftover from image builds); an
    // explicit empty proxy also spares libcurl reading those variables on every transfer.
    curl_easy_setopt(easy, CURLOPT_PROXY, "");
    if (req.idleTimeoutMs > 0) {
        // libcurl's low-speed check has one-second resolution: under 1 byte/s for N seconds.
        curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(qMax(1, req.idleTimeoutMs / 1000)));
    }
    if (req.rawChunkedBody)
        curl_easy_setopt(easy, CURLOPT_HTTP_TRANSFER_DECODING, 0L);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &onHeaderLine);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, transfer);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &BackendClient::onBodyData);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer);
    if (req.method == "GET") {
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req.method.constData());
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req.body.constData());
    }
    for (const auto& [name, value] : req.headers)
        transfer->headerList = curl_slist_append(transfer->headerList, (name + ": " + value).constData());
    // libcurl would wait for "100 Continue" before large bodies; instances never send it.
    transfer->headerList = curl_slist_append(transfer->headerList, "Expect:");
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headerList);
    applyTls(easy, m_tls);

    m_transfers.emplace(transfer->id, transfer);
    if (m_insideCurl) {
        // libcurl refuses multi calls made from inside its own callbacks.
        QMetaObject::invokeMethod(
            this, [this, easy] { curl_multi_add_handle(m_multi, easy); }, Qt::QueuedConnection);
    } else {
        curl_multi_add_handle(m_multi, easy);
    }
    return transfer->id;
}

void BackendClient::cancel(quint64 transferId)
{
    const auto it = m_transfers.find(transferId);
    if (it == m_transfers.end())
        return;
    Transfer* transfer = it->second;
    transfer->cancelled = true;
    // Removing a handle while libcurl is inside its callbacks is not allowed; defer to the loop.
    QMetaObject::invokeMethod(
        this,
        [this, transferId] {
            const auto found = m_transfers.find(transferId);
            if (found == m_transfers.end())
                return;
            Transfer* cancelled = found->second;
            m_transfers.erase(found);
            curl_multi_remove_handle(m_multi, cancelled->easy);
            release(cancelled);
        },
        Qt::QueuedConnection);
}

int BackendClient::onSocket(void*, int socket, int what, void* client, void*)
{
    auto* self = static_cast<BackendClient*>(client);
    auto it = self->m_watches.find(socket);
    if (what == CURL_POLL_REMOVE) {
        // The connection goes idle into libcurl's cache (or is about to close: onCloseSocket
        // follows). The reader stays enabled: unregistering a notifier and registering it again
        // for the next transfer on this connection was the costly part. If the idle socket turns
        // readable (the instance closed it), onWatchedSocketReadable switches the reader off.
        if (it != self->m_watches.end()) {
            it->second->curlWatching = false;
            it->second->idleSinceSweep = self->m_sweepGeneration;
            it->second->writer->setEnabled(false);
            if (!self->m_idleSweepTimer.isActive())
                self->m_idleSweepTimer.start();
        }
        return 0;
    }
    if (it == self->m_watches.end()) {
        auto* watch = new SocketWatch;
        watch->reader = new QSocketNotifier(socket, QSocketNotifier::Read, self);
        watch->writer = new QSocketNotifier(socket, QSocketNotifier::Write, self);
        watch->reader->setEnabled(false);
        watch->writer->setEnabled(false);
        QObject::connect(watch->reader, &QSocketNotifier::activated, self,
                         [self, socket] { self->onWatchedSocketReadable(socket); });
        QObject::connect(watch->writer, &QSocketNotifier::activated, self,
                         [self, socket] { self->socketAction(socket, CURL_CSELECT_OUT); });
        it = self->m_watches.emplace(socket, watch).first;
    }
    SocketWatch* watch = it->second;
    watch->curlWatching = true;
    // setEnabled() returns at once when the state does not change.
    watch->reader->setEnabled(what == CURL_POLL_IN || what == CURL_POLL_INOUT);
    watch->writer->setEnabled(what == CURL_POLL_OUT || what == CURL_POLL_INOUT);
    return 0;
}

int BackendClient::onCloseSocket(void* client, int socket)
{
    auto* self = static_cast<BackendClient*>(client);
    if (const auto it = self->m_watches.find(socket); it != self->m_watches.end()) {
        // Off before the descriptor closes: its number may be reused at once by another socket.
        for (QSocketNotifier* notifier : {it->second->reader, it->second->writer}) {
            notifier->setEnabled(false);
            notifier->deleteLater(); // may be the notifier whose activation we are inside
        }
        delete it->second;
        self->m_watches.erase(it);
    }
    return ::close(socket);
}

void BackendClient::onWatchedSocketReadable(int socket)
{
    const auto it = m_watches.find(socket);
    if (it == m_watches.end())
        return;
    if (!it->second->curlWatching) {
        // An idle pooled connection became readable: libcurl notices the close when it next
        // picks the connection; until then nobody reads it, so stop polling it.
        it->second->reader->setEnabled(false);
        return;
    }
    socketAction(socket, CURL_CSELECT_IN);
}

void BackendClient::sweepIdleReaders()
{
    ++m_sweepGeneration;
    bool readersLeft = false;
    for (auto& [socket, watch] : m_watches) {
        if (watch->curlWatching || !watch->reader->isEnabled())
            continue;
        if (watch->idleSinceSweep + 1 < m_sweepGeneration)
            watch->reader->setEnabled(false); // idle for at least one whole period
        else
            readersLeft = true;
    }
    if (!readersLeft)
        m_idleSweepTimer.stop();
}

size_t BackendClient::onBodyData(char* data, size_t size, size_t count, void* userData)
{
    auto* transfer = static_cast<BackendClient::Transfer*>(userData);
    const size_t length = size * count;
    if (transfer->cancelled)
        return 0;
    if (transfer->holdBody) {
        transfer->pausedInCurl = true;
        return CURL_WRITEFUNC_PAUSE;
    }
    reportHead(transfer);
    if (transfer->request.onData && length > 0 && !transfer->cancelled)
        transfer->request.onData(QByteArray(data, static_cast<qsizetype>(length)));
    if (QIODevice* sink = transfer->request.backpressureSink.data();
        sink && !transfer->cancelled && sink->bytesToWrite() > BackendRequest::kBacklogHighBytes)
        transfer->owner->holdUntilSinkDrains(transfer);
    // Returning less than length makes libcurl abort the transfer; that is how a cancel from
    // inside a callback takes effect.
    return transfer->cancelled ? 0 : length;
}

void BackendClient::holdUntilSinkDrains(Transfer* transfer)
{
    transfer->holdBody = true;
    const quint64 id = transfer->id;
    transfer->drainWatch = connect(transfer->request.backpressureSink.data(), &QIODevice::bytesWritten, this,
                                   [this, id] { resumeIfSinkDrained(id); });
}

void BackendClient::resumeIfSinkDrained(quint64 transferId)
{
    const auto it = m_transfers.find(transferId);
    if (it == m_transfers.end())
        return;
    Transfer* transfer = it->second;
    QIODevice* sink = transfer->request.backpressureSink.data();
    if (sink && sink->bytesToWrite() > BackendRequest::kBacklogLowBytes)
        return;
    disconnect(transfer->drainWatch);
    transfer->holdBody = false;
    if (!transfer->pausedInCurl)
        return;
    transfer->pausedInCurl = false;
    if (m_insideCurl) {
        // libcurl refuses calls made from inside its own callbacks.
        QMetaObject::invokeMethod(
            this,
            [this, transferId] {
                if (const auto found = m_transfers.find(transferId); found != m_transfers.end()) {
                    m_insideCurl = true;
                    curl_easy_pause(found->second->easy, CURLPAUSE_CONT);
                    m_insideCurl = false;
                }
            },
            Qt::QueuedConnection);
        return;
    }
    // Unpausing may deliver the held piece at once, through onBodyData.
    m_insideCurl = true;
    curl_easy_pause(transfer->easy, CURLPAUSE_CONT);
    m_insideCurl = false;
}

int BackendClient::onTimer(CURLM*, long timeoutMs, void* client)
{
    auto* self = static_cast<BackendClient*>(client);
    if (timeoutMs < 0) {
        self->m_timer.stop();
        self->m_zeroTimerPending = false;
    } else if (timeoutMs > 0 || !self->m_zeroTimerPending) {
        // libcurl asks for "now" once per added transfer; a zero timer already pending serves
        // them all, so it is not re-registered for each.
        self->m_zeroTimerPending = timeoutMs == 0;
        self->m_timer.start(static_cast<int>(timeoutMs));
    }
    return 0;
}

void BackendClient::socketAction(int socket, int eventMask)
{
    int running = 0;
    m_insideCurl = true;
    curl_multi_socket_action(m_multi, socket, eventMask, &running);
    m_insideCurl = false;
    collectFinished();
}

void BackendClient::collectFinished()
{
    int pending = 0;
    while (CURLMsg* message = curl_multi_info_read(m_multi, &pending)) {
        if (message->msg != CURLMSG_DONE)
            continue;
        Transfer* transfer = nullptr;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
        const CURLcode code = message->data.result;
        curl_multi_remove_handle(m_multi, message->easy_handle);
        if (!transfer)
            continue;
        m_transfers.erase(transfer->id);
        if (!transfer->cancelled && transfer->request.onDone) {
            const TransferOutcome outcome = outcomeOf(code, transfer->easy);
            if (outcome == TransferOutcome::Completed)
                reportHead(transfer);
            const QString detail =
                code == CURLE_OK ? QString()
                                 : QString::fromUtf8(transfer->errorBuffer[0] ? transfer->errorBuffer
                                                                              : curl_easy_strerror(code));
            if (outcome != TransferOutcome::Completed)
                qCDebug(lcClient).noquote() << transfer->request.url << outcomeName(outcome) << detail;
            auto onDone = std::move(transfer->request.onDone);
            release(transfer);
            onDone(outcome, detail);
            continue;
        }
        release(transfer);
    }
}

void BackendClient::release(Transfer* transfer)
{
    disconnect(transfer->drainWatch);
    if (m_idleEasyHandles.size() < kMaxIdleEasyHandles) {
        curl_easy_reset(transfer->easy);
        m_idleEasyHandles.push_back(transfer->easy);
    } else {
        curl_easy_cleanup(transfer->easy);
    }
    curl_slist_free_all(transfer->headerList);
    delete transfer;
}

} // namespace coord::client
