#!/bin/bash
# The command line as an attacker who has read runc's and crun's sources uses it, against a
# running hardened container: each case escapes with the plain runtime and is held by hardrun in
# enforce and deny (refused, the message names the flag and the rule) and recorded in audit.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

# The pids.max of a process's cgroup, read on the host (cgroup v2, else the v1 pids hierarchy).
pids_max() {
        local pid=$1 path
        path=$(awk -F: '$1 == "0" { print $3 }' "/proc/$pid/cgroup")
        if [ -n "$path" ] && [ -f "/sys/fs/cgroup$path/pids.max" ]; then
                cat "/sys/fs/cgroup$path/pids.max"
                return
        fi
        path=$(awk -F: '$2 ~ /(^|,)pids(,|$)/ { print $3 }' "/proc/$pid/cgroup")
        cat "/sys/fs/cgroup/pids$path/pids.max"
}

# expect_refused DESC OUT FLAG RULE: hardrun refused the call and said why.
expect_refused() {
        hr_is "$(cat "$2.rc")" 1 "$1: refused (exit 1)"
        hr_like "$(cat "$2.stderr")" "$3.*(rule|policy section) '$4'" "$1: the message names $3 and '$4'"
}

adversarial() {
        local rt=$1 dir="$HR_TMP/adv-$1" id pid out mode b root policy audit
        root="$dir/state"
        b="$dir/bundle"
        audit="$dir/audit.log"
        policy="$dir/enforce.json"
        hr_bundle "$b" '.process.args = ["sleep", "300"]'
        hr_policy "$policy" "$rt" enforce "$audit" '.rules.resources = {mode: "enforce"}'
        hr_policy "$dir/deny.json" "$rt" deny "$audit" '.rules.resources = {mode: "deny"}'
        hr_policy "$dir/audit.json" "$rt" audit "$audit" '.rules.resources = {mode: "audit"}'
        hr_new_id id "$rt" "$root"
        hr_ctx "$dir/create.stderr" "$audit"
        hr_hardrun "$policy" "$dir/create" --root "$root" create --bundle "$b" "$id"
        hr_hardrun "$policy" "$dir/start" --root "$root" start "$id"
        pid=$("$rt" --root "$root" state "$id" 2>/dev/null | jq -r .pid)
        hr_is "$(pids_max "$pid")" 4096 "$rt: the hardened container has pids.max 4096"

        # 1. update --pids-limit -1 (what `docker update --pids-limit -1` sends)
        for mode in enforce deny; do
                out="$dir/update-$mode"
                hr_ctx "$out.stderr" "$audit"
                hr_hardrun "$dir/$mode.json" "$out" --root "$root" update --pids-limit -1 "$id"
                expect_refused "$rt update --pids-limit -1 ($mode)" "$out" "--pids-limit" resources
                hr_is "$(pids_max "$pid")" 4096 "$rt update --pids-limit -1 ($mode): pids.max stays 4096"
        done
        out="$dir/update-stdin"
        HARDRUN_POLICY=$policy "$HARDRUN_TEST" --root "$root" update --resources - "$id" \
                <<<'{"pids": {"limit": -1}}' >"$out.stdout" 2>"$out.stderr"
        echo $? >"$out.rc"
        expect_refused "$rt update --resources - {pids: -1}" "$out" "/pids/limit" resources
        HARDRUN_POLICY=$policy "$HARDRUN_TEST" --root "$root" update --resources - "$id" \
                <<<'{"pids": {"limit": 2000}}' >"$out.stdout" 2>"$out.stderr"
        hr_is "$?:$(pids_max "$pid")" 0:2000 "$rt update --resources - {pids: 2000}: stdin handed on, pids.max 2000"
        "$rt" --root "$root" update --pids-limit 4096 "$id"
        # crun writes "-1" itself on cgroup v1, which the kernel refuses ("max" on v2).
        local lifted="0:max"
        [ "$rt" = crun ] && [ ! -f /sys/fs/cgroup/cgroup.subtree_control ] && lifted="1:4096"
        out="$dir/update-audit"
        hr_hardrun "$dir/audit.json" "$out" --root "$root" update --pids-limit -1 "$id"
        hr_is "$(cat "$out.rc"):$(pids_max "$pid")" "$lifted" \
                "$rt update --pids-limit -1 (audit): the runtime's own outcome ($lifted)"
        hr_is "$(hr_audit_count "$audit" '.path == "/argv/--pids-limit" and .action == "would_deny"')" 1 \
                "$rt update --pids-limit -1 (audit): recorded as would_deny (enforce refuses it)"
        "$rt" --root "$root" update --pids-limit 4096 "$id"
        "$rt" --root "$root" update --pids-limit -1 "$id" 2>/dev/null
        hr_is "$?:$(pids_max "$pid")" "$lifted" "$rt plain: update --pids-limit -1 ($lifted)"
        "$rt" --root "$root" update --pids-limit 4096 "$id"

        # 2. exec without --process: crun's defaults are uid 0 and no_new_privs off
        local probe='echo uid=$(id -u); grep NoNewPrivs /proc/self/status'
        out="$dir/exec-plain"
        # stdin an empty pipe, not /dev/null: crun chowns a /dev/null stdin to the exec's user
        "$rt" --root "$root" exec "$id" sh -c "$probe" >"$out.stdout" 2>"$out.stderr" < <(:)
        if [ "$rt" = crun ]; then
                hr_is "$(hr_val "$out.stdout" uid):$(hr_val "$out.stdout" NoNewPrivs)" 0:0 \
                        "crun plain: exec without -u runs as uid 0 with NoNewPrivs 0"
        else
                hr_is "$(hr_val "$out.stdout" uid):$(hr_val "$out.stdout" NoNewPrivs)" 65534:1 \
                        "runc plain: exec takes the hardened config.json's process"
        fi
        for mode in enforce deny; do
                out="$dir/exec-$mode"
                hr_hardrun "$dir/$mode.json" "$out" --root "$root" exec "$id" sh -c "$probe"
                if [ "$rt" = crun ]; then
                        expect_refused "crun exec without -u ($mode)" "$out" "/user/uid" user
                        hr_like "$(cat "$out.stderr")" "pass --user UID:GID --no-new-privs" \
                                "crun exec without -u ($mode): the message says what to pass"
                else
                        hr_is "$(cat "$out.rc"):$(hr_val "$out.stdout" uid)" 0:65534 \
                                "runc exec from the hardened config.json ($mode): runs as 65534"
                fi
        done
        out="$dir/exec-user"
        hr_hardrun "$policy" "$out" --root "$root" exec --user 65534:65534 --no-new-privs "$id" sh -c "$probe"
        hr_is "$(cat "$out.rc"):$(hr_val "$out.stdout" uid):$(hr_val "$out.stdout" NoNewPrivs)" 0:65534:1 \
                "$rt exec -u 65534:65534 --no-new-privs: runs as 65534 with NoNewPrivs 1"

        # 3. runc: config.json rewritten after create gives an inline exec root and capabilities
        if [ "$rt" = runc ]; then
                cp "$b/config.json" "$dir/config.saved"
                jq --argjson c "$HR_HOST_CAPS" '.process.user = {uid: 0, gid: 0}
                        | .process.noNewPrivileges = false
                        | .process.capabilities = {bounding: $c, effective: $c, permitted: $c}' \
                        "$dir/config.saved" >"$b/config.json"
                out="$dir/exec-rewritten"
                runc --root "$root" exec "$id" sh -c "$probe; grep CapEff /proc/self/status" \
                        >"$out.stdout" 2>"$out.stderr" </dev/null
                hr_unlike "$(hr_val "$out.stdout" uid):$(hr_val "$out.stdout" CapEff)" \
                        '^65534:|:0000000000000000$' \
                        "runc plain: an inline exec after config.json was rewritten runs as root with capabilities"
                hr_hardrun "$policy" "$out" --root "$root" exec "$id" sh -c "$probe"
                expect_refused "runc exec after config.json was rewritten" "$out" "/user/uid" user
                cp "$dir/config.saved" "$b/config.json"
        fi

        # 4. --preserve-fds hands a host directory to the container
        out="$dir/fds-plain"
        "$rt" --root "$root" exec --preserve-fds 1 "$id" cat /proc/self/fd/3/hostname \
                >"$out.stdout" 2>"$out.stderr" 3</etc < <(:)
        hr_is "$(cat "$out.stdout")" "$(cat /etc/hostname)" \
                "$rt plain: --preserve-fds 1 with a host directory reads the host's /etc/hostname"
        for mode in enforce deny; do
                out="$dir/fds-$mode"
                HARDRUN_POLICY="$dir/$mode.json" "$HARDRUN_TEST" --root "$root" exec --preserve-fds 1 \
                        --user 65534:65534 --no-new-privs "$id" cat /proc/self/fd/3/hostname \
                        >"$out.stdout" 2>"$out.stderr" 3</etc </dev/null
                echo $? >"$out.rc"
                expect_refused "$rt exec --preserve-fds 1 with a host directory ($mode)" "$out" "/fd/3" mounts
                hr_is "$(cat "$out.stdout")" "" "$rt exec --preserve-fds ($mode): nothing read"
        done

        # 5. flags refused whatever their value
        for args in "--no-pivot" "--no-new-keyring"; do
                out="$dir/flag"
                hr_hardrun "$policy" "$out" --root "$root" create $args --bundle "$b" "$id-2"
                expect_refused "$rt create $args" "$out" "$args" '(rootfs|namespaces)'
        done
        "$rt" --root "$root" kill "$id" KILL 2>/dev/null
        sleep 0.5
        "$rt" --root "$root" delete -f "$id" 2>/dev/null
        hr_no_container "$rt" "$root" "$id-2" "$rt: refused creates left no container"
}

hr_for_each_runtime "adversarial command line" adversarial
hr_done
