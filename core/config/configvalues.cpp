#include "configvalues.h"

#include <cmath>
#include <cstring>

#include <QRegularExpression>

#include <arpa/inet.h>

namespace coord::config {

QJsonValue valueAt(const QJsonObject& root, const QString& path)
{
    const QStringList parts = path.split(QLatin1Char('.'));
    QJsonObject current = root;
    for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
        const QJsonValue next = current.value(parts[i]);
        if (!next.isObject())
            return QJsonValue(QJsonValue::Undefined);
        current = next.toObject();
    }
    return current.value(parts.last());
}

namespace {

bool setValueIn(QJsonObject& object, const QStringList& parts, qsizetype index, const QJsonValue& value)
{
    if (index + 1 == parts.size()) {
        object.insert(parts[index], value);
        return true;
    }
    const QJsonValue existing = object.value(parts[index]);
    if (!existing.isUndefined() && !existing.isObject())
        return false;
    QJsonObject child = existing.toObject();
    if (!setValueIn(child, parts, index + 1, value))
        return false;
    object.insert(parts[index], child);
    return true;
}

} // namespace

bool setValueAt(QJsonObject& root, const QString& path, const QJsonValue& value)
{
    return setValueIn(root, path.split(QLatin1Char('.')), 0, value);
}

namespace {

// inet_pton is the strictest widely agreed definition of an address literal and keeps
// coord_core free of QtNetwork.
std::optional<QByteArray> addressBytes(const QString& text)
{
    const QByteArray latin = text.toLatin1();
    if (latin.isEmpty() || latin.contains('\0') || text.size() != latin.size())
        return std::nullopt;
    unsigned char buffer[16] = {};
    if (inet_pton(AF_INET, latin.constData(), buffer) == 1)
        return QByteArray(reinterpret_cast<const char*>(buffer), 4);
    if (inet_pton(AF_INET6, latin.constData(), buffer) == 1)
        return QByteArray(reinterpret_cast<const char*>(buffer), 16);
    return std::nullopt;
}

} // namespace

bool isValidIpAddress(const QString& text)
{
    return addressBytes(text).has_value();
}

bool isAllZeroIpAddress(const QString& text)
{
    const std::optional<QByteArray> bytes = addressBytes(text);
    return bytes && bytes->count('\0') == bytes->size();
}

std::optional<qint64> parseIntegerText(const QString& text)
{
    static const QRegularExpression integer(QStringLiteral("^\\s*[+-]?[0-9]+\\s*$"));
    if (!integer.match(text).hasMatch())
        return std::nullopt;
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    return ok ? std::optional<qint64>(value) : std::nullopt;
}

std::optional<double> parseDecimalText(const QString& text)
{
    static const QRegularExpression decimal(
        QStringLiteral("^\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*$"));
    if (!decimal.match(text).hasMatch())
        return std::nullopt;
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    return ok && std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

NumberList parseNumberList(const QString& text)
{
    NumberList list;
    if (text.trimmed().isEmpty())
        return list;
    for (const QString& element : text.split(QLatin1Char(','))) {
        if (const std::optional<double> number = parseDecimalText(element))
            list.numbers.append(*number);
        else
            list.invalidElements.append(element.trimmed());
    }
    return list;
}

QString describeJsonValue(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("boolean true") : QStringLiteral("boolean false");
    case QJsonValue::Double:
        return QStringLiteral("number ") + formatNumber(value.toDouble());
    case QJsonValue::String: {
        QString shown = value.toString();
        if (shown.size() > 40)
            shown = shown.left(37) + QStringLiteral("...");
        return QStringLiteral("string \"%1\"").arg(shown);
    }
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        return QStringLiteral("nothing");
    }
    return {};
}

QString formatNumber(double value)
{
    if (std::abs(value) < 1e15 && value == std::floor(value))
        return QString::number(static_cast<qint64>(value));
    return QString::number(value, 'g', 12);
}

} // namespace coord::config
