#!/bin/bash
# Case 2: the installed-path binary `hardrun` with no policy file enforces the built-in default.
# It reads only its compiled-in policy path (never HARDRUN_POLICY), writes its audit log to
# /var/log/hardrun/audit.log (of which the test reads only the lines it appended), and picks
# runc before crun, so only the runc row can run here.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

POLICY_PATH=$(sed -n 's/^#define HARDRUN_POLICY_PATH "\(.*\)"$/\1/p' "$HARDRUN_BUILDDIR/config.h" 2>/dev/null)
[ -n "$POLICY_PATH" ] || hr_bail "cannot read HARDRUN_POLICY_PATH from $HARDRUN_BUILDDIR/config.h"
AUDIT=/var/log/hardrun/audit.log
hr_diag "hardrun's compiled-in policy path: $POLICY_PATH"

# Only the compiled-in path decides (it is /etc/hardrun/policy.json for a --prefix=/usr or
# --sysconfdir=/etc build).
# `meson install` lays out the shipped default there; it means the same as no file at all.
POLICY_SKIP=
if [ -e "$POLICY_PATH" ] || [ -L "$POLICY_PATH" ]; then
        if ! cmp -s <(jq -S . "$POLICY_PATH" 2>/dev/null) <(jq -S . "$HARDRUN_SRCDIR/profiles/policy/restricted.json"); then
                POLICY_SKIP="$POLICY_PATH exists and differs from the shipped default policy"
        else
                hr_diag "$POLICY_PATH is the shipped default policy: same as the built-in one"
        fi
fi
# The audit directory is ours to remove again only if this run creates it.
if [ -z "$POLICY_SKIP" ] && [ ! -e /var/log/hardrun ]; then
        HR_REMOVE_DIR=/var/log/hardrun
fi

builtin_default() {
        local rt=$1 dir="$HR_TMP/builtin-$1" id out decoy root audit_from
        root="$dir/state"
        out="$dir/run"
        if [ -n "$POLICY_SKIP" ]; then
                hr_skip "$rt: built-in default through the real hardrun" "$POLICY_SKIP"
                return
        fi
        hr_hostile_bundle "$dir/bundle"
        # The host's log is shared (and may hold a torn line from a killed run): only what
        # this run appends is read.
        audit_from=$(($(stat -c %s "$AUDIT" 2>/dev/null || echo 0) + 1))
        # A permissive policy in HARDRUN_POLICY: the real binary must not read it.
        decoy="$dir/decoy-policy.json"
        hr_policy "$decoy" crun audit "$dir/decoy-audit.log"
        hr_new_id id "$rt" "$root"
        hr_ctx "$out.stdout" "$out.stderr" "$dir/bundle/config.json"

        HARDRUN_POLICY=$decoy hr_hardrun_real "$out" --root "$root" run --bundle "$dir/bundle" "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt built-in default: hardrun run exits 0"
        hr_expect_hardened "$out.stdout" "$rt built-in default"
        hr_expect_hardened_config "$dir/bundle/config.json" "$rt built-in default"
        hr_check "$rt built-in default: HARDRUN_POLICY is ignored (its audit log was never written)" \
                test ! -e "$dir/decoy-audit.log"
        hr_ctx "$out.stdout" "$out.stderr" "$AUDIT"
        tail -c "+$audit_from" "$AUDIT" 2>/dev/null |
                jq -R -c --arg id "$id" 'fromjson? | select(.container == $id)' >"$dir/audit.log"
        hr_expect_audit_records "$dir/audit.log" "$id" run "$rt built-in default ($AUDIT)"
        hr_is "$(jq -r .policy "$dir/audit.log" | sort -u)" \
                "sha256:$(sha256sum <"$HARDRUN_SRCDIR/profiles/policy/restricted.json" | cut -d' ' -f1)" \
                "$rt built-in default: the records name the policy by restricted.json's digest"
        hr_is "$(hr_audit_rules "$dir/audit.log" changed)" \
                "capabilities masked_paths mount_options no_new_privileges resources rootfs seccomp user" \
                "$rt built-in default: $AUDIT has 'changed' records for every rule the hostile bundle breaks"
        hr_is "$(hr_audit_rules "$dir/audit.log" detected)" privileged \
                "$rt built-in default: $AUDIT reports the bundle as privileged ('detected')"
        hr_no_container "$rt" "$root" "$id" "$rt built-in default: after run"
}

builtin_default runc
if [ -n "${HR_RT_SKIP[crun]:-}" ]; then
        hr_skip "crun: built-in default" "${HR_RT_SKIP[crun]}"
elif [ -n "$POLICY_SKIP" ]; then
        hr_skip "crun: built-in default through the real hardrun" "$POLICY_SKIP"
else
        # The built-in default has no runtime.path and resolves runc before crun: what the crun
        # row can check is that the default really chose runc over the installed crun.
        dir="$HR_TMP/builtin-choice"
        hr_bundle "$dir/bundle" '.process.args = ["true"]'
        hr_new_id id runc "$dir/state"
        HR_IDS+=("crun $dir/state $id")
        hr_ctx "$dir/create.stdout" "$dir/create.stderr"
        hr_hardrun_real "$dir/create" --root "$dir/state" create --bundle "$dir/bundle" "$id"
        hr_is "$(cat "$dir/create.rc")" 0 "built-in default: hardrun create exits 0"
        hr_is "$(runc --root "$dir/state" state "$id" 2>/dev/null | jq -r .status)" created \
                "built-in default: the container is runc's (runc state says created)"
        runc --root "$dir/state" delete -f "$id" >/dev/null 2>&1
fi
hr_done
