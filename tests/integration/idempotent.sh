#!/bin/bash
# Case 7: a config hardened once is compliant: a second enforce run records nothing, leaves
# config.json as it is (same bytes, same inode: not rewritten) and still runs hardened.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

idempotent() {
        local rt=$1 dir="$HR_TMP/idem-$1" ino lines
        local policy="$dir/policy.json" audit="$dir/audit.log" root="$dir/state" b="$dir/bundle"
        hr_hostile_bundle "$b"
        hr_policy "$policy" "$rt" enforce "$audit"
        hr_run_bundle "$rt" "$root" "$policy" "$b" "$dir/first"
        hr_is "$(cat "$dir/first.rc")" 0 "$rt idempotence: first enforce run exits 0"
        hr_is "$(hr_audit_count "$audit")" 15 "$rt idempotence: first run records 15 changes"

        ino=$(stat -c %i "$b/config.json")
        lines=$(hr_audit_count "$audit")
        hr_run_bundle "$rt" "$root" "$policy" "$b" "$dir/second"
        hr_is "$(cat "$dir/second.rc")" 0 "$rt idempotence: second enforce run exits 0"
        hr_is "$(hr_audit_count "$audit")" "$lines" "$rt idempotence: second run adds no audit record"
        hr_check "$rt idempotence: config.json is byte-identical after the second run (cmp)" \
                cmp "$dir/second.config.before" "$b/config.json"
        hr_is "$(stat -c %i "$b/config.json")" "$ino" \
                "$rt idempotence: config.json was not rewritten (same inode)"
        hr_expect_hardened "$dir/second.stdout" "$rt idempotence (second run)"

        # The same with deny: a compliant config passes a deny policy too.
        hr_policy "$dir/deny.json" "$rt" deny "$audit"
        hr_run_bundle "$rt" "$root" "$dir/deny.json" "$b" "$dir/deny"
        hr_is "$(cat "$dir/deny.rc")" 0 "$rt idempotence: a deny policy runs the compliant config (exit 0)"
        hr_is "$(hr_val "$dir/deny.stdout" uid)" 65534 "$rt idempotence: deny run: uid 65534"
        hr_is "$(hr_audit_count "$audit")" "$lines" "$rt idempotence: deny run adds no audit record"
}

hr_for_each_runtime "enforce twice (idempotence)" idempotent
hr_done
