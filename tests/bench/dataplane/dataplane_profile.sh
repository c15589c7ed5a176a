# shellcheck shell=bash
# Where the coordinator's CPU goes: perf samples (cpu-clock, which works without hardware counters,
# e.g. in VMs and containers) of the running coordinator during the small and the stream workloads,
# summarised per module and per symbol. Sourced by run_dataplane_bench.sh, which provides
# run-time variables (DP_BIN, WORK, CHAT, SMALL_*, STREAM_*).

dp_profile_workload() {
    local pid=$1 url=$2 dir=$3 workload=$4
    local args=(--url "$url" --path "$CHAT" --keepalive --timeout-seconds 300 --label "profile/$workload")
    if [[ $workload == small ]]; then
        args+=(--body-file "$WORK/small.json" --concurrency "$SMALL_C" --requests "$SMALL_N")
    else
        args+=(--body-file "$WORK/stream.json" --concurrency "$STREAM_C" --requests "$STREAM_N" --stream)
    fi
    # DWARF unwinding: Qt, libcurl and libc are built without frame pointers, so -g (fp) chains
    # stop at the first library frame and inclusive times would be meaningless.
    perf record -e cpu-clock -F 2000 --call-graph dwarf,16384 -p "$pid" -o "$dir/$workload.data" \
        >"$dir/$workload.record.log" 2>&1 &
    local perf_pid=$!
    dp_track "$perf_pid"
    sleep 1 # perf attaches to every thread before the load starts
    "$DP_BIN/bench_load" "${args[@]}" >&2
    kill -INT "$perf_pid"
    wait "$perf_pid" 2>/dev/null
    perf report -i "$dir/$workload.data" --no-children --sort dso --stdio -g none 2>/dev/null |
        grep -v '^#' | grep -v '^$' | head -n 15 >"$dir/$workload.dso.txt"
    perf report -i "$dir/$workload.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null |
        grep -v '^#' | grep -v '^$' >"$dir/$workload.sym.all.txt"
    head -n 45 "$dir/$workload.sym.all.txt" >"$dir/$workload.sym.txt"
    dp_profile_categories "$dir/$workload.sym.all.txt" >"$dir/$workload.categories.txt"
    # Inclusive view: the share of samples under each of the relay's stages.
    perf report -i "$dir/$workload.data" --children --sort sym --stdio -g none 2>/dev/null |
        grep -v '^#' | grep -v '^$' |
        grep -E 'BackendClient::|RequestJob::|HttpFrontend::|ConnectionGuard::|ResponseStream::|Scheduler::|curl_multi_socket_action|curl_easy_(init|cleanup)|QHttpHeaderParser::parse|QAbstractHttpServer|QHttpServerResponder::|EventDispatcherGlib::(un)?registerSocketNotifier|QTimer::start|__libc_write|__libc_send|__libc_recv|__GI___libc_read|__GI___poll|[Ll]og' |
        head -n 40 >"$dir/$workload.children.txt"
    echo
    echo "### perf, coordinator, workload $workload: self time by module"
    cat "$dir/$workload.dso.txt"
    echo
    echo "### perf, coordinator, workload $workload: self time by category"
    cat "$dir/$workload.categories.txt"
    echo
    echo "### perf, coordinator, workload $workload: self time by symbol (top 45)"
    cat "$dir/$workload.sym.txt"
    echo
    echo "### perf, coordinator, workload $workload: inclusive time of selected frames"
    cat "$dir/$workload.children.txt"
}

# Buckets every sampled symbol into the parts of the relay a reader cares about. The order of the
# tests matters: allocator symbols live in libc, logging in our binary or Qt.
dp_profile_categories() {
    awk '{
        pct = $1; sub(/%/, "", pct); dso = $2; sym = ""
        for (i = 4; i <= NF; ++i) sym = sym " " $i
        if (sym ~ /malloc|free|_int_|unlink_chunk|tcache|realloc|calloc|operator new|operator delete|sysmalloc|brk|madvise/ && dso !~ /kernel/) c = "allocator (malloc/free)"
        else if (sym ~ /[Ll]og|qt_message|QDebug|QMessageLogger|vfprintf|strftime/) c = "logging"
        else if (dso ~ /kernel/ && sym ~ /poll|schedule|switch|futex|wake|hrtimer|fdget|fput/) c = "kernel: poll (per-fd), scheduling, futex"
        else if (dso ~ /kernel/ && sym ~ /tcp|sock|skb|inet|ip_|net_|__dev|loopback|_copy_|(^| )sk_/) c = "kernel: TCP/loopback"
        else if (dso ~ /kernel/) c = "kernel: other syscalls"
        else if (dso ~ /vdso/) c = "clock_gettime (vdso)"
        else if (dso ~ /libcurl/) c = "libcurl"
        else if (dso ~ /HttpServer/ || sym ~ /QHttpServer|QAbstractHttpServer/) c = "QtHttpServer"
        else if (dso ~ /Network/) c = "QtNetwork (sockets, header parser)"
        else if (dso ~ /libglib/ || sym ~ /EventDispatcher|QSocketNotifier|QTimer|Timer/) c = "event loop (glib, timers, notifiers)"
        else if (dso ~ /Qt6Core/) c = "QtCore (QObject, signals, containers)"
        else if (dso ~ /ms_coordinator/) c = "ms_coordinator (our code)"
        else if (dso ~ /libc|libstdc|ld-linux|libpthread/) c = "libc/libstdc++ other (memcpy, strings)"
        else c = "other: " dso
        total[c] += pct
    }
    END { for (c in total) printf "%7.2f%%  %s\n", total[c], c }' "$1" | sort -rn
}

# Samples the coordinator for 8 s while it holds thousands of slow streams (memory phase).
dp_profile_held_streams() {
    local pid=$1 dir=$2
    mkdir -p "$dir"
    command -v perf >/dev/null || return 0
    perf record -e cpu-clock -F 2000 -g -p "$pid" -o "$dir/held.data" -- sleep 8 >"$dir/held.record.log" 2>&1
    perf report -i "$dir/held.data" --no-children --sort dso --stdio -g none 2>/dev/null |
        grep -v '^#' | grep -v '^$' | head -n 15 >"$dir/held.dso.txt"
    perf report -i "$dir/held.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null |
        grep -v '^#' | grep -v '^$' >"$dir/held.sym.all.txt"
    dp_profile_categories "$dir/held.sym.all.txt" >"$dir/held.categories.txt"
}

dp_profile_coordinator() {
    local pid=$1 url=$2 dir=$3
    mkdir -p "$dir"
    command -v perf >/dev/null || { dp_log "perf missing; skipping the profile"; return 0; }
    dp_profile_workload "$pid" "$url" "$dir" small
    dp_profile_workload "$pid" "$url" "$dir" stream
}
