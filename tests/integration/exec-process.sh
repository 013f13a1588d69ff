#!/bin/bash
# Case 9: exec --process: the process file is hardened like config.json's process (user,
# capabilities, no_new_privileges) before the runtime reads it; seccomp stays the container's.
# Also from a pipe (exec -p <(...)). crun chowns an exec's standard streams to its user:
# with /dev/null as stdin, stdout and stderr the host's must keep its owner (hr_done checks
# after every script; here right after such an exec), and the process still reads a null
# device on stdin.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

exec_process() {
        local rt=$1 dir="$HR_TMP/exec-$1" id out p i
        local policy="$dir/policy.json" audit="$dir/audit.log" root="$dir/state" b="$dir/bundle"
        hr_hostile_bundle "$b" '.process.args = ["sleep", "30"]'
        hr_policy "$policy" "$rt" enforce "$audit"
        hr_new_id id "$rt" "$root"
        hr_ctx "$dir/create.stdout" "$dir/create.stderr" "$audit"
        hr_hardrun "$policy" "$dir/create" --root "$root" create --bundle "$b" "$id"
        hr_is "$(cat "$dir/create.rc")" 0 "$rt exec: hardrun create (sleep 30) exits 0"
        hr_hardrun "$policy" "$dir/start" --root "$root" start "$id"
        hr_is "$(cat "$dir/start.rc")" 0 "$rt exec: hardrun start exits 0"
        hr_is "$("$rt" --root "$root" state "$id" 2>/dev/null | jq -r .status)" running \
                "$rt exec: the hardened container is running"

        # A hostile process: uid 0, every host capability, noNewPrivileges false.
        p="$dir/process.json"
        jq --argjson c "$HR_HOST_CAPS" '.process
                | .user = {uid: 0, gid: 0, additionalGids: [0]}
                | .capabilities = {bounding: $c, effective: $c, permitted: $c, inheritable: $c, ambient: $c}
                | .noNewPrivileges = false
                | .args = ["sh", "-c", "echo uid=$(id -u); grep CapEff /proc/self/status; grep NoNewPrivs /proc/self/status; grep -E \"^Seccomp:\" /proc/self/status"]' \
                "$b/config.json" >"$p"
        chmod 0644 "$p"
        cp -p "$p" "$dir/process.before"
        out="$dir/exec"
        hr_ctx "$out.stdout" "$out.stderr" "$p" "$audit"
        hr_hardrun "$policy" "$out" --root "$root" exec --process "$p" "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt exec: hardrun-test exec --process exits 0"
        hr_is "$(hr_val "$out.stdout" uid)" 65534 "$rt exec: exec'd process runs as uid 65534"
        hr_is "$(hr_val "$out.stdout" CapEff)" 0000000000000000 "$rt exec: exec'd process CapEff is 0"
        hr_is "$(hr_val "$out.stdout" NoNewPrivs)" 1 "$rt exec: exec'd process NoNewPrivs is 1"
        hr_is "$(hr_val "$out.stdout" Seccomp)" 2 "$rt exec: exec'd process has the container's seccomp filter"
        hr_is "$(jq -c '[.user, ([.capabilities[]] | add), .noNewPrivileges]' "$p" 2>/dev/null)" \
                '[{"uid":65534,"gid":65534,"additionalGids":[]},[],true]' \
                "$rt exec: process.json was rewritten with the hardened user, capabilities and noNewPrivileges"
        hr_is "$(hr_audit_count "$audit" '.subcommand == "exec" and .file == "'"$p"'" and .action == "changed"')" 9 \
                "$rt exec: 9 'changed' audit records for the exec (3 user, 5 capability sets, noNewPrivileges)"
        hr_is "$(jq -r 'select(.subcommand == "exec") | .rule' "$audit" | sort -u | tr '\n' ' ')" \
                "capabilities no_new_privileges user " \
                "$rt exec: exec records only the process rules (no seccomp/rootfs)"

        # The same process from a pipe (`runc exec -p <(...)`, as runc's own tests do): read
        # once, hardened, handed to the runtime behind the same /dev/fd name.
        out="$dir/exec-pipe"
        rm -f "$audit"
        hr_ctx "$out.stdout" "$out.stderr" "$audit"
        HARDRUN_POLICY=$policy timeout -k 5 "$HR_TIMEOUT" "$HARDRUN_TEST" --root "$root" \
                exec --process <(cat "$dir/process.before") "$id" >"$out.stdout" 2>"$out.stderr" </dev/null
        hr_is "$?" 0 "$rt exec -p <(...): exits 0"
        hr_is "$(hr_val "$out.stdout" uid)/$(hr_val "$out.stdout" CapEff)/$(hr_val "$out.stdout" NoNewPrivs)" \
                65534/0000000000000000/1 "$rt exec -p <(...): the process runs hardened (uid 65534, CapEff 0, NoNewPrivs 1)"
        hr_like "$(jq -r 'select(.rule == "user" and .path == "/user/uid") | .file' "$audit")" '^/dev/fd/[0-9]+$' \
                "$rt exec -p <(...): the audit record names the pipe's /dev/fd path"

        # Standard streams on the host's /dev/null.
        local devnull
        devnull=$(stat -c '%u:%g %a' /dev/null)
        HARDRUN_POLICY=$policy timeout -k 5 "$HR_TIMEOUT" "$HARDRUN_TEST" --root "$root" \
                exec --process <(jq '.args = ["true"]' "$dir/process.before") "$id" \
                </dev/null >/dev/null 2>/dev/null
        hr_is "$?/$(stat -c '%u:%g %a' /dev/null)" "0/$devnull" \
                "$rt exec with stdin, stdout and stderr on /dev/null: exits 0, the host's /dev/null keeps $devnull"
        # hardrun hands crun a null device of its own (runc gives the process a pipe).
        if [ "$rt" = crun ]; then
                out="$dir/exec-null"
                HARDRUN_POLICY=$policy timeout -k 5 "$HR_TIMEOUT" "$HARDRUN_TEST" --root "$root" \
                        exec --process <(jq '.args = ["sh", "-c", "ls -lL /proc/self/fd/0; cat; echo eof"]' \
                        "$dir/process.before") "$id" >"$out.stdout" 2>"$out.stderr" </dev/null
                hr_like "$(tr '\n' ' ' <"$out.stdout")" '^c[rw-]{9} .* 1, +3 .* eof $' \
                        "$rt exec: stdin is still a null device (1, 3) that reads end of file"
        fi

        # Deny mode refuses the hostile process file and leaves the container alone.
        cp -p "$dir/process.before" "$p"
        hr_policy "$dir/deny.json" "$rt" deny "$audit"
        out="$dir/exec-deny"
        hr_ctx "$out.stdout" "$out.stderr" "$audit"
        hr_hardrun "$dir/deny.json" "$out" --root "$root" exec --process "$p" "$id"
        hr_is "$(cat "$out.rc")" 1 "$rt exec deny: exit 1"
        hr_like "$(cat "$out.stderr")" "^hardrun: $p: '/user/uid': .*rule 'user'" \
                "$rt exec deny: message names process.json, /user/uid and rule 'user'"
        hr_is "$(cat "$out.stdout")" "" "$rt exec deny: the process never ran (stdout empty)"
        hr_check "$rt exec deny: process.json unchanged (cmp)" cmp "$dir/process.before" "$p"
        hr_is "$("$rt" --root "$root" state "$id" 2>/dev/null | jq -r .status)" running \
                "$rt exec deny: the container is still running"

        hr_hardrun "$policy" "$dir/kill" --root "$root" kill "$id" KILL
        hr_is "$(cat "$dir/kill.rc")" 0 "$rt exec: hardrun kill exits 0"
        for ((i = 0; i < 100; i++)); do
                [ "$("$rt" --root "$root" state "$id" 2>/dev/null | jq -r .status)" = stopped ] && break
                sleep 0.1
        done
        hr_hardrun "$policy" "$dir/delete" --root "$root" delete "$id"
        hr_is "$(cat "$dir/delete.rc")" 0 "$rt exec: hardrun delete exits 0"
        hr_no_container "$rt" "$root" "$id" "$rt exec: after delete"
}

hr_for_each_runtime "exec --process" exec_process
hr_done
