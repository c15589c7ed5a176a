#pragma once

#include <optional>

#include <QByteArray>
#include <QString>

class QSslConfiguration;

namespace coord::http {

// How a listening port is secured: one of the config's server TLS blocks. Disabled means plain
// HTTP. Enabled means TLS 1.3 only with our certificate and key; when caCert is given, clients
// must present a certificate signed by it (MindIE's mutual TLS).
struct TlsServerProfile
{
    bool enabled = false;
    QString caCert; // empty: clients are not asked for a certificate
    QString certificate;
    QString privateKey;
    QByteArray keyPassword; // empty for an unencrypted key
};

// The QSslConfiguration of an enabled profile, or nothing with `error` naming the file that
// could not be read or used.
std::optional<QSslConfiguration> serverSslConfiguration(const TlsServerProfile& profile, QString* error);

} // namespace coord::http
