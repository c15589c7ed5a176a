#pragma once

#include <QLoggingCategory>

namespace mindiesim {
Q_DECLARE_LOGGING_CATEGORY(lcSim)
} // namespace mindiesim
