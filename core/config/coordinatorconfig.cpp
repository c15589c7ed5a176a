#include "coordinatorconfig.h"

namespace coord::config {

namespace {

template <typename Enum, std::size_t N>
std::optional<Enum> lookup(const std::array<std::pair<Enum, const char*>, N>& names, const QString& text)
{
    for (const auto& [value, name] : names) {
        if (text == QLatin1String(name))
            return value;
    }
    return std::nullopt;
}

template <typename Enum, std::size_t N>
QString nameOf(const std::array<std::pair<Enum, const char*>, N>& names, Enum value)
{
    for (const auto& [candidate, name] : names) {
        if (candidate == value)
            return QLatin1String(name);
    }
    return {};
}

constexpr std::array<std::pair<DeployMode, const char*>, 4> kDeployModes = {{
    {DeployMode::SingleNode, "single_node"},
    {DeployMode::PdSeparate, "pd_separate"},
    {DeployMode::PdDisaggregation, "pd_disaggregation"},
    {DeployMode::PdDisaggregationSingleContainer, "pd_disaggregation_single_container"},
}};
constexpr std::array<std::pair<SchedulerType, const char*>, 2> kSchedulerTypes = {{
    {SchedulerType::DefaultScheduler, "default_scheduler"},
    {SchedulerType::DigsScheduler, "digs_scheduler"},
}};
constexpr std::array<std::pair<AlgorithmType, const char*>, 3> kAlgorithmTypes = {{
    {AlgorithmType::CacheAffinity, "cache_affinity"},
    {AlgorithmType::RoundRobin, "round_robin"},
    {AlgorithmType::LoadBalance, "load_balance"},
}};

} // namespace

QString toString(DeployMode mode)
{
    return nameOf(kDeployModes, mode);
}

QString toString(SchedulerType type)
{
    return nameOf(kSchedulerTypes, type);
}

QString toString(AlgorithmType type)
{
    return nameOf(kAlgorithmTypes, type);
}

std::optional<DeployMode> deployModeFromString(const QString& text)
{
    return lookup(kDeployModes, text);
}

std::optional<SchedulerType> schedulerTypeFromString(const QString& text)
{
    return lookup(kSchedulerTypes, text);
}

std::optional<AlgorithmType> algorithmTypeFromString(const QString& text)
{
    return lookup(kAlgorithmTypes, text);
}

bool isPdMode(DeployMode mode)
{
    return mode != DeployMode::SingleNode;
}

const TlsItems* TlsConfig::byName(const QString& name) const
{
    return const_cast<TlsConfig*>(this)->byName(name);
}

TlsItems* TlsConfig::byName(const QString& name)
{
    const std::pair<const char*, TlsItems*> blocks[] = {
        {"controller_server", &controllerServer},
        {"request_server", &requestServer},
        {"mindie_client", &mindieClient},
        {"mindie_mangment", &mindieManagement},
        {"external", &external},
        {"status", &status},
        {"etcd_server", &etcdServer},
        {"alarm_client", &alarmClient},
    };
    for (const auto& [blockName, items] : blocks) {
        if (name == QLatin1String(blockName))
            return items;
    }
    return nullptr;
}

} // namespace coord::config
