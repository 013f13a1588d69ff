#!/bin/bash
# Rule rlimits: a bundle raises RLIMIT_NOFILE above a policy maximum of 4096. Plain runc gives
# the container that limit; enforce caps it at 4096 (config.json and exec --process files);
# audit logs would_change; deny refuses. A type given twice is refused even in enforce mode:
# runc keeps the last entry, so a checker reading the first is fooled.
#
# The bundle's limit is this host's own hard limit: raising a hard limit needs CAP_SYS_RESOURCE,
# which not every test host has.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

HARD=$(ulimit -Hn)
PROBE='echo "nofile=$(ulimit -n)"
echo "nofile_hard=$(ulimit -Hn)"'
ARGS=".process.args = [\"sh\", \"-c\", $(jq -Rs . <<<"$PROBE")]"
FILTER=".process.rlimits = [{type: \"RLIMIT_NOFILE\", hard: $HARD, soft: $HARD}] | $ARGS"
POLICY='.rules.rlimits = {mode: $ENV.HR_MODE, max: {RLIMIT_NOFILE: 4096}}'

# check MODE OUT BUNDLE: hr_rule_modes' per-mode checks.
check() {
        local mode=$1 out=$2 b=$3
        case $mode in
        plain)
                hr_is "$(cat "$out.rc")" 0 "$RT plain: the container runs"
                hr_is "$(hr_val "$out.stdout" nofile)" "$HARD" "$RT plain: ulimit -n is $HARD"
                hr_is "$(hr_val "$out.stdout" nofile_hard)" "$HARD" "$RT plain: ulimit -Hn is $HARD"
                ;;
        enforce)
                hr_is "$(cat "$out.rc")" 0 "$RT enforce: hardrun-test run exits 0"
                hr_is "$(hr_val "$out.stdout" nofile)" 4096 "$RT enforce: ulimit -n is 4096"
                hr_is "$(hr_val "$out.stdout" nofile_hard)" 4096 "$RT enforce: ulimit -Hn is 4096"
                hr_is "$(jq -c .process.rlimits "$b/config.json")" \
                        '[{"type":"RLIMIT_NOFILE","hard":4096,"soft":4096}]' \
                        "$RT enforce: config.json has the capped limit"
                hr_is "$(jq -r 'select(.rule == "rlimits") | "\(.action) \(.path) \(.before) \(.after)"' "$out.audit.log" | sort | tr '\n' ' ')" \
                        "changed /process/rlimits/0/hard $HARD 4096 changed /process/rlimits/0/soft $HARD 4096 " \
                        "$RT enforce: audit log has a changed record for hard and soft"
                ;;
        audit)
                hr_is "$(hr_val "$out.stdout" nofile)" "$HARD" "$RT audit: ulimit -n is still $HARD"
                hr_expect_audited "$RT audit" rlimits .process.rlimits \
                        /process/rlimits/0/hard /process/rlimits/0/soft
                ;;
        deny)
                hr_expect_refused "$RT deny" rlimits "'/process/rlimits/0/(hard|soft)'.*rule 'rlimits'"
                ;;
        esac
}

rlimits() {
        local rt=$1 dir="$HR_TMP/rlimits-$1" id out audit b root p
        root="$dir/state"
        RT=$rt

        hr_rule_modes "$rt" "$dir" "$FILTER" "$POLICY" check enforce

        # A duplicate type: runc applies every entry in turn, so the last one wins; the first
        # one says soft 1024.
        b="$dir/dup-bundle"
        out="$dir/dup-plain"
        hr_hostile_bundle "$b" ".process.rlimits = [{type: \"RLIMIT_NOFILE\", hard: $HARD, soft: 1024},
                {type: \"RLIMIT_NOFILE\", hard: $HARD, soft: $HARD}] | $ARGS"
        hr_ctx "$out.stdout" "$out.stderr"
        if [ "$rt" = runc ]; then
                hr_plain_run "$rt" "$root" "$b" "$out"
                hr_is "$(hr_val "$out.stdout" nofile)" "$HARD" \
                        "$rt plain, duplicate type: the last entry wins (ulimit -n $HARD, not the first 1024)"
        fi
        hr_run_mode "$rt" "$root" "$b" "$dir/dup" enforce '.rules.rlimits = {}'
        hr_expect_refused "$rt enforce, duplicate type" rlimits "'/process/rlimits/1/type'.*rule 'rlimits'" \
                /process/rlimits/1/type

        # exec --process: the process file is capped too.
        b="$dir/exec-bundle"
        audit="$dir/exec-audit.log"
        hr_bundle "$b" '.process.args = ["sleep", "30"] | del(.process.rlimits)'
        HR_MODE=enforce hr_policy "$dir/exec-policy.json" "$rt" enforce "$audit" "$POLICY"
        hr_new_id id "$rt" "$root"
        hr_ctx "$dir/create.stderr" "$dir/start.stderr" "$audit"
        hr_hardrun "$dir/exec-policy.json" "$dir/create" --root "$root" create --bundle "$b" "$id"
        hr_is "$(cat "$dir/create.rc")" 0 "$rt exec: hardrun create exits 0"
        hr_hardrun "$dir/exec-policy.json" "$dir/start" --root "$root" start "$id"
        hr_is "$(cat "$dir/start.rc")" 0 "$rt exec: hardrun start exits 0"
        p="$dir/process.json"
        jq --argjson hard "$HARD" '.process + {args: ["sh", "-c", "echo nofile=$(ulimit -n)"],
                rlimits: [{type: "RLIMIT_NOFILE", hard: $hard, soft: $hard}]}' "$b/config.json" >"$p"
        out="$dir/exec"
        hr_ctx "$out.stdout" "$out.stderr" "$audit" "$p"
        hr_hardrun "$dir/exec-policy.json" "$out" --root "$root" exec --process "$p" "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt exec: hardrun-test exec --process exits 0"
        hr_is "$(hr_val "$out.stdout" nofile)" 4096 "$rt exec: the exec'd process has ulimit -n 4096"
        hr_is "$(jq -c .rlimits "$p")" '[{"type":"RLIMIT_NOFILE","hard":4096,"soft":4096}]' \
                "$rt exec: process.json has the capped limit"
        hr_is "$(hr_audit_count "$audit" '.subcommand == "exec" and .rule == "rlimits" and .path == "/rlimits/0/hard"')" 1 \
                "$rt exec: audit log has the exec record at /rlimits/0/hard"
        timeout -k 5 60 "$rt" --root "$root" kill "$id" KILL >/dev/null 2>&1
}

if ! [[ $HARD =~ ^[0-9]+$ ]] || [ "$HARD" -le 4096 ]; then
        hr_skip "rlimits" "this host's hard RLIMIT_NOFILE ($HARD) is not above the test maximum 4096"
else
        hr_for_each_runtime "rlimits" rlimits
fi
hr_done
