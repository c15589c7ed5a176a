#pragma once

#include <optional>

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

// Small value helpers shared by the validator, the overrides and the typed-config builder, so
// that "what counts as a valid port string" is decided in exactly one place.
namespace coord::config {

// Value at a dotted path; Undefined when any element is missing or a parent is not an object.
QJsonValue valueAt(const QJsonObject& root, const QString& path);

// Sets the value at a dotted path, creating missing parent objects. Returns false (and changes
// nothing) when a parent exists but is not an object.
bool setValueAt(QJsonObject& root, const QString& path, const QJsonValue& value);

bool isValidIpAddress(const QString& text);
bool isAllZeroIpAddress(const QString& text); // 0.0.0.0, ::, 0:0::0 ...

// Decimal integer with optional sign and surrounding blanks; nullopt for anything else,
// including values that do not fit into 64 bits.
std::optional<qint64> parseIntegerText(const QString& text);

// Finite decimal number ("0.05", "1", "-2.5e3") with surrounding blanks allowed.
std::optional<double> parseDecimalText(const QString& text);

// "0, 0.22, 1024": every comma-separated element that parses goes to `numbers`; the others, trimmed,
// go to `invalidElements`. An empty or blank string gives two empty lists.
struct NumberList
{
    QList<double> numbers;
    QStringList invalidElements;
};
NumberList parseNumberList(const QString& text);

// `string "abc"`, `number 1.5`, `boolean true`, `null`, `array`, `object`: used in type errors.
QString describeJsonValue(const QJsonValue& value);

// Number as a user would write it: 600, 4.02, 1e+20.
QString formatNumber(double value);

} // namespace coord::config
