#include "faultsettings.h"

#include <QStringList>

namespace mindiesim {

QJsonObject FaultSettings::toJson() const
{
    QJsonObject json;
    json.insert(QLatin1String("crash_after"), crashAfter);
    json.insert(QLatin1String("stall"), stall);
    json.insert(QLatin1String("refuse"), refuse);
    json.insert(QLatin1String("error_rate"), errorRate);
    json.insert(QLatin1String("slow_factor"), slowFactor);
    json.insert(QLatin1String("dresult_error_every"), dresultErrorEvery);
    json.insert(QLatin1String("dresult_retry_every"), dresultRetryEvery);
    json.insert(QLatin1String("dresult_error_next"), dresultErrorNext);
    json.insert(QLatin1String("dresult_retry_next"), dresultRetryNext);
    json.insert(QLatin1String("drop_dresult_after"), dropDresultAfter);
    return json;
}

QByteArray FaultSettings::apply(const QJsonObject& json)
{
    // Actions (crash, drop_dresult, reset) are handled by the instance; they are accepted here.
    static const QStringList actions = {QStringLiteral("crash"), QStringLiteral("drop_dresult"),
                                        QStringLiteral("reset")};
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        const auto count = [&](int& field) {
            if (!value.isDouble() || value.toDouble() < 0)
                return false;
            field = value.toInt();
            return true;
        };
        bool ok = true;
        if (key == QLatin1String("crash_after"))
            ok = count(crashAfter);
        else if (key == QLatin1String("stall"))
            ok = value.isBool() && ((stall = value.toBool()), true);
        else if (key == QLatin1String("refuse"))
            ok = value.isBool() && ((refuse = value.toBool()), true);
        else if (key == QLatin1String("error_rate"))
            ok = value.isDouble() && value.toDouble() >= 0 && value.toDouble() <= 1 &&
                 ((errorRate = value.toDouble()), true);
        else if (key == QLatin1String("slow_factor"))
            ok = value.isDouble() && value.toDouble() > 0 && ((slowFactor = value.toDouble()), true);
        else if (key == QLatin1String("dresult_error_every"))
            ok = count(dresultErrorEvery);
        else if (key == QLatin1String("dresult_retry_every"))
            ok = count(dresultRetryEvery);
        else if (key == QLatin1String("dresult_error_next"))
            ok = count(dresultErrorNext);
        else if (key == QLatin1String("dresult_retry_next"))
            ok = count(dresultRetryNext);
        else if (key == QLatin1String("drop_dresult_after"))
            ok = count(dropDresultAfter);
        else if (!actions.contains(key))
            return "unknown fault key: " + key.toUtf8();
        if (!ok)
            return "bad value for fault key: " + key.toUtf8();
    }
    return {};
}

} // namespace mindiesim
