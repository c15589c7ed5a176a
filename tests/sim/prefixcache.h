#pragma once

#include <list>

#include <QHash>
#include <QList>

namespace mindiesim {

// Cached KV blocks keyed by chained block hashes. Blocks in use by a running request are pinned;
// unpinned blocks stay cached and are evicted least recently used first when memory is needed.
class PrefixCache
{
public:
    // Number of leading hashes present in the cache (the reusable prefix, in blocks).
    int matchLength(const QList<quint64>& hashes) const;
    bool contains(quint64 hash) const { return m_entries.contains(hash); }
    void pin(quint64 hash);
    void unpin(quint64 hash);
    // Adds a block owned by the cache, pinned once by the inserting request.
    void insertPinned(quint64 hash);
    bool evictOne();
    int size() const { return int(m_entries.size()); }
    int evictableCount() const { return int(m_lru.size()); }

private:
    struct Entry
    {
        int pins = 0;
        std::list<quint64>::iterator lruPosition;
    };
    QHash<quint64, Entry> m_entries;
    std::list<quint64> m_lru; // unpinned entries, least recently used at the front
};

} // namespace mindiesim
