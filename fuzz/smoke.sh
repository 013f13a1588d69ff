#!/usr/bin/env bash
# CI smoke run of the libFuzzer targets: each for SECONDS (default 30), two at a time, from a
# scratch copy of its seed corpus. TAP: one line per target; a crash keeps its reproducer in
# the artifacts directory and names it. Usage: fuzz/smoke.sh BUILD-DIR [SECONDS]
set -u
build=$1
secs=${2:-30}
src=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/hardrun-fuzz.XXXXXX")
targets=(json policy cli harden)

run() {
        local t=$1 w=$work/$1
        mkdir -p "$w/corpus" "$w/artifacts"
        cp "$src/corpus/$t/"* "$w/corpus/"
        ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
                timeout -k 10 $((secs + 120)) "$build/fuzz/fuzz-$t" -max_total_time="$secs" \
                -max_len=16384 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
                -artifact_prefix="$w/artifacts/" "$w/corpus" >"$w/log" 2>&1
        echo $? >"$w/rc"
}

for ((i = 0; i < ${#targets[@]}; i += 2)); do
        run "${targets[i]}" &
        [ -n "${targets[i + 1]:-}" ] && run "${targets[i + 1]}" &
        wait
done

n=0 failed=0
for t in "${targets[@]}"; do
        n=$((n + 1))
        w=$work/$t
        execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$w/log")
        if [ "$(cat "$w/rc")" = 0 ]; then
                printf 'ok %d - fuzz-%s: %s s, %s executions\n' "$n" "$t" "$secs" "${execs:-?}"
        else
                failed=$((failed + 1))
                printf 'not ok %d - fuzz-%s (exit %s)\n' "$n" "$t" "$(cat "$w/rc")"
                grep -E 'ERROR|invariant broken|SUMMARY|Test unit written' "$w/log" | head -n 20 |
                        sed 's/^/#   /'
                for a in "$w/artifacts"/*; do
                        [ -e "$a" ] && printf '#   reproducer: %s (base64: %s)\n' "$a" \
                                "$(head -c 2048 "$a" | base64 -w0)"
                done
        fi
done
printf '1..%d\n' "$n"
[ "$failed" = 0 ] && rm -rf "$work"
[ "$failed" = 0 ]
