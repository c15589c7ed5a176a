#pragma once

#include <optional>

#include <QByteArray>
#include <QJsonArray>
#include <QList>

namespace coord::scheduling {

// The cache-affinity keys of an OpenAI `messages` array: a stable 64-bit hash over the
// concatenated compact JSON dumps of the messages (spec §4.3). Computed in one pass, on the
// worker thread before the scheduler is called (pure, any thread).
struct ConversationKey
{
    quint64 fullHash = 0;               // all messages
    std::optional<quint64> historyHash; // all but the last two; set when there are > 2 messages
    qsizetype messageCount = 0;

    static ConversationKey fromMessages(const QJsonArray& messages);
    // The same from the messages' compact dumps, when they are already written.
    static ConversationKey fromMessageDumps(const QList<QByteArray>& dumps);
};

// 64-bit FNV-1a, continued from `seed` so a hash can be built piece by piece.
inline constexpr quint64 kFnv1aOffsetBasis = 14695981039346656037ULL;
quint64 fnv1a64(const char* data, qsizetype size, quint64 seed = kFnv1aOffsetBasis);

} // namespace coord::scheduling
