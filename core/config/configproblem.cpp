#include "configproblem.h"

#include <QStringList>

namespace coord::config {

QString ConfigProblem::toString() const
{
    QString text = path + QStringLiteral(": ") + message;
    if (!allowed.isEmpty())
        text += QStringLiteral(" (allowed: ") + allowed + QLatin1Char(')');
    return text;
}

void ValidationReport::addError(const QString& path, const QString& message, const QString& allowed)
{
    errors.append({path, message, allowed});
}

void ValidationReport::addWarning(const QString& path, const QString& message, const QString& allowed)
{
    warnings.append({path, message, allowed});
}

QStringList toStringList(const QList<ConfigProblem>& problems)
{
    QStringList lines;
    lines.reserve(problems.size());
    for (const ConfigProblem& problem : problems)
        lines.append(problem.toString());
    return lines;
}

} // namespace coord::config
