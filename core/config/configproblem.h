#pragma once

#include <QList>
#include <QString>

namespace coord::config {

// One finding about a configuration: which key, what is wrong, and what would be accepted.
// The same type carries errors and warnings; the list it sits in decides the severity.
struct ConfigProblem
{
    QString path;    // JSON key path ("http_config.predict_port"), an env var name or "command line"
    QString message; // what is wrong, without the key path
    QString allowed; // accepted range or values; empty when no range applies

    // "<path>: <message> (allowed: <allowed>)"; the parenthesis is left out when `allowed` is empty.
    QString toString() const;

    bool operator==(const ConfigProblem&) const = default;
};

// Everything the validator found in one pass. Validation never stops at the first error.
struct ValidationReport
{
    QList<ConfigProblem> errors;
    QList<ConfigProblem> warnings;

    bool ok() const { return errors.isEmpty(); }
    void addError(const QString& path, const QString& message, const QString& allowed = {});
    void addWarning(const QString& path, const QString& message, const QString& allowed = {});
};

QStringList toStringList(const QList<ConfigProblem>& problems);

} // namespace coord::config
