#include "pdroundrobinpolicy.h"

namespace coord::scheduling {

PdChoice PdRoundRobinPolicy::choose(const InstanceTable& table, const ExcludedInstances& excluded)
{
    const TrackedInstance* prefill = m_prefillCursor.next(table.prefillsWithDecode(), table, excluded);
    if (prefill == nullptr)
        return {};
    // prefillsWithDecode() guarantees a servable D for this P.
    const TrackedInstance* decode = m_decodeCursors[prefill->info.id].next(table.decodesFor(prefill->info.id),
                                                                           table, ExcludedInstances());
    if (decode == nullptr)
        return {};
    return {prefill, decode};
}

} // namespace coord::scheduling
