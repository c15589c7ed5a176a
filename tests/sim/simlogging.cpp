#include "simlogging.h"

namespace mindiesim {
// Info by default so a user running the simulator sees instance start-up and faults.
Q_LOGGING_CATEGORY(lcSim, "mindie.sim", QtInfoMsg)
} // namespace mindiesim
