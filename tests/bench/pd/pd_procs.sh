# shellcheck shell=bash
# Coordinator config and simulator readings for run_pd_bench.sh. Sourced after
# ../dataplane/dataplane_procs.sh, whose process helpers (ports, start, stop, cleanup) it reuses.

# pd_write_coordinator_config DIR PREDICT MANAGE WORKERS SCHEDULER ALGORITHM: a copy of
# conf/examples/pd_separate_local.json (mode 0640) with free ports, WORKERS server and client
# threads, WARN logging to files in DIR only, and the given scheduler_type / algorithm_type.
pd_write_coordinator_config() {
    local dir=$1 predict=$2 manage=$3 workers=$4 scheduler=$5 algorithm=$6
    dp_write_config_from pd_separate_local.json "$dir" "$predict" "$manage" "$workers" \
        "s/\"scheduler_type\": \"digs_scheduler\"/\"scheduler_type\": \"$scheduler\"/" \
        "s/\"algorithm_type\": \"load_balance\"/\"algorithm_type\": \"$algorithm\"/"
}

# Metric ports of the simulator's instances, in id order, from its READY line.
pd_sim_metric_ports() {
    grep '^READY' "$1" | grep -o '"metric_port":[0-9]*' | cut -d: -f2 | tr '\n' ' '
}

# "a/b/..." : one integer field of each instance's GET /sim/state, in the order of the ports given.
pd_sim_state_field() {
    local field=$1 port value out=""
    shift
    for port in "$@"; do
        value=$(curl -s --max-time 2 "http://127.0.0.1:$port/sim/state" | grep -o "\"$field\":[0-9]*" | cut -d: -f2)
        out+="${out:+/}${value:-?}"
    done
    echo "$out"
}
