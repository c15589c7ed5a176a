#!/usr/bin/env bash
# Runs ms_coordinator locally with the single-node example config (TLS off, ports 1025-1029 on
# 127.0.0.1). Called by `one_key_build.sh -r` with the build directory. Ctrl-C stops everything.
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

for _ in $(seq 1 50); do
    curl -fs -o /dev/null http://127.0.0.1:1029/v1/health && break
    sleep 0.1
done

cat <<TXT

ms_coordinator is running (config: $config, logs: $run_dir/logs).
  curl -i http://127.0.0.1:1029/v1/health            # liveness: 200
  curl -i http://127.0.0.1:1029/v2/health/ready      # 503 until instances register
  curl -s http://127.0.0.1:1029/v1/status            # JSON status snapshot
Press Ctrl-C to stop.
TXT
wait "${pids[0]}"
