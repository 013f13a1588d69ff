#!/bin/bash
# Rule masked_paths on real runtimes: a bundle with empty maskedPaths and readonlyPaths (what
# Docker writes for --privileged). Plain, the container reads /proc/keys, /proc/interrupts,
# /proc/kcore and /sys/firmware, and /proc/sys is not a read-only mount; under hardrun enforce
# they are masked (a /dev/null bind, an empty read-only tmpfs) and /proc/sys is read-only;
# audit lets it happen and records would_change; deny refuses the bundle.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

# runc and crun skip a masked path the kernel does not have (no /proc/kcore without
# CONFIG_PROC_KCORE): only the host's are checked.
PROC_FILES=()
for f in kcore keys interrupts timer_list; do
        [ -e "/proc/$f" ] && PROC_FILES+=("$f")
done

PROBE='at="^[0-9]+ [0-9]+ [0-9:]+ [^ ]+"
for f in kcore keys interrupts timer_list; do
        if [ -c /proc/$f ]; then echo "$f=masked"; elif [ -e /proc/$f ]; then echo "$f=visible"; fi
done
if [ -n "$(ls /sys/firmware)" ]; then echo firmware=visible; else echo firmware=empty; fi
echo "procsys=$(grep -E "$at /proc/sys " /proc/self/mountinfo | sed -n "\$p")"
exit 0'

# mountinfo field 6: the mount's own options.
opts() { awk '{print $6}' <<<"$1"; }

# The records each mode writes: the two lists, empty in the bundle.
PATHS="/linux/maskedPaths /linux/readonlyPaths"

expect_escape() {
        local out=$1 what=$2 f
        for f in "${PROC_FILES[@]}"; do
                hr_is "$(hr_val "$out" "$f")" visible "$what: /proc/$f is readable"
        done
        if [ -n "$(ls /sys/firmware 2>/dev/null)" ]; then
                hr_is "$(hr_val "$out" firmware)" visible "$what: /sys/firmware lists the host's"
        fi
        hr_unlike "$(opts "$(hr_val "$out" procsys)")" '^ro' "$what: /proc/sys is not read-only"
}

masked_paths() {
        local rt=$1 dir="$HR_TMP/masked-$1" out f cfg root="$HR_TMP/masked-$1/state"
        hr_hostile_bundle "$dir/bundle" '.linux.maskedPaths = [] | .linux.readonlyPaths = []'
        cfg="$dir/bundle/config.json"
        jq --arg probe "$PROBE" '.process.args = ["sh", "-c", $probe]' "$cfg" >"$dir/c.json" &&
                mv "$dir/c.json" "$cfg"
        cp -p "$cfg" "$dir/config.before"

        out="$dir/plain"
        hr_ctx "$out.stdout" "$out.stderr"
        hr_plain_run "$rt" "$root" "$dir/bundle" "$out"
        hr_is "$(cat "$out.rc")" 0 "$rt plain: the bundle runs"
        expect_escape "$out.stdout" "$rt plain"

        out="$dir/enforce"
        hr_run_mode "$rt" "$root" "$dir/bundle" "$out" enforce '.rules.masked_paths = {mode: "enforce"}'
        hr_is "$(cat "$out.rc")" 0 "$rt enforce: hardrun-test run exits 0"
        for f in "${PROC_FILES[@]}"; do
                hr_is "$(hr_val "$out.stdout" "$f")" masked "$rt enforce: /proc/$f is masked (/dev/null)"
        done
        hr_is "$(hr_val "$out.stdout" firmware)" empty "$rt enforce: /sys/firmware is empty"
        hr_like "$(opts "$(hr_val "$out.stdout" procsys)")" '^ro' "$rt enforce: /proc/sys is read-only"
        hr_is "$(jq -c '.linux.readonlyPaths' "$cfg")" \
                '["/proc/bus","/proc/fs","/proc/irq","/proc/sys","/proc/sysrq-trigger"]' \
                "$rt enforce: config.json readonlyPaths is Docker's"
        hr_is "$(jq -c '.linux.maskedPaths | index("/proc/kcore") != null' "$cfg")" true \
                "$rt enforce: config.json maskedPaths has /proc/kcore"
        hr_expect_records "$rt enforce" changed masked_paths $PATHS
        hr_expect_audit_records "$out.audit.log" "$HR_RUN_ID" run "$rt enforce"

        # The bundle was hardened: start over for the next modes.
        cp -p "$dir/config.before" "$cfg"
        hr_run_mode "$rt" "$root" "$dir/bundle" "$dir/audit" enforce '.rules.masked_paths = {mode: "audit"}'
        expect_escape "$dir/audit.stdout" "$rt audit"
        hr_expect_audited "$rt audit" masked_paths '[.linux.maskedPaths, .linux.readonlyPaths]' $PATHS

        cp -p "$dir/config.before" "$cfg"
        hr_run_mode "$rt" "$root" "$dir/bundle" "$dir/deny" enforce '.rules.masked_paths = {mode: "deny"}'
        hr_expect_refused "$rt deny" masked_paths "'/linux/maskedPaths'.*rule 'masked_paths'" $PATHS
}

[ ${#PROC_FILES[@]} -gt 0 ] || hr_skip_all "none of /proc/kcore, keys, interrupts, timer_list exists"
hr_for_each_runtime "masked and read-only paths" masked_paths
hr_done
