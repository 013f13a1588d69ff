#!/bin/bash
# The real-image suite under Docker: a private containerd + dockerd (tests/engines/lib.sh
# sandbox) with one runtime per column: Docker's own runc, crun, and hardrun-test over runc and
# crun with the baseline and restricted presets (`--add-runtime hr-PRESET-RUNTIME=<wrapper>`).
# Each workload of workloads.json runs as `docker run --network none` with its named volumes
# (-v NAME:/path, copied up from the image by Docker), --tmpfs, --read-only and -u; servers are
# judged by requests from inside the container's network namespace. See lib.sh and README.md.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

D=/usr/bin/docker # Debian's client; another docker client may come first in PATH
# restricted-userns: Docker's per-container files and named volumes under its data root.
C_IDMAP_SOURCES=('docker/containers/*/hosts' 'docker/containers/*/hostname' 'docker/containers/*/resolv.conf'
        'docker/containers/*/mounts/' 'docker/volumes/*/_data/')
compat_setup docker "$D" dockerd containerd ctr
C_LAYERS="$E_TMP/docker/overlay2" C_LAYER_FILES=diff

SOCK="$E_TMP/docker.sock"
export DOCKER_HOST="unix://$SOCK" DOCKER_CONFIG="$E_TMP/docker-cli"

docker_cleanup() {
        local ids
        ids=$(timeout 30 "$D" ps -aq 2>/dev/null)
        # shellcheck disable=SC2086
        [ -z "$ids" ] || timeout 120 "$D" rm -f -v $ids >/dev/null 2>&1
        timeout 60 "$D" volume prune -f >/dev/null 2>&1
}
E_CLEANUP_HOOKS+=(docker_cleanup)

# docker_runtime COL: the --runtime name of a column.
docker_runtime() {
        case $1 in
        control/runc) echo runc ;;
        control/crun) echo crun ;;
        *) echo "hr-${1%/*}-${1#*/}" ;;
        esac
}

eng_sandbox
eng_sandbox_hugetlb
eng_containerd containerd PATH="$E_SYS_PATH" || hr_bail "containerd did not start"
runtimes=()
for col in "${C_COLUMNS[@]}"; do
        [ "$col" = control/runc ] || runtimes+=(--add-runtime "$(docker_runtime "$col")=$(compat_runtime "$col")")
done
eng_daemon dockerd "$SOCK" env PATH="$E_SYS_PATH" dockerd "${runtimes[@]}" \
        --iptables=false --ip-forward=false --ip-masq=false --bridge=none \
        --data-root "$E_TMP/docker" --exec-root "$E_TMP/dx" --pidfile "$E_TMP/dockerd.pid" \
        -H "unix://$SOCK" --containerd "$E_TMP/containerd/sock" --cgroup-parent "/$E_TAG" ||
        hr_bail "dockerd did not start"
eng_wait 60 "$D" version || hr_bail "dockerd does not answer on $SOCK"
eng_run "$E_TMP/load" "$D" load -i "$E_TMP/images.tar" ||
        hr_bail "docker load failed: $(cat "$E_TMP/load.stderr")"

# docker_args NAME COL WL: `docker run` options of a cell into C_ARGS.
docker_args() {
        local name=$1 col=$2 wl=$3
        C_ARGS=(--name "$name" --network none --runtime "$(docker_runtime "$col")")
        compat_cli_args "$name" "$wl"
        C_ARGS+=("hrcompat/$(wl_get "$wl" .name):latest")
}

drv_start() {
        docker_args "$1" "$2" "$3"
        eng_run "$4" "$D" run -d "${C_ARGS[@]}"
}

drv_job() {
        docker_args "$1" "$2" "$3"
        eng_run "$4" "$D" run "${C_ARGS[@]}"
}

drv_pid() {
        timeout 30 "$D" inspect -f '{{if .State.Running}}{{.State.Pid}}{{end}}' "$1" 2>/dev/null
}

drv_logs() {
        timeout 30 "$D" logs "$1"
}

drv_id() {
        timeout 30 "$D" inspect -f '{{.Id}}' "$1" 2>/dev/null
}

drv_rm() {
        local vols
        vols=$(timeout 30 "$D" inspect -f '{{range .Mounts}}{{if .Name}}{{.Name}} {{end}}{{end}}' "$1" 2>/dev/null)
        timeout 60 "$D" rm -f "$1"
        # shellcheck disable=SC2086
        [ -z "$vols" ] || timeout 60 "$D" volume rm $vols
}

compat_main
hr_done
