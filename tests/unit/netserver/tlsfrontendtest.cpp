// An HTTP port whose profile enables TLS, seen from TLS clients: it serves HTTPS with its own
// certificate, asks for client certificates when given a CA (mutual TLS), refuses plain HTTP,
// and a certificate or key it cannot use stops listen() with the file named. The backend client
// with a TLS profile talks to it over mutual TLS. Certificates are made for each run with the
// openssl command-line tool.
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTimer>

#include <gtest/gtest.h>

#include "client/backendclient.h"
#include "eventloopwait.h"
#include "http/httpfrontend.h"

using namespace coord::http;

namespace {

bool waitFor(const std::function<bool()>& condition, int limitMs = 10000)
{
    return coord::test::waitUntil(condition, limitMs);
}

// A CA, a server and a client certificate signed by it, and the server key also stored
// encrypted with the password "secret".
class Certificates
{
public:
    Certificates()
    {
        m_ok = m_dir.isValid() &&
               run({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("ca.key"), "-out",
                    path("ca.crt"), "-days", "2", "-subj", "/CN=test-ca"}) &&
               signed_("server") && signed_("client") &&
               run({"pkey", "-in", path("server.key"), "-aes256", "-passout", "pass:secret", "-out",
                    path("server-encrypted.key")});
    }

    bool ok() const { return m_ok; }
    QString path(const QString& name) const { return m_dir.filePath(name); }

    QSslCertificate certificate(const QString& name) const
    {
        QFile file(path(name));
        return file.open(QIODevice::ReadOnly) ? QSslCertificate(file.readAll()) : QSslCertificate();
    }

    QSslKey key(const QString& name) const
    {
        QFile file(path(name));
        return file.open(QIODevice::ReadOnly) ? QSslKey(file.readAll(), QSsl::Rsa) : QSslKey();
    }

private:
    bool signed_(const QString& name)
    {
        return run({"req", "-newkey", "rsa:2048", "-nodes", "-keyout", path(name + ".key"), "-out",
                    path(name + ".csr"), "-subj", "/CN=" + name}) &&
               run({"x509", "-req", "-in", path(name + ".csr"), "-CA", path("ca.crt"), "-CAkey",
                    path("ca.key"), "-CAcreateserial", "-out", path(name + ".crt"), "-days", "2"});
    }

    bool run(const QStringList& arguments)
    {
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"), arguments);
        return openssl.waitForFinished(30000) && openssl.exitStatus() == QProcess::NormalExit &&
               openssl.exitCode() == 0;
    }

    QTemporaryDir m_dir;
    bool m_ok = false;
};

class TlsFrontendTest : public ::testing::Test
{
protected:
    static void SetUpTestSuite() { s_certificates = new Certificates; }
    static void TearDownTestSuite()
    {
        delete s_certificates;
        s_certificates = nullptr;
    }

    void SetUp() override
    {
        if (!s_certificates->ok())
            GTEST_SKIP() << "the openssl command-line tool could not make test certificates";
    }

    TlsServerProfile profile(bool mutual) const
    {
        TlsServerProfile tls;
        tls.enabled = true;
        tls.certificate = s_certificates->path("server.crt");
        tls.privateKey = s_certificates->path("server.key");
        if (mutual)
            tls.caCert = s_certificates->path("ca.crt");
        return tls;
    }

    bool start(const TlsServerProfile& tls, QString* error = nullptr)
    {
        m_frontend = std::make_unique<HttpFrontend>(
            QStringLiteral("test"), ConnectionLimits{},
            [](const HttpRequest& request, ResponseStream response) {
                response.sendFull(200, "text/plain", "ok:" + request.path);
            },
            tls);
        QString why;
        const bool listening = m_frontend->listen(QHostAddress::LocalHost, 0, &why);
        if (error)
            *error = why;
        return listening;
    }

    // Sends one GET over TLS; returns what came back ("" when the handshake failed).
    QByteArray get(QSslSocket& socket, bool presentClientCertificate)
    {
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setProtocol(QSsl::TlsV1_3);
        configuration.setCaCertificates({s_certificates->certificate("ca.crt")});
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // the test checks the peer itself
        if (presentClientCertificate) {
            configuration.setLocalCertificate(s_certificates->certificate("client.crt"));
            configuration.setPrivateKey(s_certificates->key("client.key"));
        }
        socket.setSslConfiguration(configuration);
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_frontend->serverPort());
        if (!waitFor([&] {
                return socket.isEncrypted() || socket.state() == QAbstractSocket::UnconnectedState;
            }) ||
            !socket.isEncrypted())
            return {};
        socket.write("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
        QByteArray reply;
        waitFor([&] {
            reply += socket.readAll();
            return reply.endsWith("ok:/hello") || socket.state() == QAbstractSocket::UnconnectedState;
        });
        return reply;
    }

    static Certificates* s_certificates;
    std::unique_ptr<HttpFrontend> m_frontend;
};

Certificates* TlsFrontendTest::s_certificates = nullptr;

TEST_F(TlsFrontendTest, TlsPortServesHttpsWithItsCertificate)
{
    ASSERT_TRUE(start(profile(false)));
    QSslSocket socket;
    const QByteArray reply = get(socket, false);
    EXPECT_TRUE(reply.startsWith("HTTP/1.1 200 OK")) << reply.constData();
    EXPECT_TRUE(reply.endsWith("ok:/hello")) << reply.constData();
    EXPECT_EQ(socket.peerCertificate(), s_certificates->certificate("server.crt"));
    EXPECT_EQ(socket.sessionProtocol(), QSsl::TlsV1_3);
}

TEST_F(TlsFrontendTest, PlainHttpToATlsPortGetsNoAnswer)
{
    ASSERT_TRUE(start(profile(false)));
    QTcpSocket plain;
    plain.connectToHost(QHostAddress::LocalHost, m_frontend->serverPort());
    ASSERT_TRUE(waitFor([&] { return plain.state() == QAbstractSocket::ConnectedState; }));
    plain.write("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    QByteArray received;
    waitFor(
        [&] {
            received += plain.readAll();
            return plain.state() == QAbstractSocket::UnconnectedState;
        },
        3000);
    EXPECT_FALSE(received.contains("ok:/hello"));
    EXPECT_FALSE(received.startsWith("HTTP/1.1"));
}

TEST_F(TlsFrontendTest, MutualTlsAnswersOnlyClientsWithACertificateFromItsCa)
{
    ASSERT_TRUE(start(profile(true)));
    QSslSocket anonymous;
    EXPECT_FALSE(get(anonymous, false).contains("ok:/hello"));
    QSslSocket known;
    const QByteArray reply = get(known, true);
    EXPECT_TRUE(reply.endsWith("ok:/hello")) << reply.constData();
}

TEST_F(TlsFrontendTest, EncryptedKeyIsUsedWithItsPassword)
{
    TlsServerProfile tls = profile(false);
    tls.privateKey = s_certificates->path("server-encrypted.key");
    tls.keyPassword = "secret";
    ASSERT_TRUE(start(tls));
    QSslSocket socket;
    EXPECT_TRUE(get(socket, false).endsWith("ok:/hello"));
}

TEST_F(TlsFrontendTest, UnusableFilesStopListenAndAreNamed)
{
    TlsServerProfile missing = profile(false);
    missing.certificate = s_certificates->path("absent.crt");
    QString error;
    EXPECT_FALSE(start(missing, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("absent.crt"))) << error.toStdString();

    TlsServerProfile wrongPassword = profile(false);
    wrongPassword.privateKey = s_certificates->path("server-encrypted.key");
    wrongPassword.keyPassword = "not-the-password";
    EXPECT_FALSE(start(wrongPassword, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("server-encrypted.key"))) << error.toStdString();

    TlsServerProfile notACertificate = profile(false);
    notACertificate.certificate = s_certificates->path("server.key");
    EXPECT_FALSE(start(notACertificate, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("server.key"))) << error.toStdString();
}

TEST_F(TlsFrontendTest, BackendClientWithATlsProfileTalksMutualTls)
{
    ASSERT_TRUE(start(profile(true)));
    const QByteArray url = "https://127.0.0.1:" + QByteArray::number(m_frontend->serverPort()) + "/hello";
    const auto fetch = [&](const coord::client::TlsClientProfile& tls) {
        coord::client::BackendClient client(tls);
        coord::client::BackendRequest request;
        request.method = "GET";
        request.url = url;
        QByteArray body;
        std::optional<coord::client::TransferOutcome> outcome;
        request.onData = [&](const QByteArray& data) { body += data; };
        request.onDone = [&](coord::client::TransferOutcome result, const QString&) { outcome = result; };
        client.start(std::move(request));
        waitFor([&] { return outcome.has_value(); });
        return std::make_pair(outcome, body);
    };

    coord::client::TlsClientProfile tls;
    tls.enabled = true;
    tls.caCert = s_certificates->path("ca.crt");
    tls.certificate = s_certificates->path("client.crt");
    tls.privateKey = s_certificates->path("client.key");
    const auto [outcome, body] = fetch(tls);
    ASSERT_TRUE(outcome.has_value());
    EXPECT_EQ(*outcome, coord::client::TransferOutcome::Completed);
    EXPECT_EQ(body, "ok:/hello");

    // A client that does not trust the server's CA does not get through.
    coord::client::TlsClientProfile untrusting = tls;
    untrusting.caCert = s_certificates->path("client.crt");
    const auto [refused, nothing] = fetch(untrusting);
    ASSERT_TRUE(refused.has_value());
    EXPECT_EQ(*refused, coord::client::TransferOutcome::ConnectFailed);
    EXPECT_TRUE(nothing.isEmpty());
}

} // namespace
