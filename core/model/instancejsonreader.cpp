#include "instancejsonreader.h"

#include <cmath>

#include <QJsonArray>

namespace coord {

quint16 parseInstancePort(const QString& text)
{
    if (text.isEmpty() || text.size() > 5)
        return 0;
    for (const QChar c : text) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return 0;
    }
    const int value = text.toInt();
    return value >= kMinInstancePort && value <= kMaxInstancePort ? quint16(value) : quint16(0);
}

std::optional<qint64> jsonWholeNumber(const QJsonValue& value)
{
    if (!value.isDouble())
        return std::nullopt;
    // toInteger() answers only for whole numbers that fit qint64; the two defaults tell a real
    // value apart from the fallback.
    const qint64 first = value.toInteger(0);
    if (first != 0 || value.toInteger(1) == 0)
        return first;
    return std::nullopt;
}

std::optional<quint64> jsonUnsignedNumber(const QJsonValue& value)
{
    if (const auto whole = jsonWholeNumber(value))
        return *whole >= 0 ? std::optional<quint64>(quint64(*whole)) : std::nullopt;
    if (!value.isDouble())
        return std::nullopt;
    const double number = value.toDouble();
    constexpr double kTwoTo64 = 18446744073709551616.0;
    if (number < 0 || number >= kTwoTo64 || std::floor(number) != number)
        return std::nullopt;
    return quint64(number);
}

namespace {

// Collects the first problem; later reads become no-ops so the code reads as a flat list.
class FieldReader
{
public:
    explicit FieldReader(const QJsonObject& object, QString prefix = QString())
        : m_object(object), m_prefix(std::move(prefix))
    {}

    const QString& error() const { return m_error; }
    void fail(const QString& error)
    {
        if (m_error.isEmpty())
            m_error = error;
    }

    QJsonValue required(const char* key)
    {
        const QJsonValue value = m_object.value(QLatin1String(key));
        if (value.isUndefined())
            fail(QStringLiteral("missing required key '%1'").arg(path(key)));
        return value;
    }

    QString string(const char* key)
    {
        const QJsonValue value = required(key);
        if (!value.isUndefined() && !value.isString())
            fail(QStringLiteral("'%1' must be a string").arg(path(key)));
        return value.toString();
    }

    qint64 integer(const char* key)
    {
        const QJsonValue value = required(key);
        const auto number = jsonWholeNumber(value);
        if (!value.isUndefined() && !number)
            fail(QStringLiteral("'%1' must be an integer").arg(path(key)));
        return number.value_or(0);
    }

    quint64 unsignedInteger(const char* key)
    {
        const QJsonValue value = required(key);
        const auto number = jsonUnsignedNumber(value);
        if (!value.isUndefined() && !number)
            fail(QStringLiteral("'%1' must be a non-negative integer").arg(path(key)));
        return number.value_or(0);
    }

    QJsonObject object(const char* key)
    {
        const QJsonValue value = required(key);
        if (!value.isUndefined() && !value.isObject())
            fail(QStringLiteral("'%1' must be an object").arg(path(key)));
        return value.toObject();
    }

    QString path(const char* key) const
    {
        return m_prefix.isEmpty() ? QLatin1String(key) : m_prefix + QLatin1Char('.') + QLatin1String(key);
    }

private:
    const QJsonObject& m_object;
    QString m_prefix;
    QString m_error;
};

QString readStaticInfo(const QJsonObject& json, InstanceStaticInfo& info)
{
    FieldReader reader(json, QStringLiteral("static_info"));
    info.groupId = reader.unsignedInteger("group_id");
    const qint64 roleCode = reader.integer("role");
    const qint64 labelCode = reader.integer("label");
    info.pPercentage = reader.integer("p_percentage");
    info.virtualId = reader.unsignedInteger("virtual_id");
    info.maxSeqLen = reader.integer("max_seq_len");
    info.maxOutputLen = reader.integer("max_output_len");
    info.totalSlotsNum = reader.integer("total_slots_num");
    info.totalBlockNum = reader.integer("total_block_num");
    info.blockSize = reader.integer("block_size");
    if (!reader.error().isEmpty())
        return reader.error();
    const auto role = instanceRoleFromCode(roleCode);
    if (!role)
        return QStringLiteral("'static_info.role' %1 is not one of 85 (U), 80 (P), 68 (D), 70 (F)")
            .arg(roleCode);
    const auto label = instanceLabelFromCode(labelCode);
    if (!label)
        return QStringLiteral("'static_info.label' %1 is not in 0..4").arg(labelCode);
    info.role = *role;
    info.label = *label;
    return QString();
}

QString readDynamicInfo(const QJsonObject& json, InstanceDynamicInfo& info)
{
    FieldReader reader(json, QStringLiteral("dynamic_info"));
    info.availSlotsNum = reader.integer("avail_slots_num");
    info.availBlockNum = reader.integer("avail_block_num");
    if (!reader.error().isEmpty())
        return reader.error();
    const QJsonValue peers = json.value(QLatin1String("peers"));
    if (peers.isUndefined() || peers.isNull())
        return QString();
    if (!peers.isArray())
        return QStringLiteral("'dynamic_info.peers' must be an array");
    const QJsonArray peerArray = peers.toArray();
    info.peers.reserve(peerArray.size());
    for (const QJsonValue& peer : peerArray) {
        const auto peerId = jsonUnsignedNumber(peer);
        if (!peerId)
            return QStringLiteral("'dynamic_info.peers' must hold non-negative integer ids");
        info.peers.append(*peerId);
    }
    return QString();
}

} // namespace

InstanceReadResult readInstanceJson(const QJsonObject& entry)
{
    InstanceInfo info;
    FieldReader reader(entry);
    info.id = reader.unsignedInteger("id");
    info.ip = reader.string("ip");
    // Ports are strings on the wire; their digits and ranges are checked below.
    const QString port = reader.string("port");
    const QString metricPort = reader.string("metric_port");
    const QString interCommPort = reader.string("inter_comm_port");
    info.modelName = reader.string("model_name");
    const QJsonObject staticJson = reader.object("static_info");
    const QJsonObject dynamicJson = reader.object("dynamic_info");
    if (!reader.error().isEmpty())
        return reader.error();
    if (QString error = readStaticInfo(staticJson, info.staticInfo); !error.isEmpty())
        return error;
    if (QString error = readDynamicInfo(dynamicJson, info.dynamicInfo); !error.isEmpty())
        return error;
    const auto portError = [](const char* key, const QString& text) {
        return QStringLiteral("'%1' must be a digit string in [%2, %3], got \"%4\"")
            .arg(QLatin1String(key))
            .arg(kMinInstancePort)
            .arg(kMaxInstancePort)
            .arg(text);
    };
    info.port = parseInstancePort(port);
    if (info.port == 0)
        return portError("port", port);
    info.metricPort = parseInstancePort(metricPort);
    if (info.metricPort == 0)
        return portError("metric_port", metricPort);
    // Only pd_disaggregation_single_container needs this port; the validator enforces it there.
    info.interCommPort = parseInstancePort(interCommPort);
    return InstanceReadResult(std::in_place_index<0>, std::move(info));
}

} // namespace coord
