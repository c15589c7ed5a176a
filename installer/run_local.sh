#!/usr/bin/env bash
# Runs ms_coordinator locally with the single-node example config (TLS off, ports 1025-1029 on
# 127.0.0.1) in front of a simulated cluster: mindie_sim hosts two single-node instances (ports
# 17000-17005) and registers them with the coordinator the way MindIE's Controller does.
# Called by `one_key_build.sh -r` with the build directory. Ctrl-C stops everything.
set -euo pipefail

build_dir="${1:?usage: run_local.sh <build dir>}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run_dir="$build_dir/run"
mkdir -p "$run_dir/conf" "$run_dir/logs"

# The coordinator refuses config files that others can read or write (spec: mode 0640 at most),
# so the runnable copy gets the mode a deployment would give it.
config="$run_dir/conf/ms_coordinator.json"
install -m 0640 "$root/conf/examples/single_node_local.json" "$config"
export MINDIE_MS_COORDINATOR_CONFIG_FILE_PATH="$config"
export MINDIE_LOG_PATH="$run_dir/logs"

pids=()
cleanup() {
    trap - INT TERM EXIT
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

cd "$run_dir"
"$build_dir/bin/ms_coordinator" &
pids+=($!)

wait_for() {
    for _ in $(seq 1 100); do
        curl -fs -o /dev/null "$1" && return 0
        kill -0 "${pids[0]}" 2>/dev/null || { echo "ms_coordinator exited; see above" >&2; exit 1; }
        sleep 0.1
    done
    echo "timed out waiting for $1" >&2
    exit 1
}
wait_for http://127.0.0.1:1029/v1/health

"$build_dir/bin/mindie_sim" --single 2 --register http://127.0.0.1:1026 --quiet > "$run_dir/logs/mindie_sim.out" 2>&1 &
pids+=($!)
wait_for http://127.0.0.1:1029/v2/health/ready

cat <<'TXT'

ms_coordinator is running on a simulated cluster of two MindIE Server instances.
Stream a chat completion through it:

  curl -N http://127.0.0.1:1025/v1/chat/completions -H 'Content-Type: application/json' \
       -d '{"model":"llama_65b","messages":[{"role":"user","content":"Hello!"}],"max_tokens":32,"stream":true}'

Probes and state:
  curl -i http://127.0.0.1:1029/v2/health/ready      # 200 once instances are registered
  curl -s http://127.0.0.1:1029/v1/status            # JSON status snapshot
  curl -s 'http://127.0.0.1:1026/v1/instances/tasks?id=0&id=1'
TXT
echo "Config: $config; logs: $run_dir/logs. Press Ctrl-C to stop."
wait "${pids[0]}"
