#!/bin/bash
# The real-image suite under podman (rootful, no daemon): every podman command runs in the
# sandbox of tests/engines/lib.sh with private storage, run root and configuration; each
# column is `podman --runtime PATH`: plain runc, crun, or the hardrun-test wrapper (named
# hardrun, so podman passes it --log). Named volumes (-v NAME:/path, copied up from the image
# by podman), --tmpfs, --read-only and -u as in the table; podman adds no low-port sysctl.
# See lib.sh and README.md.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# restricted-userns: podman's named volumes and per-container files (hosts, resolv.conf, ...).
# With --root, podman keeps named volumes under it (ROOT/volumes), whatever volume_path says.
C_IDMAP_SOURCES=('podman/root/volumes/*/_data/' 'podman/root/overlay-containers/*/userdata/'
        'podman/runroot/overlay-containers/*/userdata/')
compat_setup podman podman conmon

PM_DIR="$E_TMP/podman"
mkdir -p "$PM_DIR"
cat >"$PM_DIR/containers.conf" <<EOF
[containers]
netns = "none"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$PM_DIR/events.log"
tmp_dir = "$PM_DIR/tmp"
static_dir = "$PM_DIR/static"
runtime_supports_json = ["crun", "runc", "hardrun"]

[network]
network_config_dir = "$PM_DIR/net"
EOF
eng_podman_storage "$PM_DIR" overlay
C_LAYERS="$PM_DIR/root/overlay" C_LAYER_FILES=diff

podman_cleanup() {
        P rm -f -a -t 0
        P volume prune -f
}
E_CLEANUP_HOOKS+=(podman_cleanup)

eng_sandbox
eng_sandbox_hugetlb
eng_run "$E_TMP/load" P load -i "$E_TMP/images.tar" ||
        hr_bail "podman load failed: $(cat "$E_TMP/load.stderr")"

# podman_args NAME COL WL: `podman run` options of a cell into C_ARGS.
podman_args() {
        local name=$1 col=$2 wl=$3
        C_ARGS=(--pull never --name "$name" --network none --cgroup-parent "/$E_TAG"
                --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
        compat_cli_args "$name" "$wl"
        C_ARGS+=("localhost/hrcompat/$(wl_get "$wl" .name):latest")
}

drv_start() {
        podman_args "$1" "$2" "$3"
        eng_run "$4" P --runtime "$(compat_runtime "$2")" run -d "${C_ARGS[@]}"
}

drv_job() {
        podman_args "$1" "$2" "$3"
        eng_run "$4" P --runtime "$(compat_runtime "$2")" run "${C_ARGS[@]}"
}

drv_pid() {
        P inspect -f '{{if .State.Running}}{{.State.Pid}}{{end}}' "$1" 2>/dev/null
}

drv_logs() {
        P logs "$1"
}

drv_id() {
        P inspect -f '{{.Id}}' "$1" 2>/dev/null
}

drv_rm() {
        local vols
        vols=$(P inspect -f '{{range .Mounts}}{{if .Name}}{{.Name}} {{end}}{{end}}' "$1" 2>/dev/null)
        P rm -f -t 0 "$1"
        # shellcheck disable=SC2086
        [ -z "$vols" ] || P volume rm $vols
}

compat_main
hr_done
