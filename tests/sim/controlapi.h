#pragma once

#include <QObject>

#include "httpserver.h"

namespace mindiesim {

class SimInstance;

// The metric port of an instance: GET /metrics (MindIE families, or a file served verbatim),
// plus the simulator's own control API: GET /sim/state and POST /sim/fault.
class ControlApi : public QObject
{
    Q_OBJECT
public:
    ControlApi(SimInstance* instance, HttpServer* server);

private:
    void onRequest(HttpConnection* connection, const HttpRequest& request);
    void serveMetrics(HttpConnection* connection);
    void serveState(HttpConnection* connection);
    void applyFault(HttpConnection* connection, const HttpRequest& request);

    SimInstance* m_instance;
};

} // namespace mindiesim
