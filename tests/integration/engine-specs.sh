#!/bin/bash
# What engines really write, under the restricted preset in enforce mode. tests/data/engine-specs/
# holds config.json files captured from Docker 20.10, containerd 1.6 (ctr) and podman 4.3 on
# Debian 12 (default and --privileged runs; refreshed by running the engine tests with
# HR_CAPTURE_DIR set) and the specs containerd 1.6's CRI plugin generated for kubelet-style
# pods (cri-*.json: pause containers and pod containers of ordinary, hostNetwork, hostIPC and
# privileged pods, kubelet volumes, an image VOLUME; refreshed by tests/engines/cri.sh with
# HR_CRI_SPEC_DIR set; @POD_UID@, @SANDBOX_ID@, @PAUSE_PID@ and @CONTAINER_ID@ stand for what
# changes from run to run).
#  1. hardrunctl check: the preset refuses none of them (it rewrites what it must), except
#     what a pod asked for (hostNetwork) or what a check without a container id cannot allow.
#  2. Each runs under real runc through hardrun with its engine's host files in place (in a
#     private mount namespace), hardened; the CRI container shares the pause netns and sees
#     its service-account token below /var/run -> /run.
#  3. A hostNetwork pod (pause in the host netns) is refused, unless an exemption scoped to its
#     namespace annotation takes it out of the namespaces rule.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

SPECS="$HARDRUN_SRCDIR/tests/data/engine-specs"
RESTRICTED="$HARDRUN_SRCDIR/profiles/policy/restricted.json"
POD_UID=6f1c2b3a-8d4e-4b5f-9a6c-7e8d9f0a1b2c
SANDBOX_ID=5a0e3c1f9b7d6e2a4c8f0b1d3e5a7c9f1b3d5e7a9c0e2f4a6b8d0c1e3f5a7b9d

# 1. ---------------------------------------------------------------- static check
# The captured specs name the engines' data directories of the capture run (/tmp/hre.XXXXXX).
# Missing, such a path could be created by anyone who can write /tmp between hardrun's check and
# the runtime's mount, which rule mounts refuses; present and root's, it is the engine's.
CAPTURE_DIRS=()
for d in $(jq -r '.root.path, .mounts[].source' "$SPECS"/*.json | grep -o '^/tmp/hre\.[A-Za-z0-9]*' | sort -u); do
        if [ ! -e "$d" ]; then
                mkdir -m 0700 "$d" && CAPTURE_DIRS+=("$d")
        fi
done
for spec in "$SPECS"/*.json; do
        name=$(basename "$spec" .json)
        out="$HR_TMP/check-$name.json"
        "$HARDRUNCTL" check --policy "$RESTRICTED" --json "$spec" >"$out" 2>"$out.err"
        rc=$?
        hr_is "$rc" 1 "check $name: exit 1 (the preset rewrites something)"
        case $name in
        cri-sandbox-hostnetwork)
                want="namespaces /linux/namespaces, namespaces /linux/namespaces"
                why="the pod asked for the node's network (and with it its uts namespace)" ;;
        cri-container-image-volume)
                want="mounts /mounts/6/source"
                why="containerd's directory for the image volume: whose it is needs the container id" ;;
        cri-container-hostipc)
                want="mounts /mounts/10/source"
                why="the node's /dev/shm, while the pause container's IPC namespace cannot be inspected" ;;
        *)
                want=
                why="restricted refuses nothing the engine always writes" ;;
        esac
        hr_is "$(jq -r '[.[] | select(.severity == "deny") | "\(.rule) \(.path)"] | join(", ")' "$out")" "$want" \
                "check $name: ${want:-nothing} refused: $why"
done
hr_ok "$(
        jq -e '[.[] | select(.rule == "privileged")] | length == 1' \
                "$HR_TMP/check-docker-privileged.json" >/dev/null
        echo $?
)" "check docker-privileged: one 'privileged' finding"
hr_is "$(jq '[.[] | select(.rule == "privileged")] | length' "$HR_TMP/check-docker-default.json")" 0 \
        "check docker-default: not reported as privileged"
for d in "${CAPTURE_DIRS[@]}"; do
        rmdir "$d"
done

# 2. ---------------------------------------------------------------- running them
# A mount namespace of our own where /var/lib and /run are empty tmpfs: engine paths can be
# created there without touching the host's.
unshare -m --propagation private -- bash -c '
        mount -t tmpfs -o mode=0755 hrtest-varlib /var/lib &&
        mount -t tmpfs -o mode=0755 hrtest-run /run && exec sleep infinity' \
        </dev/null >"$HR_TMP/ns.log" 2>&1 &
NS_PID=$!
disown "$NS_PID"
# The containers' parent cgroup (/hrtest-specs-PID) goes too once runc has removed theirs.
trap 'kill "$NS_PID" 2>/dev/null; hr_cleanup
        find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d -name "hrtest-specs-$$" -exec rmdir {} + 2>/dev/null' EXIT
for _ in $(seq 100); do
        [ "$(nsenter -t "$NS_PID" -m -- stat -f -c %T /run 2>/dev/null)" = tmpfs ] && break
        sleep 0.05
done
in_ns() {
        nsenter -t "$NS_PID" -m -- "$@"
}

# make_bundle NAME SPEC DIR [EXTRA]: the spec with our rootfs, the probe (extra lines first), a cgroup of
# its own, no hooks (Docker's runs dockerd itself, which is not running) and every bind source
# created under DIR (files, or directories for /dev/shm and volume directories).
make_bundle() {
        local name=$1 spec=$2 dir=$3 extra=${4:-} i src dst n
        mkdir -p "$dir"
        cp -a "$HR_TMP/rootfs" "$dir/rootfs"
        jq --arg probe "$extra
$HR_PROBE" --arg cg "/hrtest-specs-$$/$name" '
                .root.path = "rootfs" | .process.args = ["sh", "-c", $probe]
                | .process.terminal = false | del(.process.consoleSize) | del(.hooks)
                | .linux.cgroupsPath = $cg' "$spec" >"$dir/config.json"
        n=$(jq '.mounts | length' "$dir/config.json")
        if [ "${name#cri}" != "$name" ]; then
                # Images based on Debian and others: /var/run links to /run.
                mkdir -p "$dir/rootfs/run" "$dir/rootfs/var"
                ln -s /run "$dir/rootfs/var/run"
        fi
        for ((i = 0; i < n; i++)); do
                src=$(jq -r --argjson i "$i" '.mounts[$i] | select(.type == "bind"
                        or ((.options // []) | index("bind") or index("rbind"))) | .source' "$dir/config.json")
                dst=$(jq -r --argjson i "$i" '.mounts[$i].destination' "$dir/config.json")
                [ -n "$src" ] || continue
                case $src in
                /var/lib/* | /run/*) ;;
                *)
                        # Captured engine roots under /tmp: rehomed under DIR.
                        src="$dir/host$src"
                        jq --argjson i "$i" --arg s "$src" '.mounts[$i].source = $s' \
                                "$dir/config.json" >"$dir/c.tmp" && mv "$dir/c.tmp" "$dir/config.json"
                        ;;
                esac
                case $dst in
                /dev/shm | /var/run/secrets/*)
                        in_ns mkdir -p "$src"
                        [ "$dst" != /var/run/secrets/kubernetes.io/serviceaccount ] ||
                                in_ns sh -c 'echo token-of-the-pod >"$1/token"' sh "$src"
                        ;;
                *)
                        in_ns mkdir -p "$(dirname "$src")"
                        in_ns sh -c 'printf "%s\n" "$2" >"$1"' sh "$src" "hardrun engine-spec $name $dst"
                        ;;
                esac
        done
}

# run_spec NAME SPEC POLICY OUT [EXTRA-PROBE]
run_spec() {
        local name=$1 spec=$2 policy=$3 out=$4 extra=${5:-}
        make_bundle "$name" "$spec" "$HR_TMP/run-$name" "$extra"
        HR_RUN_WRAP=in_ns hr_run_bundle runc "$HR_TMP/state" "$policy" "$HR_TMP/run-$name" "$out"
}

# restricted_policy FILE AUDIT-LOG [JQ-FILTER]: the restricted preset for runc.
restricted_policy() {
        hr_preset_policy "$1" runc restricted "$2" "${3:-.}"
}

if [ -n "${HR_RT_SKIP[runc]:-}" ]; then
        hr_skip "engine specs under runc" "${HR_RT_SKIP[runc]}"
        hr_done
        exit
fi

for spec in "$SPECS"/*.json; do
        name=$(basename "$spec" .json)
        # The pod specs run below, with their pause container.
        [ "${name#cri-}" = "$name" ] || continue
        restricted_policy "$HR_TMP/policy-$name.json" "$HR_TMP/audit-$name.log"
        out="$HR_TMP/out-$name"
        run_spec "$name" "$spec" "$HR_TMP/policy-$name.json" "$out"
        hr_is "$(cat "$out.rc")" 0 "$name: runs under restricted enforce"
        hr_expect_hardened "$out.stdout" "$name"
        hr_is "$(hr_audit_count "$HR_TMP/audit-$name.log" '.action == "denied"')" 0 \
                "$name: no 'denied' record"
done

# The CRI pod: a pause container with its own namespaces, then the app container joining them.
pause_bundle() {
        local dir=$1 filter=$2
        hr_bundle "$dir" '.process.args = ["sleep", "600"] | '"$filter"
}
start_pause() {
        local dir=$1 id=$2
        (cd "$dir" && timeout -k 5 60 runc --root "$HR_TMP/state" run -d "$id") \
                >"$dir.out" 2>&1 </dev/null || hr_diag "$(cat "$dir.out")"
        runc --root "$HR_TMP/state" state "$id" 2>/dev/null | jq -r .pid
}
# cri_spec PAUSE-PID CONTAINER-ID OUT [SPEC]: a captured pod container spec (default: the
# ordinary pod's) for this run.
cri_spec() {
        sed -e "s/@PAUSE_PID@/$1/g" -e "s/@POD_UID@/$POD_UID/g" -e "s/@SANDBOX_ID@/$SANDBOX_ID/g" \
                -e "s/@CONTAINER_ID@/$2/g" "$SPECS/${4:-cri-container}.json" >"$3"
}

hr_new_id pause runc "$HR_TMP/state"
pause_bundle "$HR_TMP/pause" '.'
pause_pid=$(start_pause "$HR_TMP/pause" "$pause")
hr_like "$pause_pid" '^[0-9]+$' "CRI pod: the pause container runs"
cri_spec "$pause_pid" "$pause-app" "$HR_TMP/cri.json"
restricted_policy "$HR_TMP/policy-cri.json" "$HR_TMP/audit-cri-pod.log"
out="$HR_TMP/out-cri"
run_spec cri-pod "$HR_TMP/cri.json" "$HR_TMP/policy-cri.json" "$out" \
        'echo "netns=$(readlink /proc/self/ns/net)"
echo "token=$(cat /var/run/secrets/kubernetes.io/serviceaccount/token)"
echo "hosts=$(cat /etc/hosts)"'
hr_is "$(cat "$out.rc")" 0 "CRI pod container: runs under restricted enforce"
hr_expect_hardened "$out.stdout" "CRI pod container"
hr_is "$(hr_val "$out.stdout" netns)" "$(readlink "/proc/$pause_pid/ns/net")" \
        "CRI pod container: shares the pause container's network namespace"
hr_is "$(hr_val "$out.stdout" token)" token-of-the-pod \
        "CRI pod container: the service account token volume is mounted"
hr_is "$(hr_val "$out.stdout" hosts)" "hardrun engine-spec cri-pod /etc/hosts" \
        "CRI pod container: kubelet's /etc/hosts is mounted"
hr_is "$(hr_audit_count "$HR_TMP/audit-cri-pod.log" '.action == "denied"')" 0 \
        "CRI pod container: no 'denied' record"
hr_is "$(jq -r 'select(.rule == "namespaces") | .path' "$HR_TMP/audit-cri-pod.log" | sort -u | tr '\n' ' ')" \
        "" "CRI pod container: joining the pause namespaces by path is not a finding"

# hostNetwork: the pause container has no network namespace of its own.
hr_new_id hostpause runc "$HR_TMP/state"
pause_bundle "$HR_TMP/hostpause" '.linux.namespaces |= map(select(.type != "network"))'
host_pid=$(start_pause "$HR_TMP/hostpause" "$hostpause")
cri_spec "$host_pid" "$hostpause-app" "$HR_TMP/cri-host.json" cri-container-hostnetwork
out="$HR_TMP/out-cri-host"
run_spec cri-hostnet "$HR_TMP/cri-host.json" "$HR_TMP/policy-cri.json" "$out"
hr_is "$(cat "$out.rc")" 1 "hostNetwork pod container: refused under restricted enforce"
hr_like "$(cat "$out.stderr")" "'/linux/namespaces/4(/path)?'.*rule 'namespaces'" \
        "hostNetwork pod container: the message names the network namespace entry"
restricted_policy "$HR_TMP/policy-cri-exempt.json" "$HR_TMP/audit-cri-exempt.log" \
        '.exemptions = [{rules: ["namespaces"], reason: "host-network system pods",
                annotations: {"io.kubernetes.cri.sandbox-namespace": "default"}}]'
out="$HR_TMP/out-cri-exempt"
run_spec cri-exempt "$HR_TMP/cri-host.json" "$HR_TMP/policy-cri-exempt.json" "$out" \
        'echo "netns=$(readlink /proc/self/ns/net)"'
hr_is "$(cat "$out.rc")" 0 "hostNetwork pod container, namespace exempted: runs"
hr_is "$(hr_val "$out.stdout" netns)" "$(readlink /proc/1/ns/net 2>/dev/null || readlink /proc/self/ns/net)" \
        "hostNetwork pod container, namespace exempted: in the host network namespace"
hr_expect_hardened "$out.stdout" "hostNetwork pod container, namespace exempted"
hr_is "$(jq -c 'select(.action == "exempted") | [.rule, .after.reason]' "$HR_TMP/audit-cri-exempt.log")" \
        '["namespaces","host-network system pods"]' \
        "hostNetwork pod container, namespace exempted: the exemption is in the audit log"

hr_done
