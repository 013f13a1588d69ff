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

# check MODE OUT BUNDLE: hr_rule_modes' per-mode checks.
check() {
        local mode=$1 out=$2 cfg="$3/config.json" f
        case $mode in
        plain)
                hr_is "$(cat "$out.rc")" 0 "$RT plain: the bundle runs"
                expect_escape "$out.stdout" "$RT plain"
                ;;
        enforce)
                hr_is "$(cat "$out.rc")" 0 "$RT enforce: hardrun-test run exits 0"
                for f in "${PROC_FILES[@]}"; do
                        hr_is "$(hr_val "$out.stdout" "$f")" masked "$RT enforce: /proc/$f is masked (/dev/null)"
                done
                hr_is "$(hr_val "$out.stdout" firmware)" empty "$RT enforce: /sys/firmware is empty"
                hr_like "$(opts "$(hr_val "$out.stdout" procsys)")" '^ro' "$RT enforce: /proc/sys is read-only"
                hr_is "$(jq -c '.linux.readonlyPaths' "$cfg")" \
                        '["/proc/bus","/proc/fs","/proc/irq","/proc/sys","/proc/sysrq-trigger"]' \
                        "$RT enforce: config.json readonlyPaths is Docker's"
                hr_is "$(jq -c '.linux.maskedPaths | index("/proc/kcore") != null' "$cfg")" true \
                        "$RT enforce: config.json maskedPaths has /proc/kcore"
                hr_expect_records "$RT enforce" changed masked_paths $PATHS
                hr_expect_audit_records "$out.audit.log" "$HR_RUN_ID" run "$RT enforce"
                ;;
        audit)
                expect_escape "$out.stdout" "$RT audit"
                hr_expect_audited "$RT audit" masked_paths '[.linux.maskedPaths, .linux.readonlyPaths]' $PATHS
                ;;
        deny)
                hr_expect_refused "$RT deny" masked_paths "'/linux/maskedPaths'.*rule 'masked_paths'" $PATHS
                ;;
        esac
}

masked_paths() {
        RT=$1
        hr_rule_modes "$RT" "$HR_TMP/masked-$RT" \
                ".linux.maskedPaths = [] | .linux.readonlyPaths = [] | .process.args = [\"sh\", \"-c\", $(jq -Rs . <<<"$PROBE")]" \
                '.rules.masked_paths = {mode: $ENV.HR_MODE}' check enforce
}

[ ${#PROC_FILES[@]} -gt 0 ] || hr_skip_all "none of /proc/kcore, keys, interrupts, timer_list exists"
hr_for_each_runtime "masked and read-only paths" masked_paths
hr_done
