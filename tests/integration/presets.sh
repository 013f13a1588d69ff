#!/bin/bash
# The three presets in profiles/policy/, loaded as they are (only the runtime and the audit file
# changed for the test), against the hostile bundle on real runtimes: restricted hardens it
# completely, baseline keeps root and a writable root but takes the host's capabilities and
# seccomp-less start away, audit-all runs it untouched and records what every rule would do.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

# The bounding set as capability bits, from the names the preset allows.
caps_mask() {
        local bits=0 name i
        for name in "$@"; do
                for i in "${!HR_CAP_TABLE[@]}"; do
                        [ "${HR_CAP_TABLE[$i]}" = "$name" ] && bits=$((bits | (1 << i)))
                done
        done
        printf '%016x' "$bits"
}

presets() {
        local rt=$1 dir="$HR_TMP/presets-$1" root="$HR_TMP/presets-$1/state" out name
        mkdir -p "$dir"

        # restricted: everything the foundation tests expect, from the shipped file.
        name=restricted
        hr_preset_policy "$dir/$name.json" "$rt" $name "$dir/$name.log"
        hr_hostile_bundle "$dir/$name"
        out="$dir/$name.run"
        hr_run_bundle "$rt" "$root" "$dir/$name.json" "$dir/$name" "$out"
        hr_is "$(cat "$out.rc")" 0 "$rt $name: the hostile bundle runs"
        hr_expect_hardened "$out.stdout" "$rt $name"
        hr_is "$(hr_audit_count "$dir/$name.log" '.action == "denied"')" 0 "$rt $name: nothing refused"

        # baseline: root stays, capabilities are Docker's minus NET_RAW, seccomp is on.
        name=baseline
        hr_preset_policy "$dir/$name.json" "$rt" $name "$dir/$name.log"
        hr_hostile_bundle "$dir/$name"
        out="$dir/$name.run"
        hr_run_bundle "$rt" "$root" "$dir/$name.json" "$dir/$name" "$out"
        hr_is "$(cat "$out.rc")" 0 "$rt $name: the hostile bundle runs"
        hr_is "$(hr_val "$out.stdout" uid)" 0 "$rt $name: uid 0 is allowed"
        hr_is "$(hr_val "$out.stdout" rootfs)" writable "$rt $name: the root filesystem stays writable"
        hr_is "$(hr_val "$out.stdout" Seccomp)" 2 "$rt $name: seccomp filter installed"
        hr_is "$(hr_val "$out.stdout" CapBnd)" \
                "$(caps_mask AUDIT_WRITE CHOWN DAC_OVERRIDE FOWNER FSETID KILL MKNOD NET_BIND_SERVICE \
                        SETFCAP SETGID SETPCAP SETUID SYS_CHROOT)" \
                "$rt $name: bounding set is Docker's defaults minus NET_RAW"
        hr_is "$(hr_val "$out.stdout" CapAmb)" 0000000000000000 "$rt $name: no ambient capabilities"
        hr_is "$(hr_audit_rules "$dir/$name.log" changed | tr ' ' '\n' | grep -cx -e user -e rootfs \
                -e no_new_privileges)" 0 "$rt $name: user, rootfs and no_new_privileges are off"

        # audit-all: the original runs; every rule that has something to say logs would_change.
        name=audit-all
        hr_preset_policy "$dir/$name.json" "$rt" $name "$dir/$name.log"
        hr_hostile_bundle "$dir/$name"
        out="$dir/$name.run"
        hr_run_bundle "$rt" "$root" "$dir/$name.json" "$dir/$name" "$out"
        hr_is "$(cat "$out.rc")" 0 "$rt $name: the hostile bundle runs"
        hr_is "$(hr_val "$out.stdout" uid)" 0 "$rt $name: uid stays 0"
        hr_is "$(hr_val "$out.stdout" Seccomp)" 0 "$rt $name: no seccomp filter"
        hr_expect_config_unchanged "$rt $name"
        hr_is "$(hr_audit_count "$dir/$name.log" '.action == "changed" or .action == "denied"')" 0 \
                "$rt $name: no changed or denied record"
        hr_is "$(hr_audit_count "$dir/$name.log" '.mode != "audit"')" 0 "$rt $name: every record is in audit mode"
        hr_like "$(hr_audit_rules "$dir/$name.log" would_change)" \
                "capabilities.*no_new_privileges.*rootfs.*seccomp.*user" \
                "$rt $name: the foundation rules all log would_change"
}

hr_for_each_runtime "presets" presets
hr_done
