#!/bin/bash
# Rule env_secrets: a bundle whose process.env holds an AWS secret access key. Plain runc hands
# it to the container. Under hardrun enforce and audit the container still runs (nothing is
# rewritten) and the audit log has one "detected" record naming the variable; deny refuses the
# container with a message naming /process/env/N and the variable. In no mode does the value
# reach the audit log, the --log file, stdout or stderr.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

# A made-up key of the real shape (40 characters), split so that scanners skip this file.
SECRET="TEST7wJalrXUtnFEMIK7MDENG""bPxRfiCYz9Tq3Lm"
NAME=AWS_SECRET_ACCESS_KEY
# The probe: the variable is there (by length, not value), then the usual facts.
PROBE='echo "secretlen=${#AWS_SECRET_ACCESS_KEY}"; exit 0'

# no_leak DESC FILE...: none of the files holds the value.
no_leak() {
        local desc=$1 f hits=""
        shift
        for f in "$@"; do
                [ -e "$f" ] && grep -qF "$SECRET" "$f" && hits+=" $f"
        done
        hr_is "$hits" "" "$desc: the value is in none of audit log, --log file, stdout, stderr"
}

env_secrets() {
        local rt=$1 dir="$HR_TMP/envsec-$1" id out b index
        local policy="$dir/policy.json" audit="$dir/audit.log" root="$dir/state" log
        b="$dir/bundle"
        hr_bundle "$b" ".process.env += [\"$NAME=$SECRET\"]"
        jq --arg p "$PROBE" '.process.args = ["sh", "-c", $p]' "$b/config.json" >"$b/c.json" &&
                mv "$b/c.json" "$b/config.json"
        index=$(jq --arg n "$NAME" '.process.env | map(startswith($n + "=")) | index(true)' \
                "$b/config.json")
        cp -p "$b/config.json" "$dir/config.before"

        # Plain runc: the secret is in the container's environment.
        out="$dir/plain"
        hr_ctx "$out.stdout" "$out.stderr"
        hr_plain_run "$rt" "$root" "$b" "$out"
        hr_is "$(cat "$out.rc")" 0 "$rt plain: runs"
        hr_is "$(hr_val "$out.stdout" secretlen)" "${#SECRET}" \
                "$rt plain: the container sees the ${#SECRET}-character secret"

        # enforce: runs, one detected record, nothing rewritten, no leak.
        out="$dir/enforce"
        log="$dir/enforce.log.json"
        hr_policy "$policy" "$rt" enforce "$audit" '.rules.env_secrets = {mode: "enforce"}'
        hr_new_id id "$rt" "$root"
        hr_ctx "$out.stdout" "$out.stderr" "$audit" "$log"
        hr_hardrun "$policy" "$out" --root "$root" --log "$log" --log-format json \
                run --bundle "$b" "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt enforce: hardrun-test run exits 0"
        hr_is "$(hr_val "$out.stdout" secretlen)" "${#SECRET}" \
                "$rt enforce: the variable is kept (removing it would break the app)"
        hr_is "$(jq -r "select(.rule == \"env_secrets\") | [.path, .before, .action] | join(\" \")" \
                "$audit")" "/process/env/$index $NAME=<redacted> detected" \
                "$rt enforce: one detected record naming /process/env/$index and $NAME"
        hr_like "$(jq -r 'select(.rule == "env_secrets") | .after' "$audit")" "AWS secret access key" \
                "$rt enforce: the record gives the reason"
        hr_is "$(jq -c '.process.env' "$b/config.json")" \
                "$(jq -c '.process.env' "$dir/config.before")" "$rt enforce: process.env unchanged"
        no_leak "$rt enforce" "$audit" "$log" "$out.stdout" "$out.stderr"
        rm -f "$audit"
        # The bundle was hardened by the other rules; start over for the next modes.
        cp -p "$dir/config.before" "$b/config.json"

        # deny: refused, the message names the path and the variable, not the value.
        out="$dir/deny"
        hr_run_mode "$rt" "$root" "$b" "$out" enforce '.rules.env_secrets = {mode: "deny"}'
        hr_expect_refused "$rt deny" env_secrets \
                "'/process/env/$index': \"$NAME=<redacted>\" is not allowed by rule 'env_secrets'"
        no_leak "$rt deny" "$out.audit.log" "$out.stdout" "$out.stderr"
        log="$dir/deny.log.json"
        hr_new_id id "$rt" "$root"
        hr_hardrun "$out.policy.json" "$out" --root "$root" --log "$log" --log-format json \
                run --bundle "$b" "$id"
        hr_like "$(tail -n 1 "$log" | jq -r .msg)" "'/process/env/$index'.*$NAME=<redacted>" \
                "$rt deny --log-format json: the log line names the path and the variable"
        no_leak "$rt deny --log" "$log" "$out.stdout" "$out.stderr"

        # audit: runs unchanged, detected.
        out="$dir/audit"
        hr_run_mode "$rt" "$root" "$b" "$out" audit '.rules.env_secrets = {mode: "audit"}'
        hr_is "$(cat "$out.rc")" 0 "$rt audit: runs"
        hr_is "$(hr_val "$out.stdout" secretlen)" "${#SECRET}" "$rt audit: the variable is there"
        hr_expect_records "$rt audit" detected env_secrets "/process/env/$index"
        hr_expect_config_unchanged "$rt audit"
        no_leak "$rt audit" "$out.audit.log" "$out.stdout" "$out.stderr"
}

hr_for_each_runtime "env_secrets" env_secrets
hr_done
