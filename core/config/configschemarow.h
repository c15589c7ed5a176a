#pragma once

// Building blocks of the schema table, shared by the files that fill in its sections.
#include <limits>

#include "configschema.h"

namespace coord::config::detail {

// For keys that are bounded below only ("0 or more").
inline constexpr double kNoUpperBound = std::numeric_limits<int>::max();

// Fluent construction keeps each table row on a few readable lines without designated
// initialisers (GCC 12 warns about omitted members in those).
class Row
{
public:
    Row(const QString& path, ValueType type, const QJsonValue& defaultValue = QJsonValue::Undefined)
    {
        m_key.path = path;
        m_key.type = type;
        m_key.defaultValue = defaultValue;
    }
    Row& range(double minimum, double maximum)
    {
        m_key.bounded = true;
        m_key.minimum = minimum;
        m_key.maximum = maximum;
        return *this;
    }
    Row& choices(const QStringList& values)
    {
        m_key.allowedValues = values;
        return *this;
    }
    Row& listOf(int length)
    {
        m_key.listLength = length;
        return *this;
    }
    Row& required(Requirement requirement, const QString& conditionPath = {})
    {
        m_key.requirement = requirement;
        m_key.conditionPath = conditionPath;
        return *this;
    }
    Row& optional() { return required(Requirement::Optional); }
    Row& env(const QString& name)
    {
        m_key.envVar = name;
        return *this;
    }
    Row& liveReloadable()
    {
        m_key.needsRestart = false;
        return *this;
    }
    Row& mayBeEmpty()
    {
        m_key.allowEmpty = true;
        return *this;
    }
    Row& advisory()
    {
        m_key.advisory = true;
        return *this;
    }
    Row& unit(const QString& unit)
    {
        m_key.unit = unit;
        return *this;
    }
    Row& help(const QString& text)
    {
        m_key.help = text;
        return *this;
    }
    operator ConfigKey() const { return m_key; }

private:
    ConfigKey m_key;
};

void addDigsSchedulerRows(QList<ConfigKey>& rows);
void addTlsRows(QList<ConfigKey>& rows);
void addBackupAndRuntimeRows(QList<ConfigKey>& rows);

} // namespace coord::config::detail
