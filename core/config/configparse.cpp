#include "configparse.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace coord::config {

namespace {

void measureDepth(const QJsonValue& value, const QString& path, int depth, int& maxDepth,
                  QString& deepestPath)
{
    if (!value.isObject() && !value.isArray())
        return;
    if (depth > maxDepth) {
        maxDepth = depth;
        deepestPath = path;
    }
    const auto childPath = [&path](const QString& key) { return path.isEmpty() ? key : path + '.' + key; };
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            measureDepth(it.value(), childPath(it.key()), depth + 1, maxDepth, deepestPath);
        return;
    }
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i)
        measureDepth(array[i], path + QStringLiteral("[%1]").arg(i), depth + 1, maxDepth, deepestPath);
}

QString lineAndColumn(const QByteArray& bytes, int offset)
{
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset && i < bytes.size(); ++i) {
        if (bytes[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

} // namespace

int jsonNestingDepth(const QJsonValue& value, QString* deepestPath)
{
    int maxDepth = 0;
    QString path;
    measureDepth(value, QString(), 1, maxDepth, path);
    if (deepestPath)
        *deepestPath = path;
    return maxDepth;
}

ParsedDocument parseConfigDocument(const QByteArray& bytes, const QString& sourceName)
{
    ParsedDocument parsed;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError) {
        parsed.errors.append({sourceName,
                              QStringLiteral("invalid JSON at %1 (offset %2): %3")
                                  .arg(lineAndColumn(bytes, error.offset))
                                  .arg(error.offset)
                                  .arg(error.errorString()),
                              {}});
        return parsed;
    }
    if (!document.isObject()) {
        parsed.errors.append({sourceName, QStringLiteral("the document must be a JSON object"), {}});
        return parsed;
    }
    QString deepestPath;
    const int depth = jsonNestingDepth(document.object(), &deepestPath);
    if (depth > kMaxJsonNestingDepth) {
        parsed.errors.append({deepestPath,
                              QStringLiteral("JSON nesting depth %1 exceeds the limit").arg(depth),
                              QStringLiteral("at most %1 levels").arg(kMaxJsonNestingDepth)});
        return parsed;
    }
    parsed.root = document.object();
    return parsed;
}

} // namespace coord::config
