#include "tlsserverprofile.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>

namespace coord::http {

namespace {
bool readFile(const QString& path, const char* what, QByteArray* contents, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read the %1 %2: %3")
                         .arg(QLatin1String(what), path, file.errorString());
        return false;
    }
    *contents = file.readAll();
    return true;
}

bool fail(QString* error, const QString& message)
{
    if (error)
        *error = message;
    return false;
}
} // namespace

std::optional<QSslConfiguration> serverSslConfiguration(const TlsServerProfile& profile, QString* error)
{
    QByteArray pem;
    if (!readFile(profile.certificate, "certificate", &pem, error))
        return std::nullopt;
    const QList<QSslCertificate> chain = QSslCertificate::fromData(pem, QSsl::Pem);
    if (chain.isEmpty()) {
        fail(error, QStringLiteral("no PEM certificate in %1").arg(profile.certificate));
        return std::nullopt;
    }
    if (!readFile(profile.privateKey, "private key", &pem, error))
        return std::nullopt;
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey, profile.keyPassword);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey, profile.keyPassword);
    if (key.isNull()) {
        fail(error, QStringLiteral(
                        "cannot use the private key %1 (not an RSA or EC key in PEM, or a wrong password)")
                        .arg(profile.privateKey));
        return std::nullopt;
    }

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setProtocol(QSsl::TlsV1_3);
    configuration.setLocalCertificate(chain.first());
    if (chain.size() > 1)
        configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    if (profile.caCert.isEmpty()) {
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    } else {
        if (!readFile(profile.caCert, "CA certificate", &pem, error))
            return std::nullopt;
        const QList<QSslCertificate> authorities = QSslCertificate::fromData(pem, QSsl::Pem);
        if (authorities.isEmpty()) {
            fail(error, QStringLiteral("no PEM certificate in %1").arg(profile.caCert));
            return std::nullopt;
        }
        configuration.setCaCertificates(authorities);
        configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    }
    return configuration;
}

} // namespace coord::http
