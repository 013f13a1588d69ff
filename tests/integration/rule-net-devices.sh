#!/bin/bash
# Rule net_devices: linux.netDevices (runtime-spec 1.2) asks the runtime to move host network
# interfaces into the container. runc 1.1 and crun 1.8 predate the field and ignore it (the
# container runs and the interface stays on the host), so this script checks what hardrun
# hands them: enforce removes entries not allowlisted, audit logs would_change and changes
# nothing, deny refuses, and an allowed name stays.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

DEVS='.linux.netDevices = {"hr-ifc0": {name: "eth9"}, "hr-ifc1": {}}'
# The records each mode writes: one for each entry.
PATHS="/linux/netDevices/hr-ifc0 /linux/netDevices/hr-ifc1"

rule_net_devices() {
        local rt=$1 base="$HR_TMP/netdev-$1" dir b mode
        local root="$base/state"

        dir="$base/plain"
        hr_hostile_bundle "$dir/bundle" "$DEVS"
        hr_ctx "$dir/run.stdout" "$dir/run.stderr"
        hr_plain_run "$rt" "$root" "$dir/bundle" "$dir/run"
        hr_is "$(cat "$dir/run.rc")" 0 "$rt plain: the runtime ignores linux.netDevices and runs the container"

        for mode in enforce audit deny; do
                b="$base/$mode-bundle"
                hr_hostile_bundle "$b" "$DEVS"
                hr_run_mode "$rt" "$root" "$b" "$base/$mode" "$mode" ".rules.net_devices = {mode: \"$mode\"}"
                case $mode in
                enforce)
                        hr_is "$(cat "$base/$mode.rc")" 0 "$rt enforce: the container runs"
                        hr_is "$(jq -c .linux.netDevices "$b/config.json")" '{}' \
                                "$rt enforce: config.json has no netDevices entry left"
                        hr_expect_records "$rt enforce" changed net_devices $PATHS
                        ;;
                audit)
                        hr_expect_audited "$rt audit" net_devices '' $PATHS
                        ;;
                deny)
                        hr_expect_refused "$rt deny" net_devices "refusing the container" $PATHS
                        ;;
                esac
        done

        b="$base/allowed-bundle"
        hr_hostile_bundle "$b" "$DEVS"
        hr_run_mode "$rt" "$root" "$b" "$base/allowed" enforce \
                '.rules.net_devices = {mode: "enforce", allow: ["hr-ifc1"]}'
        hr_is "$(cat "$base/allowed.rc")" 0 "$rt allowed: the container runs"
        hr_is "$(jq -c .linux.netDevices "$b/config.json")" '{"hr-ifc1":{}}' \
                "$rt allowed: config.json keeps the allowed interface only"
}

hr_for_each_runtime "net_devices rule" rule_net_devices
hr_done
