#include "predictworker.h"

#include <QAbstractEventDispatcher>

#include "client/backendclient.h"
#include "eventloop/dispatcherchoice.h"
#include "http/httpfrontend.h"
#include "pipeline/requestpipeline.h"
#include "predictroutes.h"

namespace coord::server {

PredictWorker::PredictWorker(DataPlane& plane, qintptr listenDescriptor, http::ConnectionLimits limits,
                             http::TlsServerProfile userTls, client::TlsClientProfile instanceTls, int index)
    : m_plane(plane), m_descriptor(listenDescriptor), m_limits(std::move(limits)),
      m_userTls(std::move(userTls)), m_instanceTls(std::move(instanceTls))
{
    setObjectName(QStringLiteral("predict-%1").arg(index));
    // A worker holds thousands of sockets; see eventloop/epolleventdispatcher.h.
    if (QAbstractEventDispatcher* dispatcher = eventloop::createEventDispatcher())
        setEventDispatcher(dispatcher);
}

bool PredictWorker::waitUntilServing(QString* error)
{
    m_started.acquire();
    if (!m_startError.isEmpty() && error)
        *error = m_startError;
    return m_startError.isEmpty();
}

void PredictWorker::run()
{
    client::BackendClient client(m_instanceTls);
    // Declared after the client so that requests still running at shutdown go first.
    RequestPipeline pipeline(m_plane, client);
    Router router;
    addPredictRoutes(router, pipeline);
    http::HttpFrontend frontend(
        QStringLiteral("predict"), m_limits,
        [&router](const http::HttpRequest& request, http::ResponseStream response) {
            router.dispatch(request, std::move(response));
        },
        m_userTls);
    const bool serving = frontend.listenOnDescriptor(m_descriptor, &m_startError);
    m_started.release();
    if (serving)
        exec();
}

} // namespace coord::server
