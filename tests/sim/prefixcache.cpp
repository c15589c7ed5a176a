#include "prefixcache.h"

namespace mindiesim {

int PrefixCache::matchLength(const QList<quint64>& hashes) const
{
    int matched = 0;
    for (const quint64 hash : hashes) {
        if (!m_entries.contains(hash))
            break;
        ++matched;
    }
    return matched;
}

void PrefixCache::pin(quint64 hash)
{
    auto it = m_entries.find(hash);
    if (it == m_entries.end())
        return;
    if (it->pins == 0)
        m_lru.erase(it->lruPosition);
    ++it->pins;
}

void PrefixCache::unpin(quint64 hash)
{
    auto it = m_entries.find(hash);
    if (it == m_entries.end() || it->pins == 0)
        return;
    if (--it->pins == 0)
        it->lruPosition = m_lru.insert(m_lru.end(), hash);
}

void PrefixCache::insertPinned(quint64 hash)
{
    if (m_entries.contains(hash)) {
        pin(hash);
        return;
    }
    Entry entry;
    entry.pins = 1;
    m_entries.insert(hash, entry);
}

bool PrefixCache::evictOne()
{
    if (m_lru.empty())
        return false;
    m_entries.remove(m_lru.front());
    m_lru.pop_front();
    return true;
}

} // namespace mindiesim
