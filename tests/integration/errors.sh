#!/bin/bash
# Case 10: error paths end to end. Every refusal exits 1 with one "hardrun: ..." line, never
# exec's the runtime (no container exists afterwards) and leaves the files as they were.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

# The built-in default that stands in for a broken policy writes its audit log to
# /var/log/hardrun: ours to remove again only if this run creates it.
if [ ! -e /var/log/hardrun ]; then
        HR_REMOVE_DIR=/var/log/hardrun
fi

# refused RUNTIME ROOT DESC POLICY BUNDLE ERE: runs hardrun-test run and checks the refusal.
refused() {
        local rt=$1 root=$2 desc=$3 policy=$4 b=$5 ere=$6 id out
        hr_new_id id "$rt" "$root"
        out="$b.$id"
        hr_ctx "$out.stdout" "$out.stderr"
        hr_hardrun "$policy" "$out" --root "$root" run --bundle "$b" "$id"
        hr_is "$(cat "$out.rc")" 1 "$rt $desc: exit 1"
        hr_is "$(cat "$out.stdout")" "" "$rt $desc: nothing on stdout"
        hr_like "$(cat "$out.stderr")" "^hardrun: .*$ere" "$rt $desc: message says: ${ere//\\/}"
        hr_is "$(wc -l <"$out.stderr")" 1 "$rt $desc: exactly one line on stderr"
        hr_no_container "$rt" "$root" "$id" "$rt $desc"
}

# stood_in RUNTIME ROOT DESC POLICY BUNDLE ERE: a policy file hardrun will not use; the built-in
# default hardens the container instead (with runc, its runtime) and the first stderr line
# names the file and the reason.
stood_in() {
        local rt=$1 root=$2 desc=$3 policy=$4 b=$5 ere=$6 id out
        hr_hostile_bundle "$b"
        hr_new_id id runc "$root"
        out="$b.$id"
        hr_ctx "$out.stdout" "$out.stderr"
        hr_hardrun "$policy" "$out" --root "$root" run --bundle "$b" "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt $desc: the container starts"
        hr_like "$(head -n 1 "$out.stderr")" "^hardrun: .*$ere.*using the built-in default" \
                "$rt $desc: the error says: ${ere//\\/}, and what stands in"
        hr_is "$(jq -c .process.user.uid "$b/config.json")" 65534 \
                "$rt $desc: the built-in default hardened config.json"
}

errors() {
        local rt=$1 dir="$HR_TMP/errors-$1" b
        local policy="$dir/policy.json" audit="$dir/audit.log" root="$dir/state"
        mkdir -p "$dir"
        hr_policy "$policy" "$rt" enforce "$audit"

        # config.json is a symbolic link.
        b="$dir/symlink"
        hr_hostile_bundle "$b"
        mv "$b/config.json" "$b/real.json"
        ln -s real.json "$b/config.json"
        cp -p "$b/real.json" "$dir/real.before"
        refused "$rt" "$root" "config.json is a symlink" "$policy" "$b" \
                "$b/config.json: is a symbolic link, refusing to follow it"
        hr_check "$rt config.json is a symlink: the link target is unchanged" cmp "$dir/real.before" "$b/real.json"
        hr_check "$rt config.json is a symlink: config.json is still the symlink" test -L "$b/config.json"

        # config.json has a second hard link.
        b="$dir/hardlink"
        hr_hostile_bundle "$b"
        ln "$b/config.json" "$b/other.json"
        refused "$rt" "$root" "config.json has 2 hard links" "$policy" "$b" "has 2 hard links, refusing it"

        # config.json is not JSON.
        b="$dir/invalid"
        hr_hostile_bundle "$b"
        printf '{"ociVersion": "1.0.2", "process": {' >"$b/config.json"
        cp "$b/config.json" "$dir/invalid.before"
        refused "$rt" "$root" "invalid JSON config" "$policy" "$b" \
                "$b/config.json: invalid JSON near byte [0-9]+: parse error: premature EOF"
        hr_check "$rt invalid JSON config: the file is unchanged" cmp "$dir/invalid.before" "$b/config.json"

        # config.json is valid JSON but not an object.
        b="$dir/array"
        hr_hostile_bundle "$b"
        echo '[1, 2, 3]' >"$b/config.json"
        refused "$rt" "$root" "config.json is an array" "$policy" "$b" "expected a JSON object, got array"

        # Audit mode does not vouch for what it cannot read.
        hr_policy "$dir/audit.json" "$rt" audit "$audit"
        refused "$rt" "$root" "audit mode, invalid JSON config" "$dir/audit.json" "$dir/invalid" \
                "$dir/invalid/config.json: invalid JSON near byte [0-9]+: parse error"
        b="$dir/missing"
        hr_hostile_bundle "$b"
        rm "$b/config.json"
        refused "$rt" "$root" "audit mode, no config.json" "$dir/audit.json" "$b" \
                "$b/config.json: cannot open: No such file or directory"
        b="$dir/fifo"
        hr_hostile_bundle "$b"
        rm "$b/config.json"
        mkfifo "$b/config.json"
        refused "$rt" "$root" "audit mode, config.json is a FIFO" "$dir/audit.json" "$b" \
                "$b/config.json: not a regular file"
        b="$dir/symlink"
        refused "$rt" "$root" "audit mode, config.json is a symlink" "$dir/audit.json" "$b" \
                "is a symbolic link"
        b="$dir/wrongtype"
        hr_hostile_bundle "$b" '.process.user.uid = "0"'
        refused "$rt" "$root" "audit mode, process.user.uid is a string" "$dir/audit.json" "$b" \
                "'/process/user/uid': expected number, got string"

        # Untrusted or broken policy files never stop the node: with no last good copy kept
        # (tests keep none), the built-in default stands in and the one error line says why
        # (the last good copy itself: rollout.sh).
        hr_policy "$dir/gw.json" "$rt" enforce "$audit"
        chmod 0664 "$dir/gw.json"
        stood_in "$rt" "$root" "policy file group-writable" "$dir/gw.json" "$dir/gw" \
                "$dir/gw.json: writable by group or others \\(mode 0664\\): refusing it"
        hr_policy "$dir/ow.json" "$rt" enforce "$audit"
        chmod 0646 "$dir/ow.json"
        stood_in "$rt" "$root" "policy file other-writable" "$dir/ow.json" "$dir/ow" \
                "$dir/ow.json: writable by group or others \\(mode 0646\\): refusing it"
        hr_policy "$dir/nobody.json" "$rt" enforce "$audit"
        chown 65534 "$dir/nobody.json"
        stood_in "$rt" "$root" "policy file owned by uid 65534" "$dir/nobody.json" "$dir/nobody" \
                "$dir/nobody.json: owned by uid 65534, not root: refusing it"
        mkdir -p "$dir/gwdir"
        chmod 0775 "$dir/gwdir"
        hr_policy "$dir/gwdir/policy.json" "$rt" enforce "$audit"
        stood_in "$rt" "$root" "policy in a group-writable directory" "$dir/gwdir/policy.json" \
                "$dir/gwdir-b" "$dir/gwdir/policy.json: directory '$dir/gwdir' is writable by group or others: refusing it"
        hr_policy "$dir/typo.json" "$rt" enforce "$audit" '.rules.capabilities.alow = []'
        stood_in "$rt" "$root" "policy with a misspelt key" "$dir/typo.json" "$dir/typo" \
                "$dir/typo.json: '/rules/capabilities': unknown key 'alow'"
        hr_is "$(hr_audit_count "$audit")" 0 "$rt error paths: no audit record was written by any refusal"

        audit_failure "$rt"
}

# The audit log cannot be written (its directory is a regular file).
audit_failure() {
        local rt=$1 dir="$HR_TMP/auditfail-$1" id out b
        local root="$dir/state" bad
        mkdir -p "$dir"
        : >"$dir/not-a-dir"
        bad="$dir/not-a-dir/audit.log"

        # on_error "fail": the container must not start without its audit record.
        b="$dir/fail"
        hr_hostile_bundle "$b"
        cp -p "$b/config.json" "$dir/fail.before"
        hr_policy "$dir/fail.json" "$rt" enforce "$bad"
        refused "$rt" "$root" "audit log unwritable, on_error fail" "$dir/fail.json" "$b" \
                "audit log $bad: cannot open: Not a directory"
        hr_check "$rt audit log unwritable, on_error fail: config.json is not rewritten by the refused run" \
                cmp -s "$dir/fail.before" "$b/config.json"
        hr_new_id id "$rt" "$root"
        out="$dir/fail-retry"
        hr_ctx "$out.stdout" "$out.stderr"
        hr_hardrun "$dir/fail.json" "$out" --root "$root" run --bundle "$b" "$id"
        hr_is "$(cat "$out.rc")" 1 \
                "$rt audit log unwritable, on_error fail: a retry is refused too (no container runs unaudited)"

        # on_error "continue": the container starts hardened; the loss should be reported.
        b="$dir/continue"
        hr_hostile_bundle "$b"
        hr_policy "$dir/continue.json" "$rt" enforce "$bad" '.audit.on_error = "continue"'
        hr_new_id id "$rt" "$root"
        out="$dir/continue"
        hr_ctx "$out.stdout" "$out.stderr" "$dir/continue-log.json"
        hr_hardrun "$dir/continue.json" "$out" --root "$root" --log "$dir/continue-log.json" \
                --log-format json run --bundle "$b" "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt audit log unwritable, on_error continue: run exits 0"
        hr_is "$(hr_val "$out.stdout" uid)" 65534 "$rt audit log unwritable, on_error continue: container is hardened (uid 65534)"
        hr_is "$(hr_val "$out.stdout" Seccomp)" 2 "$rt audit log unwritable, on_error continue: container is hardened (Seccomp 2)"
        hr_is "$(tail -n 1 "$dir/continue-log.json" 2>/dev/null | jq -r .level 2>/dev/null)" warning \
                "$rt audit log unwritable, on_error continue: --log's last line is a JSON warning"
        hr_like "$(tail -n 1 "$dir/continue-log.json" 2>/dev/null | jq -r .msg 2>/dev/null)" \
                "^hardrun: audit log $bad: cannot open: Not a directory" \
                "$rt audit log unwritable, on_error continue: the warning names the audit log that was lost"
}

hr_for_each_runtime "error paths" errors
hr_done
