#pragma once

#include <algorithm>
#include <optional>

#include <QList>

#include "conversationkey.h"
#include "request/apiflavour.h"

namespace coord::scheduling {

// Instance ids a request has already been dispatched to and failed on, so a retry lands
// elsewhere when it can. Small (at most max_retry + 1 entries), so a list beats a hash set.
using ExcludedInstances = QList<quint64>;

inline bool isExcluded(const ExcludedInstances& excluded, quint64 id)
{
    return std::find(excluded.cbegin(), excluded.cend(), id) != excluded.cend();
}

// What the scheduler needs to know about one request. Built on the worker thread, outside the
// scheduler's lock (the hashing happens there).
struct ScheduleRequest
{
    // Cache affinity only applies to OpenAI requests.
    ApiFlavour flavour = ApiFlavour::OpenAi;
    // Set for OpenAI requests whose `messages` is an array.
    std::optional<ConversationKey> conversation;
    // Prompt size estimate in tokens; unused by the default scheduler, carried for DIGS.
    qint64 tokenEstimate = 0;
    ExcludedInstances excluded;
};

} // namespace coord::scheduling
