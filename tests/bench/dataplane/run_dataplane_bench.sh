#!/usr/bin/env bash
# Data-plane benchmark: the same workloads straight to mindie_sim, through nginx and through
# ms_coordinator, side by side in one run; then memory per open stream with 5,000 slow streams and,
# with --profile, where the coordinator's time goes (perf). Prints tables; see docs/BENCHMARKS.md.
#
# usage: run_dataplane_bench.sh [--build-dir DIR] [--skip-build] [--workers N] [--profile]
#                               [--skip-memory] [--quick] [--algorithm round_robin|cache_affinity]
#                               [--keep-dir] [--memory-only] [--coord-env NAME=VALUE]...
set -uo pipefail

DP_SOURCE=$(cd "$(dirname "$0")/../../.." && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/dataplane_procs.sh"
source "$HERE/dataplane_profile.sh"

BUILD_DIR="$DP_SOURCE/build-bench"
SKIP_BUILD=0
WORKERS=$(nproc)
PROFILE=0
SKIP_MEMORY=0
MEMORY_ONLY=0
COORD_ENV=()
KEEP_DIR=0
ALGORITHM=cache_affinity # what conf/examples/single_node_local.json uses
SMALL_N=20000 SMALL_C=64 STREAM_N=1000 STREAM_C=32 STREAM_TOKENS=256
LATENCY_N=3000 # one request at a time: the added latency itself, without queueing behind 63 others
SLOW_STREAMS=5000 SLOW_TOKENS=40
while [[ $# -gt 0 ]]; do
    case $1 in
    --build-dir) BUILD_DIR=$(realpath "$2"); shift ;;
    --skip-build) SKIP_BUILD=1 ;;
    --workers) WORKERS=$2; shift ;;
    --profile) PROFILE=1 ;;
    --skip-memory) SKIP_MEMORY=1 ;;
    --memory-only) MEMORY_ONLY=1 ;;
    --keep-dir) KEEP_DIR=1 ;;
    --algorithm) ALGORITHM=$2; shift ;;
    --coord-env) COORD_ENV+=("$2"); shift ;; # e.g. QT_NO_GLIB=1, for the coordinator only
    --quick) SMALL_N=4000 STREAM_N=200 SLOW_STREAMS=1000 LATENCY_N=500 ;;
    -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
    *) dp_die "unknown option $1" ;;
    esac
    shift
done
DP_BIN="$BUILD_DIR/bin"
DP_COORD_WRAPPER=(env "${COORD_ENV[@]}")
TICKS_PER_S=$(getconf CLK_TCK)

WORK=$(mktemp -d /tmp/dataplane-bench.XXXXXX)
on_exit() {
    dp_cleanup
    if [[ $KEEP_DIR == 1 ]]; then dp_log "files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# --- prerequisites ----------------------------------------------------------------------------
need_package() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' && return 0
    local sudo=()
    [[ $(id -u) != 0 ]] && sudo=(sudo)
    dp_log "installing $1"
    "${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" ||
        dp_die "cannot install $1"
}
need_package nginx-light
[[ $PROFILE == 1 ]] && need_package linux-perf
command -v curl >/dev/null || need_package curl

dp_prepare_binaries "$BUILD_DIR" "$SKIP_BUILD"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# --- request bodies ---------------------------------------------------------------------------
PROMPT='Summarise the benefits of continuous batching for LLM serving in one paragraph.'
printf '{"model":"llama_65b","messages":[{"role":"user","content":"%s"}],"max_tokens":16,"stream":false}' \
    "$PROMPT" >"$WORK/small.json"
printf '{"model":"llama_65b","messages":[{"role":"user","content":"%s"}],"max_tokens":%d,"stream":true}' \
    "$PROMPT" "$STREAM_TOKENS" >"$WORK/stream.json"
printf '{"model":"llama_65b","messages":[{"role":"user","content":"%s"}],"max_tokens":%d,"stream":true}' \
    "$PROMPT" "$SLOW_TOKENS" >"$WORK/slow.json"
# One token: readiness probes and the memory phase's warm-up answer at once even with slow timing.
printf '{"model":"llama_65b","messages":[{"role":"user","content":"%s"}],"max_tokens":1,"stream":false}' \
    "$PROMPT" >"$WORK/one-token.json"
CHAT=/v1/chat/completions

# --- one measured run -------------------------------------------------------------------------
# run_case TARGET WORKLOAD "PIDS CHARGED" URL... : runs bench_load, charges the CPU the given
# processes used meanwhile, appends a row to $WORK/rows.
run_case() {
    local target=$1 workload=$2 pids=$3
    shift 3
    local urls=() url
    for url in "$@"; do urls+=(--url "$url"); done
    local args=(--keepalive --path "$CHAT" --timeout-seconds 300 --label "$target/$workload")
    if [[ $workload == small ]]; then
        args+=(--body-file "$WORK/small.json" --concurrency "$SMALL_C" --requests "$SMALL_N")
    elif [[ $workload == serial ]]; then
        args+=(--body-file "$WORK/small.json" --concurrency 1 --requests "$LATENCY_N")
    else
        args+=(--body-file "$WORK/stream.json" --concurrency "$STREAM_C" --requests "$STREAM_N" --stream)
    fi
    local before sim_before line after sim_after
    before=$(dp_cpu_ticks $pids)
    sim_before=$(dp_cpu_ticks "$DP_SIM_PID")
    line=$("$DP_BIN/bench_load" "${urls[@]}" "${args[@]}")
    after=$(dp_cpu_ticks $pids)
    sim_after=$(dp_cpu_ticks "$DP_SIM_PID")
    echo "$line" >>"$WORK/results.jsonl"
    echo "$line" >&2
    local ok events proxy_ms
    ok=$(dp_field ok "$line")
    events=$(dp_field events "$line")
    proxy_ms=$(((after - before) * 1000 / TICKS_PER_S))
    awk -v t="$target" -v w="$workload" -v ok="$ok" -v failed="$(dp_field failed "$line")" \
        -v rps="$(dp_field rps "$line")" -v p50="$(dp_field p50_ms "$line")" -v p99="$(dp_field p99_ms "$line")" \
        -v mx="$(dp_field max_ms "$line")" -v ev="${events:-0}" -v ttfb="$(dp_field ttfb_p50_ms "$line")" \
        -v pms="$proxy_ms" -v sms="$(((sim_after - sim_before) * 1000 / TICKS_PER_S))" \
        -v cms="$(dp_field client_cpu_ms "$line")" -v direct="$([[ -z $pids ]] && echo 1 || echo 0)" 'BEGIN {
            per_req = (direct || ok == 0) ? "-" : sprintf("%.1f", pms * 1000 / ok)
            per_tok = (direct || ev == 0) ? "-" : sprintf("%.2f", pms * 1000 / ev)
            printf "| %s | %s | %d | %d | %.0f | %.3f | %.3f | %.1f | %s | %s | %s | %s | %s | %.1f | %d |\n",
                   t, w, ok, failed, rps, p50, p99, mx, (ev > 0 ? ev : "-"), (ttfb == "" ? "-" : ttfb),
                   (direct ? "-" : pms), per_req, per_tok, (ok ? sms * 1000 / ok : 0), cms }' >>"$WORK/rows"
    if [[ -n $pids ]]; then
        local pid
        for pid in $pids; do kill -0 "$pid" 2>/dev/null || coordinator_or_proxy_died "$target" "$pid"; done
    fi
}

coordinator_or_proxy_died() {
    dp_log "$1 (pid $2) died during the run; evidence:"
    tail -n 50 "$WORK"/coord*/stdout.log "$WORK"/coord*/logs/* "$WORK"/nginx/error.log 2>/dev/null >&2
    exit 1
}

warm_up() { # short run so connection pools and allocators are warm before measuring
    local urls=() url
    for url in "$@"; do urls+=(--url "$url"); done
    "$DP_BIN/bench_load" "${urls[@]}" --path "$CHAT" --body-file "$WORK/small.json" --keepalive \
        --concurrency "$SMALL_C" --requests 2000 --timeout-seconds 60 --label warmup >/dev/null ||
        dp_log "warm-up had failures"
}

if [[ $MEMORY_ONLY == 1 ]]; then
    source "$HERE/dataplane_memory.sh"
    dp_memory_per_stream
    exit 0
fi

# --- targets ----------------------------------------------------------------------------------
# The coordinator first, so the simulator can register with its manage port from the start.
dp_log "machine: $(nproc) cores, $(uptime)"
dp_free_port PREDICT_PORT
dp_free_port MANAGE_PORT
COORD_DIR="$WORK/coord"
dp_write_coordinator_config "$COORD_DIR" "$PREDICT_PORT" "$MANAGE_PORT" "$WORKERS" 2000 "$ALGORITHM"
dp_start_coordinator "$COORD_DIR"
dp_start_sim "$WORK/sim.out" --single 4 --timing fast --register "http://127.0.0.1:$MANAGE_PORT"
read -r -a SIM_PORTS <<<"$DP_SIM_PORTS"
dp_log "sim pid $DP_SIM_PID, instances on ports ${SIM_PORTS[*]}"
dp_wait_ready "http://127.0.0.1:$PREDICT_PORT$CHAT" "$(cat "$WORK/one-token.json")" "$DP_COORD_PID" ms_coordinator
dp_log "coordinator pid $DP_COORD_PID ($WORKERS workers, $ALGORITHM) on $PREDICT_PORT"

dp_free_port NGINX_PORT
dp_start_nginx "$WORK/nginx" "$NGINX_PORT" "$WORKERS" "${SIM_PORTS[@]}"
dp_log "nginx master $DP_NGINX_PID ($WORKERS worker processes) on $NGINX_PORT"

DIRECT_URLS=()
for port in "${SIM_PORTS[@]}"; do DIRECT_URLS+=("http://127.0.0.1:$port"); done
NGINX_URL="http://127.0.0.1:$NGINX_PORT"
COORD_URL="http://127.0.0.1:$PREDICT_PORT"

for workload in small serial stream; do
    warm_up "${DIRECT_URLS[@]}"
    run_case direct "$workload" "" "${DIRECT_URLS[@]}"
    warm_up "$NGINX_URL"
    run_case nginx "$workload" "$(dp_nginx_pids "$DP_NGINX_PID")" "$NGINX_URL"
    warm_up "$COORD_URL"
    run_case coordinator "$workload" "$DP_COORD_PID" "$COORD_URL"
done

print_throughput_tables() {
    echo
    echo "small: $SMALL_N requests at concurrency $SMALL_C; serial: $LATENCY_N small requests one at a time; stream: $STREAM_N streams of $STREAM_TOKENS tokens at concurrency $STREAM_C"
    echo "proxy CPU = utime+stime from /proc/PID/stat (nginx: master+workers); sim and client CPU for context"
    echo
    echo "| target | workload | ok | failed | req/s | p50 ms | p99 ms | max ms | tokens | TTFB p50 ms | proxy CPU ms | proxy µs/req | proxy µs/token | sim µs/req | client CPU ms |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    cat "$WORK/rows"
    echo
    awk -F'|' '{ gsub(/ /, ""); key = $2 "/" $3; p50[key] = $7; req[key] = $13; tok[key] = $14 }
        END {
            printf "coordinator/nginx CPU per request (small): %.2fx   (target <= 2x)\n", req["coordinator/small"] / req["nginx/small"]
            printf "coordinator/nginx CPU per token (stream):  %.2fx   (target <= 2x)\n", tok["coordinator/stream"] / tok["nginx/stream"]
            printf "p50 added latency vs direct, small: coordinator %+.3f ms, nginx %+.3f ms (target < 1 ms)\n",
                   p50["coordinator/small"] - p50["direct/small"], p50["nginx/small"] - p50["direct/small"]
            printf "p50 added latency vs direct, serial (concurrency 1): coordinator %+.3f ms, nginx %+.3f ms (target < 1 ms)\n",
                   p50["coordinator/serial"] - p50["direct/serial"], p50["nginx/serial"] - p50["direct/serial"]
            printf "p50 added latency vs direct, stream: coordinator %+.3f ms, nginx %+.3f ms\n",
                   p50["coordinator/stream"] - p50["direct/stream"], p50["nginx/stream"] - p50["direct/stream"]
        }' "$WORK/rows"
}
print_throughput_tables

if [[ $PROFILE == 1 ]]; then
    dp_profile_coordinator "$DP_COORD_PID" "$COORD_URL" "$WORK/profile"
fi
dp_stop_pid "$DP_NGINX_PID"
dp_stop_pid "$DP_COORD_PID"
dp_stop_pid "$DP_SIM_PID"

# --- memory per open stream ---------------------------------------------------------------------
[[ $SKIP_MEMORY == 1 ]] && exit 0
source "$HERE/dataplane_memory.sh"
dp_memory_per_stream
