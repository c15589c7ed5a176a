#include "conversationkey.h"

#include "util/compactjson.h"

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

ConversationKey ConversationKey::fromMessages(const QJsonArray& messages)
{
    QList<QByteArray> dumps;
    dumps.reserve(messages.size());
    for (const QJsonValue& message : messages)
        dumps.append(compactJson(message));
    return fromMessageDumps(dumps);
}

ConversationKey ConversationKey::fromMessageDumps(const QList<QByteArray>& dumps)
{
    ConversationKey key;
    key.messageCount = dumps.size();
    const qsizetype historyLength = dumps.size() - 2;
    quint64 hash = kFnv1aOffsetBasis;
    for (qsizetype i = 0; i < dumps.size(); ++i) {
        if (historyLength > 0 && i == historyLength)
            key.historyHash = hash;
        hash = fnv1a64(dumps[i].constData(), dumps[i].size(), hash);
    }
    key.fullHash = hash;
    return key;
}

} // namespace coord::scheduling
