#!/bin/bash
# Rule net_devices: linux.netDevices (runtime-spec 1.2) asks the runtime to move host network
# interfaces into the container. runc 1.1 and crun 1.8 predate the field and ignore it (the
# container runs and the interface stays on the host), so this script checks what hardrun
# hands them: enforce removes entries not allowlisted, audit logs would_change and changes
# nothing, deny refuses, and an allowed name stays.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

DEVS='.linux.netDevices = {"hr-ifc0": {name: "eth9"}, "hr-ifc1": {}}'

rule_net_devices() {
        local rt=$1 base="$HR_TMP/netdev-$1" dir id out b mode audit
        local root="$base/state"

        dir="$base/plain"
        hr_hostile_bundle "$dir/bundle" "$DEVS"
        hr_ctx "$dir/run.stdout" "$dir/run.stderr"
        hr_plain_run "$rt" "$root" "$dir/bundle" "$dir/run"
        hr_is "$(cat "$dir/run.rc")" 0 "$rt plain: the runtime ignores linux.netDevices and runs the container"

        for mode in enforce audit deny; do
                dir="$base/$mode"
                b="$dir/bundle"
                out="$dir/run"
                audit="$dir/audit.log"
                hr_hostile_bundle "$b" "$DEVS"
                cp -p "$b/config.json" "$dir/config.before"
                hr_policy "$dir/policy.json" "$rt" "$mode" "$audit" ".rules.net_devices = {mode: \"$mode\"}"
                hr_new_id id "$rt" "$root"
                hr_ctx "$out.stdout" "$out.stderr" "$audit"
                hr_hardrun "$dir/policy.json" "$out" --root "$root" run --bundle "$b" "$id"
                case $mode in
                enforce)
                        hr_is "$(cat "$out.rc")" 0 "$rt enforce: the container runs"
                        hr_is "$(jq -c .linux.netDevices "$b/config.json")" '{}' \
                                "$rt enforce: config.json has no netDevices entry left"
                        hr_is "$(jq -r 'select(.rule == "net_devices") | "\(.action) \(.path)"' "$audit" | sort | tr '\n' ,)" \
                                "changed /linux/netDevices/hr-ifc0,changed /linux/netDevices/hr-ifc1," \
                                "$rt enforce: audit log has 'changed' records for both entries"
                        ;;
                audit)
                        hr_is "$(cat "$out.rc")" 0 "$rt audit: the container runs"
                        hr_check "$rt audit: config.json unchanged" cmp "$dir/config.before" "$b/config.json"
                        hr_is "$(jq -r 'select(.rule == "net_devices") | "\(.action) \(.path)"' "$audit" | sort | tr '\n' ,)" \
                                "would_change /linux/netDevices/hr-ifc0,would_change /linux/netDevices/hr-ifc1," \
                                "$rt audit: audit log has 'would_change' records for both entries"
                        ;;
                deny)
                        hr_is "$(cat "$out.rc")" 1 "$rt deny: hardrun-test run exits 1"
                        hr_check "$rt deny: config.json unchanged" cmp "$dir/config.before" "$b/config.json"
                        hr_is "$(jq -r 'select(.rule == "net_devices") | "\(.action) \(.path)"' "$audit" | sort | tr '\n' ,)" \
                                "denied /linux/netDevices/hr-ifc0,denied /linux/netDevices/hr-ifc1," \
                                "$rt deny: audit log has 'denied' records for both entries"
                        hr_no_container "$rt" "$root" "$id" "$rt deny"
                        ;;
                esac
        done

        dir="$base/allowed"
        b="$dir/bundle"
        hr_hostile_bundle "$b" "$DEVS"
        hr_policy "$dir/policy.json" "$rt" enforce "$dir/audit.log" \
                '.rules.net_devices = {mode: "enforce", allow: ["hr-ifc1"]}'
        hr_new_id id "$rt" "$root"
        hr_ctx "$dir/run.stdout" "$dir/run.stderr" "$dir/audit.log"
        hr_hardrun "$dir/policy.json" "$dir/run" --root "$root" run --bundle "$b" "$id"
        hr_is "$(cat "$dir/run.rc")" 0 "$rt allowed: the container runs"
        hr_is "$(jq -c .linux.netDevices "$b/config.json")" '{"hr-ifc1":{}}' \
                "$rt allowed: config.json keeps the allowed interface only"
}

hr_for_each_runtime "net_devices rule" rule_net_devices
hr_done
