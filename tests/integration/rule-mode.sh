#!/bin/bash
# Case 8: a rule's own "mode" overrides the global one: global enforce with seccomp off leaves
# the container without a filter while every other rule still applies.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

rule_mode() {
        local rt=$1 dir="$HR_TMP/rulemode-$1" out audit
        local root="$dir/state" b="$dir/bundle"
        out="$dir/run"
        hr_hostile_bundle "$b"
        hr_run_mode "$rt" "$root" "$b" "$out" enforce '.rules.seccomp.mode = "off"'
        audit=$HR_RUN_AUDIT
        hr_is "$(cat "$out.rc")" 0 "$rt seccomp off: hardrun-test run exits 0"
        hr_is "$(hr_val "$out.stdout" Seccomp)" 0 "$rt seccomp off: Seccomp is 0 in the container"
        hr_is "$(hr_val "$out.stdout" uid)" 65534 "$rt seccomp off: uid is still 65534"
        hr_is "$(hr_val "$out.stdout" CapEff)" 0000000000000000 "$rt seccomp off: CapEff is still 0"
        hr_is "$(hr_val "$out.stdout" NoNewPrivs)" 1 "$rt seccomp off: NoNewPrivs is still 1"
        hr_is "$(hr_val "$out.stdout" rootfs)" readonly "$rt seccomp off: rootfs is still read-only"
        hr_is "$(jq -c '.linux.seccomp' "$b/config.json")" null "$rt seccomp off: config.json has no linux.seccomp"
        hr_is "$(hr_audit_rules "$audit" changed)" "capabilities no_new_privileges rootfs user" \
                "$rt seccomp off: audit log has changes for every rule but seccomp"

        # A per-rule audit inside global enforce: user is only reported.
        dir="$HR_TMP/rulemode-audit-$1"
        out="$dir/run"
        b="$dir/bundle"
        hr_hostile_bundle "$b"
        hr_run_mode "$rt" "$root" "$b" "$out" enforce '.rules.user.mode = "audit"'
        audit=$HR_RUN_AUDIT
        hr_is "$(cat "$out.rc")" 0 "$rt user audit: hardrun-test run exits 0"
        hr_is "$(hr_val "$out.stdout" uid)" 0 "$rt user audit: uid stays 0"
        hr_is "$(hr_val "$out.stdout" Seccomp)" 2 "$rt user audit: Seccomp is 2"
        hr_is "$(hr_val "$out.stdout" CapEff)" 0000000000000000 "$rt user audit: CapEff is 0 even for uid 0"
        hr_is "$(jq -r 'select(.rule == "user") | .action' "$audit" | sort -u)" would_change \
                "$rt user audit: user records are would_change"
        hr_is "$(jq -r 'select(.rule != "user") | .action' "$audit" | sort -u)" changed \
                "$rt user audit: the other rules' records are changed"
}

hr_for_each_runtime "per-rule mode overrides" rule_mode
hr_done
