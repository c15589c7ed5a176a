# shellcheck shell=bash
# Helpers of run_dataplane_bench.sh: ports, process start/stop, CPU and RSS readings.
# Sourced, not run. Every process started here is recorded in DP_PIDS and killed by dp_cleanup.

# Outputs for the caller: DP_SIM_PID, DP_SIM_PORTS, DP_NGINX_PID, DP_COORD_PID.
# shellcheck disable=SC2034
DP_PIDS=()
DP_USED_PORTS=" "

dp_log() { printf '[dataplane] %s\n' "$*" >&2; }
dp_die() { dp_log "ERROR: $*"; exit 1; }

# Stores a free TCP port of 127.0.0.1 (20000-31999) in the variable named $1, never the same twice in one run
# (it sets a variable rather than printing so that the used-port list survives: no subshell).
dp_free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 12000)) # below ip_local_port_range: no outgoing socket holds it
        [[ $DP_USED_PORTS == *" $port "* ]] && continue
        if ! ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then
            DP_USED_PORTS+="$port "
            printf -v "$1" '%s' "$port"
            return 0
        fi
    done
    dp_die "no free port found"
}

dp_track() { DP_PIDS+=("$1"); }

# dp_prepare_binaries BUILD_DIR SKIP_BUILD: builds the three programs the benchmarks run (Release)
# unless SKIP_BUILD is 1, then checks that they are there.
dp_prepare_binaries() {
    local build_dir=$1 skip_build=$2 binary
    if [[ $skip_build == 0 ]]; then
        dp_log "building in $build_dir (Release)"
        cmake -S "$DP_SOURCE" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null || dp_die "cmake failed"
        cmake --build "$build_dir" -j2 --target ms_coordinator mindie_sim bench_load >/dev/null ||
            dp_die "build failed"
    fi
    for binary in ms_coordinator mindie_sim bench_load; do
        [[ -x $build_dir/bin/$binary ]] || dp_die "$build_dir/bin/$binary missing (build it or pass --build-dir)"
    done
}

dp_stop_pid() {
    local pid=$1
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
}

dp_cleanup() {
    local pid
    for pid in "${DP_PIDS[@]}"; do
        dp_stop_pid "$pid"
    done
    DP_PIDS=()
}

# utime+stime in clock ticks of a list of pids (field 14 and 15 of /proc/PID/stat; the comm field
# can hold spaces, so count from the closing parenthesis). For a process this includes all threads.
dp_cpu_ticks() {
    local total=0 pid rest
    for pid in "$@"; do
        [[ -r /proc/$pid/stat ]] || continue
        rest=$(sed 's/^.*) //' "/proc/$pid/stat")
        total=$((total + $(awk '{print $12 + $13}' <<<"$rest")))
    done
    echo "$total"
}

dp_rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# nginx master plus its workers, the processes whose CPU we charge to nginx.
dp_nginx_pids() { echo "$1" $(pgrep -P "$1"); }

# Starts mindie_sim with the given flags, waits for its READY line and prints the inference ports.
dp_start_sim() {
    local out=$1
    shift
    "$DP_BIN/mindie_sim" "$@" --base-port 0 --quiet >"$out" 2>&1 &
    local pid=$!
    dp_track "$pid"
    for _ in $(seq 1 100); do
        grep -qs '^READY' "$out" && break
        kill -0 "$pid" 2>/dev/null || dp_die "mindie_sim exited: $(cat "$out")"
        sleep 0.1
    done
    grep -q '^READY' "$out" || dp_die "mindie_sim not ready: $(cat "$out")"
    DP_SIM_PID=$pid
    DP_SIM_PORTS=$(grep '^READY' "$out" | grep -o '"port":[0-9]*' | cut -d: -f2 | tr '\n' ' ')
}

# Writes an nginx config proxying to the given ports and starts nginx in the foreground (daemon off)
# so that $! is the master. Keep-alive both sides, no buffering: the fair equivalent of the relay.
dp_start_nginx() {
    local dir=$1 port=$2 workers=$3
    shift 3
    mkdir -p "$dir/tmp"
    {
        echo "worker_processes $workers;"
        echo "worker_rlimit_nofile 65536;"
        echo "pid $dir/nginx.pid;"
        echo "error_log $dir/error.log warn;"
        echo "daemon off;"
        echo "events { worker_connections 16384; multi_accept on; }"
        echo "http {"
        echo "  access_log off;"
        echo "  client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy;"
        echo "  fastcgi_temp_path $dir/tmp/fcgi; uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;"
        echo "  keepalive_requests 1000000; keepalive_timeout 180s;"
        echo "  upstream sim {"
        local backend
        for backend in "$@"; do echo "    server 127.0.0.1:$backend;"; done
        echo "    keepalive 256; keepalive_requests 1000000; keepalive_timeout 180s;"
        echo "  }"
        echo "  server {"
        echo "    listen 127.0.0.1:$port backlog=4096;"
        echo "    location / {"
        echo "      proxy_pass http://sim;"
        echo "      proxy_http_version 1.1;"
        echo "      proxy_set_header Connection \"\";"
        echo "      proxy_buffering off;"
        echo "      proxy_read_timeout 600s;"
        echo "    }"
        echo "  }"
        echo "}"
    } >"$dir/nginx.conf"
    nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" >"$dir/stdout.log" 2>&1 &
    DP_NGINX_PID=$!
    dp_track "$DP_NGINX_PID"
    for _ in $(seq 1 50); do
        ss -Htln "sport = :$port" | grep -q . && return 0
        kill -0 "$DP_NGINX_PID" 2>/dev/null || dp_die "nginx exited: $(cat "$dir/error.log" "$dir/stdout.log")"
        sleep 0.1
    done
    dp_die "nginx did not listen on $port"
}

# dp_write_config_from EXAMPLE DIR PREDICT MANAGE WORKERS [SED_EXPRESSION...]: a copy (mode 0640)
# of conf/examples/EXAMPLE in DIR/ms_coordinator.json with our ports, WORKERS server and client
# threads, quiet logging (WARN, file only, in DIR/logs) and the extra sed expressions applied.
# TLS stays off, as in the examples.
dp_write_config_from() {
    local example=$1 dir=$2 predict=$3 manage=$4 workers=$5
    shift 5
    local alarm external status extra=() expression
    for expression in "$@"; do extra+=(-e "$expression"); done
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
        "${extra[@]}" \
        "$DP_SOURCE/conf/examples/$example" >"$dir/ms_coordinator.json"
    chmod 0640 "$dir/ms_coordinator.json"
}

# The single-node example with a per-instance cap and the default scheduler's algorithm.
dp_write_coordinator_config() {
    local dir=$1 predict=$2 manage=$3 workers=$4 per_instance_cap=$5 algorithm=$6
    dp_write_config_from single_node_local.json "$dir" "$predict" "$manage" "$workers" \
        "s/\"single_node_max_requests\": 1000/\"single_node_max_requests\": $per_instance_cap/" \
        "s/\"algorithm_type\": \"cache_affinity\"/\"algorithm_type\": \"$algorithm\"/"
}

# Starts ms_coordinator on a config written by dp_write_coordinator_config.
dp_start_coordinator() {
    local dir=$1
    (
        unset MINDIE_LOG_LEVEL MINDIE_LOG_TO_FILE MINDIE_LOG_TO_STDOUT MINDIE_LOG_VERBOSE MINDIE_LOG_PATH
        unset MINDIE_MS_COORDINATOR_CONFIG_MAX_REQ MINDIE_MS_COORDINATOR_CONFIG_SINGLE_NODE_MAX_REQ
        cd "$dir" && exec "${DP_COORD_WRAPPER[@]}" "$DP_BIN/ms_coordinator" --config "$dir/ms_coordinator.json"
    ) >"$dir/stdout.log" 2>&1 &
    DP_COORD_PID=$!
    dp_track "$DP_COORD_PID"
}

# Polls the predict port with one real request until it answers 200 (the instances registered).
dp_wait_ready() {
    local url=$1 body=$2 pid=$3 what=$4
    for _ in $(seq 1 150); do
        kill -0 "$pid" 2>/dev/null || dp_die "$what exited during startup"
        [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" -H 'Content-Type: application/json' \
            -d "$body") == 200 ]] && return 0
        sleep 0.2
    done
    dp_die "$what not ready at $url after 30 s"
}

# One field of bench_load's JSON line (numbers only).
dp_field() { sed -n "s/.*\"$1\":\([-0-9.]*\).*/\1/p" <<<"$2"; }
