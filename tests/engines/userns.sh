#!/bin/bash
# restricted-userns under every engine: Docker (overlay2), containerd's ctr (overlayfs snapshots)
# and podman (overlay storage), each over runc and crun, in the sandbox of lib.sh (its own /run,
# so /run/hardrun/userns is the test's). The preset as it ships, with idmap_sources pointed at
# the engines' private data roots.
#
# Three official-style workloads on the busybox image:
#   db   root entrypoint chowns its volume to nobody, steps down (su) and writes its data
#   web  busybox httpd binds :80 as root and drops to 999 (-u), answers a request
#   job  root writes into its volume and exits
# and from the host: every process of each container has host uid and gid in one range of the
# pool (not 0, not outside), each container a range of its own, files keep their owners (no
# shifted id on disk, the image's layers untouched), exec as root stays root inside, and after
# the engine removes the containers no ID-mapped mount is left and the state is collected.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

D=/usr/bin/docker
eng_setup "$D" dockerd containerd ctr containerd-shim-runc-v2 podman conmon crun

POOL=100000
mkdir -p "$E_TMP/policy" "$E_TMP/audit" "$E_TMP/out" "$E_TMP/vol" "$E_TMP/fifo"
for rt in runc crun; do
        jq --arg rt "$rt" --arg a "$E_TMP/audit/$rt.log" --arg t "$E_TMP" '.runtime = {path: $rt}
                | .audit.file = $a | .audit.on_error = "fail"
                | .rules.user_namespace.idmap_sources = [
                        ($t + "/docker/containers/*/hosts"), ($t + "/docker/containers/*/hostname"),
                        ($t + "/docker/containers/*/resolv.conf"), ($t + "/docker/containers/*/mounts/"),
                        ($t + "/docker/volumes/*/_data/"), ($t + "/vol/"),
                        ($t + "/podman/root/volumes/*/_data/"),
                        ($t + "/podman/runroot/overlay-containers/*/userdata/"),
                        ($t + "/podman/root/overlay-containers/*/userdata/")]' \
                "$HARDRUN_SRCDIR/profiles/policy/restricted-userns.json" >"$E_TMP/policy/$rt.json" ||
                hr_bail "cannot write the $rt policy"
        chmod 0644 "$E_TMP/policy/$rt.json"
        # Named hardrun: podman passes --log only to runtimes it knows by name.
        eng_wrapper "$E_TMP/rt/$rt/hardrun" "$E_TMP/policy/$rt.json"
done

# The workloads' commands (busybox sh).
DB='chown 65534:65534 /data && exec su -s /bin/sh nobody -c "echo row >/data/db && id -u >/data/dbuid && exec sleep 300"'
WEB='mkdir -p /tmp/www && echo hello >/tmp/www/index.html && exec httpd -f -p 80 -u 999:999 -h /tmp/www'
JOB='echo done >/data/job && chown 4321 /data/job && id -u && grep CapEff /proc/self/status && cat /proc/self/uid_map'

eng_sandbox
eng_sandbox_hugetlb
eng_image_archive "$E_TMP/image.tar" hrtest/busybox:latest || hr_bail "cannot build the image archive"

# ---------------------------------------------------------------- host-side checks

# pids_of PID: every process in the pid namespace of PID.
pids_of() {
        local ns p
        ns=$(readlink "/proc/$1/ns/pid") || return 0
        for p in /proc/[0-9]*; do
                [ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ns" ] && echo "${p#/proc/}"
        done
}

# range_of PID: the first host uid of the container's user namespace ("0 HOST SIZE").
range_of() {
        awk '$1 == 0 {print $2; exit}' "/proc/$1/uid_map" 2>/dev/null
}

# check_ids WHAT PID: every process of the container: uid and gid (real, effective, saved, fs)
# inside one range of the pool, never 0; prints the range.
check_ids() {
        local what=$1 pid=$2 lo bad= p
        lo=$(range_of "$pid")
        for p in $(pids_of "$pid"); do
                awk -v lo="$lo" '/^(Uid|Gid):/ { for (i = 2; i <= 5; i++) if ($i < lo || $i >= lo + 65536 || $i == 0) bad = 1 }
                        END { exit bad }' "/proc/$p/status" 2>/dev/null || bad+=" $p"
        done
        hr_ok "$([ -n "$lo" ] && [ "$lo" -ge "$POOL" ] && [ -z "$bad" ] && echo 0 || echo 1)" \
                "$what: from the host, every process has uid and gid in $lo+65536 (pid $pid)"
        RANGE=$lo
}

# no_mounts WHAT: nothing of hardrun's is mounted in the sandbox any more.
state_mounts() {
        eng_in grep ' /run/hardrun/userns/' /proc/self/mountinfo | cut -d' ' -f1,5 | sort
}

# no_mounts WHAT: nothing of hardrun's is mounted in the sandbox any more (the host's own,
# copied in when the sandbox was made and hidden by its /run, are not the test's).
no_mounts() {
        hr_is "$(comm -13 <(printf '%s\n' "$HOST_MOUNTS") <(state_mounts))" "" "$1: no ID-mapped mount left"
}

# collected WHAT RUNTIME: a delete of nothing collects the state of every removed container.
collected() {
        eng_in env HARDRUN_POLICY="$E_TMP/policy/$2.json" "$HARDRUN_TEST" --root "$E_TMP/gc" \
                delete none >/dev/null 2>&1
        hr_is "$(eng_in sh -c 'ls -A /run/hardrun/userns | grep -c "^c-"')" 0 \
                "$1: their state is collected by the next delete"
}

# shifted DIR...: files with a host id of the pool (a chown that went to the host unmapped).
shifted() {
        find "$@" \( -uid +$((POOL - 1)) -o -gid +$((POOL - 1)) \) ! -uid 4294967294 -print 2>/dev/null | head -n 3
}

# web_answers PID: busybox wget from inside the container's network namespace.
web_answers() {
        local i
        for i in $(seq 50); do
                nsenter -t "$1" -n /bin/busybox wget -q -O - http://127.0.0.1/ 2>/dev/null | grep -q hello && return 0
                sleep 0.2
        done
        return 1
}

wait_file() {
        local i
        for i in $(seq 100); do
                [ -s "$1" ] && return 0
                sleep 0.1
        done
        return 1
}

HOST_MOUNTS=$(state_mounts)

# ---------------------------------------------------------------- Docker

SOCK="$E_TMP/docker.sock"
export DOCKER_HOST="unix://$SOCK" DOCKER_CONFIG="$E_TMP/docker-cli"
docker_cleanup() {
        local ids
        ids=$(timeout 30 "$D" ps -aq 2>/dev/null)
        # shellcheck disable=SC2086
        [ -z "$ids" ] || timeout 120 "$D" rm -f -v $ids >/dev/null 2>&1
}
E_CLEANUP_HOOKS+=(docker_cleanup)
eng_containerd containerd PATH="$E_SYS_PATH" || hr_bail "containerd did not start"
eng_daemon dockerd "$SOCK" env PATH="$E_SYS_PATH" dockerd \
        --add-runtime "hr-runc=$E_TMP/rt/runc/hardrun" --add-runtime "hr-crun=$E_TMP/rt/crun/hardrun" \
        --iptables=false --ip-forward=false --ip-masq=false --bridge=none \
        --data-root "$E_TMP/docker" --exec-root "$E_TMP/dx" --pidfile "$E_TMP/dockerd.pid" \
        -H "unix://$SOCK" --containerd "$E_TMP/containerd/sock" --cgroup-parent "/$E_TAG" ||
        hr_bail "dockerd did not start"
eng_wait 60 "$D" version || hr_bail "dockerd does not answer on $SOCK"
eng_run "$E_TMP/out/dimport" "$D" import -c "ENV PATH=/bin" "$E_TMP/rootfs.tar" hrtest/busybox ||
        hr_bail "docker import: $(cat "$E_TMP/out/dimport.stderr")"
IMG_LAYER=$("$D" image inspect -f '{{.GraphDriver.Data.UpperDir}}' hrtest/busybox)
layer_before=$(find "$IMG_LAYER" -printf '%U:%G %m %p\n' | sort)

docker_case() {
        local rt=$1 out="$E_TMP/out/docker-$1" db web pid r1 r2
        hr_ctx "$out-db.stderr" "$out-web.stderr" "$E_TMP/dockerd.log"
        eng_run "$out-db" "$D" run -d --name "db-$rt" --runtime "hr-$rt" --network none -v "db-$rt:/data" \
                hrtest/busybox sh -c "$DB"
        hr_is "$(cat "$out-db.rc")" 0 "docker $rt db: starts (root entrypoint, chown, step down)"
        eng_run "$out-web" "$D" run -d --name "web-$rt" --runtime "hr-$rt" --network none hrtest/busybox sh -c "$WEB"
        hr_is "$(cat "$out-web.rc")" 0 "docker $rt web: starts (httpd binds :80 as root, drops to 999)"
        wait_file "$E_TMP/docker/volumes/db-$rt/_data/dbuid"
        hr_is "$(cat "$E_TMP/docker/volumes/db-$rt/_data/dbuid" 2>/dev/null)" 65534 "docker $rt db: stepped down to nobody inside"
        hr_is "$(stat -c %u:%g "$E_TMP/docker/volumes/db-$rt/_data" "$E_TMP/docker/volumes/db-$rt/_data/db" 2>/dev/null | tr '\n' ' ')" \
                "65534:65534 65534:65534 " "docker $rt db: the volume and its data are 65534 on disk, as with runc"
        pid=$("$D" inspect -f '{{.State.Pid}}' "db-$rt")
        check_ids "docker $rt db" "$pid"
        r1=$RANGE
        pid=$("$D" inspect -f '{{.State.Pid}}' "web-$rt")
        check_ids "docker $rt web" "$pid"
        r2=$RANGE
        hr_ok "$([ "$r1" != "$r2" ] && echo 0 || echo 1)" "docker $rt: two containers, two ranges ($r1, $r2)"
        hr_check "docker $rt web: answers on :80" web_answers "$pid"
        eng_run "$out-exec" "$D" exec "db-$rt" sh -c 'id -u; grep CapEff /proc/self/status'
        hr_is "$(head -n 1 "$out-exec.stdout")" 0 "docker $rt: docker exec runs as root inside"
        eng_run "$out-job" "$D" run --rm --runtime "hr-$rt" --network none -v "job-$rt:/data" hrtest/busybox sh -c "$JOB"
        hr_is "$(head -n 1 "$out-job.stdout")" 0 "docker $rt job: root inside"
        hr_is "$(hr_val "$out-job.stdout" CapEff)" 00000000a80425fb "docker $rt job: Docker's 14 capabilities, in its namespace"
        hr_is "$(stat -c %u "$E_TMP/docker/volumes/job-$rt/_data/job" 2>/dev/null)" 4321 \
                "docker $rt job: its file is owned by 4321 on disk, as it chowned it"
        eng_run "$out-rm" "$D" rm -f "db-$rt" "web-$rt"
        no_mounts "docker $rt: after docker rm -f"
        collected "docker $rt" "$rt"
        hr_is "$(shifted "$E_TMP/docker/volumes" "$E_TMP/docker/overlay2")" "" "docker $rt: no file on disk has a shifted host id"
}
docker_case runc
docker_case crun
hr_is "$(find "$IMG_LAYER" -printf '%U:%G %m %p\n' | sort)" "$layer_before" "docker: the image's layer keeps every owner and mode"
docker_cleanup
E_CLEANUP_HOOKS=()
for ((i = ${#E_PIDS[@]} - 1; i >= 0; i--)); do kill -TERM "${E_PIDS[$i]}" 2>/dev/null; done
sleep 2
E_PIDS=()

# ---------------------------------------------------------------- containerd (ctr)

NS=$E_TAG
CSOCK="$E_TMP/ctrd/sock"
C() {
        eng_in ctr -a "$CSOCK" -n "$NS" "$@"
}
ctr_cleanup() {
        local t
        for t in $(C task ls -q 2>/dev/null); do timeout 30 nsenter -t "$E_NS" -m -- ctr -a "$CSOCK" -n "$NS" task kill -s KILL "$t"; done
        sleep 0.5
        for t in $(C task ls -q 2>/dev/null); do timeout 30 nsenter -t "$E_NS" -m -- ctr -a "$CSOCK" -n "$NS" task delete -f "$t"; done
        for t in $(C containers ls -q 2>/dev/null); do timeout 30 nsenter -t "$E_NS" -m -- ctr -a "$CSOCK" -n "$NS" containers delete "$t"; done
}
E_CLEANUP_HOOKS+=(ctr_cleanup)
eng_containerd ctrd PATH="$E_SYS_PATH" || hr_bail "containerd (ctr) did not start"
eng_run "$E_TMP/out/cimport" C images import "$E_TMP/image.tar" || hr_bail "ctr import: $(cat "$E_TMP/out/cimport.stderr")"
IMG=docker.io/hrtest/busybox:latest

ctr_pid() {
        C task ls 2>/dev/null | awk -v id="$1" '$1 == id {print $2}'
}

ctr_case() {
        local rt=$1 out="$E_TMP/out/ctr-$1" pid r1 r2
        mkdir -p "$E_TMP/vol/db-$rt" "$E_TMP/vol/job-$rt"
        eng_run "$out-db" C run -d --fifo-dir "$E_TMP/fifo" --runc-binary "$E_TMP/rt/$rt/hardrun" \
                --mount "type=bind,src=$E_TMP/vol/db-$rt,dst=/data,options=rbind:rw" "$IMG" "db-$rt" sh -c "$DB"
        hr_is "$(cat "$out-db.rc")" 0 "ctr $rt db: starts"
        eng_run "$out-web" C run -d --fifo-dir "$E_TMP/fifo" --runc-binary "$E_TMP/rt/$rt/hardrun" \
                "$IMG" "web-$rt" sh -c "$WEB"
        hr_is "$(cat "$out-web.rc")" 0 "ctr $rt web: starts"
        wait_file "$E_TMP/vol/db-$rt/dbuid"
        hr_is "$(cat "$E_TMP/vol/db-$rt/dbuid" 2>/dev/null)" 65534 "ctr $rt db: stepped down to nobody inside"
        hr_is "$(stat -c %u:%g "$E_TMP/vol/db-$rt/db" 2>/dev/null)" 65534:65534 "ctr $rt db: its data is 65534 on disk"
        pid=$(ctr_pid "db-$rt")
        check_ids "ctr $rt db" "$pid"
        r1=$RANGE
        pid=$(ctr_pid "web-$rt")
        check_ids "ctr $rt web" "$pid"
        r2=$RANGE
        hr_ok "$([ "$r1" != "$r2" ] && echo 0 || echo 1)" "ctr $rt: two containers, two ranges ($r1, $r2)"
        hr_check "ctr $rt web: answers on :80" web_answers "$pid"
        eng_run "$out-exec" C task exec --fifo-dir "$E_TMP/fifo" --exec-id e1 "db-$rt" sh -c 'id -u'
        hr_is "$(head -n 1 "$out-exec.stdout")" 0 "ctr $rt: task exec runs as root inside"
        eng_run "$out-job" C run --rm --fifo-dir "$E_TMP/fifo" --runc-binary "$E_TMP/rt/$rt/hardrun" \
                --mount "type=bind,src=$E_TMP/vol/job-$rt,dst=/data,options=rbind:rw" "$IMG" "job-$rt" sh -c "$JOB"
        hr_is "$(head -n 1 "$out-job.stdout")" 0 "ctr $rt job: root inside"
        hr_is "$(stat -c %u "$E_TMP/vol/job-$rt/job" 2>/dev/null)" 4321 "ctr $rt job: its file is 4321 on disk"
        ctr_cleanup >/dev/null 2>&1
        no_mounts "ctr $rt: after task and container delete"
        collected "ctr $rt" "$rt"
        hr_is "$(shifted "$E_TMP/vol" "$E_TMP/ctrd/root")" "" "ctr $rt: no file on disk has a shifted host id"
}
ctr_case runc
ctr_case crun
ctr_cleanup >/dev/null 2>&1
E_CLEANUP_HOOKS=()

# ---------------------------------------------------------------- podman

PM_DIR="$E_TMP/podman"
mkdir -p "$PM_DIR"
cat >"$PM_DIR/containers.conf" <<EOF
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$PM_DIR/events.log"
tmp_dir = "$PM_DIR/tmp"
static_dir = "$PM_DIR/static"
runtime_supports_json = ["hardrun"]
[containers]
netns = "none"
[network]
network_config_dir = "$PM_DIR/net"
EOF
printf 'unqualified-search-registries = []\n' >"$PM_DIR/registries.conf"
P() {
        eng_in env -u XDG_RUNTIME_DIR -u CONTAINER_HOST -u DOCKER_HOST -u DOCKER_CONFIG CONTAINERS_CONF="$PM_DIR/containers.conf" \
                CONTAINERS_REGISTRIES_CONF="$PM_DIR/registries.conf" \
                podman --root "$PM_DIR/root" --runroot "$PM_DIR/runroot" --storage-driver overlay "$@"
}
podman_cleanup() {
        P rm -f -a -t 0 >/dev/null 2>&1
}
E_CLEANUP_HOOKS+=(podman_cleanup)
eng_run "$E_TMP/out/pload" P load -i "$E_TMP/image.tar" || hr_bail "podman load: $(cat "$E_TMP/out/pload.stderr")"
PRUN=(run --pull never --network none --cgroup-parent "/$E_TAG" --ulimit nofile=1024:1024
        --ulimit nproc=1024:1024)

podman_case() {
        local rt=$1 out="$E_TMP/out/podman-$1" pid r1 r2
        eng_run "$out-db" P --runtime "$E_TMP/rt/$rt/hardrun" "${PRUN[@]}" -d --name "db-$rt" -v "db-$rt:/data" \
                localhost/hrtest/busybox:latest sh -c "$DB"
        hr_is "$(cat "$out-db.rc")" 0 "podman $rt db: starts"
        eng_run "$out-web" P --runtime "$E_TMP/rt/$rt/hardrun" "${PRUN[@]}" -d --name "web-$rt" \
                localhost/hrtest/busybox:latest sh -c "$WEB"
        hr_is "$(cat "$out-web.rc")" 0 "podman $rt web: starts"
        wait_file "$PM_DIR/root/volumes/db-$rt/_data/dbuid"
        hr_is "$(cat "$PM_DIR/root/volumes/db-$rt/_data/dbuid" 2>/dev/null)" 65534 "podman $rt db: stepped down to nobody inside"
        hr_is "$(stat -c %u:%g "$PM_DIR/root/volumes/db-$rt/_data/db" 2>/dev/null)" 65534:65534 "podman $rt db: its data is 65534 on disk"
        pid=$(P inspect -f '{{.State.Pid}}' "db-$rt")
        check_ids "podman $rt db" "$pid"
        r1=$RANGE
        pid=$(P inspect -f '{{.State.Pid}}' "web-$rt")
        check_ids "podman $rt web" "$pid"
        r2=$RANGE
        hr_ok "$([ "$r1" != "$r2" ] && echo 0 || echo 1)" "podman $rt: two containers, two ranges ($r1, $r2)"
        hr_check "podman $rt web: answers on :80" web_answers "$pid"
        eng_run "$out-exec" P exec "db-$rt" sh -c 'id -u'
        hr_is "$(head -n 1 "$out-exec.stdout")" 0 "podman $rt: podman exec runs as root inside"
        eng_run "$out-job" P --runtime "$E_TMP/rt/$rt/hardrun" "${PRUN[@]}" --rm -v "job-$rt:/data" \
                localhost/hrtest/busybox:latest sh -c "$JOB"
        hr_is "$(head -n 1 "$out-job.stdout")" 0 "podman $rt job (--rm, a volatile overlayfs): root inside"
        hr_is "$(stat -c %u "$PM_DIR/root/volumes/job-$rt/_data/job" 2>/dev/null)" 4321 "podman $rt job: its file is 4321 on disk"
        eng_run "$out-rm" P rm -f -t 0 "db-$rt" "web-$rt"
        no_mounts "podman $rt: after podman rm -f"
        collected "podman $rt" "$rt"
        hr_is "$(shifted "$PM_DIR/root/volumes" "$PM_DIR/root/overlay")" "" "podman $rt: no file on disk has a shifted host id"
}
podman_case runc
podman_case crun
hr_done
