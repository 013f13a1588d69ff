#!/bin/bash
# Case 4: audit mode changes nothing: the container runs as the bundle says, config.json stays
# byte-identical, and the audit log lists what enforce would have changed, for every rule.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

audit_mode() {
        local rt=$1 dir="$HR_TMP/audit-$1" id out host_mask
        local policy="$dir/policy.json" audit="$dir/audit.log" root="$dir/state"
        out="$dir/run"
        hr_hostile_bundle "$dir/bundle"
        cp -p "$dir/bundle/config.json" "$dir/config.before"
        hr_policy "$policy" "$rt" audit "$audit"
        hr_new_id id "$rt" "$root"
        hr_ctx "$out.stdout" "$out.stderr" "$audit"
        host_mask=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)

        hr_hardrun "$policy" "$out" --root "$root" run --bundle "$dir/bundle" "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt audit: hardrun-test run exits 0"
        hr_is "$(hr_val "$out.stdout" uid)" 0 "$rt audit: uid is still 0"
        hr_is "$(hr_val "$out.stdout" gid)" 0 "$rt audit: gid is still 0"
        hr_is "$(hr_val "$out.stdout" CapEff)" "$host_mask" "$rt audit: CapEff is still every host capability"
        hr_is "$(hr_val "$out.stdout" Seccomp)" 0 "$rt audit: Seccomp is 0 (no filter installed)"
        hr_is "$(hr_val "$out.stdout" NoNewPrivs)" 0 "$rt audit: NoNewPrivs is 0"
        hr_is "$(hr_val "$out.stdout" rootfs)" writable "$rt audit: touch /hardrun-probe succeeds"
        hr_is "$(hr_val "$out.stdout" tmpmount)" "" "$rt audit: no tmpfs was added on /tmp"
        hr_check "$rt audit: config.json is byte-identical to before (cmp)" \
                cmp "$dir/config.before" "$dir/bundle/config.json"
        hr_expect_audit_records "$audit" "$id" run "$rt audit"
        hr_is "$(hr_audit_rules "$audit" would_change)" \
                "capabilities no_new_privileges rootfs seccomp user" \
                "$rt audit: audit log has 'would_change' records for every rule"
        hr_is "$(hr_audit_count "$audit" '.action != "would_change" or .mode != "audit"')" 0 \
                "$rt audit: every record is action would_change, mode audit"
        hr_is "$(jq -r 'select(.rule == "rootfs") | .path' "$audit" | tr '\n' ' ')" \
                "/root/readonly /mounts/7 /mounts/8 /mounts/9 " \
                "$rt audit: rootfs records name /root/readonly and the three tmpfs mounts"
}

hr_for_each_runtime "audit mode" audit_mode
hr_done
