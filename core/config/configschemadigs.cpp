// digs_scheduler_config and string_token_rate rows of the schema table.
#include "configschemarow.h"

namespace coord::config::detail {

namespace {
using T = ValueType;
using R = Requirement;
} // namespace

void addDigsSchedulerRows(QList<ConfigKey>& rows)
{
    rows << Row("digs_scheduler_config", T::Object)
                .help("Deploy mode and scheduling algorithm. Every value in this block is a JSON string.");
    rows << Row("digs_scheduler_config.deploy_mode", T::EnumString, "pd_separate")
                .choices(
                    {"single_node", "pd_separate", "pd_disaggregation", "pd_disaggregation_single_container"})
                .help("single_node: mixed instances; the pd_* modes: separate prefill and decode instances.");
    rows << Row("digs_scheduler_config.scheduler_type", T::EnumString, "digs_scheduler")
                .choices({"default_scheduler", "digs_scheduler"})
                .help(
                    "single_node needs default_scheduler; PD modes use digs_scheduler, or default_scheduler "
                    "with round_robin.");
    rows << Row("digs_scheduler_config.algorithm_type", T::EnumString, "load_balance")
                .choices({"cache_affinity", "round_robin", "load_balance"})
                .help(
                    "digs_scheduler needs load_balance; default_scheduler takes cache_affinity (single_node) "
                    "or round_robin.");
    rows << Row("digs_scheduler_config.cache_size", T::IntegerString, "100")
                .range(1, 10000)
                .required(R::WhenCacheAffinity)
                .help(
                    "Capacity of the conversation-to-instance cache; the oldest entry is evicted when full.");
    rows << Row("digs_scheduler_config.slots_thresh", T::DecimalString, "0.05")
                .range(0.0, 1.0)
                .required(R::WhenCacheAffinity)
                .help("A cached instance is reused only while free slots / total slots is above this.");
    rows << Row("digs_scheduler_config.block_thresh", T::DecimalString, "0.05")
                .range(0.0, 1.0)
                .required(R::WhenCacheAffinity)
                .help("A cached instance is reused only while free blocks / total blocks is above this.");
    rows << Row("digs_scheduler_config.max_schedule_count", T::IntegerString, "10000")
                .range(1, 90000)
                .required(R::WhenLoadBalance)
                .help("Waiting requests taken per scheduling round; best kept equal to max_requests.");
    rows << Row("digs_scheduler_config.reordering_type", T::IntegerString, "1")
                .range(1, 3)
                .required(R::WhenLoadBalance)
                .help(
                    "Queue order: 1 first come first served, 2 shortest input first, 3 longest input first.");
    rows << Row("digs_scheduler_config.max_res_num", T::IntegerString, "5000")
                .range(1, 10000)
                .required(R::WhenLoadBalance)
                .help("Size of the scheduler's internal reservation tables.");
    rows << Row("digs_scheduler_config.res_limit_rate", T::DecimalString, "1.1")
                .range(0.0, 2000.0)
                .required(R::WhenLoadBalance)
                .help("With select_type 2, an instance takes new work only while its allocation stays within "
                      "this share of its total slots and blocks.");
    rows << Row("digs_scheduler_config.select_type", T::IntegerString, "2")
                .range(1, 2)
                .required(R::WhenLoadBalance)
                .help("1: plain load balance; 2: load balance capped by res_limit_rate.");
    rows << Row("digs_scheduler_config.load_cost_values", T::NumberListString, "1, 0")
                .choices({"1, 0", "1, 1"})
                .listOf(2)
                .required(R::WhenLoadBalance)
                .help("Demand per request as \"slots, blocks\". \"1, 0\" sizes blocks from the input length; "
                      "\"1, 1\" charges one block, which makes placement round-robin-like.");
    rows << Row("digs_scheduler_config.load_cost_coefficient", T::NumberListString,
                "0, 0.22, 1024, 24, 6, 0, 1, 0, 1")
                .listOf(9)
                .required(R::WhenLoadBalance)
                .help("Coefficients a, i, o, n, k, m, r, b, c of the decode load formula (i also converts "
                      "prompt bytes to tokens). Fewer than 9 numbers keep all the defaults, with a warning.");
    // Keys the DIGS library reads but the guide does not document; problems only warn.
    rows << Row("digs_scheduler_config.pool_type", T::IntegerString, "1")
                .range(0, kNoUpperBound)
                .optional()
                .advisory()
                .help("Undocumented DIGS key, accepted for compatibility.");
    rows << Row("digs_scheduler_config.pull_request_timeout", T::IntegerString, "500")
                .range(0, kNoUpperBound)
                .unit("ms")
                .optional()
                .advisory()
                .help("Undocumented DIGS key: how long a scheduling round waits for requests.");
    rows << Row("digs_scheduler_config.max_summary_count", T::IntegerString)
                .range(0, kNoUpperBound)
                .optional()
                .advisory()
                .help("Undocumented DIGS key, accepted for compatibility.");
    rows << Row("digs_scheduler_config.res_view_update_timeout", T::IntegerString, "500")
                .range(0, kNoUpperBound)
                .unit("ms")
                .optional()
                .advisory()
                .help("Undocumented DIGS key: refresh period of the resource view.");
    rows << Row("digs_scheduler_config.dynamic_max_res", T::EnumString, "true")
                .choices({"true", "false"})
                .optional()
                .advisory()
                .help("Undocumented DIGS key: let res_limit_rate adapt after repeated placement mismatches.");
    rows << Row("digs_scheduler_config.dynamic_res_rate_unit", T::DecimalString, "0.1")
                .range(0, kNoUpperBound)
                .optional()
                .advisory()
                .help("Undocumented DIGS key: step by which the adaptive limit rate moves.");
    rows << Row("digs_scheduler_config.max_dynamic_res_rate_count", T::IntegerString, "3")
                .range(0, kNoUpperBound)
                .optional()
                .advisory()
                .help("Undocumented DIGS key: mismatches before the adaptive limit rate moves.");
    rows << Row("digs_scheduler_config.metaResource_names", T::String)
                .optional()
                .advisory()
                .help("Undocumented DIGS key, accepted for compatibility.");

    rows << Row("string_token_rate", T::Number, 4.02)
                .range(1.0, 100.0)
                .help("Characters per token, used to estimate token counts from text length.");
}

} // namespace coord::config::detail
