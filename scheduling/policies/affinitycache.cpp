#include "affinitycache.h"

#include <algorithm>

namespace coord::scheduling {

AffinityCache::AffinityCache(qsizetype capacity) : m_capacity(std::max<qsizetype>(1, capacity)) {}

std::optional<quint64> AffinityCache::lookup(quint64 key) const
{
    const auto it = m_index.find(key);
    if (it == m_index.end())
        return std::nullopt;
    return it->second->second;
}

void AffinityCache::store(quint64 key, quint64 instanceId)
{
    erase(key);
    while (size() >= m_capacity) {
        m_index.erase(m_byAge.front().first);
        m_byAge.pop_front();
    }
    m_byAge.emplace_back(key, instanceId);
    m_index.emplace(key, std::prev(m_byAge.end()));
}

void AffinityCache::rename(quint64 from, quint64 to)
{
    const auto it = m_index.find(from);
    if (it == m_index.end())
        return;
    const quint64 instanceId = it->second->second;
    erase(from);
    store(to, instanceId);
}

void AffinityCache::erase(quint64 key)
{
    const auto it = m_index.find(key);
    if (it == m_index.end())
        return;
    m_byAge.erase(it->second);
    m_index.erase(it);
}

QList<quint64> AffinityCache::keysOldestFirst() const
{
    QList<quint64> keys;
    keys.reserve(size());
    for (const Entry& entry : m_byAge)
        keys.append(entry.first);
    return keys;
}

} // namespace coord::scheduling
