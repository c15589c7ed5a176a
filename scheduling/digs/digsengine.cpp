#include "digsengine.h"

#include <map>

#include "schedulinglog.h"

namespace coord::scheduling::digs {

DigsEngine::DigsEngine(const DigsSettings& settings)
    : m_settings(settings), m_instances(settings), m_blockSize(settings.blockSize)
{}

void DigsEngine::upsertInstance(const InstanceInfo& info)
{
    // MindIE takes the block size once, from the first instance it sees.
    if (m_blockSize <= 0 && info.staticInfo.blockSize > 0)
        m_blockSize = info.staticInfo.blockSize;
    m_instances.upsert(info);
}

void DigsEngine::removeInstance(quint64 id)
{
    m_instances.remove(id);
}

void DigsEngine::setInstanceClosed(quint64 id, bool closed)
{
    m_instances.setClosed(id, closed);
}

bool DigsEngine::enqueue(const PendingRequest& request)
{
    if (m_records.count(request.requestKey)) {
        qCWarning(lcScheduling) << "[DIGS] request" << request.requestKey << "is already scheduled; ignored";
        return false;
    }
    Record record;
    record.ticket = m_nextTicket++;
    record.arrivalMs = request.arrivalMs;
    record.excludedPrefill = request.excludedPrefill;
    record.inputTokens =
        digsInputTokens(request.inputLength, request.inputIsTokenCount, m_settings.coefficients.i);
    m_queue.push(QueuedRequest{request.requestKey, record.ticket, record.inputTokens});
    m_records.emplace(request.requestKey, record);
    ++m_queuedCount;
    ++m_waitingCount;
    return true;
}

void DigsEngine::noteBacklog()
{
    // Warn once per backlog episode rather than on every 100 ms round.
    const bool backlogged = m_waitingCount > m_settings.maxScheduleCount;
    if (backlogged && !m_backlogWarned) {
        qCWarning(lcScheduling).nospace()
            << "[DIGS] " << m_waitingCount << " requests are waiting, more than max_schedule_count ("
            << m_settings.maxScheduleCount << ") per round";
    }
    m_backlogWarned = backlogged;
}

std::vector<Assignment> DigsEngine::runRound(qint64 nowMs)
{
    std::vector<Assignment> placed;
    if (m_queuedCount == 0)
        return placed;
    noteBacklog();
    m_queue.pullAndReorder(m_settings.maxScheduleCount, m_settings.reordering,
                           [this](const QueuedRequest& entry) {
                               const auto it = m_records.find(entry.requestKey);
                               if (it == m_records.end() || it->second.ticket != entry.ticket ||
                                   it->second.stage == Stage::Placed)
                                   return false;
                               if (it->second.stage == Stage::Waiting) {
                                   it->second.stage = Stage::Pending;
                                   --m_waitingCount;
                               }
                               return true;
                           });

    std::vector<QueuedRequest> pending = m_queue.takePending();
    std::vector<QueuedRequest> kept;
    std::vector<QueuedRequest> sentToBack;
    kept.reserve(pending.size());
    bool passStopped = false;
    for (const QueuedRequest& entry : pending) {
        if (passStopped) {
            kept.push_back(entry);
            continue;
        }
        Record& record = m_records.at(entry.requestKey);
        switch (tryPlace(record, entry, placed)) {
        case Outcome::Placed:
            break;
        case Outcome::NoPrefill:
            kept.push_back(entry);
            passStopped = stopsPass(record, nowMs);
            break;
        case Outcome::NoDecode:
            // MindIE sends it to the back of the queue. A starving request instead holds the
            // line, so that decode room freed by releases accumulates for it rather than going
            // to the smaller requests behind it.
            if (!m_settings.headOfLineBlocking && stopsPass(record, nowMs)) {
                kept.push_back(entry);
                passStopped = true;
            } else {
                sentToBack.push_back(entry);
            }
            break;
        }
    }
    kept.insert(kept.end(), sentToBack.begin(), sentToBack.end());
    m_queue.restorePending(std::move(kept));
    return placed;
}

bool DigsEngine::stopsPass(const Record& record, qint64 nowMs) const
{
    // MindIE stops at the first request no P takes. We step over it unless it has waited too
    // long: then it holds the line so that releases accumulate room for it.
    if (m_settings.headOfLineBlocking)
        return true;
    return nowMs - record.arrivalMs >= m_settings.starvationMs;
}

DigsEngine::Outcome DigsEngine::tryPlace(Record& record, const QueuedRequest& entry,
                                         std::vector<Assignment>& placed)
{
    const Demand demand = makeDemand(record.inputTokens, m_blockSize, m_settings.flatBlockDemand);
    // A retried request avoids the P instances it failed on, unless no other P can take it.
    std::optional<quint64> prefillId = m_instances.pickPrefill(demand, record.excludedPrefill);
    if (!prefillId && !record.excludedPrefill.isEmpty())
        prefillId = m_instances.pickPrefill(demand);
    if (!prefillId)
        return Outcome::NoPrefill;
    m_instances.allocatePrefill(*prefillId, demand);
    const std::optional<quint64> decodeId = m_instances.pickDecode(*prefillId, demand);
    const quint64 prefillOrder = m_instances.find(*prefillId)->order;
    if (!decodeId) {
        m_instances.releasePrefill(*prefillId, prefillOrder, demand);
        qCDebug(lcScheduling) << "[DIGS] no decode instance for request" << entry.requestKey << "via prefill"
                              << *prefillId << "; sent to the back of the queue";
        return Outcome::NoDecode;
    }
    m_instances.allocateDecode(*decodeId, demand);
    record.stage = Stage::Placed;
    record.demand = demand;
    record.prefillId = *prefillId;
    record.prefillOrder = prefillOrder;
    record.holdsPrefill = true;
    record.decodeId = *decodeId;
    record.decodeOrder = m_instances.find(*decodeId)->order;
    record.holdsDecode = true;
    --m_queuedCount;
    placed.push_back(Assignment{entry.requestKey, *prefillId, *decodeId, record.inputTokens});
    return Outcome::Placed;
}

bool DigsEngine::releasePrefill(quint64 requestKey)
{
    const auto it = m_records.find(requestKey);
    if (it == m_records.end() || !it->second.holdsPrefill)
        return false;
    Record& record = it->second;
    m_instances.releasePrefill(record.prefillId, record.prefillOrder, record.demand);
    record.holdsPrefill = false;
    if (!record.holdsDecode)
        m_records.erase(it);
    return true;
}

bool DigsEngine::releaseDecode(quint64 requestKey)
{
    return releaseAll(requestKey);
}

bool DigsEngine::cancel(quint64 requestKey)
{
    return releaseAll(requestKey);
}

bool DigsEngine::releaseAll(quint64 requestKey)
{
    const auto it = m_records.find(requestKey);
    if (it == m_records.end())
        return false;
    Record& record = it->second;
    if (record.stage == Stage::Placed) {
        if (record.holdsPrefill)
            m_instances.releasePrefill(record.prefillId, record.prefillOrder, record.demand);
        if (record.holdsDecode)
            m_instances.releaseDecode(record.decodeId, record.decodeOrder, record.demand);
    } else {
        // Its queue entry dies with the record and is dropped when a round next reaches it.
        --m_queuedCount;
        if (record.stage == Stage::Waiting)
            --m_waitingCount;
    }
    m_records.erase(it);
    return true;
}

namespace {

void addTo(InstanceAllocation& entry, const DigsInstance& instance)
{
    entry.prefill += instance.prefillAllocated;
    entry.decode += instance.decodeAllocated;
    entry.prefillRequests += instance.prefillRequests;
    entry.decodeRequests += instance.decodeRequests;
}

} // namespace

QList<InstanceAllocation> DigsEngine::allocations() const
{
    std::map<quint64, InstanceAllocation> folded;
    m_instances.forEach([&folded](const DigsInstance& instance) {
        const quint64 id = instance.info.flexOriginId.value_or(instance.info.id);
        InstanceAllocation& entry = folded[id];
        entry.id = id;
        addTo(entry, instance);
    });
    QList<InstanceAllocation> result;
    result.reserve(qsizetype(folded.size()));
    for (const auto& [id, entry] : folded)
        result.append(entry);
    return result;
}

std::optional<InstanceAllocation> DigsEngine::allocation(quint64 id) const
{
    std::optional<InstanceAllocation> result;
    const auto fold = [&result, id](const DigsInstance* instance) {
        if (!instance || instance->info.flexOriginId.value_or(instance->info.id) != id)
            return;
        if (!result) {
            result = InstanceAllocation();
            result->id = id;
        }
        addTo(*result, *instance);
    };
    fold(m_instances.find(id));
    if (id != InstanceInfo::kFlexDecodeId)
        fold(m_instances.find(InstanceInfo::kFlexDecodeId));
    return result;
}

} // namespace coord::scheduling::digs
