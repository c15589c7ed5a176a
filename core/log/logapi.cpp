#include "logapi.h"

namespace coord::log {

void operation(const QString& message)
{
    Logger::instance().writeOperation(message);
}

void perf(const QString& message)
{
    Logger::instance().writeRun(Level::Perf, message);
}

} // namespace coord::log
