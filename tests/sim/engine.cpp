#include "engine.h"

#include <algorithm>
#include <cmath>

#include "tokenmodel.h"

namespace mindiesim {

Engine::Engine(const EngineParams& params, QObject* parent) : QObject(parent), m_params(params)
{
    m_params.blockSize = qMax(1, m_params.blockSize);
    m_params.slotCount = qMax(1, m_params.slotCount);
    m_params.totalBlocks = qMax(1, m_params.totalBlocks);
    m_params.prefillChunkTokens = qMax(1, m_params.prefillChunkTokens);
    m_stepTimer.setSingleShot(true);
    m_stepTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_stepTimer, &QTimer::timeout, this, &Engine::onStepFinished);
}

Engine::~Engine() = default;

Engine::Job* Engine::find(quint64 jobId) const
{
    const auto it = m_jobs.find(jobId);
    return it == m_jobs.end() ? nullptr : it->second.get();
}

quint64 Engine::submit(const JobSpec& spec, const JobEvents& events)
{
    auto job = std::make_unique<Job>();
    job->id = m_nextJobId++;
    job->spec = spec;
    job->spec.endIndex = qMax(spec.firstIndex + 1, spec.endIndex);
    job->events = events;
    job->nextIndex = spec.firstIndex;
    const quint64 id = job->id;
    m_jobs.emplace(id, std::move(job));
    m_waiting.push_back(id);
    // Never call back from inside submit(): the caller may not have stored the job id yet.
    if (m_params.fast) {
        if (!m_fastPassQueued) {
            m_fastPassQueued = true;
            QTimer::singleShot(0, this, &Engine::runFastPass);
        }
    } else if (!m_stepTimer.isActive()) {
        m_stepTimer.start(0);
    }
    return id;
}

void Engine::cancel(quint64 jobId)
{
    if (Job* job = find(jobId))
        release(*job);
}

int Engine::cachedTokens(quint64 jobId) const
{
    const Job* job = find(jobId);
    return job ? job->cachedTokens : 0;
}

int Engine::freeBlocks() const
{
    return m_params.totalBlocks - m_usedPrivateBlocks - m_cache.size();
}

EngineSnapshot Engine::snapshot() const
{
    EngineSnapshot snapshot;
    snapshot.running = int(m_running.size());
    snapshot.waiting = int(m_waiting.size());
    snapshot.totalBlocks = m_params.totalBlocks;
    snapshot.usedBlocks = qBound(0, m_params.totalBlocks - freeBlocks(), m_params.totalBlocks);
    snapshot.cachedBlocks = m_cache.size();
    snapshot.freeSlots = qMax(0, m_params.slotCount - snapshot.running);
    snapshot.promptTokens = m_promptTokens;
    snapshot.cachedTokens = m_cachedTokens;
    snapshot.queriedBlocks = m_queriedBlocks;
    snapshot.hitBlocks = m_hitBlocks;
    return snapshot;
}

bool Engine::lookUpPrefix(Job& job)
{
    const auto promptLength = int(job.spec.promptTokens.size());
    if (job.spec.runPrefill && m_params.prefixCache) {
        job.promptHashes = tokenmodel::blockHashes(job.spec.promptTokens, m_params.blockSize);
        job.matchedBlocks = m_cache.matchLength(job.promptHashes);
        for (int i = 0; i < job.matchedBlocks; ++i) {
            m_cache.pin(job.promptHashes[i]);
            job.pinned.append(job.promptHashes[i]);
        }
        // The last prompt token is always computed, as in vLLM/MindIE, to produce the first logits.
        job.cachedTokens = qMin(job.matchedBlocks * m_params.blockSize, promptLength - 1);
    }
    job.remainingPrefill = job.spec.runPrefill ? promptLength - job.cachedTokens : 0;
    return true;
}

bool Engine::reserveBlocks(int count, bool force, int& granted)
{
    while (freeBlocks() < count && m_cache.evictOne()) {
    }
    if (freeBlocks() >= count) {
        granted = count;
    } else if (force) {
        granted = qMax(0, freeBlocks()); // an oversized lone request runs with what exists
    } else {
        return false;
    }
    m_usedPrivateBlocks += granted;
    return true;
}

void Engine::admitWaiting()
{
    while (!m_waiting.empty() && int(m_running.size()) < m_params.slotCount) {
        Job* job = find(m_waiting.front());
        if (!job || job->state != State::Waiting) {
            m_waiting.pop_front();
            continue;
        }
        lookUpPrefix(*job);
        const int tokens = int(job->spec.promptTokens.size()) + job->spec.endIndex;
        const int needed = (tokens + m_params.blockSize - 1) / m_params.blockSize - job->matchedBlocks;
        int granted = 0;
        if (!reserveBlocks(qMax(0, needed), m_running.empty(), granted)) {
            // Head-of-line blocking on KV memory, like a FCFS engine; undo the lookup.
            for (const quint64 hash : job->pinned)
                m_cache.unpin(hash);
            job->pinned.clear();
            job->cachedTokens = 0;
            job->matchedBlocks = 0;
            break;
        }
        m_waiting.pop_front();
        job->privateBlocks = granted;
        m_promptTokens += quint64(job->spec.promptTokens.size());
        m_cachedTokens += quint64(job->cachedTokens);
        m_queriedBlocks += quint64(job->promptHashes.size());
        m_hitBlocks += quint64(job->matchedBlocks);
        job->state = job->spec.runPrefill ? State::Prefill : State::Decode;
        m_running.push_back(job->id);
    }
}

void Engine::completePrefill(Job& job)
{
    // Newly computed full prompt blocks join the prefix cache; their memory moves to the cache.
    for (int i = job.matchedBlocks; i < job.promptHashes.size(); ++i) {
        const quint64 hash = job.promptHashes[i];
        if (!m_cache.contains(hash) && job.privateBlocks > 0) {
            --job.privateBlocks;
            --m_usedPrivateBlocks;
        }
        m_cache.insertPinned(hash);
        job.pinned.append(hash);
    }
    job.state = State::Decode;
}

void Engine::emitToken(Job& job)
{
    const int index = job.nextIndex++;
    const bool last = job.nextIndex >= job.spec.endIndex;
    const auto onToken = job.events.onToken; // the callback may cancel and release the job
    if (last)
        release(job);
    if (onToken)
        onToken(index, last);
}

void Engine::release(Job& job)
{
    if (job.state == State::Done)
        return;
    for (const quint64 hash : job.pinned)
        m_cache.unpin(hash);
    job.pinned.clear();
    m_usedPrivateBlocks -= job.privateBlocks;
    job.privateBlocks = 0;
    job.state = State::Done;
    m_running.erase(std::remove(m_running.begin(), m_running.end(), job.id), m_running.end());
    if (!m_params.fast && !m_stepTimer.isActive())
        m_stepTimer.start(0); // freed capacity may admit waiting work
}

void Engine::reap()
{
    for (auto it = m_jobs.begin(); it != m_jobs.end();) {
        if (it->second->state == State::Done)
            it = m_jobs.erase(it);
        else
            ++it;
    }
    while (!m_waiting.empty() && !find(m_waiting.front()))
        m_waiting.pop_front();
}

void Engine::runFastPass()
{
    m_fastPassQueued = false;
    std::deque<quint64> batch;
    batch.swap(m_waiting);
    for (const quint64 id : batch) {
        Job* job = find(id);
        if (!job || job->state != State::Waiting)
            continue;
        lookUpPrefix(*job);
        m_promptTokens += quint64(job->spec.promptTokens.size());
        m_cachedTokens += quint64(job->cachedTokens);
        m_queriedBlocks += quint64(job->promptHashes.size());
        m_hitBlocks += quint64(job->matchedBlocks);
        completePrefill(*job);
        m_running.push_back(id);
        while (job->state != State::Done)
            emitToken(*job);
        // Keep the cache within the KV budget even though fast mode does not model occupancy.
        while (m_cache.size() > m_params.totalBlocks && m_cache.evictOne()) {
        }
    }
    // Erase finished jobs one by one: new submissions from callbacks may sit in m_jobs.
    for (const quint64 id : batch) {
        const Job* job = find(id);
        if (job && job->state == State::Done)
            m_jobs.erase(id);
    }
}

void Engine::planNextStep()
{
    reap();
    admitWaiting();
    m_plan.clear();
    int budget = m_params.prefillChunkTokens;
    int prefillTokens = 0;
    int decodeBatch = 0;
    for (const quint64 id : m_running) {
        const Job* job = find(id);
        if (!job)
            continue;
        if (job->state == State::Prefill && budget > 0) {
            const int take = qMin(job->remainingPrefill, budget);
            budget -= take;
            prefillTokens += take;
            m_plan.push_back({id, qMax(1, take)});
        } else if (job->state == State::Decode) {
            ++decodeBatch;
            m_plan.push_back({id, 0});
        }
    }
    if (m_plan.empty())
        return;
    double stepMs = prefillTokens * 1000.0 / qMax(1.0, m_params.prefillTokensPerSecond);
    if (decodeBatch > 0)
        stepMs += m_params.decodeBaseMs + m_params.decodeSlopeMs * decodeBatch;
    m_stepTimer.start(int(std::lround(stepMs * m_slowFactor)));
}

void Engine::onStepFinished()
{
    const std::vector<PlannedWork> plan = std::move(m_plan);
    m_plan.clear();
    for (const PlannedWork& work : plan) {
        Job* job = find(work.jobId);
        if (!job || job->state == State::Done)
            continue;
        if (work.prefillTokens > 0 && job->state == State::Prefill) {
            job->remainingPrefill -= work.prefillTokens;
            if (job->remainingPrefill <= 0) {
                completePrefill(*job);
                emitToken(*job);
            }
        } else if (work.prefillTokens == 0 && job->state == State::Decode) {
            emitToken(*job);
        }
    }
    m_stepTimer.stop();
    planNextStep();
}

} // namespace mindiesim
