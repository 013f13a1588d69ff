#!/bin/bash
# Case 1: the hostile bundle through hardrun-test in enforce mode, for runc and crun. A plain run
# of the same bundle first shows what the container gets without hardrun.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

baseline() {
        local rt=$1 dir="$HR_TMP/baseline-$1" out host_mask
        out="$dir/run"
        hr_hostile_bundle "$dir"
        hr_ctx "$out.stdout" "$out.stderr"
        hr_plain_run "$rt" "$dir/state" "$dir" "$out"
        hr_is "$(cat "$out.rc")" 0 "$rt without hardrun: the hostile bundle runs"
        host_mask=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
        hr_is "$(hr_val "$out.stdout" uid)" 0 "$rt without hardrun: uid is 0"
        hr_is "$(hr_val "$out.stdout" CapEff)" "$host_mask" \
                "$rt without hardrun: CapEff is the host bounding set"
        hr_is "$(hr_val "$out.stdout" Seccomp)" 0 "$rt without hardrun: no seccomp filter"
        hr_is "$(hr_val "$out.stdout" rootfs)" writable "$rt without hardrun: rootfs is writable"
}

enforce() {
        local rt=$1 dir="$HR_TMP/enforce-$1" id out mode_before
        local policy="$dir/policy.json" audit="$dir/audit.log" root="$dir/state"
        out="$dir/run"
        hr_hostile_bundle "$dir/bundle"
        mkdir -p "$dir"
        hr_policy "$policy" "$rt" enforce "$audit"
        mode_before=$(stat -c '%u:%g %a' "$dir/bundle/config.json")
        hr_new_id id "$rt" "$root"
        hr_ctx "$out.stdout" "$out.stderr" "$dir/bundle/config.json" "$audit"

        hr_hardrun "$policy" "$out" --root "$root" run --bundle "$dir/bundle" "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt enforce: hardrun-test run exits 0"
        hr_expect_hardened "$out.stdout" "$rt enforce"
        hr_is "$(grep -Fvx -e 'touch: /hardrun-probe: Read-only file system' \
                -e 'sh: /tmp/busybox: Permission denied' "$out.stderr")" "" \
                "$rt enforce: stderr holds only the probe's two expected failures"
        hr_expect_hardened_config "$dir/bundle/config.json" "$rt enforce"
        hr_is "$(stat -c '%u:%g %a' "$dir/bundle/config.json")" "$mode_before" \
                "$rt enforce: config.json keeps its owner and mode"
        hr_is "$(find "$dir/bundle" -maxdepth 1 -name '.config.json.hardrun-*' | wc -l)" 0 \
                "$rt enforce: no temporary file left in the bundle"

        hr_expect_audit_records "$audit" "$id" run "$rt enforce"
        hr_is "$(hr_audit_rules "$audit" changed)" \
                "capabilities no_new_privileges rootfs seccomp user" \
                "$rt enforce: audit log has 'changed' records for all five rules"
        hr_is "$(hr_audit_count "$audit" '.action != "changed" or .mode != "enforce"')" 0 \
                "$rt enforce: every audit record is action changed, mode enforce"
        hr_is "$(hr_audit_count "$audit" '.file != "'"$dir/bundle/config.json"'" or .bundle != "'"$(realpath "$dir/bundle")"'"')" 0 \
                "$rt enforce: audit records name the bundle and its config.json"
        hr_is "$(jq -c 'select(.path == "/process/user/uid") | [.before, .after]' "$audit")" \
                '[0,65534]' "$rt enforce: audit record for /process/user/uid is 0 -> 65534"
        hr_is "$(jq -c 'select(.rule == "seccomp") | [.path, .before, .after.profile]' "$audit")" \
                '["/linux/seccomp",null,"default"]' \
                "$rt enforce: audit record for /linux/seccomp is absent -> default"
        hr_no_container "$rt" "$root" "$id" "$rt enforce: after run"

        # The values the report quotes.
        hr_diag "$rt enforce: in-container values:" "$(grep -Ev '^tmpmount=' "$out.stdout")"
}

# The spec file hardrun must harden is the one the runtime will read: ./config.json when there
# is no --bundle, and for crun the file named by --config (relative to the cwd).
enforce_paths() {
        local rt=$1 dir="$HR_TMP/paths-$1" id out
        local policy="$dir/policy.json" audit="$dir/audit.log" root="$dir/state"
        hr_hostile_bundle "$dir/cwd"
        hr_policy "$policy" "$rt" enforce "$audit"
        out="$dir/cwd-run"
        hr_new_id id "$rt" "$root"
        hr_ctx "$out.stdout" "$out.stderr" "$audit"
        (cd "$dir/cwd" && hr_hardrun "$policy" "$out" --root "$root" run "$id")
        hr_is "$(cat "$out.rc")" 0 "$rt run without --bundle (cwd is the bundle): exit 0"
        hr_is "$(hr_val "$out.stdout" uid)" 65534 "$rt run without --bundle: uid 65534"
        hr_is "$(jq -c .process.user.uid "$dir/cwd/config.json")" 65534 \
                "$rt run without --bundle: ./config.json was hardened"
        hr_is "$(jq -r 'select(.container == "'"$id"'") | .bundle' "$audit" | sort -u)" \
                "$(realpath "$dir/cwd")" "$rt run without --bundle: audit records name the cwd as the bundle"

        [ "$rt" = crun ] || return 0
        hr_hostile_bundle "$dir/cfg"
        cp -p "$dir/cfg/config.json" "$dir/cfg.before"
        cp -p "$dir/cfg/config.json" "$dir/other.json"
        out="$dir/cfg-run"
        hr_new_id id "$rt" "$root"
        hr_ctx "$out.stdout" "$out.stderr" "$audit"
        (cd "$dir" && hr_hardrun "$policy" "$out" --root "$root" run --config other.json --bundle "$dir/cfg" "$id")
        hr_is "$(cat "$out.rc")" 0 "crun run --config other.json: exit 0"
        hr_is "$(hr_val "$out.stdout" uid)" 65534 "crun run --config other.json: uid 65534"
        hr_is "$(hr_val "$out.stdout" Seccomp)" 2 "crun run --config other.json: Seccomp 2"
        hr_is "$(jq -c .process.user.uid "$dir/other.json")" 65534 \
                "crun run --config other.json: other.json (the file crun reads) was hardened"
        hr_check "crun run --config other.json: the bundle's unused config.json is untouched" \
                cmp "$dir/cfg.before" "$dir/cfg/config.json"
}

hr_for_each_runtime "plain runtime, hostile bundle" baseline
hr_for_each_runtime "enforce through hardrun-test" enforce
hr_for_each_runtime "enforce: which spec file is hardened" enforce_paths
hr_done
