#!/bin/bash
# Kubernetes through containerd's CRI plugin, driven as the kubelet drives it. A private
# containerd 1.6 with the CRI plugin (root /var/lib/containerd and state /run/containerd, both
# private to the sandbox of lib.sh, which here also has a network namespace of its own) has two
# runtime handlers: "hardrun" (contrib/containerd/config.toml, BinaryName = hardrun-test with
# the test policy) and "runc", the control. tests/cri/kubelet.py, a minimal kubelet speaking
# CRI v1 (tests/cri/api.proto), turns Pod manifests into RunPodSandbox, CreateContainer,
# StartContainer, ExecSync, ContainerStatus and Stop/Remove calls, with kubelet-style volume
# paths under /var/lib/kubelet/pods/<uid>/ (emptyDir, the projected service-account token).
# Pods get their network from CNI (ptp + host-local) inside the sandbox's network namespace.
#
# Each case runs through both handlers: what hardrun holds (refused with its line in the CRI
# error, or hardened) against what plain runc lets the same pod do. Cases: an ordinary pod
# (the pause container too), ExecSync, runAsUser 1000, two containers in one network, kubelet
# volumes below /var/run -> /run and /tmp, an image VOLUME, what Pod Security forbids
# (privileged, runAsUser 0, added capabilities, seccomp Unconfined, a writable root,
# hostNetwork/hostPID/hostIPC, hostPath /, containerd's socket, another pod's token and
# /dev/shm), a kube-system node agent admitted by an exemption on the namespace containerd
# writes, exec into it, audit and deny mode, and a teardown that leaves nothing behind.
#
# HR_CRI_SPEC_DIR=DIR also writes the OCI specs containerd generated for some of the pods to
# DIR (with placeholders for ids, uids and the pause pid), to refresh
# tests/data/engine-specs/cri-*.json.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PY=/usr/bin/python3 # Debian's, with python3-grpcio and python3-protobuf
eng_setup containerd containerd-shim-runc-v2 ctr protoc "$PY" /usr/lib/cni/ptp /usr/lib/cni/host-local \
        /usr/lib/cni/loopback ip
"$PY" -c 'import grpc, google.protobuf' 2>/dev/null ||
        hr_skip_all "$PY lacks grpc or protobuf (install python3-grpcio python3-protobuf)"
[ -n "${PAUSE_BINARY:-}" ] && [ -x "$PAUSE_BINARY" ] || hr_skip_all "PAUSE_BINARY is not built (static linking)"

S=$HARDRUN_SRCDIR
CRI_DIR="$E_TMP/cri"
SOCK=/run/containerd/containerd.sock # inside the sandbox, where the kubelet finds it
mkdir -p "$CRI_DIR/pb" "$CRI_DIR/net.d" "$CRI_DIR/pods" "$CRI_DIR/state" "$E_TMP/policy" \
        "$E_TMP/audit" "$E_TMP/out"
protoc -I "$S/tests/cri" --python_out="$CRI_DIR/pb" "$S/tests/cri/api.proto" ||
        hr_bail "protoc cannot compile tests/cri/api.proto"

# ---------------------------------------------------------------- images

IMG=docker.io/hrtest/busybox:latest
PAUSE_IMG=docker.io/hrtest/pause:3
# busybox with /run and the /var/run -> /run link of Debian-based images: mounts below
# /var/run land below /run.
mkdir -p "$E_TMP/rootfs/run" "$E_TMP/rootfs/var"
ln -s /run "$E_TMP/rootfs/var/run"
tar -C "$E_TMP/rootfs" -cf "$E_TMP/busybox.tar" . || hr_bail "cannot tar the busybox rootfs"
mkdir -p "$E_TMP/pause-rootfs"
cp "$PAUSE_BINARY" "$E_TMP/pause-rootfs/pause"
tar -C "$E_TMP/pause-rootfs" -cf "$E_TMP/pause.tar" . || hr_bail "cannot tar the pause rootfs"
eng_image_archive "$E_TMP/busybox-image.tar" hrtest/busybox:latest "$E_TMP/busybox.tar" ||
        hr_bail "cannot build the busybox image"
eng_image_archive "$E_TMP/pause-image.tar" hrtest/pause:3 "$E_TMP/pause.tar" \
        '{"Entrypoint": ["/pause"], "Env": ["PATH=/"]}' || hr_bail "cannot build the pause image"
# An image that declares a VOLUME: containerd's CRI plugin binds a directory of its own
# (/var/lib/containerd/io.containerd.grpc.v1.cri/containers/<id>/volumes/...) there.
VOL_IMG=docker.io/hrtest/busybox-volume:1
eng_image_archive "$E_TMP/volume-image.tar" hrtest/busybox-volume:1 "$E_TMP/busybox.tar" \
        '{"Env": ["PATH=/bin"], "Cmd": ["sh"], "Volumes": {"/data": {}}}' ||
        hr_bail "cannot build the image with a volume"

# ---------------------------------------------------------------- policy and handlers

# The hardrun handler's policy: the restricted preset in enforce mode. Cases swap it
# (hardrun reads it on every create), as an admin would.
POLICY="$E_TMP/policy/current.json"
AUDIT="$E_TMP/audit/cri.log"
# set_policy [JQ-FILTER]: the restricted preset, enforce, real runc, our audit log, filtered.
set_policy() {
        jq --arg audit "$AUDIT" '.mode = "enforce" | .runtime = {path: "runc"}
                | .audit.file = $audit | .audit.on_error = "fail"' \
                "$S/profiles/policy/${2:-restricted}.json" | jq "${1:-.}" >"$POLICY.new" &&
                chmod 0644 "$POLICY.new" && mv "$POLICY.new" "$POLICY" ||
                hr_bail "cannot write the policy"
}
set_policy
eng_wrapper "$E_TMP/rt/hardrun" "$POLICY"

# contrib/containerd/config.toml's handler (BinaryName pointed at the wrapper) next to runc, in
# a containerd config of our own: private root and state, CNI from the sandbox's conf dir.
cat >"$CRI_DIR/config.toml" <<EOF
version = 2
root = "/var/lib/containerd"
state = "/run/containerd"
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[debug]
  address = "/run/containerd/debug.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$E_TMP/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMG"
  disable_apparmor = true
  # The sandbox's oomScoreAdj of -998 needs CAP_SYS_RESOURCE, which a test VM's bounding set
  # may lack: clamp it to containerd's own, as on nodes that run containerd unprivileged.
  restrict_oom_score_adj = true
  enable_selinux = false
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
[plugins."io.containerd.grpc.v1.cri".cni]
  bin_dir = "/usr/lib/cni"
  conf_dir = "$CRI_DIR/net.d"
[plugins."io.containerd.grpc.v1.cri".containerd]
  default_runtime_name = "runc"
  snapshotter = "overlayfs"
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  BinaryName = "$(command -v runc)"
EOF
grep -v '^version' "$S/contrib/containerd/config.toml" |
        sed "s|^  BinaryName = .*|  BinaryName = \"$E_TMP/rt/hardrun\"|" >>"$CRI_DIR/config.toml"
grep -q "BinaryName = \"$E_TMP/rt/hardrun\"" "$CRI_DIR/config.toml" ||
        hr_bail "contrib/containerd/config.toml has no BinaryName line to point at the test binary"
# Pods need an eth0 with an address (containerd 1.6 fails RunPodSandbox without one): a veth
# pair per pod, host-local addresses, all inside the sandbox's network namespace.
jq -n --arg ipam "$CRI_DIR/ipam" '{cniVersion: "0.4.0", name: "hrtest", plugins: [
        {type: "ptp", ipMasq: false, ipam: {type: "host-local", subnet: "10.244.7.0/24",
         dataDir: $ipam, routes: [{dst: "0.0.0.0/0"}]}}]}' >"$CRI_DIR/net.d/10-hrtest.conflist"

K() {
        eng_in "$PY" "$S/tests/cri/kubelet.py" --socket "$SOCK" --pb-dir "$CRI_DIR/pb" \
                --state "$CRI_DIR/state" --log-root "$E_TMP/pod-logs" --cgroup-root "/$E_TAG" "$@"
}

cri_cleanup() {
        local f
        for f in "$CRI_DIR"/state/*.json; do
                [ -e "$f" ] || continue
                K delete "$(basename "$f" .json)" >/dev/null 2>&1
        done
}
E_CLEANUP_HOOKS+=(cri_cleanup)

eng_sandbox net
# The engine state sits where it does on a node: /var/lib/containerd on a tmpfs (overlayfs
# snapshots cannot sit on the sandbox's overlay /var/lib), /run/containerd on its /run.
eng_in mkdir -p /var/lib/containerd &&
        eng_in mount -t tmpfs -o mode=0711,size=512m hrtest-containerd /var/lib/containerd ||
        hr_bail "cannot mount a tmpfs on the sandbox's /var/lib/containerd"
eng_daemon containerd "/proc/$E_NS/root$SOCK" env PATH="$E_SYS_PATH" \
        containerd --config "$CRI_DIR/config.toml" || hr_bail "containerd did not start"
eng_wait 30 K version || hr_bail "containerd's CRI plugin does not answer: $(tail -n 5 "$E_TMP/containerd.log")"
eng_run "$E_TMP/out/version" K version
hr_diag "CRI runtime: $(cat "$E_TMP/out/version.stdout")"
hr_is "$(jq -r '"\(.runtime_name) \(.runtime_api_version) \(.conditions.RuntimeReady) \(.conditions.NetworkReady)"' "$E_TMP/out/version.stdout")" \
        "containerd v1 true true" "containerd's CRI plugin answers runtime.v1 Version and Status (runtime and network ready)"

for img in busybox pause volume; do
        eng_run "$E_TMP/out/import-$img" eng_in ctr -a "$SOCK" -n k8s.io images import "$E_TMP/$img-image.tar"
        hr_is "$(cat "$E_TMP/out/import-$img.rc")" 0 "ctr -n k8s.io images import of the $img image" ||
                hr_bail "no $img image: $(cat "$E_TMP/out/import-$img.stderr")"
done

# ---------------------------------------------------------------- helpers

# section NAME: a diagnostic line with the time so far.
section() {
        hr_diag "--- $* (${SECONDS}s)"
}

# What each container reports: lib.sh's probe plus its namespaces and the token.
CRI_PROBE="$ENG_PROBE_BODY"'
for ns in net ipc pid uts; do echo "${ns}ns=$(readlink /proc/self/ns/$ns)"; done
if [ -s /var/run/secrets/kubernetes.io/serviceaccount/token ]; then echo token=present; else echo token=missing; fi
exit 0'
# A container that keeps running, and stops at once on the kubelet's SIGTERM.
SLEEP_CMD='["sh", "-c", "trap \"exit 0\" TERM; sleep 600 & wait"]'

# pod NAME HANDLER [JQ-FILTER]: the manifest $CRI_DIR/pods/NAME.json, one busybox container
# "main" running the probe, through HANDLER ("" for the default). The filter sees $ENV.
pod() {
        local name=$1 handler=$2 filter=${3:-.}
        jq -n --arg name "$name" --arg h "$handler" --arg img "$IMG" --arg probe "$CRI_PROBE" '{
                metadata: {name: $name, namespace: "default"},
                spec: {runtimeClassName: (if $h == "" then null else $h end),
                       containers: [{name: "main", image: $img, command: ["sh", "-c", $probe]}]}}' |
                jq "$filter" >"$CRI_DIR/pods/$name.json" || hr_bail "cannot write pod $name"
}

# pods SUFFIX-FILTER...: pod NAME-hr hardrun and pod NAME-rc runc for each NAME|FILTER.
pods() {
        local c
        for c in "$@"; do
                [[ $c == *"|"* ]] || c+="|."
                pod "${c%%|*}-hr" hardrun "${c#*|}"
                pod "${c%%|*}-rc" runc "${c#*|}"
        done
}

# run_pods [--running] NAME...: runs the pods, concurrently, as the kubelet's pod workers do.
# NAME's result is $E_TMP/out/NAME.json, each container's log $E_TMP/out/NAME.CONTAINER.log.
run_pods() {
        local opts=() files=() name c
        while [ "${1#--}" != "$1" ]; do
                opts+=("$1")
                shift
        done
        for name; do
                files+=("$CRI_DIR/pods/$name.json")
                rm -f "$E_TMP/out/$name.json"
        done
        K run --out "$E_TMP/out" "${opts[@]}" "${files[@]}" >"$E_TMP/out/run.log" 2>&1 ||
                hr_diag "kubelet.py run $*: $(tail -n 5 "$E_TMP/out/run.log")"
        for name; do
                for c in $(jq -r '.containers[].name' "$E_TMP/out/$name.json" 2>/dev/null); do
                        jq -r --arg c "$c" '.containers[] | select(.name == $c) | .log // ""' \
                                "$E_TMP/out/$name.json" >"$E_TMP/out/$name.$c.log"
                done
        done
}

# field NAME JQ: a value of the pod's result.
field() {
        jq -r "$2" "$E_TMP/out/$1.json" 2>/dev/null
}

# fact NAME KEY [CONTAINER]: a fact the pod's container printed.
fact() {
        hr_val "$E_TMP/out/$1.${3:-main}.log" "$2"
}

# started NAME DESC: the pod's sandbox and every container were created and started.
started() {
        hr_ctx "$E_TMP/out/$1.json" "$E_TMP/out/run.log"
        hr_is "$(field "$1" '[.sandbox_error // empty, .containers[].create_error // empty, .containers[].start_error // empty] | length')/$(field "$1" '.containers | length')" \
                "0/$(jq '.spec.containers | length' "$CRI_DIR/pods/$1.json")" "$2: the pod runs"
}

# refused NAME STAGE RULE ERE DESC: the CRI call of STAGE (sandbox: RunPodSandbox, start:
# StartContainer of the first container) failed with hardrun's line for RULE in its message,
# as the kubelet would show it in the pod's events; ERE must match the message too.
refused() {
        local name=$1 stage=$2 rule=$3 ere=$4 desc=$5 msg
        case $stage in
        sandbox) msg=$(field "$name" '.sandbox_error.message // ""') ;;
        start) msg=$(field "$name" '.containers[0].start_error.message // ""') ;;
        esac
        hr_ctx "$E_TMP/out/$name.json" "$E_TMP/out/run.log"
        hr_like "$msg" "OCI runtime create failed: hardrun: /run/containerd/io\\.containerd\\.runtime\\.v2\\.task/k8s\\.io/[0-9a-f]{64}/config\\.json: '[^']*': .* is not allowed by rule '$rule'" \
                "$desc: refused, the CRI error carries hardrun's line (rule '$rule')"
        hr_like "$msg" "$ere" "$desc: the message says why"
        hr_diag "observed $desc: $msg"
}

# hardened NAME DESC [CONTAINER]: the container's log shows every fact of a hardened container.
hardened() {
        local log="$E_TMP/out/$1.${3:-main}.log"
        hr_ctx "$log" "$E_TMP/out/$1.json"
        eng_hardened "$log" "$2"
}

# delete_pods DESC NAME...: the kubelet's teardown of the pods succeeds.
delete_pods() {
        local desc=$1
        shift
        K delete "$@" >"$E_TMP/out/delete.json" 2>&1
        hr_ctx "$E_TMP/out/delete.json"
        hr_is "$(jq -c '[.[][]]' "$E_TMP/out/delete.json" 2>/dev/null)" "[]" \
                "$desc: StopContainer, RemoveContainer, StopPodSandbox, RemovePodSandbox succeed"
}

# save_spec NAME [CONTAINER] FILE: with HR_CRI_SPEC_DIR set, the OCI spec containerd generated
# for the pod's sandbox (or container) goes to HR_CRI_SPEC_DIR/FILE with placeholders for what
# changes from run to run (tests/data/engine-specs/ takes them as they are).
save_spec() {
        local name=$1 file=${*: -1} container=
        [ -n "${HR_CRI_SPEC_DIR:-}" ] || return 0
        [ $# -lt 3 ] || container=$2
        K spec "$name" $container | sed \
                -e "s|/proc/$(field "$name" .sandbox_pid)/|/proc/@PAUSE_PID@/|g" \
                -e "s|$(field "$name" .sandbox_id)|@SANDBOX_ID@|g" \
                -e "s|$(field "$name" .uid)|@POD_UID@|g" \
                ${container:+-e "s|$(field "$name" ".containers[] | select(.name == \"$container\") | .id")|@CONTAINER_ID@|g"} \
                -e "s|$E_TMP/pod-logs|/var/log/pods|g" -e "s|/$E_TAG/|/kubepods/besteffort/|g" \
                >"$HR_CRI_SPEC_DIR/$file"
}

HOST_NET=$(readlink "/proc/$E_NS/ns/net") # the node's network namespace, as pods see it
HOST_IPC=$(readlink /proc/self/ns/ipc)
HOST_PID1=$(cat /proc/1/comm)
DEFAULT_CAPS=00000000a80425fb # containerd's default capability set, as /proc shows it

# ---------------------------------------------------------------- 1. an ordinary pod
section '1. an ordinary pod'

pods plain
run_pods plain-hr plain-rc
started plain-hr "ordinary pod (hardrun)"
hr_is "$(field plain-hr '.containers[0].state + " " + (.containers[0].exit_code | tostring)')" \
        "CONTAINER_EXITED 0" "ordinary pod (hardrun): the container ran to completion (ContainerStatus)"
hr_like "$(eng_in cat "$(field plain-hr '.containers[0].log_path')")" '^[0-9T:.Z+-]+ stdout F uid=65534$' \
        "ordinary pod (hardrun): its output is in the CRI log file, in the CRI log format"
hardened plain-hr "ordinary pod (hardrun)"
hr_is "$(fact plain-hr token)" present \
        "ordinary pod (hardrun): the service-account token is readable (image: /var/run -> /run)"
hr_is "$(awk '/^(Uid|CapEff|NoNewPrivs|Seccomp):/ {printf "%s %s ", $1, $2}' "/proc/$(field plain-hr .sandbox_pid)/status")" \
        "Uid: 65534 CapEff: 0000000000000000 NoNewPrivs: 1 Seccomp: 2 " \
        "ordinary pod (hardrun): the pause container itself runs hardened (/proc/PID/status)"
hr_is "$(jq -r --arg id "$(field plain-hr .sandbox_id)" 'select(.container == $id and .action == "changed") | .rule' "$AUDIT" | sort -u | tr '\n' ' ')" \
        "capabilities masked_paths mount_options resources rootfs seccomp user " \
        "ordinary pod (hardrun): the pause container's 'changed' records in the audit log"
hr_is "$(jq -cS --arg id "$(field plain-hr '.containers[0].id')" 'select(.container == $id) | .workload' "$AUDIT" | sort -u)" \
        "{\"io.kubernetes.cri.container-name\":\"main\",\"io.kubernetes.cri.container-type\":\"container\",\"io.kubernetes.cri.image-name\":\"$IMG\",\"io.kubernetes.cri.sandbox-name\":\"plain-hr\",\"io.kubernetes.cri.sandbox-namespace\":\"default\"}" \
        "ordinary pod (hardrun): the audit records name namespace, pod, container and image"
started plain-rc "ordinary pod (runc)"
hr_is "$(fact plain-rc uid)/$(fact plain-rc CapEff)/$(fact plain-rc Seccomp)/$(fact plain-rc rootfs)/$(fact plain-rc token)" \
        "0/$DEFAULT_CAPS/0/writable/present" \
        "ordinary pod (runc, control): root, default capabilities, no seccomp, writable /, the token"
hr_is "$(awk '/^Uid:/ {print $2}' "/proc/$(field plain-rc .sandbox_pid)/status")" 0 \
        "ordinary pod (runc, control): the pause container runs as root"
save_spec plain-rc cri-sandbox.json
save_spec plain-rc main cri-container.json
delete_pods "ordinary pods" plain-hr plain-rc

# ---------------------------------------------------------------- 2. ExecSync
section '2. ExecSync'

# exec_probe POD OUT: ExecSync of the probe in the pod's container "main"; its stdout in OUT.
exec_probe() {
        K exec "$1" main -- sh -c "$CRI_PROBE" >"$2.json" 2>"$2.err"
        jq -r '.stdout // ""' "$2.json" >"$2"
        hr_ctx "$2.json" "$2.err"
}

pods "exec|.spec.containers[0].command = $SLEEP_CMD"
run_pods --running exec-hr exec-rc
started exec-hr "ExecSync pod (hardrun)"
hr_is "$(field exec-hr '.containers[0].state')" CONTAINER_RUNNING "ExecSync pod (hardrun): the container is running"
exec_probe exec-hr "$E_TMP/out/exec-hr.exec"
hr_is "$(jq -r '(.error.message // "") + "/" + (.exit_code | tostring)' "$E_TMP/out/exec-hr.exec.json")" "/0" \
        "ExecSync (hardrun): the exec succeeds"
eng_hardened "$E_TMP/out/exec-hr.exec" "ExecSync (hardrun): the exec'd process"
K exec exec-hr main -- sh -c 'echo out; echo err >&2; exit 3' >"$E_TMP/out/exec-hr.rc.json"
hr_is "$(jq -c '[.exit_code, .stdout, .stderr]' "$E_TMP/out/exec-hr.rc.json")" '[3,"out\n","err\n"]' \
        "ExecSync (hardrun): exit code, stdout and stderr come back as the kubelet expects"
hr_is "$(jq -r --arg id "$(field exec-hr '.containers[0].id')" 'select(.container == $id and .subcommand == "exec" and .action == "changed") | .rule' "$AUDIT" | sort -u | tr '\n' ' ')" \
        "capabilities no_new_privileges user " \
        "ExecSync (hardrun): hardrun rewrote the exec process (user, capabilities, no_new_privileges)"
started exec-rc "ExecSync pod (runc)"
exec_probe exec-rc "$E_TMP/out/exec-rc.exec"
hr_is "$(hr_val "$E_TMP/out/exec-rc.exec" uid)/$(hr_val "$E_TMP/out/exec-rc.exec" CapEff)" "0/$DEFAULT_CAPS" \
        "ExecSync (runc, control): the exec'd process is root with the default capabilities"
# exec-hr keeps running: its token is what another pod tries to mount below.
delete_pods "ExecSync pod (runc)" exec-rc

# ---------------------------------------------------------------- 3. runAsUser: 1000
section '3. runAsUser: 1000'

pods "user|.spec.securityContext = {runAsUser: 1000, runAsGroup: 1000}"
run_pods user-hr user-rc
for n in user-hr user-rc; do
        started $n "runAsUser 1000 ($n)"
        hr_is "$(fact $n uid)/$(fact $n gid)" "1000/1000" "runAsUser 1000 ($n): the non-root user is kept"
done
hr_is "$(fact user-hr CapBnd)/$(fact user-rc CapBnd)" "0000000000000000/$DEFAULT_CAPS" \
        "runAsUser 1000: hardrun empties the bounding set, runc keeps containerd's default"
delete_pods "runAsUser 1000" user-hr user-rc

# ---------------------------------------------------------------- 4. two containers, one network
section '4. two containers, one network'

pods 'two|.spec.containers += [.spec.containers[0] | .name = "second"]'
run_pods two-hr two-rc
for n in two-hr two-rc; do
        started $n "two containers ($n)"
        a=$(fact $n netns) b=$(fact $n netns second)
        hr_ok "$([ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" != "$HOST_NET" ]; echo $?)" \
                "two containers ($n): both in the pod's network namespace ($a, $b), not the node's"
        hr_is "$(fact $n utsns second)" "$(fact $n utsns)" "two containers ($n): one uts namespace"
done
hardened two-hr "two containers (hardrun), the second" second
delete_pods "two containers" two-hr two-rc

# ---------------------------------------------------------------- 5. kubelet volumes
section '5. kubelet volumes'

# emptyDir at /cache and below the scratch /tmp, the projected token below /var/run -> /run,
# /etc/hosts and /dev/termination-log: every one must reach the container.
export VOLUME_PROBE='echo "token=$(cut -c1-20 /var/run/secrets/kubernetes.io/serviceaccount/token 2>&1)"
echo "tokenlink=$(readlink /var/run/secrets/kubernetes.io/serviceaccount/..data)"
echo "namespace=$(cat /run/secrets/kubernetes.io/serviceaccount/namespace 2>&1)"
echo "hosts=$(grep -c volumes /etc/hosts)"
for d in /cache /tmp/cache; do if echo "$d" >"$d/written"; then echo "write$d=ok"; else echo "write$d=failed"; fi; done
echo done >/dev/termination-log && echo termlog=ok
'"$CRI_PROBE"
pods 'volumes|.spec.volumes = [{name: "cache", emptyDir: {}}, {name: "tmpcache", emptyDir: {}}]
        | .spec.containers[0].command = ["sh", "-c", $ENV.VOLUME_PROBE]
        | .spec.containers[0].volumeMounts = [{name: "cache", mountPath: "/cache"},
                                              {name: "tmpcache", mountPath: "/tmp/cache"}]'
run_pods volumes-hr volumes-rc
for n in volumes-hr volumes-rc; do
        started $n "kubelet volumes ($n)"
        hr_is "$(fact $n token)" "eyJhbGciOiJSUzI1NiJ9" \
                "kubelet volumes ($n): the projected token is readable at /var/run/secrets/kubernetes.io/serviceaccount/token"
        hr_like "$(fact $n tokenlink)" '^\.\.[0-9_]+\.[0-9]+$' \
                "kubelet volumes ($n): ... through the kubelet's ..data link to its timestamped directory"
        hr_is "$(fact $n namespace)" default "kubelet volumes ($n): ... and below /run/secrets (the same directory)"
        hr_is "$(fact $n hosts)" 1 "kubelet volumes ($n): the kubelet's /etc/hosts (it names the pod)"
        hr_is "$(fact $n write/cache)/$(fact $n write/tmp/cache)/$(fact $n termlog)" "ok/ok/ok" \
                "kubelet volumes ($n): emptyDir at /cache and at /tmp/cache and /dev/termination-log are writable"
        uid=$(field $n .uid)
        hr_is "$(eng_in cat "/var/lib/kubelet/pods/$uid/volumes/kubernetes.io~empty-dir/cache/written" \
                "/var/lib/kubelet/pods/$uid/volumes/kubernetes.io~empty-dir/tmpcache/written" 2>&1 | tr '\n' ' ')" \
                "/cache /tmp/cache " "kubelet volumes ($n): what it wrote is in the pod's emptyDir directories on the node"
done
hardened volumes-hr "kubelet volumes (hardrun)"
save_spec volumes-rc main cri-container-volumes.json
delete_pods "kubelet volumes" volumes-hr volumes-rc

# An image VOLUME: containerd binds a directory of the container's own from its CRI state.
export VOL_IMG
pods 'imagevolume|.spec.containers[0].image = $ENV.VOL_IMG
        | .spec.containers[0].command = ["sh", "-c", "if echo x >/data/x; then echo data=written; fi; grep -c \" /data \" /proc/self/mounts | sed s/^/datamount=/"]'
run_pods imagevolume-hr imagevolume-rc
for n in imagevolume-hr imagevolume-rc; do
        started $n "image with a VOLUME ($n)"
        hr_is "$(fact $n datamount)" 1 "image with a VOLUME ($n): containerd's volume is mounted at /data"
done
# containerd creates it root-owned 0755: root writes there, hardrun's uid 65534 does not.
hr_is "$(fact imagevolume-rc data)/$(fact imagevolume-hr data)" "written/" \
        "image with a VOLUME: root (runc) writes to it, uid 65534 (hardrun) cannot"
save_spec imagevolume-rc main cri-container-image-volume.json
delete_pods "image with a VOLUME" imagevolume-hr imagevolume-rc

# ---------------------------------------------------------------- 6. what Pod Security forbids
section '6. what Pod Security forbids'

# Rewritten by hardrun: the pod runs, hardened.
pods "privileged|.spec.containers[0].securityContext = {privileged: true}" \
        "root|.spec.securityContext = {runAsUser: 0} | .spec.containers[0].securityContext = {runAsUser: 0, runAsNonRoot: false}" \
        'caps|.spec.containers[0].securityContext = {capabilities: {add: ["SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE"]}}' \
        'unconfined|.spec.securityContext = {seccompProfile: {type: "Unconfined"}} | .spec.containers[0].securityContext = {seccompProfile: {type: "Unconfined"}}' \
        "rwroot|.spec.containers[0].securityContext = {readOnlyRootFilesystem: false, allowPrivilegeEscalation: true}"
run_pods privileged-hr privileged-rc root-hr root-rc caps-hr caps-rc unconfined-hr unconfined-rc rwroot-hr rwroot-rc
for c in "privileged|privileged: true|uid Seccomp rootfs|0 0 writable" \
        "root|runAsUser: 0|uid|0" \
        "caps|capabilities add SYS_ADMIN, NET_ADMIN, SYS_PTRACE|CapEff|00000000a82c35fb" \
        "unconfined|seccompProfile Unconfined|Seccomp|0" \
        "rwroot|readOnlyRootFilesystem: false|rootfs|writable"; do
        IFS='|' read -r n what keys want <<<"$c"
        started $n-hr "$what (hardrun)"
        hardened $n-hr "$what (hardrun)"
        started $n-rc "$what (runc)"
        got=
        for k in $keys; do got+="$(fact $n-rc "$k") "; done
        hr_is "$got" "$want " "$what (runc, control): $keys = $want"
        eng_observed "CRI runc" "$what" "$E_TMP/out/$n-rc.main.log"
done
save_spec privileged-rc main cri-container-privileged.json
hr_is "$(hr_audit_count "$AUDIT" '.action == "denied"')" 0 "what hardrun can rewrite, it rewrites: no 'denied' record so far"
delete_pods "rewritten securityContexts" privileged-hr privileged-rc root-hr root-rc caps-hr caps-rc \
        unconfined-hr unconfined-rc rwroot-hr rwroot-rc

# Host namespaces: the pod asked for the node's network, pids or IPC. A private namespace
# instead would cut it off from what it asked for: hardrun refuses the pod sandbox and says
# which request.
pods "hostnetwork|.spec.hostNetwork = true" "hostpid|.spec.hostPID = true" "hostipc|.spec.hostIPC = true"
run_pods hostnetwork-hr hostnetwork-rc hostpid-hr hostpid-rc hostipc-hr hostipc-rc
for c in "hostNetwork|netns|$HOST_NET" "hostPID|pid1|$HOST_PID1" "hostIPC|ipcns|$HOST_IPC"; do
        IFS='|' read -r what key want <<<"$c"
        n=${what,,}
        refused $n-hr sandbox namespaces "'/linux/namespaces': .*$what" "$what (hardrun)"
        hr_is "$(field $n-hr '.containers | length')" 0 "$what (hardrun): no container was created"
        started $n-rc "$what (runc)"
        hr_is "$(fact $n-rc "$key")" "$want" "$what (runc, control): $key is the node's ($want)"
done
save_spec hostnetwork-rc cri-sandbox-hostnetwork.json
save_spec hostnetwork-rc main cri-container-hostnetwork.json
save_spec hostipc-rc main cri-container-hostipc.json
delete_pods "host namespaces" hostnetwork-hr hostnetwork-rc hostpid-hr hostpid-rc hostipc-hr hostipc-rc

# hostPath volumes: the node's /, containerd's socket (through /var/run -> /run) and another
# pod's service-account token. Refused in StartContainer: the error names the whole path.
victim_dir=$(eng_in sh -c "ls -d /var/lib/kubelet/pods/$(field exec-hr .uid)/volumes/kubernetes.io~projected/kube-api-access-*")
hostpath() {
        export HP_PATH=$2 HP_CMD=$3
        pods "$1|.spec.volumes = [{name: \"host\", hostPath: {path: \$ENV.HP_PATH}}]
                | .spec.containers[0].volumeMounts = [{name: \"host\", mountPath: \"/host\"}]
                | .spec.containers[0].command = [\"sh\", \"-c\", \"echo seen=\$(\" + \$ENV.HP_CMD + \")\"]"
}
hostpath hostroot / "cat /host/etc/hostname"
hostpath sock /var/run/containerd/containerd.sock "test -S /host && echo socket"
hostpath otherpod "$victim_dir" "cut -c1-20 /host/token"
victim_shm=/run/containerd/io.containerd.grpc.v1.cri/sandboxes/$(field exec-hr .sandbox_id)/shm
eng_in sh -c "echo secret-of-the-pod >$victim_shm/segment"
hostpath othershm "$victim_shm" "cat /host/segment"
run_pods hostroot-hr hostroot-rc sock-hr sock-rc otherpod-hr otherpod-rc othershm-hr othershm-rc
for c in "hostroot|hostPath /|'/' \\(denied host path\\)|$(cat /etc/hostname)" \
        "sock|hostPath /var/run/containerd/containerd.sock|'/run/containerd/containerd.sock' \\(under a denied host path\\)|socket" \
        "otherpod|hostPath of another pod's token volume|'$victim_dir'.*another pod|eyJhbGciOiJSUzI1NiJ9" \
        "othershm|hostPath of another pod's /dev/shm|'$victim_shm'.*another pod|secret-of-the-pod"; do
        IFS='|' read -r n what why want <<<"$c"
        refused $n-hr start mounts "$why" "$what (hardrun)"
        hr_is "$(fact $n-rc seen)" "$want" "$what (runc, control): the container reads it"
done
delete_pods "hostPath volumes" hostroot-hr hostroot-rc sock-hr sock-rc otherpod-hr otherpod-rc \
        othershm-hr othershm-rc

# ---------------------------------------------------------------- 7. exemptions
section '7. exemptions'

# Node agents in kube-system use the host network: one exemption from 'namespaces', scoped to
# the namespace containerd writes into io.kubernetes.cri.sandbox-namespace, lets them run; the
# other rules still apply, and the same pod in another namespace is still refused. hostIPC's
# /dev/shm of the node is part of that one request: the same exemption covers it, without an
# exemption from 'mounts' (which would open every host path).
set_policy '.exemptions = [{rules: ["namespaces"], reason: "node agents use the host network",
        annotations: {"io.kubernetes.cri.sandbox-namespace": "kube-system"}}]'
agent='.metadata.namespace = "kube-system" | .spec.containers[0].command = '"$SLEEP_CMD"
pods "agent|$agent | .spec.hostNetwork = true" "ipcagent|$agent | .spec.hostIPC = true" \
        "rootagent|$agent | .spec.hostNetwork = true | .spec.volumes = [{name: \"host\", hostPath: {path: \"/\"}}]
                | .spec.containers[0].volumeMounts = [{name: \"host\", mountPath: \"/host\"}]" \
        "notagent|.spec.hostNetwork = true"
run_pods --running agent-hr agent-rc ipcagent-hr rootagent-hr notagent-hr
started agent-hr "kube-system hostNetwork pod, exempted from 'namespaces' (hardrun)"
exec_probe agent-hr "$E_TMP/out/agent-hr.exec"
hr_is "$(hr_val "$E_TMP/out/agent-hr.exec" netns)" "$HOST_NET" \
        "exec into the exempted pod (hardrun): it is in the node's network namespace"
eng_hardened "$E_TMP/out/agent-hr.exec" "exec into the exempted pod (hardrun): the rules it is not exempted from still apply"
exec_probe agent-rc "$E_TMP/out/agent-rc.exec"
hr_is "$(hr_val "$E_TMP/out/agent-rc.exec" netns)/$(hr_val "$E_TMP/out/agent-rc.exec" uid)" "$HOST_NET/0" \
        "exec into the same pod (runc, control): the node's network namespace, as root"
hr_is "$(jq -c --arg id "$(field agent-hr .sandbox_id)" 'select(.container == $id and .action == "exempted") | [.rule, .after.reason]' "$AUDIT")" \
        '["namespaces","node agents use the host network"]' \
        "kube-system hostNetwork pod (hardrun): the pause container's exemption is in the audit log, with its reason"
started ipcagent-hr "kube-system hostIPC pod, exempted from 'namespaces' only (hardrun)"
exec_probe ipcagent-hr "$E_TMP/out/ipcagent-hr.exec"
hr_is "$(hr_val "$E_TMP/out/ipcagent-hr.exec" ipcns)" "$HOST_IPC" \
        "kube-system hostIPC pod (hardrun): in the node's IPC namespace, the node's /dev/shm mounted"
refused rootagent-hr start mounts "'/' \\(denied host path\\)" \
        "kube-system hostNetwork pod with hostPath / (hardrun): the exemption from 'namespaces' opens no host path"
refused notagent-hr sandbox namespaces "hostNetwork" "the same hostNetwork pod in namespace default (hardrun)"
delete_pods "exemptions" agent-hr agent-rc ipcagent-hr rootagent-hr notagent-hr
set_policy

# ---------------------------------------------------------------- 8. audit, then deny
section '8. audit, then deny'

# Rollout: in audit mode the privileged root pod runs as asked, every change enforce would make
# is in the log under the pod's namespace and name; deny refuses (the pause container first).
set_policy '.mode = "audit"'
pod audit-hr hardrun '.spec.containers[0].securityContext = {privileged: true}'
run_pods audit-hr
started audit-hr "audit mode: privileged pod (hardrun)"
hr_is "$(fact audit-hr uid)/$(fact audit-hr Seccomp)" "0/0" "audit mode (hardrun): the pod runs as asked (root, no seccomp)"
hr_is "$(jq -r --arg id "$(field audit-hr '.containers[0].id')" 'select(.container == $id) | .action' "$AUDIT" | sort -u | tr '\n' ' ')" \
        "detected would_change " "audit mode (hardrun): its records say would_change (and detected: privileged)"
"$HARDRUNCTL" log --file "$AUDIT" --since 1h >"$E_TMP/out/hardrunctl-log" 2>&1
hr_ctx "$E_TMP/out/hardrunctl-log"
hr_like "$(cat "$E_TMP/out/hardrunctl-log")" "default/audit-hr" "hardrunctl log names the workload by namespace and pod"
delete_pods "audit mode" audit-hr
set_policy '.mode = "deny"'
pod deny-hr hardrun
run_pods deny-hr
refused deny-hr sandbox '[a-z_]+' "io\\.containerd|refusing the container" "deny mode: an ordinary pod (hardrun)"
delete_pods "deny mode" deny-hr
set_policy

# ---------------------------------------------------------------- 8b. restricted-userns
section '8b. restricted-userns'

# containerd 1.6's CRI makes the pod's network namespace in the host's user namespace before the
# sandbox starts, and ignores the kubelet's hostUsers: false (user namespaces came in 1.7, idmap
# mounts in 2.0). A user namespace added by hardrun could not own that network namespace (runc
# would fail to mount sysfs in it): the pod is refused with the reason, never started weaker,
# and leaves no range or mount in hardrun's state.
set_policy . restricted-userns
pod userns-hr hardrun
run_pods userns-hr
refused userns-hr sandbox user_namespace "a new network namespace, which an added user namespace would own" \
        "restricted-userns: a pod under containerd 1.6 (hardrun)"
hr_is "$(eng_in sh -c 'ls -A /run/hardrun/userns 2>/dev/null | grep -c -e "^c-" -e "^\.new-"') $(eng_in grep -c ' /run/hardrun/userns/' /proc/self/mountinfo)" \
        "0 0" "restricted-userns: the refused pod took no range and left no mount"
delete_pods "restricted-userns" userns-hr
set_policy

# ---------------------------------------------------------------- 9. nothing left behind
section '9. nothing left behind'

delete_pods "the last pod" exec-hr
K list >"$E_TMP/out/list.json" 2>&1
hr_is "$(cat "$E_TMP/out/list.json")" '{"sandboxes": [], "containers": []}' \
        "after the teardown containerd lists no pod sandbox and no container"
hr_is "$(eng_in ls -A /run/containerd/io.containerd.runtime.v2.task/k8s.io /run/containerd/runc/k8s.io /run/netns /var/lib/kubelet/pods 2>&1 | grep -v ':$' | grep -v '^$')" "" \
        "no bundle, no runc state, no network namespace, no pod directory left"
hr_is "$(eng_in grep -c ' /run/containerd/io\.containerd\.\| /run/netns/' /proc/self/mountinfo)" 0 \
        "no rootfs, shm or network namespace mount left"
shims=
for p in $(pgrep -x containerd-shim); do # comm of containerd-shim-runc-v2, cut at 15
        [ "$(readlink "/proc/$p/ns/mnt")" = "$(readlink "/proc/$E_NS/ns/mnt")" ] && shims+=" $p"
done
hr_is "$shims" "" "no shim process left"
hr_is "$(find /sys/fs/cgroup -mindepth 3 -maxdepth 4 -type d -path "*/$E_TAG/pod*/*" 2>/dev/null | head -n 3)" "" \
        "no container cgroup left (runc removed them; pod cgroups belong to the kubelet)"

section done
hr_done
