#!/usr/bin/env bash
# PD scheduling benchmark: 2 prefill + 2 decode simulated instances in realistic timing, the same
# mixed-prompt streamed workload through ms_coordinator once per scheduling variant, a fresh
# simulator and coordinator each time (no prefix cache or queue carried over). Prints a table of
# throughput, time to first chunk (TTFT) and end-to-end latency; see docs/BENCHMARKS.md.
#
# usage: run_pd_bench.sh [--build-dir DIR] [--skip-build] [--requests N] [--concurrency C]
#                        [--repeat R] [--seed S] [--max-tokens T] [--variants "rr lb lb-hol"]
#                        [--sim-args "FLAGS"] [--keep-dir]
set -uo pipefail

DP_SOURCE=$(cd "$(dirname "$0")/../../.." && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../dataplane/dataplane_procs.sh"
source "$HERE/pd_procs.sh"
source "$HERE/pd_bodies.sh"

BUILD_DIR="$DP_SOURCE/build-pdbench"
SKIP_BUILD=0
REQUESTS=400
CONCURRENCY=32
REPEAT=1
SEED=7
MAX_TOKENS=128
VARIANTS="rr lb lb-hol"
KEEP_DIR=0
# Why these (docs/BENCHMARKS.md): prefill at 4,000 tokens/s per P keeps the two P instances
# near saturation at concurrency 32 (the mix averages ~350 prompt tokens), so requests queue and
# placement decides who waits behind a long prompt; 48 KV blocks of 128 tokens per instance hold
# one long request (~25 blocks with its output) plus a few short ones, so instances, and DIGS's
# view of them (limit floor(48 x 1.1) = 52 blocks), fill up and KV-blind placement shows.
SIM_ARGS="--prefill-rate 4000 --kv-blocks 48 --slots 32 --max-seq-len 16384"
while [[ $# -gt 0 ]]; do
    case $1 in
    --build-dir) BUILD_DIR=$(realpath "$2"); shift ;;
    --skip-build) SKIP_BUILD=1 ;;
    --requests) REQUESTS=$2; shift ;;
    --concurrency) CONCURRENCY=$2; shift ;;
    --repeat) REPEAT=$2; shift ;;
    --seed) SEED=$2; shift ;;
    --max-tokens) MAX_TOKENS=$2; shift ;;
    --variants) VARIANTS=$2; shift ;;
    --sim-args) SIM_ARGS=$2; shift ;;
    --keep-dir) KEEP_DIR=1 ;;
    -h | --help) sed -n '2,9p' "$0"; exit 0 ;;
    *) dp_die "unknown option $1" ;;
    esac
    shift
done
DP_BIN="$BUILD_DIR/bin"
VARIANT_TIMEOUT_S=150 # bench_load gives up after this; unfinished requests count as failed

WORK=$(mktemp -d /tmp/pd-bench.XXXXXX)
on_exit() {
    dp_cleanup
    if [[ $KEEP_DIR == 1 ]]; then dp_log "files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap on_exit EXIT
trap 'exit 130' INT TERM

dp_prepare_binaries "$BUILD_DIR" "$SKIP_BUILD"
command -v curl >/dev/null || dp_die "curl is needed"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

pd_write_bodies "$WORK/bodies.txt" "$REQUESTS" "$SEED" "$MAX_TOKENS"
CLASSES="$WORK/bodies.txt.classes"
CHAT=/v1/chat/completions
PROBE='{"model":"llama_65b","messages":[{"role":"user","content":"probe"}],"max_tokens":1,"stream":false}'

# run_variant NAME RUN: fresh simulator and coordinator, one bench_load run, one table row.
run_variant() {
    local name=$1 run=$2 scheduler=digs_scheduler algorithm=load_balance
    DP_COORD_WRAPPER=(env)
    case $name in
    rr) scheduler=default_scheduler algorithm=round_robin ;;
    lb) ;;
    lb-hol) DP_COORD_WRAPPER=(env MS_COORDINATOR_DIGS_HEAD_OF_LINE_BLOCKING=1) ;;
    *) dp_die "unknown variant $name (rr, lb, lb-hol)" ;;
    esac
    local dir="$WORK/$name-$run" predict manage
    dp_free_port predict
    dp_free_port manage
    pd_write_coordinator_config "$dir" "$predict" "$manage" 2 "$scheduler" "$algorithm"
    dp_start_coordinator "$dir"
    # shellcheck disable=SC2086 # SIM_ARGS is a list of flags
    dp_start_sim "$dir/sim.out" --prefill 2 --decode 2 --timing realistic $SIM_ARGS \
        --register "http://127.0.0.1:$manage"
    local metric_ports
    read -r -a metric_ports <<<"$(pd_sim_metric_ports "$dir/sim.out")"
    dp_wait_ready "http://127.0.0.1:$predict$CHAT" "$PROBE" "$DP_COORD_PID" ms_coordinator
    sleep 1 # one more refresh, so every instance reports idle figures

    local load
    load=$(cut -d' ' -f1 /proc/loadavg)
    dp_log "$name run $run: coordinator $DP_COORD_PID, sim $DP_SIM_PID, load average $load"
    local line
    line=$("$DP_BIN/bench_load" --url "http://127.0.0.1:$predict" --path "$CHAT" --keepalive --stream \
        --bodies-file "$WORK/bodies.txt" --concurrency "$CONCURRENCY" --requests "$REQUESTS" \
        --timeout-seconds "$VARIANT_TIMEOUT_S" --label "$name/$run" --per-request-file "$dir/requests.txt")
    echo "$line" >>"$WORK/results.jsonl"
    echo "$line" >&2
    # Requests and prompt tokens each P received: how evenly the variant spread the prefill work.
    local p_requests p_tokens
    p_requests=$(pd_sim_state_field requests_received "${metric_ports[0]}" "${metric_ports[1]}")
    p_tokens=$(pd_sim_state_field prompt_tokens "${metric_ports[0]}" "${metric_ports[1]}")
    if ! kill -0 "$DP_COORD_PID" 2>/dev/null; then
        dp_log "ms_coordinator died during $name run $run; last log lines:"
        tail -n 50 "$dir"/stdout.log "$dir"/logs/* >&2
    fi
    grep -h -c -E 'ERROR|WARN' "$dir"/logs/* 2>/dev/null | awk '{s += $1} END {print s + 0}' >"$dir/log-problems"
    awk -v v="$name" -v r="$run" -v ok="$(dp_field ok "$line")" -v failed="$(dp_field failed "$line")" \
        -v wall="$(dp_field wall_s "$line")" -v rps="$(dp_field rps "$line")" \
        -v tps="$(dp_field events_per_s "$line")" -v t50="$(dp_field ttfb_p50_ms "$line")" \
        -v t99="$(dp_field ttfb_p99_ms "$line")" -v e50="$(dp_field p50_ms "$line")" \
        -v e99="$(dp_field p99_ms "$line")" -v preq="$p_requests" -v ptok="$p_tokens" -v load="$load" \
        -v logs="$(cat "$dir/log-problems")" -v short="$(pd_class_ttft "$CLASSES" "$dir/requests.txt" short)" \
        -v medium="$(pd_class_ttft "$CLASSES" "$dir/requests.txt" medium)" \
        -v long="$(pd_class_ttft "$CLASSES" "$dir/requests.txt" long)" 'BEGIN {
            printf "| %s | %s | %d | %d | %.1f | %.2f | %.0f | %.0f | %.0f | %s | %s | %s | %.0f | %.0f | %s | %s | %s | %s |\n",
                   v, r, ok, failed, wall, rps, tps, t50, t99, short, medium, long, e50, e99, preq, ptok, logs, load }' >>"$WORK/rows"
    dp_cleanup
}

dp_log "machine: $(nproc) cores, $(uptime)"
for run in $(seq 1 "$REPEAT"); do
    for variant in $VARIANTS; do run_variant "$variant" "$run"; done
done

echo
echo "2P2D mindie_sim --timing realistic $SIM_ARGS; $REQUESTS streamed chat requests at concurrency $CONCURRENCY, max_tokens $MAX_TOKENS, seed $SEED"
echo "rr = default_scheduler + round_robin; lb = digs_scheduler + load_balance; lb-hol = lb with MindIE's head-of-line blocking"
echo "TTFT = time to the first body byte of the stream; tokens/s = SSE events/s; P requests/tokens = what each prefill instance received"
echo
echo "| variant | run | ok | failed | wall s | req/s | tokens/s | TTFT p50 ms | TTFT p99 ms | TTFT short p50/p99 | TTFT medium p50/p99 | TTFT long p50/p99 | e2e p50 ms | e2e p99 ms | P requests | P prompt tokens | log WARN+ERROR | load avg |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|"
cat "$WORK/rows"
