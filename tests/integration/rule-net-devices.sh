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

# check MODE OUT BUNDLE: hr_rule_modes' per-mode checks.
check() {
        local mode=$1 out=$2 b=$3
        case $mode in
        plain)
                hr_is "$(cat "$out.rc")" 0 "$RT plain: the runtime ignores linux.netDevices and runs the container"
                ;;
        enforce)
                hr_is "$(cat "$out.rc")" 0 "$RT enforce: the container runs"
                hr_is "$(jq -c .linux.netDevices "$b/config.json")" '{}' \
                        "$RT enforce: config.json has no netDevices entry left"
                hr_expect_records "$RT enforce" changed net_devices $PATHS
                ;;
        audit)
                hr_expect_audited "$RT audit" net_devices '' $PATHS
                ;;
        deny)
                hr_expect_refused "$RT deny" net_devices "refusing the container" $PATHS
                ;;
        esac
}

rule_net_devices() {
        local base="$HR_TMP/netdev-$1" b
        RT=$1
        hr_rule_modes "$RT" "$base" "$DEVS" '.rules.net_devices = {mode: $ENV.HR_MODE}' check

        b="$base/allowed-bundle"
        hr_hostile_bundle "$b" "$DEVS"
        hr_run_mode "$RT" "$base/state" "$b" "$base/allowed" enforce \
                '.rules.net_devices = {mode: "enforce", allow: ["hr-ifc1"]}'
        hr_is "$(cat "$base/allowed.rc")" 0 "$RT allowed: the container runs"
        hr_is "$(jq -c .linux.netDevices "$b/config.json")" '{"hr-ifc1":{}}' \
                "$RT allowed: config.json keeps the allowed interface only"
}

hr_for_each_runtime "net_devices rule" rule_net_devices
hr_done
