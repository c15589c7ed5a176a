// Human-readable descriptions of a schema row, shared by problem messages, --check-config and
// the generated reference so that all of them word a range the same way.
#include <limits>

#include <QJsonArray>
#include <QJsonDocument>

#include "configschema.h"

namespace coord::config {

namespace {

QString formatBound(double value, bool fractional)
{
    if (!fractional)
        return QString::number(static_cast<qint64>(value));
    QString text = QString::number(value);
    if (!text.contains(QLatin1Char('.')) && !text.contains(QLatin1Char('e')))
        text += QStringLiteral(".0");
    return text;
}

QString rangeText(const ConfigKey& key, bool fractional, bool quoted)
{
    const QString q = quoted ? QStringLiteral("\"") : QString();
    const QString low = q + formatBound(key.minimum, fractional) + q;
    QString text;
    if (key.maximum >= std::numeric_limits<int>::max())
        text = QStringLiteral(">= ") + low;
    else
        text = low + QStringLiteral("..") + q + formatBound(key.maximum, fractional) + q;
    if (!key.unit.isEmpty())
        text += QLatin1Char(' ') + key.unit;
    return text;
}

QString quotedList(const QStringList& values)
{
    QStringList quoted;
    for (const QString& value : values)
        quoted.append(QLatin1Char('"') + value + QLatin1Char('"'));
    return quoted.join(QStringLiteral(", "));
}

} // namespace

QString ConfigKey::key() const
{
    return path.section(QLatin1Char('.'), -1);
}

QString ConfigKey::parentPath() const
{
    const qsizetype dot = path.lastIndexOf(QLatin1Char('.'));
    return dot < 0 ? QString() : path.left(dot);
}

QString ConfigKey::typeName() const
{
    switch (type) {
    case ValueType::Object:
        return QStringLiteral("object");
    case ValueType::Bool:
        return QStringLiteral("bool");
    case ValueType::Integer:
        return QStringLiteral("integer");
    case ValueType::Number:
        return QStringLiteral("number");
    case ValueType::String:
        return QStringLiteral("string");
    case ValueType::FilePath:
        return QStringLiteral("path string");
    case ValueType::IpAddress:
        return QStringLiteral("IP string");
    case ValueType::PortString:
        return QStringLiteral("port string");
    case ValueType::IntegerString:
        return QStringLiteral("integer string");
    case ValueType::DecimalString:
        return QStringLiteral("decimal string");
    case ValueType::EnumString:
        return QStringLiteral("enum string");
    case ValueType::NumberListString:
        return QStringLiteral("number-list string");
    }
    return {};
}

QString ConfigKey::allowedText() const
{
    switch (type) {
    case ValueType::Object:
        return QStringLiteral("a JSON object");
    case ValueType::Bool:
        return QStringLiteral("true, false");
    case ValueType::Integer:
        return bounded ? rangeText(*this, false, false) : QStringLiteral("an integer");
    case ValueType::Number:
        return bounded ? rangeText(*this, true, false) : QStringLiteral("a number");
    case ValueType::String:
    case ValueType::FilePath:
        return allowEmpty ? QStringLiteral("a string of at most 4096 characters, may be empty")
                          : QStringLiteral("a non-empty string of at most 4096 characters");
    case ValueType::IpAddress:
        return QStringLiteral("an IPv4 or IPv6 address");
    case ValueType::PortString:
    case ValueType::IntegerString:
        return rangeText(*this, false, true);
    case ValueType::DecimalString:
        return rangeText(*this, true, true);
    case ValueType::EnumString:
        return quotedList(allowedValues);
    case ValueType::NumberListString:
        if (!allowedValues.isEmpty())
            return quotedList(allowedValues);
        return QStringLiteral("%1 comma-separated numbers >= 0 (n and k >= 1)").arg(listLength);
    }
    return {};
}

QString ConfigKey::requirementText() const
{
    switch (requirement) {
    case Requirement::Always:
        return QStringLiteral("always");
    case Requirement::Optional:
        return QStringLiteral("optional");
    case Requirement::WhenCacheAffinity:
        return QStringLiteral("when algorithm_type is cache_affinity");
    case Requirement::WhenLoadBalance:
        return QStringLiteral("when algorithm_type is load_balance");
    case Requirement::WhenTlsBlockEnabled:
        return QStringLiteral("when %1 is true").arg(conditionPath.section(QLatin1Char('.'), -1));
    case Requirement::WhenBackupEnabled:
        return QStringLiteral("when backup_config.function_enable is true");
    }
    return {};
}

QString ConfigKey::defaultText() const
{
    if (defaultValue.isUndefined())
        return {};
    // Wrapping in an array is the shortest way to get Qt's JSON spelling of a scalar.
    const QByteArray json = QJsonDocument(QJsonArray{defaultValue}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

} // namespace coord::config
