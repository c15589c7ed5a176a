#pragma once

#include <QByteArray>
#include <QList>

namespace dptest {

// One user request per API flavour and stream mode of spec §1.2, shared by the single-node and
// the prefill/decode relay tests; short outputs keep the suites fast.
struct RouteCase
{
    const char* target;
    QByteArray body;
    bool streamed; // the instance answers it chunked
};

QList<RouteCase> userRouteCases();

} // namespace dptest
