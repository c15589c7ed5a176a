# shellcheck shell=bash
# Coordinator config and simulator readings for run_pd_bench.sh. Sourced after
# ../dataplane/dataplane_procs.sh, whose process helpers (ports, start, stop, cleanup) it reuses.

# pd_write_coordinator_config DIR PREDICT MANAGE WORKERS SCHEDULER ALGORITHM: a copy of
# conf/examples/pd_separate_local.json (mode 0640) with free ports, WORKERS server and client
# threads, WARN logging to files in DIR only, and the given scheduler_type / algorithm_type.
pd_write_coordinator_config() {
    local dir=$1 predict=$2 manage=$3 workers=$4 scheduler=$5 algorithm=$6
    local alarm external status
    dp_free_port alarm
    dp_free_port external
    dp_free_port status
    mkdir -p "$dir/logs"
    sed -e "s/\"predict_port\": \"1025\"/\"predict_port\": \"$predict\"/" \
        -e "s/\"manage_port\": \"1026\"/\"manage_port\": \"$manage\"/" \
        -e "s/\"alarm_port\": \"1027\"/\"alarm_port\": \"$alarm\"/" \
        -e "s/\"external_port\": \"1028\"/\"external_port\": \"$external\"/" \
        -e "s/\"status_port\": \"1029\"/\"status_port\": \"$status\"/" \
        -e "s/\"server_thread_num\": 10/\"server_thread_num\": $workers/" \
        -e "s/\"client_thread_num\": 10/\"client_thread_num\": $workers/" \
        -e "s/\"log_level\": \"INFO\"/\"log_level\": \"WARN\"/" \
        -e "s/\"to_stdout\": true/\"to_stdout\": false/" \
        -e "s#\"./logs/#\"$dir/logs/#" \
        -e "s/\"scheduler_type\": \"digs_scheduler\"/\"scheduler_type\": \"$scheduler\"/" \
        -e "s/\"algorithm_type\": \"load_balance\"/\"algorithm_type\": \"$algorithm\"/" \
        "$DP_SOURCE/conf/examples/pd_separate_local.json" >"$dir/ms_coordinator.json"
    chmod 0640 "$dir/ms_coordinator.json"
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
