#include "configvalidator.h"

#include <algorithm>
#include <cmath>

#include <QSet>

#include "configrules.h"
#include "configschema.h"
#include "configvalues.h"

namespace coord::config {

namespace {

constexpr qsizetype kMaxStringLength = 4096;

bool isStringType(ValueType type)
{
    return type != ValueType::Object && type != ValueType::Bool && type != ValueType::Integer &&
           type != ValueType::Number;
}

QString expectedKind(ValueType type)
{
    switch (type) {
    case ValueType::Object:
        return QStringLiteral("an object");
    case ValueType::Bool:
        return QStringLiteral("a boolean");
    case ValueType::Integer:
        return QStringLiteral("an integer");
    case ValueType::Number:
        return QStringLiteral("a number");
    default:
        return QStringLiteral("a string");
    }
}

bool hasExpectedType(ValueType type, const QJsonValue& value)
{
    switch (type) {
    case ValueType::Object:
        return value.isObject();
    case ValueType::Bool:
        return value.isBool();
    case ValueType::Integer:
        return value.isDouble() && value.toDouble() == std::floor(value.toDouble());
    case ValueType::Number:
        return value.isDouble();
    default:
        return value.isString();
    }
}

bool inRange(const ConfigKey& key, double value)
{
    return !key.bounded || (value >= key.minimum && value <= key.maximum);
}

// Walks the schema rows in order. Parents come before children, so by the time a key is checked
// we know whether its section is usable and whether its section's condition holds.
class KeyChecker
{
public:
    KeyChecker(const QJsonObject& root, ValidationReport& report) : m_root(root), m_report(report) {}

    void check(const ConfigKey& key)
    {
        const QString parent = key.parentPath();
        if (m_unusable.contains(parent)) {
            m_unusable.insert(key.path);
            return;
        }
        const bool active = conditionHolds(key) && !m_inactive.contains(parent);
        const QJsonValue value = valueAt(m_root, key.path);
        if (value.isUndefined()) {
            if (active && key.requirement != Requirement::Optional)
                reportMissing(key);
            m_unusable.insert(key.path);
            return;
        }
        if (!hasExpectedType(key.type, value)) {
            report(
                key,
                QStringLiteral("expected %1, got %2").arg(expectedKind(key.type), describeJsonValue(value)));
            m_unusable.insert(key.path);
            return;
        }
        if (!active) {
            m_inactive.insert(key.path);
            return;
        }
        checkContent(key, value);
    }

private:
    bool conditionHolds(const ConfigKey& key) const
    {
        const QString algorithm =
            valueAt(m_root, QStringLiteral("digs_scheduler_config.algorithm_type")).toString();
        switch (key.requirement) {
        case Requirement::Always:
        case Requirement::Optional:
            return true;
        case Requirement::WhenCacheAffinity:
            return algorithm == QLatin1String("cache_affinity");
        case Requirement::WhenLoadBalance:
            return algorithm == QLatin1String("load_balance");
        case Requirement::WhenTlsBlockEnabled:
        case Requirement::WhenBackupEnabled:
            return valueAt(m_root, key.conditionPath).toBool(false);
        }
        return true;
    }

    void report(const ConfigKey& key, const QString& message)
    {
        if (key.advisory)
            m_report.addWarning(key.path, message, key.allowedText());
        else
            m_report.addError(key.path, message, key.allowedText());
    }

    void reportMissing(const ConfigKey& key)
    {
        const QString what =
            key.type == ValueType::Object ? QStringLiteral("section") : QStringLiteral("key");
        if (key.requirement == Requirement::Always)
            report(key, QStringLiteral("missing required %1").arg(what));
        else
            report(key, QStringLiteral("missing %1, required %2").arg(what, key.requirementText()));
    }

    void checkContent(const ConfigKey& key, const QJsonValue& value)
    {
        if (key.type == ValueType::Integer || key.type == ValueType::Number) {
            if (!inRange(key, value.toDouble()))
                report(key, QStringLiteral("%1 is out of range").arg(formatNumber(value.toDouble())));
            return;
        }
        if (isStringType(key.type))
            checkString(key, value.toString());
    }

    void checkString(const ConfigKey& key, const QString& text)
    {
        if (text.isEmpty()) {
            if (!key.allowEmpty)
                report(key, QStringLiteral("must not be empty"));
            return;
        }
        if (text.size() > kMaxStringLength) {
            report(
                key,
                QStringLiteral("is %1 characters long, more than %2").arg(text.size()).arg(kMaxStringLength));
            return;
        }
        const QString quoted = QLatin1Char('"') + text + QLatin1Char('"');
        switch (key.type) {
        case ValueType::IpAddress:
            if (!isValidIpAddress(text))
                report(key, quoted + QStringLiteral(" is not a valid IPv4 or IPv6 address"));
            break;
        case ValueType::PortString:
        case ValueType::IntegerString: {
            const std::optional<qint64> number = parseIntegerText(text);
            if (!number)
                report(key,
                       quoted + (key.type == ValueType::PortString ? QStringLiteral(" is not a port number")
                                                                   : QStringLiteral(" is not an integer")));
            else if (!inRange(key, static_cast<double>(*number)))
                report(key, quoted + QStringLiteral(" is out of range"));
            break;
        }
        case ValueType::DecimalString: {
            const std::optional<double> number = parseDecimalText(text);
            if (!number)
                report(key, quoted + QStringLiteral(" is not a number"));
            else if (!inRange(key, *number))
                report(key, quoted + QStringLiteral(" is out of range"));
            break;
        }
        case ValueType::EnumString:
            if (!key.allowedValues.contains(text))
                report(key, QStringLiteral("unknown value ") + quoted);
            break;
        case ValueType::NumberListString:
            checkNumberList(key, text);
            break;
        default:
            break;
        }
    }

    void checkNumberList(const ConfigKey& key, const QString& text)
    {
        const QString quoted = QLatin1Char('"') + text + QLatin1Char('"');
        const NumberList list = parseNumberList(text);
        if (!key.allowedValues.isEmpty()) {
            for (const QString& choice : key.allowedValues) {
                if (list.invalidElements.isEmpty() && list.numbers == parseNumberList(choice).numbers)
                    return;
            }
            report(key, quoted + QStringLiteral(" is not an accepted value"));
            return;
        }
        if (!list.invalidElements.isEmpty()) {
            report(key, quoted + QStringLiteral(" contains elements that are not numbers: \"%1\"")
                                     .arg(list.invalidElements.join(QStringLiteral("\", \""))));
        } else if (list.numbers.size() > key.listLength) {
            report(key, quoted + QStringLiteral(" has %1 numbers, more than %2")
                                     .arg(list.numbers.size())
                                     .arg(key.listLength));
        } else if (list.numbers.size() < key.listLength) {
            m_report.addWarning(key.path,
                                QStringLiteral("has only %1 of %2 numbers; the defaults %3 are used instead")
                                    .arg(list.numbers.size())
                                    .arg(key.listLength)
                                    .arg(key.defaultText()));
        }
    }

    const QJsonObject& m_root;
    ValidationReport& m_report;
    QSet<QString> m_unusable; // missing, or the wrong type: children are not looked at
    QSet<QString> m_inactive; // present but its condition is false: children are only type-checked
};

int editDistance(const QString& a, const QString& b)
{
    QList<int> previous(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        previous[j] = static_cast<int>(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        QList<int> current(b.size() + 1);
        current[0] = static_cast<int>(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int substitution = previous[j - 1] + (a[i - 1].toLower() == b[j - 1].toLower() ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        previous = current;
    }
    return previous[b.size()];
}

QString closestSibling(const QString& parent, const QString& key)
{
    QString best;
    int bestDistance = std::max(2, static_cast<int>(key.size() / 3)) + 1;
    for (const ConfigKey& row : configSchema()) {
        if (row.parentPath() != parent)
            continue;
        const int distance = editDistance(key, row.key());
        if (distance < bestDistance) {
            bestDistance = distance;
            best = row.key();
        }
    }
    return best;
}

void reportUnknownKeys(const QJsonObject& object, const QString& prefix, ValidationReport& report)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString path = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        const ConfigKey* key = findConfigKey(path);
        if (!key) {
            const QString suggestion = closestSibling(prefix, it.key());
            report.addWarning(
                path, suggestion.isEmpty()
                          ? QStringLiteral("unknown key, ignored")
                          : QStringLiteral("unknown key, ignored; did you mean \"%1\"?").arg(suggestion));
            continue;
        }
        if (key->type == ValueType::Object && it.value().isObject())
            reportUnknownKeys(it.value().toObject(), path, report);
    }
}

} // namespace

ValidationReport validateConfig(const QJsonObject& root, const ValidationOptions& options)
{
    ValidationReport report;
    KeyChecker checker(root, report);
    for (const ConfigKey& key : configSchema())
        checker.check(key);
    applyCrossKeyRules(root, options, report);
    reportUnknownKeys(root, QString(), report);
    return report;
}

} // namespace coord::config
