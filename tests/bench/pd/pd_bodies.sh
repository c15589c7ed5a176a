# shellcheck shell=bash
# Mixed-length request bodies for run_pd_bench.sh. Sourced, not run.

# pd_write_bodies FILE COUNT SEED MAX_TOKENS: COUNT streamed OpenAI chat bodies, one per line, for
# bench_load --bodies-file. Prompt classes: 70 % short (~200 chars), 25 % medium (~2,000), 5 % long
# (~12,000), each length ±25 %, drawn with a Park-Miller generator so that every awk (mawk, gawk)
# writes the same file for the same seed. Every prompt starts with its own request number, so no
# two share a KV block and the simulator's prefix cache plays no part. FILE.classes gets each
# line's class (short, medium, long), for pd_class_ttft.
pd_write_bodies() {
    local file=$1 count=$2 seed=$3 max_tokens=$4
    awk -v n="$count" -v seed="$seed" -v tokens="$max_tokens" -v classes="$file.classes" '
        function rnd() { state = (state * 16807) % 2147483647; return state / 2147483647 }
        BEGIN {
            state = seed % 2147483646 + 1
            filler = "The scheduler weighs prefill and decode load before it places each request. "
            for (i = 0; i < n; i++) {
                r = rnd()
                if (r < 0.70) { class = "short"; target = 200 }
                else if (r < 0.95) { class = "medium"; target = 2000 }
                else { class = "long"; target = 12000 }
                target = int(target * (0.75 + 0.5 * rnd()))
                prompt = sprintf("Request %d (%s). ", i, class)
                while (length(prompt) < target) prompt = prompt filler
                prompt = substr(prompt, 1, target)
                printf "{\"model\":\"llama_65b\",\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}],", prompt
                printf "\"max_tokens\":%d,\"stream\":true}\n", tokens
                counts[class]++
                print class > classes
            }
            printf "bodies: %d short, %d medium, %d long\n", counts["short"], counts["medium"], counts["long"] > "/dev/stderr"
        }' >"$file"
}

# pd_class_ttft CLASSES PER_REQUEST CLASS: "p50/p99" time to first chunk (ms, nearest rank) of the
# successful requests of one class; PER_REQUEST is bench_load --per-request-file output.
pd_class_ttft() {
    awk -v want="$3" 'NR == FNR { class[n++] = $1; next }
        $2 == 1 && $3 >= 0 && class[$1 % n] == want { print $3 }' "$1" "$2" | sort -n |
        awk '{ v[NR] = $1 } END {
            if (NR == 0) { print "-"; exit }
            i50 = int(NR * 0.50 + 0.999); i99 = int(NR * 0.99 + 0.999)
            printf "%.0f/%.0f", v[i50], v[i99] }'
}
