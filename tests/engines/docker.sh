#!/bin/bash
# Docker end to end: a private containerd + dockerd (state in a temp dir, in the sandbox mount
# namespace of lib.sh) with contrib/docker/daemon.json (hardrun registered and made the default
# runtime, path pointed at a hardrun-test wrapper) plus `--add-runtime hardrun-deny=...` (a deny
# policy), and hardrun-test installed as /usr/local/sbin/runc inside the sandbox, as the README
# tells admins to do to close Docker's stock `runc` runtime.
#
# Cases: the hardened container and its hostile variants (--privileged, --cap-add ALL, -u 0,
# seccomp=unconfined, -v /:/host, the Docker socket, --pid host), deny's message in `docker
# run`'s error, `docker exec -u 0 --privileged`, docker info, and the lifecycle commands that
# pass straight through (logs, stop, rm, restart policy, tty, pause, update, top, stats).
# Everything runs under the restricted preset (tests/engines/lib.sh eng_policy).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

D=/usr/bin/docker # Debian's client; another docker client may come first in PATH
eng_setup "$D" dockerd containerd ctr script

IMG=hrtest/busybox:latest
mkdir -p "$E_TMP/policy" "$E_TMP/audit"
eng_policy "$E_TMP/policy/deny.json" deny "$E_TMP/audit/deny.log"
eng_wrapper "$E_TMP/rt/deny/hardrun" "$E_TMP/policy/deny.json"
eng_docker_start --add-runtime "hardrun-deny=$E_TMP/rt/deny/hardrun"

eng_run "$E_TMP/out/import" "$D" import -c "ENV PATH=/bin" "$E_TMP/rootfs.tar" "$IMG"
hr_is "$(cat "$E_TMP/out/import.rc")" 0 "docker import of the busybox rootfs (ENV PATH=/bin) succeeds" ||
        hr_bail "no image: $(cat "$E_TMP/out/import.stderr")"

RUN=(run --network none)

# drun NAME ARGS...: `docker run --rm` into $E_TMP/out/NAME.*
drun() {
        local name=$1
        shift
        eng_run "$E_TMP/out/$name" "$D" "${RUN[@]}" --rm "$@"
}

# ---------------------------------------------------------------- docker info

info="$E_TMP/out/info"
eng_run "$info" "$D" info --format '{{json .}}'
hr_ctx "$info.stdout" "$info.stderr" "$E_TMP/dockerd.log"
hr_is "$(jq -r '.Runtimes | keys | map(select(. == "hardrun" or . == "hardrun-deny" or . == "runc")) | join(" ")' "$info.stdout")" \
        "hardrun hardrun-deny runc" "docker info lists the runtimes hardrun, hardrun-deny and the stock runc"
hr_is "$(jq -r '.Runtimes.hardrun.path' "$info.stdout")" "$E_TMP/rt/enforce/hardrun" \
        "docker info: runtime hardrun has the path from daemon.json"
hr_is "$(jq -r .DefaultRuntime "$info.stdout")" hardrun "docker info: Default Runtime is hardrun (daemon.json default-runtime)"
runc_commit=$(runc --version | awk '/^commit:/ {print $2}')
hr_is "$(jq -r .RuncCommit.ID "$info.stdout")" "$runc_commit" \
        "docker info reports the real runc's version through hardrun --version ($runc_commit)"
"$E_TMP/rt/enforce/hardrun" --version >"$E_TMP/out/version" 2>&1
hr_is "$(cat "$E_TMP/out/version")" "$(runc --version 2>&1)" "hardrun --version prints runc's own --version"
hr_diag "observed docker info: DefaultRuntime=$(jq -r .DefaultRuntime "$info.stdout")" \
        "runc version=$(jq -r .RuncCommit.ID "$info.stdout")" \
        "Runtimes=$(jq -r '.Runtimes | keys | join(",")' "$info.stdout")"

# ---------------------------------------------------------------- the hardened container

out="$E_TMP/out/hardened"
hr_ctx "$out.stdout" "$out.stderr"
drun hardened --runtime hardrun "$IMG" sh -c "$ENG_PROBE"
hr_is "$(cat "$out.rc")" 0 "docker run --runtime hardrun exits 0"
hr_expect_hardened "$out.stdout" "docker run --runtime hardrun"
eng_observed docker "run --runtime hardrun" "$out.stdout"
hr_is "$(jq -r 'select(.subcommand == "create" and .action == "changed") | .rule' "$E_TMP/audit/enforce.log" | sort -u | tr '\n' ' ')" \
        "capabilities masked_paths mount_options no_new_privileges resources rootfs seccomp user " \
        "docker run: 'changed' records of create for every rule with something to change (Docker 20.10 lacks two masked paths; its hosts-file binds lack nosuid,nodev; no pids limit)"
hr_like "$(jq -r .bundle "$E_TMP/audit/enforce.log" | head -n 1)" \
        "^$E_TMP/containerd/state/io.containerd.runtime.v2.task/moby/[0-9a-f]{64}\$" \
        "docker run: the audit record names the bundle in containerd's moby namespace"

out="$E_TMP/out/default"
hr_ctx "$out.stdout" "$out.stderr"
drun default "$IMG" sh -c "$ENG_PROBE"
hr_is "$(hr_val "$out.stdout" uid)/$(hr_val "$out.stdout" CapEff)" 65534/0000000000000000 \
        "docker run without --runtime uses hardrun (default-runtime): uid 65534, CapEff 0"

# The stock runc runtime is always there; hardrun installed as /usr/local/sbin/runc covers it.
out="$E_TMP/out/stock-runc"
hr_ctx "$out.stdout" "$out.stderr"
drun stock-runc --runtime runc -u 0 --cap-add ALL "$IMG" sh -c "$ENG_PROBE"
hr_is "$(cat "$out.rc")" 0 "docker run --runtime runc -u 0 --cap-add ALL exits 0 (hardrun installed as runc)"
eng_hardened "$out.stdout" "docker run --runtime runc (hardrun as /usr/local/sbin/runc)"
eng_observed docker "run --runtime runc, hardrun as /usr/local/sbin/runc" "$out.stdout"
hr_ok "$([ "$(hr_audit_count "$E_TMP/audit/as-runc.log" '.subcommand == "create"')" -gt 0 ]; echo $?)" \
        "docker run --runtime runc: hardrun (as runc) wrote create records to its audit log"

# --init: Docker's init (tini) is pid 1, bind-mounted into the read-only root.
out="$E_TMP/out/init"
hr_ctx "$out.stdout" "$out.stderr"
drun init --runtime hardrun --init "$IMG" sh -c "$ENG_PROBE"
hr_is "$(cat "$out.rc")/$(hr_val "$out.stdout" uid)/$(hr_val "$out.stdout" pid1)" 0/65534/docker-init \
        "docker run --init: exits 0, uid 65534, pid 1 is docker-init"

# Default /dev of a hardened container, to compare --privileged with.
out="$E_TMP/out/devcount"
drun devcount --runtime hardrun "$IMG" sh -c 'ls /dev | wc -l'
dev_default=$(tr -d ' ' <"$out.stdout")

# ---------------------------------------------------------------- hostile variants

variant() {
        local name=$1 what=$2 extra=$3
        shift 3
        local out="$E_TMP/out/$name"
        hr_ctx "$out.stdout" "$out.stderr"
        drun "$name" --runtime hardrun "$@" "$IMG" sh -c "$ENG_PROBE_BODY
$extra
exit 0"
        hr_is "$(cat "$out.rc")" 0 "docker run $what exits 0 (hardened, not refused)"
        eng_hardened "$out.stdout" "docker run $what"
        eng_observed docker "run $what" "$out.stdout"
}

# Refused outright: hardrun's one-line reason reaches docker run's error output.
refused_variant() {
        local name=$1 what=$2 pattern=$3
        shift 3
        local out="$E_TMP/out/$name"
        hr_ctx "$out.stdout" "$out.stderr"
        drun "$name" --runtime hardrun "$@" "$IMG" sh -c 'echo ran'
        hr_is "$(cat "$out.rc")" 125 "docker run $what is refused (exit 125)"
        hr_like "$(cat "$out.stderr")" "$pattern" "docker run $what: docker shows hardrun's reason"
        hr_is "$(cat "$out.stdout")" "" "docker run $what: the container never ran"
}

variant privileged "--privileged" 'echo "devcount=$(ls /dev | wc -l)"' --privileged
hr_is "$(hr_val "$E_TMP/out/privileged.stdout" devcount)" "$dev_default" \
        "docker run --privileged: no host devices in /dev (as many entries as a default container)"

variant cap-add-all "--cap-add ALL" '' --cap-add ALL
variant user-root "-u 0" '' -u 0
variant seccomp-unconfined "--security-opt seccomp=unconfined" '' --security-opt seccomp=unconfined

refused_variant host-root "-v /:/host" \
        "hardrun: .*config.json: '/mounts/[0-9]+/source': \"/\" is not allowed by rule 'mounts'" -v /:/host
refused_variant host-etc "-v /etc:/x:ro" "is not allowed by rule 'mounts'" -v /etc:/x:ro

# This daemon's socket lives in the test's temp dir, at a path no list names: it is refused for
# what it is, a UNIX socket. The default deny list names the engines' standard sockets and
# state directories (here, in the test's own mount namespace).
refused_variant docker-sock "-v <docker socket>:/sock" \
        "'/mounts/[0-9]+/source': .* is not allowed by rule 'mounts' \\(policy needs \"no bind mount of the UNIX socket" \
        -v "$SOCK:/sock"
refused_variant std-docker-sock "-v /run/docker.sock:/sock" \
        "'/mounts/[0-9]+/source': \"/run/docker.sock\" is not allowed by rule 'mounts'" \
        -v /run/docker.sock:/sock
refused_variant var-run "-v /var/run:/x (a parent of the sockets)" \
        "contains a denied host path" -v /var/run:/x

variant pid-host "--pid host" '
' --pid host
hr_is "$(hr_val "$E_TMP/out/pid-host.stdout" pid1)" sh \
        "docker run --pid host: a pid namespace of its own (pid 1 is the container's sh)"

# ---------------------------------------------------------------- deny

out="$E_TMP/out/deny"
hr_ctx "$out.stdout" "$out.stderr"
drun deny --runtime hardrun-deny --name hrdeny "$IMG" true
hr_is "$(cat "$out.rc")" 125 "docker run --runtime hardrun-deny fails with 125"
hr_like "$(cat "$out.stderr")" \
        "hardrun: $E_TMP/containerd/state/io.containerd.runtime.v2.task/moby/[0-9a-f]{64}/config.json: '/process/user/uid': 0 is not allowed by rule 'user' \\(policy needs 65534\\); refusing the container" \
        "docker run --runtime hardrun-deny: hardrun's refusal (file, JSON path, rule) is in docker's error"
hr_diag "observed docker deny: $(head -n 1 "$out.stderr")"
hr_is "$("$D" ps -q --filter name=hrdeny --filter status=running)" "" "docker deny: no running container"
hr_is "$(hr_audit_rules "$E_TMP/audit/deny.log" denied)" \
        "capabilities masked_paths mount_options no_new_privileges resources rootfs seccomp user" \
        "docker deny: 'denied' audit records for every rule with something to change"

# ---------------------------------------------------------------- exec

eng_run "$E_TMP/out/ex-start" "$D" "${RUN[@]}" -d --runtime hardrun --name hrexec "$IMG" sleep 600
hr_is "$(cat "$E_TMP/out/ex-start.rc")" 0 "docker run -d (sleep) for exec exits 0"
cid=$(cat "$E_TMP/out/ex-start.stdout")
out="$E_TMP/out/exec"
hr_ctx "$out.stdout" "$out.stderr"
eng_run "$out" "$D" exec -u 0 --privileged hrexec sh -c "$ENG_PROBE"
hr_is "$(cat "$out.rc")" 0 "docker exec -u 0 --privileged exits 0"
eng_hardened "$out.stdout" "docker exec -u 0 --privileged"
eng_observed docker "exec -u 0 --privileged" "$out.stdout"
sel=".container == \"$cid\" and .subcommand == \"exec\" and .action == \"changed\""
hr_is "$(jq -r "select($sel and .rule == \"user\") | .path" "$E_TMP/audit/enforce.log" | sort | tr '\n' ' ')" \
        "/user/additionalGids /user/gid /user/uid " \
        "docker exec -u 0: hardrun rewrote the exec process's uid, gid and additionalGids"
hr_is "$(jq -r "select($sel and .rule == \"capabilities\" and (.before | index(\"CAP_SYS_ADMIN\"))) | .path" \
        "$E_TMP/audit/enforce.log" | sort | tr '\n' ' ')" \
        "/capabilities/bounding /capabilities/effective /capabilities/permitted " \
        "docker exec --privileged: hardrun emptied the exec process's sets that held CAP_SYS_ADMIN"
out="$E_TMP/out/exec-tty"
eng_run "$out" "$D" exec -t hrexec tty
hr_like "$(tr -d '\r' <"$out.stdout")" '^/dev/pts/[0-9]+$' "docker exec -t: the process has a tty"

# ---------------------------------------------------------------- pass-through lifecycle

out="$E_TMP/out/lc"
hr_ctx "$out.stdout" "$out.stderr" "$E_TMP/dockerd.log"
eng_run "$out" "$D" "${RUN[@]}" -d --runtime hardrun --name hrlc "$IMG" \
        sh -c 'echo hello-from-hardrun; trap "exit 0" TERM; while :; do sleep 1; done'
hr_is "$(cat "$out.rc")" 0 "docker run -d (lifecycle container) exits 0"
logged() {
        "$D" logs hrlc 2>&1 | grep -q hello-from-hardrun
}
eng_wait 30 logged
hr_is "$("$D" logs hrlc 2>&1)" hello-from-hardrun "docker logs shows the container's output"

eng_run "$E_TMP/out/top" "$D" top hrlc
hr_like "$(cat "$E_TMP/out/top.stdout")" '^nobody +[0-9]+ .* (sh|sleep)' "docker top lists the container's processes, run by nobody"

eng_run "$E_TMP/out/pause" "$D" pause hrlc
hr_is "$(cat "$E_TMP/out/pause.rc")/$("$D" inspect -f '{{.State.Status}}' hrlc)" 0/paused "docker pause: status paused"
eng_run "$E_TMP/out/unpause" "$D" unpause hrlc
hr_is "$(cat "$E_TMP/out/unpause.rc")/$("$D" inspect -f '{{.State.Status}}' hrlc)" 0/running "docker unpause: status running"

eng_run "$E_TMP/out/update" "$D" update --memory 64m --memory-swap 128m hrlc
hr_is "$(cat "$E_TMP/out/update.rc")" 0 "docker update --memory 64m exits 0"
hr_is "$("$D" inspect -f '{{.HostConfig.Memory}}' hrlc)" 67108864 "docker update: HostConfig.Memory is 64 MiB"
limit=$("$D" exec hrlc sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max' 2>&1)
hr_is "$limit" 67108864 "docker update: the container's cgroup memory limit is 67108864"

eng_run "$E_TMP/out/stats" "$D" stats --no-stream --format '{{.Name}} {{.MemUsage}}' hrlc
hr_like "$(cat "$E_TMP/out/stats.stdout")" '^hrlc .* / 64MiB$' "docker stats --no-stream shows the container and its 64MiB limit"

eng_run "$E_TMP/out/stop" "$D" stop -t 20 hrlc
hr_is "$(cat "$E_TMP/out/stop.rc")" 0 "docker stop exits 0"
hr_is "$("$D" inspect -f '{{.State.Status}} {{.State.ExitCode}}' hrlc)" "exited 0" \
        "docker stop: the container exited 0 on SIGTERM"
eng_run "$E_TMP/out/rm" "$D" rm hrlc
hr_is "$(cat "$E_TMP/out/rm.rc")" 0 "docker rm exits 0"
hr_is "$("$D" ps -aq --filter name=hrlc)" "" "docker rm: the container is gone"

# Restart policy: a failing command is restarted twice, each start hardened.
eng_run "$E_TMP/out/restart" "$D" "${RUN[@]}" -d --runtime hardrun --name hrrestart \
        --restart on-failure:2 "$IMG" sh -c 'echo "start uid=$(id -u)"; exit 3'
hr_is "$(cat "$E_TMP/out/restart.rc")" 0 "docker run --restart on-failure:2 exits 0"
restarted() {
        [ "$("$D" inspect -f '{{.RestartCount}} {{.State.Status}}' hrrestart)" = "2 exited" ]
}
eng_wait 60 restarted
hr_is "$("$D" inspect -f '{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}' hrrestart)" "2 exited 3" \
        "docker --restart on-failure:2: restarted twice, then exited 3"
hr_is "$("$D" logs hrrestart 2>&1 | tr '\n' ' ')" "start uid=65534 start uid=65534 start uid=65534 " \
        "docker --restart: three hardened starts in the logs"

# TTYs through the console socket.
out="$E_TMP/out/tty"
hr_ctx "$out.stdout" "$out.stderr"
drun tty -t --runtime hardrun "$IMG" sh -c 'tty; id -u'
hr_is "$(tr -d '\r' <"$out.stdout" | tr '\n' ' ')" "/dev/pts/0 65534 " "docker run -t: /dev/pts/0, uid 65534"
out="$E_TMP/out/tty-it"
hr_ctx "$out.stdout" "$out.stderr"
eng_run "$out" script -qec "$D run --network none --rm -it --runtime hardrun $IMG sh -c 'tty; id -u'" /dev/null
hr_is "$(cat "$out.rc")" 0 "script -qc 'docker run -it' exits 0"
hr_like "$(tr -d '\r' <"$out.stdout")" '/dev/pts/0' "docker run -it: the container has a tty"
hr_like "$(tr -d '\r' <"$out.stdout")" '(^|[^0-9])65534$' "docker run -it: uid 65534"

hr_done
