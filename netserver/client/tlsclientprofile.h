#pragma once

#include <QString>

namespace coord::client {

// How a client link is secured: one of the config's client TLS blocks (mindie_client,
// mindie_mangment, alarm_client, etcd_server). Disabled means plain TCP. Enabled means
// TLS 1.3 only, the server verified against caCert (no hostname check, as in MindIE), our
// certificate presented, and the CRL checked when one is given.
struct TlsClientProfile
{
    bool enabled = false;
    QString caCert;
    QString certificate;
    QString privateKey;
    QByteArray keyPassword; // read from the tls_passwd file; empty for an unencrypted key
    QString crl;            // empty: no revocation check
};

} // namespace coord::client
