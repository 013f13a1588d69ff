#!/bin/bash
# The real-image suite under containerd: a private containerd (tests/engines/lib.sh sandbox)
# driven with `ctr run --runc-binary`: plain runc, crun, or the hardrun-test wrapper of a column
# (the shim's BinaryName, as the CRI handler of contrib/containerd/config.toml sets it).
# ctr has no named volumes and no --user: a volume is a host directory filled as Docker fills a
# new named volume (the image directory's content, owner and mode), and a run's -u is the USER
# of the workload's NAME-user image. ctr adds no low-port sysctl and no seccomp profile of its
# own. See lib.sh and README.md.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# restricted-userns: ctr has no named volumes; the suite's volume directories stand for them.
C_IDMAP_SOURCES=(vol/)
compat_setup containerd containerd ctr containerd-shim-runc-v2
C_LAYERS="$E_TMP/containerd/root/io.containerd.snapshotter.v1.overlayfs/snapshots" C_LAYER_FILES=fs

NS=$E_TAG # ctr's namespace: also the cgroup parent (/<namespace>/<id>)
SOCK="$E_TMP/containerd/sock"
C() {
        timeout -k 5 "$ENG_TIMEOUT" nsenter -t "$E_NS" -m -- ctr -a "$SOCK" -n "$NS" "$@"
}

ctr_cleanup() {
        local t
        for t in $(C task ls -q 2>/dev/null); do
                C task kill -s KILL "$t"
        done
        sleep 0.5
        for t in $(C task ls -q 2>/dev/null); do
                C task delete -f "$t"
        done
        for t in $(C containers ls -q 2>/dev/null); do
                C containers delete "$t"
        done
}
E_CLEANUP_HOOKS+=(ctr_cleanup)

eng_sandbox
eng_sandbox_hugetlb
eng_containerd containerd PATH="$E_SYS_PATH" || hr_bail "containerd did not start"
mkdir -p "$E_TMP/fifo" "$E_TMP/vol" "$E_TMP/ctrlog"
eng_run "$E_TMP/import" C images import "$E_TMP/images.tar" ||
        hr_bail "ctr images import failed: $(cat "$E_TMP/import.stderr")"

# ctr_args NAME COL WL: `ctr run` options, image and id of a cell into C_ARGS.
ctr_args() {
        local name=$1 col=$2 wl=$3 v j=0 img
        C_ARGS=(--runc-binary "$(compat_runtime "$col")")
        [ "$(wl_get "$wl" '.run.read_only // false')" = false ] || C_ARGS+=(--read-only)
        # Docker's --tmpfs options.
        while read -r v; do
                [ -z "$v" ] || C_ARGS+=(--mount "type=tmpfs,src=tmpfs,dst=$v,options=nosuid:nodev:noexec")
        done < <(wl_get "$wl" '.run.tmpfs // [] | .[]')
        while read -r v; do
                [ -n "$v" ] || continue
                ctr_volume "$E_TMP/vol/$name-v$j" "$v" || return 1
                C_ARGS+=(--mount "type=bind,src=$E_TMP/vol/$name-v$((j++)),dst=$v,options=rbind:rw")
        done < <(wl_get "$wl" '.run.volumes // [] | .[]')
        while read -r v; do
                [ -z "$v" ] || C_ARGS+=(--env "$v")
        done < <(wl_get "$wl" '.run.env // [] | .[]')
        img="$(wl_get "$wl" .name)"
        [ -z "$(wl_get "$wl" '.run.user // empty')" ] || img+=-user
        C_ARGS+=("docker.io/hrcompat/$img:latest" "$name")
}

# ctr_volume DIR PATH: a new volume as Docker makes one: the image's PATH copied, its owner and
# mode kept (every volume path is a directory of the suite's own layer).
ctr_volume() {
        rm -rf "$1"
        [ -d "$E_TMP/layer$2" ] || return 1
        cp -a "$E_TMP/layer$2" "$1"
}

drv_start() {
        ctr_args "$1" "$2" "$3" || return 1
        eng_run "$4" C run -d --fifo-dir "$E_TMP/fifo" --log-uri "file://$E_TMP/ctrlog/$1" "${C_ARGS[@]}"
}

drv_job() {
        ctr_args "$1" "$2" "$3" || return 1
        eng_run "$4" C run --rm --fifo-dir "$E_TMP/fifo" "${C_ARGS[@]}"
}

# ctr's container id is the name.
drv_id() {
        echo "$1"
}

drv_pid() {
        C task ls 2>/dev/null | awk -v id="$1" '$1 == id && $3 == "RUNNING" {print $2}'
}

# The shim copies the output into the log file on its own; once the task is deleted it has
# copied everything.
drv_logs() {
        local size=-1 now
        # The shim copies a process's output to the file after the process has gone, and stops
        # when the task is deleted: wait until the file stops growing first (5 s at most).
        for _ in $(seq 20); do
                now=$(stat -c %s "$E_TMP/ctrlog/$1" 2>/dev/null || echo 0)
                [ "$now" = "$size" ] && break
                size=$now
                sleep 0.25
        done
        ctr_stop "$1"
        cat "$E_TMP/ctrlog/$1" 2>/dev/null
}

ctr_stop() {
        C task kill -s KILL "$1" 2>/dev/null
        for _ in $(seq 50); do
                C task ls 2>/dev/null | awk -v id="$1" '$1 == id && $3 == "RUNNING" {f = 1} END {exit !f}' || break
                sleep 0.1
        done
        C task delete -f "$1" 2>/dev/null
}

drv_rm() {
        ctr_stop "$1"
        C containers delete "$1"
        rm -rf "$E_TMP/vol/$1"-v*
}

compat_main
hr_done
