#include "conversationkey.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace coord::scheduling {

quint64 fnv1a64(const char* data, qsizetype size, quint64 seed)
{
    constexpr quint64 kPrime = 1099511628211ULL;
    quint64 hash = seed;
    for (qsizetype i = 0; i < size; ++i) {
        hash ^= quint64(static_cast<unsigned char>(data[i]));
        hash *= kPrime;
    }
    return hash;
}

namespace {

// Compact JSON text of any value. QJsonDocument only holds objects and arrays, so scalars are
// dumped inside a one-element array and the brackets cut off.
QByteArray compactDump(const QJsonValue& value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

} // namespace

ConversationKey ConversationKey::fromMessages(const QJsonArray& messages)
{
    ConversationKey key;
    key.messageCount = messages.size();
    const qsizetype historyLength = messages.size() - 2;
    quint64 hash = kFnv1aOffsetBasis;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        if (historyLength > 0 && i == historyLength)
            key.historyHash = hash;
        const QByteArray dump = compactDump(messages.at(i));
        hash = fnv1a64(dump.constData(), dump.size(), hash);
    }
    key.fullHash = hash;
    return key;
}

} // namespace coord::scheduling
