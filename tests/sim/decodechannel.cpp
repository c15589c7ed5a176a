#include "decodechannel.h"

#include "responseformat.h"
#include "siminstance.h"
#include "simlogging.h"

namespace mindiesim {

namespace {
constexpr qsizetype kMaxBacklog = 100000;
} // namespace

DecodeChannel::Task::Task(const Handoff& handoff)
    : state(handoff.request, handoff.responseId, handoff.created)
{}

DecodeChannel::DecodeChannel(SimInstance* instance) : QObject(instance), m_instance(instance)
{
    m_heartbeat.setInterval(int(instance->options().kaIntervalSeconds * 1000));
    connect(&m_heartbeat, &QTimer::timeout, this, &DecodeChannel::heartbeat);
    m_heartbeat.start();
}

DecodeChannel::~DecodeChannel() = default;

int DecodeChannel::linkCount() const
{
    int count = 0;
    for (const auto& link : m_links)
        count += link && link->isOpen() ? 1 : 0;
    return count;
}

void DecodeChannel::attachLink(HttpConnection* connection)
{
    // Headers go out at once: the coordinator treats the 200 as "link established".
    connection->beginChunked(200, "text/event-stream", true);
    m_links.append(connection);
    qCInfo(lcSim) << "instance" << m_instance->info().id << "/dresult link from" << connection->peerAddress();
    for (const QByteArray& chunk : std::as_const(m_backlog))
        connection->writeChunk(chunk);
    m_backlog.clear();
}

void DecodeChannel::dropLinks()
{
    const auto links = m_links;
    m_links.clear();
    for (const auto& link : links) {
        if (link)
            link->closeGracefully();
    }
    qCInfo(lcSim) << "instance" << m_instance->info().id << "dropped its /dresult streams";
}

void DecodeChannel::shutDown()
{
    m_heartbeat.stop();
    for (const auto& [reqId, task] : m_tasks)
        m_instance->engine().cancel(task->jobId);
    m_tasks.clear();
    m_links.clear();
    m_backlog.clear();
}

bool DecodeChannel::takeFault(int& next, int every) const
{
    if (next > 0) {
        --next;
        return true;
    }
    return every > 0 && m_handoffs % quint64(every) == 0;
}

QByteArray DecodeChannel::errorPayload(const Task& task) const
{
    const QByteArray body =
        responseformat::errorBody(task.state.request().flavour, 500, "simulated decode failure");
    return task.state.request().stream ? "data: " + body + "\n\n" : body;
}

void DecodeChannel::acceptHandoff(const Handoff& handoff)
{
    ++m_handoffs;
    FaultSettings& faults = m_instance->faults();
    m_instance->metrics().requestReceived();
    if (takeFault(faults.dresultRetryNext, faults.dresultRetryEvery)) {
        qCInfo(lcSim) << "instance" << m_instance->info().id << "asks to recompute" << handoff.reqId;
        m_instance->metrics().requestFailed();
        send(handoff.reqId, "retry", handoff.rawBody);
        return;
    }
    auto task = std::make_unique<Task>(handoff);
    task->failMidStream = takeFault(faults.dresultErrorNext, faults.dresultErrorEvery);
    task->state.append(0); // token 0 came from the prefill instance
    task->state.context().prefillMs = handoff.prefillMs;
    JobSpec spec;
    spec.promptTokens = handoff.request.promptTokens;
    spec.firstIndex = 1;
    spec.endIndex = handoff.request.maxNewTokens;
    spec.runPrefill = false;
    JobEvents events;
    const QByteArray reqId = handoff.reqId;
    events.onToken = [this, reqId](int index, bool last) { onToken(reqId, index, last); };
    if (const auto previous = m_tasks.find(reqId); previous != m_tasks.end())
        m_instance->engine().cancel(previous->second->jobId);
    task->jobId = m_instance->engine().submit(spec, events);
    m_tasks[reqId] = std::move(task);
    m_instance->registerActive(reqId, [this, reqId] {
        const auto it = m_tasks.find(reqId);
        if (it != m_tasks.end()) {
            m_instance->engine().cancel(it->second->jobId);
            finishTask(reqId, false);
        }
    });
}

void DecodeChannel::onToken(const QByteArray& reqId, int index, bool last)
{
    const auto it = m_tasks.find(reqId);
    if (it == m_tasks.end())
        return;
    Task& task = *it->second;
    const tokenmodel::OutputToken token = task.state.append(index);
    m_instance->metrics().tokenInterval(task.state.lastIntervalSeconds());
    if (task.failMidStream) {
        // Stream one token first (when there is more to come) so the error arrives mid-stream.
        if (task.state.request().stream && !last)
            send(reqId, "data", task.state.streamEvent(token, index, false));
        send(reqId, "error", errorPayload(task));
        m_instance->engine().cancel(task.jobId);
        finishTask(reqId, false);
        return;
    }
    if (task.state.request().stream)
        send(reqId, last ? "lastData" : "data", task.state.streamEvent(token, index, last));
    else if (last)
        send(reqId, "lastData", task.state.fullBody());
    if (last)
        finishTask(reqId, true);
}

void DecodeChannel::finishTask(const QByteArray& reqId, bool success)
{
    const auto it = m_tasks.find(reqId);
    if (it == m_tasks.end())
        return;
    const GenerationState& state = it->second->state;
    if (success)
        m_instance->metrics().requestSucceeded(int(state.request().promptTokens.size()), state.generated(),
                                               state.ttftSeconds(), state.secondsSinceStart());
    else
        m_instance->metrics().requestFailed();
    m_instance->unregisterActive(reqId);
    m_tasks.erase(it);
}

void DecodeChannel::send(const QByteArray& reqId, const char* keyword, const QByteArray& payload)
{
    QByteArray chunk;
    chunk.reserve(reqId.size() + payload.size() + 24);
    chunk += "reqId:";
    chunk += reqId;
    chunk += '\0';
    chunk += keyword;
    chunk += ':';
    chunk += payload;
    chunk += '\0';
    writeToLinks(chunk);
    FaultSettings& faults = m_instance->faults();
    if (faults.dropDresultAfter > 0 && ++m_messagesSinceDrop >= faults.dropDresultAfter) {
        faults.dropDresultAfter = 0; // one-shot: the coordinator relinks and traffic resumes
        m_messagesSinceDrop = 0;
        dropLinks();
    }
}

void DecodeChannel::writeToLinks(const QByteArray& chunk)
{
    bool written = false;
    for (const auto& link : std::as_const(m_links)) {
        if (link && link->isOpen()) {
            link->writeChunk(chunk);
            written = true;
        }
    }
    if (!written && m_backlog.size() < kMaxBacklog)
        m_backlog.append(chunk);
}

void DecodeChannel::heartbeat()
{
    m_links.removeIf([](const QPointer<HttpConnection>& link) { return !link || !link->isOpen(); });
    static const QByteArray keepAlive("ka:\0", 4);
    for (const auto& link : std::as_const(m_links))
        link->writeChunk(keepAlive);
}

} // namespace mindiesim
