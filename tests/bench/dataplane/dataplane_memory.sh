# shellcheck shell=bash
# Memory per open stream: SLOW_STREAMS concurrent slow streams through a fresh coordinator, then
# through nginx for comparison. The simulator runs its realistic timing model with a fixed 500 ms
# decode step (no per-request slope, so the step does not depend on how the streams are spread) and
# a prefill fast enough that every stream gets its first token during the ramp-up: all streams are
# open at once for about SLOW_TOKENS/2 seconds. Reports VmRSS before and with all streams held,
# the proxy's CPU per relayed token at that scale, and the outcome.
# Sourced by run_dataplane_bench.sh (uses WORK, WORKERS, ALGORITHM, CHAT, DP_BIN, SLOW_*, PROFILE).

dp_rss_sum() {
    local total=0 pid
    for pid in "$@"; do total=$((total + $(dp_rss_kib "$pid"))); done
    echo "$total"
}

# dp_hold_streams LABEL PORT "CHARGED PIDS" PROFILE_PID: one run of SLOW_STREAMS streams, one table row.
dp_hold_streams() {
    local label=$1 port=$2 pids=$3 profile_target=$4
    local dir="$WORK/hold-$label"
    mkdir -p "$dir"
    "$DP_BIN/bench_load" --url "http://127.0.0.1:$port" --path "$CHAT" --body-file "$WORK/one-token.json" \
        --keepalive --concurrency 20 --requests 200 --timeout-seconds 60 --label warmup >/dev/null
    sleep 1
    local rss_before cpu_before mark="$dir/all-open"
    rss_before=$(dp_rss_sum $pids)
    cpu_before=$(dp_cpu_ticks $pids)
    "$DP_BIN/bench_load" --url "http://127.0.0.1:$port" --path "$CHAT" --body-file "$WORK/slow.json" \
        --stream --concurrency "$SLOW_STREAMS" --requests "$SLOW_STREAMS" --timeout-seconds 240 \
        --mark-file "$mark" --label "hold/$label/$SLOW_STREAMS-slow-streams" >"$dir/load.json" 2>&1 &
    local load_pid=$!
    dp_track "$load_pid"
    # Each client connection carries exactly one stream and closes after it, so the proxy's
    # established connections on its listening port are the streams it holds. RSS is kept from the
    # sample with the most of them (normally all: bench_load writes $mark when every stream is open).
    local rss_peak=0 rss_open=0 held=0 est rss seconds_to_open="-" start=$SECONDS profile_pid=""
    while kill -0 "$load_pid" 2>/dev/null; do
        rss=$(dp_rss_sum $pids)
        est=$(ss -Htn state established "( sport = :$port )" | wc -l)
        ((rss > rss_peak)) && rss_peak=$rss
        if [[ -e $mark && $seconds_to_open == - ]]; then
            seconds_to_open=$((SECONDS - start))
            if [[ ${PROFILE:-0} == 1 && -n $profile_target ]]; then
                dp_profile_held_streams "$profile_target" "$WORK/profile" &
                profile_pid=$!
            fi
        fi
        if ((est > held || (est == held && rss > rss_open))); then
            held=$est
            rss_open=$rss
        fi
        local pid
        for pid in $pids; do kill -0 "$pid" 2>/dev/null || coordinator_or_proxy_died "$label" "$pid"; done
        sleep 0.5
    done
    wait "$load_pid"
    [[ -n $profile_pid ]] && wait "$profile_pid"
    local line cpu_ms
    cpu_ms=$((($(dp_cpu_ticks $pids) - cpu_before) * 1000 / TICKS_PER_S))
    line=$(tail -n 1 "$dir/load.json")
    echo "$line" >>"$WORK/results.jsonl"
    echo "$line" >&2
    awk -v label="$label" -v n="$SLOW_STREAMS" -v ok="$(dp_field ok "$line")" \
        -v failed="$(dp_field failed "$line")" -v open="$seconds_to_open" -v held="$held" \
        -v before="$rss_before" -v during="$rss_open" -v peak="$rss_peak" -v after="$(dp_rss_sum $pids)" \
        -v wall="$(dp_field wall_s "$line")" -v cpu="$cpu_ms" -v events="$(dp_field events "$line")" 'BEGIN {
            per = held > 0 ? sprintf("%.1f", (during - before) / held) : "-"
            printf "| %s | %d | %d | %d | %s | %d | %d | %d | %d | %d | %s | %.1f | %d | %.2f |\n",
                   label, n, ok, failed, open, held, before, during, peak, after, per, wall, cpu,
                   (events > 0 ? cpu * 1000 / events : 0) }' >>"$WORK/hold-rows"
    [[ $(dp_field failed "$line") == 0 ]] || dp_log "$label: slow streams had failures: $line"
}

dp_memory_per_stream() {
    local dir="$WORK/coord-mem" predict manage nginx_port
    dp_free_port predict
    dp_free_port manage
    mkdir -p "$dir"
    # The per-instance cap must admit every stream even if the algorithm packs them on one instance.
    dp_write_coordinator_config "$dir" "$predict" "$manage" "$WORKERS" "$SLOW_STREAMS" "$ALGORITHM"
    dp_start_coordinator "$dir"
    local slots=$(((SLOW_STREAMS + 3) / 4 * 2))
    dp_start_sim "$WORK/sim-slow.out" --single 4 --timing realistic --slots "$slots" --kv-blocks 16384 \
        --decode-base-ms 500 --decode-slope-ms 0 --prefill-rate 10000000 --register "http://127.0.0.1:$manage"
    dp_wait_ready "http://127.0.0.1:$predict$CHAT" "$(cat "$WORK/one-token.json")" "$DP_COORD_PID" ms_coordinator
    dp_hold_streams coordinator "$predict" "$DP_COORD_PID" "$DP_COORD_PID"
    dp_stop_pid "$DP_COORD_PID"

    dp_free_port nginx_port
    dp_start_nginx "$WORK/nginx-mem" "$nginx_port" "$WORKERS" $DP_SIM_PORTS
    dp_hold_streams nginx "$nginx_port" "$(dp_nginx_pids "$DP_NGINX_PID")" ""
    dp_stop_pid "$DP_NGINX_PID"
    dp_stop_pid "$DP_SIM_PID"

    echo
    echo "memory: $SLOW_STREAMS concurrent streams of $SLOW_TOKENS tokens (sim --timing realistic --slots $slots, 500 ms per token); RSS of the proxy (nginx: master+workers)"
    echo
    echo "| proxy | streams | ok | failed | all open after s | max streams held | RSS before KiB | RSS at max held KiB | RSS peak KiB | RSS after KiB | KiB per held stream | wall s | proxy CPU ms | µs/token |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    cat "$WORK/hold-rows"
    if [[ -s $WORK/profile/held.dso.txt ]]; then
        echo
        echo "### perf, coordinator holding the streams (8 s): self time by module"
        cat "$WORK/profile/held.dso.txt"
        echo
        echo "### perf, coordinator holding the streams: self time by category"
        cat "$WORK/profile/held.categories.txt"
        echo
        echo "### perf, coordinator holding the streams: top symbols"
        head -n 30 "$WORK/profile/held.sym.all.txt"
    fi
}
