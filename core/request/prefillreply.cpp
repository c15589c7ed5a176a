#include "prefillreply.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace coord {

std::optional<PrefillReply> parsePrefillReply(const QByteArray& body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    const QJsonValue requestId = object.value(QLatin1String("reqId"));
    const QJsonValue isStream = object.value(QLatin1String("isStream"));
    const QJsonValue isLastResp = object.value(QLatin1String("isLastResp"));
    const QJsonValue output = object.value(QLatin1String("output"));
    if (!requestId.isString() || !isStream.isBool() || !isLastResp.isBool() || !output.isString())
        return std::nullopt;
    return PrefillReply{requestId.toString().toUtf8(), isStream.toBool(), isLastResp.toBool(),
                        output.toString().toUtf8()};
}

} // namespace coord
