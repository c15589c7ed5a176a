#pragma once

#include <list>
#include <optional>
#include <unordered_map>
#include <utility>

#include <QList>

namespace coord::scheduling {

// Conversation hash -> instance id, bounded by `cache_size`. Age is insertion (or rename) order:
// when full, the oldest entry goes; a lookup does not make an entry younger (spec §4.3).
// All operations O(1). Not thread-safe (lives inside the scheduler's lock).
class AffinityCache
{
public:
    explicit AffinityCache(qsizetype capacity);

    std::optional<quint64> lookup(quint64 key) const;
    // Inserts or overwrites; either way the entry becomes the newest.
    void store(quint64 key, quint64 instanceId);
    // Moves the entry under `from` to `to`, as the newest. No-op if `from` is absent.
    void rename(quint64 from, quint64 to);
    void erase(quint64 key);

    qsizetype size() const { return qsizetype(m_index.size()); }
    qsizetype capacity() const { return m_capacity; }
    // Keys from oldest to newest (tests and diagnostics).
    QList<quint64> keysOldestFirst() const;

private:
    using Entry = std::pair<quint64, quint64>; // key, instance id
    qsizetype m_capacity;
    std::list<Entry> m_byAge; // front = oldest
    std::unordered_map<quint64, std::list<Entry>::iterator> m_index;
};

} // namespace coord::scheduling
