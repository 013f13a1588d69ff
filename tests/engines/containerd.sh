#!/bin/bash
# containerd end to end: a private containerd (state in a temp dir, in the sandbox mount
# namespace of lib.sh) driven with ctr. `ctr run --runc-binary <hardrun wrapper>` is the runc v2
# shim's BinaryName, as contrib/containerd/config.toml sets it for the CRI handler; hardrun-test
# is also installed as /usr/local/sbin/runc inside the sandbox, so plain `ctr run` (the shim's
# default "runc") is hardened too.
#
# Cases: the hardened container (asked for --privileged as root), ctr's default runc, `ctr task
# exec --user 0`, deny's message in ctr's error, and pause/resume/ps/kill/delete passing through.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

eng_setup containerd ctr containerd-shim-runc-v2

IMG=docker.io/hrtest/busybox:latest
NS=$E_TAG # ctr's namespace: also its cgroup parent (/<namespace>/<id>)
mkdir -p "$E_TMP/policy" "$E_TMP/audit" "$E_TMP/out" "$E_TMP/fifo"
eng_policy "$E_TMP/policy/enforce.json" enforce "$E_TMP/audit/enforce.log"
eng_policy "$E_TMP/policy/deny.json" deny "$E_TMP/audit/deny.log"
eng_policy "$E_TMP/policy/as-runc.json" enforce "$E_TMP/audit/as-runc.log"
eng_wrapper "$E_TMP/rt/enforce/hardrun" "$E_TMP/policy/enforce.json"
eng_wrapper "$E_TMP/rt/deny/hardrun" "$E_TMP/policy/deny.json"

SOCK="$E_TMP/containerd/sock"
C() {
        eng_in ctr -a "$SOCK" -n "$NS" "$@"
}

ctr_cleanup() {
        local t
        for t in $(C task ls -q 2>/dev/null); do
                timeout 30 nsenter -t "$E_NS" -m -- ctr -a "$SOCK" -n "$NS" task kill -s KILL "$t"
        done
        sleep 0.5
        for t in $(C task ls -q 2>/dev/null); do
                timeout 30 nsenter -t "$E_NS" -m -- ctr -a "$SOCK" -n "$NS" task delete -f "$t"
        done
        for t in $(C containers ls -q 2>/dev/null); do
                timeout 30 nsenter -t "$E_NS" -m -- ctr -a "$SOCK" -n "$NS" containers delete "$t"
        done
}
E_CLEANUP_HOOKS+=(ctr_cleanup)

eng_sandbox runc
eng_containerd containerd PATH="$E_SYS_PATH" HARDRUN_POLICY="$E_TMP/policy/as-runc.json" ||
        hr_bail "containerd did not start"

eng_image_archive "$E_TMP/image.tar" hrtest/busybox:latest || hr_bail "cannot build the image archive"
eng_run "$E_TMP/out/import" C images import "$E_TMP/image.tar"
hr_is "$(cat "$E_TMP/out/import.rc")" 0 "ctr images import of the busybox archive succeeds" ||
        hr_bail "no image: $(cat "$E_TMP/out/import.stderr")"

# ctr_run NAME ARGS...: `ctr run --rm` into $E_TMP/out/NAME.*
ctr_run() {
        local id=$1
        shift
        eng_run "$E_TMP/out/$id" C run --rm --fifo-dir "$E_TMP/fifo" "$@"
}

# ---------------------------------------------------------------- ctr run --runc-binary

out="$E_TMP/out/hardened"
hr_ctx "$out.stdout" "$out.stderr"
ctr_run hardened --runc-binary "$E_TMP/rt/enforce/hardrun" --privileged "$IMG" hardened \
        sh -c "$ENG_PROBE"
hr_is "$(cat "$out.rc")" 0 "ctr run --runc-binary <hardrun> --privileged exits 0"
hr_expect_hardened "$out.stdout" "ctr run --runc-binary <hardrun> --privileged"
eng_observed containerd "ctr run --runc-binary --privileged" "$out.stdout"
hr_is "$(jq -r 'select(.container == "hardened" and .action == "changed") | .rule' "$E_TMP/audit/enforce.log" | sort -u | tr '\n' ' ')" \
        "capabilities devices masked_paths mount_options resources rootfs seccomp user " \
        "ctr run: 'changed' records for every rule with something to change (ctr sets noNewPrivileges itself; --privileged brings host devices, drops masked paths and mounts /sys rw)"
hr_is "$(jq -r 'select(.container == "hardened") | .bundle' "$E_TMP/audit/enforce.log" | sort -u)" \
        "$E_TMP/containerd/state/io.containerd.runtime.v2.task/$NS/hardened" \
        "ctr run: the audit records name the shim's bundle"

# The shim's default BinaryName "runc": hardrun installed as /usr/local/sbin/runc.
out="$E_TMP/out/as-runc"
hr_ctx "$out.stdout" "$out.stderr"
ctr_run as-runc --privileged "$IMG" as-runc sh -c "$ENG_PROBE"
hr_is "$(cat "$out.rc")" 0 "ctr run --privileged (default runc = hardrun as /usr/local/sbin/runc) exits 0"
eng_hardened "$out.stdout" "ctr run with the default runc"
eng_observed containerd "ctr run (hardrun as /usr/local/sbin/runc)" "$out.stdout"
hr_ok "$([ "$(hr_audit_count "$E_TMP/audit/as-runc.log" '.container == "as-runc" and .action == "changed"')" -gt 0 ]; echo $?)" \
        "ctr run with the default runc: hardrun (as runc) wrote its records"

# ---------------------------------------------------------------- exec, pass-through

out="$E_TMP/out/sleeper"
hr_ctx "$out.stdout" "$out.stderr"
eng_run "$out" C run -d --fifo-dir "$E_TMP/fifo" --runc-binary "$E_TMP/rt/enforce/hardrun" \
        --privileged "$IMG" sleeper sleep 600
hr_is "$(cat "$out.rc")" 0 "ctr run -d --runc-binary <hardrun> (sleep) exits 0"
task_status() {
        C task ls 2>/dev/null | awk -v id="$1" '$1 == id {print $3}'
}
task_is() {
        [ "$(task_status "$1")" = "$2" ]
}
eng_wait 30 task_is sleeper RUNNING
hr_is "$(task_status sleeper)" RUNNING "ctr task ls: sleeper is RUNNING"

out="$E_TMP/out/exec"
hr_ctx "$out.stdout" "$out.stderr"
eng_run "$out" C task exec --fifo-dir "$E_TMP/fifo" --exec-id probe --user 0 sleeper sh -c "$ENG_PROBE"
hr_is "$(cat "$out.rc")" 0 "ctr task exec --user 0 exits 0"
eng_hardened "$out.stdout" "ctr task exec --user 0 (in a --privileged container)"
eng_observed containerd "ctr task exec --user 0" "$out.stdout"
hr_is "$(jq -r 'select(.container == "sleeper" and .subcommand == "exec" and .rule == "capabilities"
                and (.before | index("CAP_SYS_ADMIN"))) | .path' "$E_TMP/audit/enforce.log" | sort | tr '\n' ' ')" \
        "/capabilities/bounding /capabilities/effective /capabilities/permitted " \
        "ctr task exec: hardrun emptied the exec process's privileged capability sets"

eng_run "$E_TMP/out/ps" C task ps sleeper
hr_like "$(cat "$E_TMP/out/ps.stdout")" '^[0-9]+ ' "ctr task ps lists the task's processes (runc ps passes through)"
eng_run "$E_TMP/out/pause" C task pause sleeper
hr_is "$(cat "$E_TMP/out/pause.rc")/$(task_status sleeper)" 0/PAUSED "ctr task pause: PAUSED"
eng_run "$E_TMP/out/resume" C task resume sleeper
hr_is "$(cat "$E_TMP/out/resume.rc")/$(task_status sleeper)" 0/RUNNING "ctr task resume: RUNNING"
eng_run "$E_TMP/out/kill" C task kill -s KILL sleeper
hr_is "$(cat "$E_TMP/out/kill.rc")" 0 "ctr task kill exits 0"
eng_wait 30 task_is sleeper STOPPED
hr_is "$(task_status sleeper)" STOPPED "ctr task kill: STOPPED"
eng_run "$E_TMP/out/delete" C task delete sleeper
hr_is "$(cat "$E_TMP/out/delete.rc")" 0 "ctr task delete exits 0 (runc delete through hardrun)"
eng_run "$E_TMP/out/cdelete" C containers delete sleeper
hr_is "$(C task ls -q; C containers ls -q | grep -x sleeper)" "" "ctr: no task and no container left"

# ---------------------------------------------------------------- deny

out="$E_TMP/out/deny"
hr_ctx "$out.stdout" "$out.stderr"
ctr_run deny --runc-binary "$E_TMP/rt/deny/hardrun" "$IMG" denied true
hr_is "$(cat "$out.rc")" 1 "ctr run --runc-binary <deny> fails with 1"
hr_like "$(cat "$out.stderr")" \
        "^ctr: .*OCI runtime create failed: hardrun: $E_TMP/containerd/state/io.containerd.runtime.v2.task/$NS/denied/config.json: '/process/user/uid': 0 is not allowed by rule 'user' \\(policy needs 65534\\); refusing the container" \
        "ctr run deny: hardrun's refusal (file, JSON path, rule) is in ctr's error"
hr_diag "observed containerd deny: $(head -n 1 "$out.stderr")"
hr_is "$(C task ls -q)" "" "ctr run deny: no task"
hr_is "$(hr_audit_rules "$E_TMP/audit/deny.log" denied)" "capabilities masked_paths resources rootfs seccomp user" \
        "ctr deny: 'denied' records for user, capabilities, seccomp, rootfs, masked paths and pids limit"

hr_done
