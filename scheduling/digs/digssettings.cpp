#include "digssettings.h"

#include "config/coordinatorconfig.h"

namespace coord::scheduling::digs {

LoadCoefficients LoadCoefficients::fromArray(const std::array<double, 9>& values)
{
    LoadCoefficients result;
    result.a = values[0];
    result.i = values[1];
    result.o = values[2];
    result.n = values[3];
    result.k = values[4];
    result.m = values[5];
    result.r = values[6];
    result.b = values[7];
    result.c = values[8];
    return result;
}

DigsSettings DigsSettings::fromConfig(const config::DigsSchedulerConfig& config, qint64 singleNodeMaxRequests)
{
    DigsSettings settings;
    switch (config.reorderingType) {
    case 2:
        settings.reordering = ReorderingType::Sjf;
        break;
    case 3:
        settings.reordering = ReorderingType::Ljf;
        break;
    default:
        settings.reordering = ReorderingType::Fcfs;
        break;
    }
    settings.maxScheduleCount = qMax(1, config.maxScheduleCount);
    settings.selectType = config.selectType == 1 ? SelectType::Plain : SelectType::RateLimited;
    settings.resLimitRate = config.resLimitRate;
    settings.flatBlockDemand = config.loadCostValues[1] != 0;
    // The config loader already replaced an incomplete list by the defaults.
    settings.coefficients = LoadCoefficients::fromArray(config.loadCostCoefficient);
    settings.perInstanceCap = singleNodeMaxRequests;
    return settings;
}

} // namespace coord::scheduling::digs
