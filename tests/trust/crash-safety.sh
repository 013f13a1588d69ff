#!/usr/bin/env bash
# Crash safety of the spec rewrite: hardrun-test is killed with SIGKILL at random moments while
# it rewrites a ~1 MiB config.json. Afterwards config.json is byte-identical to the original or
# to the complete rewrite, and no temporary file is left in the bundle. No root needed.
# CRASH_ITERATIONS (default 300) sets the number of kills.
source "$(dirname "$0")/common.sh"

tr_setup

# The bundle's entries other than config.json and rootfs, one a line, sorted.
extra_files() {
        find "$bundle" -mindepth 1 -maxdepth 1 ! -name config.json ! -name rootfs -printf '%f\n' |
                sort
}
iterations=${CRASH_ITERATIONS:-300}
bundle=$HR_TMP/bundle
mkdir -p "$bundle/rootfs"
tr_policy "$HR_TMP/policy.json"
tr_config "$HR_TMP/orig.json" $((1024 * 1024))
hr_ok $(($(stat -c %s "$HR_TMP/orig.json") >= 1000000 ? 0 : 1)) \
        "original config is ~1 MiB ($(stat -c %s "$HR_TMP/orig.json") bytes)"

# The complete rewrite, computed once.
cp "$HR_TMP/orig.json" "$bundle/config.json"
start=$(date +%s%N)
HARDRUN_POLICY=$HR_TMP/policy.json "$HARDRUN_TEST" create --bundle "$bundle" trust-crash \
        >"$HR_TMP/first.out" 2>&1
rc=$?
elapsed_us=$((($(date +%s%N) - start) / 1000))
hr_ctx "$HR_TMP/first.out"
hr_is "$rc" 0 "an uninterrupted run succeeds (${elapsed_us} us)"
cp "$bundle/config.json" "$HR_TMP/expected.json"
! cmp -s "$HR_TMP/orig.json" "$HR_TMP/expected.json"
hr_ok $? "the rewrite differs from the original"
jq -e '.process.user.uid == 65534 and .root.readonly == true' "$HR_TMP/expected.json" >/dev/null
hr_ok $? "the rewrite is hardened"

# Calibrate: the fastest of five warm runs. Kills land at a uniformly random moment within it,
# timed by read -t on a FIFO (a builtin: no fork between start and kill).
best=$elapsed_us
for ((i = 0; i < 5; i++)); do
        cp "$HR_TMP/orig.json" "$bundle/config.json"
        start=$(date +%s%N)
        HARDRUN_POLICY=$HR_TMP/policy.json "$HARDRUN_TEST" create --bundle "$bundle" \
                trust-crash >/dev/null 2>&1
        t=$((($(date +%s%N) - start) / 1000))
        ((t < best)) && best=$t
done
window=$((best * 6 / 5 + 1))
hr_diag "kill window: 0..$window us"
mkfifo "$HR_TMP/fifo"
exec 9<>"$HR_TMP/fifo"
orig_n=0 new_n=0 bad=0 leftovers=0 killed=0 last_extra=
for ((i = 0; i < iterations; i++)); do
        cp "$HR_TMP/orig.json" "$bundle/config.json"
        delay=$(((RANDOM * 32768 + RANDOM) % window))
        HARDRUN_POLICY=$HR_TMP/policy.json "$HARDRUN_TEST" create --bundle "$bundle" \
                trust-crash >/dev/null 2>&1 &
        pid=$!
        read -r -t "$(printf '0.%06d' "$delay")" -u 9
        kill -KILL "$pid" 2>/dev/null && killed=$((killed + 1))
        wait "$pid" 2>/dev/null
        if cmp -s "$bundle/config.json" "$HR_TMP/orig.json"; then
                orig_n=$((orig_n + 1))
        elif cmp -s "$bundle/config.json" "$HR_TMP/expected.json"; then
                new_n=$((new_n + 1))
        else
                bad=$((bad + 1))
                cp "$bundle/config.json" "$HR_TMP/bad-$i.json"
        fi
        extra=$(extra_files)
        if [ -n "$extra" ]; then
                leftovers=$((leftovers + 1))
                [ "$extra" = "$last_extra" ] ||
                        hr_diag "iteration $i (delay ${delay} us): in the bundle now: $extra"
        fi
        last_extra=$extra
done
hr_diag "$iterations runs, $killed killed mid-run: $orig_n original, $new_n rewritten, $bad other"
hr_is "$bad" 0 "config.json is always the original or the complete rewrite"
# A kill between linkat() and renameat() leaves the named temporary file: the next complete
# rewrite must remove it, so that leftovers never accumulate. First deterministically: a
# leftover of a killed run (name and mode as spec_file_replace() makes them), and a file that
# only looks similar, which stays.
# KNOWN BUG (TODO until src/specfile.c removes stale temporaries; then set this to 0):
known_leak=0
leftover_after_loop=$(extra_files)
cp "$HR_TMP/orig.json" "$bundle/config.json"
rm -f "$bundle"/.config.json.hardrun-*
install -m 0600 /dev/null "$bundle/.config.json.hardrun-0123456789abcdef"
install -m 0600 /dev/null "$bundle/.config.json.hardrun-keep"
HARDRUN_POLICY=$HR_TMP/policy.json "$HARDRUN_TEST" create --bundle "$bundle" trust-crash \
        >/dev/null 2>&1
left=$(extra_files | tr '\n' ' ')
desc="a leftover temporary file is removed by the next rewrite"
if [ "$known_leak" = 1 ]; then
        [ "$left" = ".config.json.hardrun-keep " ]
        hr_todo $? "$desc" "spec_file_replace() never removes a killed run's temporary file"
        # The loop's leftovers: reported, not asserted, while the bug is known.
        [ -z "$leftover_after_loop" ] ||
                hr_diag "KNOWN BUG: left in the bundle by killed runs: $leftover_after_loop"
else
        hr_is "$left" ".config.json.hardrun-keep " "$desc"
        hr_is "$leftover_after_loop" "" \
                "no temporary file accumulates over $iterations killed runs ($leftovers saw one)"
fi
hr_ok $((orig_n > 0 && new_n > 0 ? 0 : 1)) \
        "kills landed both before and after the rename ($orig_n/$new_n)"
hr_done
