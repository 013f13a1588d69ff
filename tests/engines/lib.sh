# Shared helpers for the engine tests: Docker, containerd and podman driving hardrun end to end.
#
# Each script sources this file, calls eng_setup with the engine binaries it needs (the whole
# script skips when one is missing, or fails with HARDRUN_TEST_STRICT=1), starts its own daemons
# with eng_daemon, runs its cases and ends with hr_done. TAP helpers (hr_ok, hr_is, hr_like,
# hr_todo, hr_policy, hr_val, ...) come from ../integration/lib.sh.
#
# Isolation: every daemon, engine client and container runs in one private mount namespace
# (the "sandbox") with fresh tmpfs over /run, /dev/shm, /etc/docker and /usr/local/sbin, and
# /var/lib copy-on-write. So the sandbox never sees a system daemon's sockets (/run/docker.sock,
# /run/containerd/...), and the state the engines keep in fixed places (containerd's shim
# sockets in /run/containerd/s, ctr's fifos, dockerd's /etc/docker/key.json and
# /run/docker/plugins, podman's /dev/shm/libpod_lock and /var/lib/containers/cache) vanishes
# with it. Engine state (roots, data, sockets) lives in one temp dir, removed on exit, even on
# failure: every process the test started is killed by pid, leftover mounts under the temp dir
# are unmounted, the engines' cgroups removed.
#
# Environment (tests/meson.build): HARDRUN, HARDRUN_TEST, HARDRUN_SRCDIR, HARDRUN_BUILDDIR;
# HARDRUN_TEST_STRICT=1 turns a missing engine into a failure; HARDRUN_TEST_KEEP=1 keeps the
# temp dir (engine logs, container output, audit logs) after the processes are stopped.

. "$(dirname "${BASH_SOURCE[0]}")/../integration/lib.sh"

ENG_TIMEOUT=120
E_TMP=
E_NS=           # pid of the process holding the sandbox mount namespace
E_PIDS=()       # daemons, stopped in reverse order
E_CLEANUP_HOOKS=()
E_TAG=
E_HUGETLB_DIR= # made on the host's cgroup tmpfs for the sandbox's hugetlb mount

# The probe every case runs: HR_PROBE's facts plus the name of pid 1; ENG_PROBE_BODY takes more
# checks after it.
ENG_PROBE_BODY=${HR_PROBE%exit 0}
ENG_PROBE_BODY+='echo "pid1=$(cat /proc/1/comm)"'
ENG_PROBE="$ENG_PROBE_BODY
exit 0"

# eng_setup BINARY...: checks the host and the engine binaries (a missing one skips the
# script), makes the temp dir, sets the cleanup trap and builds the busybox rootfs and its tar.
eng_setup() {
        local t
        [ "$(id -u)" = 0 ] || hr_skip_all "engine tests need root (uid $(id -u))"
        for t in "$@"; do
                if [ "${t#/}" != "$t" ]; then
                        [ -x "$t" ] || hr_skip_all "$t is not installed"
                else
                        command -v "$t" >/dev/null 2>&1 || hr_skip_all "$t is not installed"
                fi
        done
        for t in runc jq timeout unshare nsenter mountpoint; do
                command -v "$t" >/dev/null 2>&1 || hr_skip_all "$t is not installed"
        done
        [ -x /bin/busybox ] || hr_skip_all "/bin/busybox is missing (install busybox-static)"
        if ldd /bin/busybox >/dev/null 2>&1; then
                hr_skip_all "/bin/busybox is dynamically linked (install busybox-static)"
        fi
        [ -n "${HARDRUN_TEST:-}" ] && [ -x "$HARDRUN_TEST" ] ||
                hr_bail "HARDRUN_TEST is not set to the built hardrun-test"
        HARDRUN_SRCDIR=${HARDRUN_SRCDIR:-$(cd "$HR_LIB_DIR/../.." && pwd)}

        # Short: unix socket paths (containerd's ttrpc socket) must stay under 108 bytes.
        E_TMP=$(mktemp -d /tmp/hre.XXXXXX) || hr_bail "mktemp failed"
        chmod 0755 "$E_TMP"
        E_TAG="hrtest-${E_TMP##*.}"
        trap eng_cleanup EXIT
        trap 'eng_cleanup; exit 130' INT
        trap 'eng_cleanup; exit 143' TERM
        eng_make_rootfs "$E_TMP/rootfs" || hr_bail "cannot build the busybox rootfs"
        tar -C "$E_TMP/rootfs" -cf "$E_TMP/rootfs.tar" . || hr_bail "cannot tar the rootfs"
}

eng_make_rootfs() {
        local dir=$1 a
        mkdir -p "$dir/bin" "$dir/etc" "$dir/proc" "$dir/dev" "$dir/sys" "$dir/root" || return 1
        install -d -m 1777 "$dir/tmp" "$dir/var/tmp" || return 1
        cp /bin/busybox "$dir/bin/busybox" || return 1
        for a in $(/bin/busybox --list); do
                [ "$a" = busybox ] || ln -s busybox "$dir/bin/$a"
        done
        printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' \
                >"$dir/etc/passwd"
        printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
}

# eng_image_archive OUT REF [LAYER-TAR [CONFIG-JSON]]: a `docker save` archive (what `ctr images
# import` and `podman load` read) of one layer (default: the busybox rootfs) with an image config
# (default: PATH=/bin, command sh), built without Docker.
eng_image_archive() {
        local out=$1 ref=$2 layer=${3:-$E_TMP/rootfs.tar} config=${4:-'{"Env": ["PATH=/bin"], "Cmd": ["sh"]}'}
        local dir="$E_TMP/image" arch diffid cfg cfgid
        case $(uname -m) in
        x86_64) arch=amd64 ;;
        aarch64) arch=arm64 ;;
        *) arch=$(uname -m) ;;
        esac
        rm -rf "$dir" && mkdir -p "$dir/layer" || return 1
        cp "$layer" "$dir/layer/layer.tar" || return 1
        diffid=$(sha256sum "$dir/layer/layer.tar" | cut -d' ' -f1)
        cfg=$(jq -cn --arg arch "$arch" --arg d "sha256:$diffid" --argjson c "$config" '{
                architecture: $arch, os: "linux", created: "2024-01-01T00:00:00Z",
                config: $c,
                rootfs: {type: "layers", diff_ids: [$d]},
                history: [{created: "2024-01-01T00:00:00Z", created_by: "hardrun engine tests"}]}')
        cfgid=$(printf '%s' "$cfg" | sha256sum | cut -d' ' -f1)
        printf '%s' "$cfg" >"$dir/$cfgid.json"
        mv "$dir/layer" "$dir/$diffid"
        jq -cn --arg c "$cfgid.json" --arg r "$ref" --arg l "$diffid/layer.tar" \
                '[{Config: $c, RepoTags: [$r], Layers: [$l]}]' >"$dir/manifest.json"
        tar -C "$dir" -cf "$out" manifest.json "$cfgid.json" "$diffid"
}

# eng_sandbox [runc] [net]: starts the namespace holder. With "runc", hardrun-test is installed
# as /usr/local/sbin/runc inside the sandbox (a symlink, as an admin would install it), so every
# engine that runs plain "runc" from PATH runs hardrun, which skips itself when it looks up
# the real runc. Its policy comes from HARDRUN_POLICY in the sandbox's environment. With "net",
# the sandbox also has a network namespace of its own (loopback up), which eng_in and
# eng_daemon enter too: what a CNI plugin sets up for the engine's pods stays in there.
E_NET=
eng_sandbox() {
        local as_runc= ready="$E_TMP/sandbox.ready" a unshare_net=()
        for a in "$@"; do
                case $a in
                runc) as_runc=runc ;;
                net) E_NET=1 unshare_net=(-n) ;;
                esac
        done
        unshare -m "${unshare_net[@]}" --propagation private -- bash -c '
                set -e
                if [ -n "$5" ]; then ip link set lo up; fi
                mount -t tmpfs -o mode=0755,size=64m hrtest-run /run
                mount -t tmpfs -o mode=1777,size=64m hrtest-shm /dev/shm
                if [ -d /etc/docker ]; then
                        mount -t tmpfs -o mode=0755,size=1m hrtest-etc-docker /etc/docker
                fi
                mount -t tmpfs -o mode=0755,size=1m hrtest-sbin /usr/local/sbin
                # /var/lib copy-on-write (podman keeps a blob cache in /var/lib/containers).
                mkdir -p "$4/varlib/upper" "$4/varlib/work"
                mount -t overlay -o "lowerdir=/var/lib,upperdir=$4/varlib/upper,workdir=$4/varlib/work" \
                        hrtest-varlib /var/lib || echo "sandbox: /var/lib is shared with the host"
                if [ "$1" = runc ]; then ln -s "$2" /usr/local/sbin/runc; fi
                : >"$3"
                exec sleep infinity' hrtest-sandbox "$as_runc" "$HARDRUN_TEST" "$ready" "$E_TMP" "$E_NET" \
                </dev/null >"$E_TMP/sandbox.log" 2>&1 &
        E_NS=$!
        disown "$E_NS"
        for _ in $(seq 100); do
                [ -e "$ready" ] && return 0
                kill -0 "$E_NS" 2>/dev/null || break
                sleep 0.05
        done
        hr_diag "$(cat "$E_TMP/sandbox.log")"
        hr_bail "cannot set up the sandbox mount namespace"
}

# eng_in CMD...: runs CMD in the sandbox, with a timeout.
eng_in() {
        timeout -k 5 "$ENG_TIMEOUT" nsenter -t "$E_NS" -m ${E_NET:+-n} -- "$@"
}

# eng_daemon NAME SOCKET CMD...: starts a daemon in the sandbox (its log in $E_TMP/NAME.log)
# and waits up to 60 s for it to create SOCKET; the caller then waits for an answer on it.
eng_daemon() {
        local name=$1 sock=$2 pid i
        shift 2
        nsenter -t "$E_NS" -m ${E_NET:+-n} -- "$@" </dev/null >"$E_TMP/$name.log" 2>&1 &
        pid=$!
        disown "$pid"
        E_PIDS+=("$pid")
        for ((i = 0; i < 600; i++)); do
                [ -S "$sock" ] && return 0
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
        done
        hr_diag "$name did not start; last lines of its log:"
        hr_diag "$(tail -n 20 "$E_TMP/$name.log")"
        return 1
}

# eng_containerd NAME [VAR=VALUE...]: a containerd of our own (no CRI plugin) with that
# environment, socket $E_TMP/NAME/sock.
eng_containerd() {
        local name=$1 dir="$E_TMP/$1"
        shift
        mkdir -p "$dir"
        cat >"$dir/config.toml" <<EOF
version = 2
root = "$dir/root"
state = "$dir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$dir/sock"
[ttrpc]
  address = "$dir/sock.ttrpc"
[debug]
  address = "$dir/debug.sock"
EOF
        eng_daemon "$name" "$dir/sock" env "$@" containerd --config "$dir/config.toml" || return 1
        timeout 30 bash -c "until ctr -a '$dir/sock' version >/dev/null 2>&1; do sleep 0.1; done"
}

# eng_wrapper FILE POLICY [ARGV-LOG]: an executable that runs hardrun-test with POLICY (engines
# do not pass our environment to the runtime). With ARGV-LOG it appends its arguments there:
# never to stdout or stderr, which are the container's during create and exec.
eng_wrapper() {
        local file=$1 policy=$2 log=${3:-}
        mkdir -p "$(dirname "$file")"
        {
                echo '#!/bin/sh'
                echo '# hardrun-test with a test policy, for an engine that strips the environment.'
                [ -z "$log" ] || printf 'printf "%%s\\n" "$*" >>%q\n' "$log"
                # HR_CAPTURE_DIR (tests only): keep each created bundle's config.json as the
                # engine wrote it, to refresh tests/data/engine-specs/.
                if [ -n "${HR_CAPTURE_DIR:-}" ]; then
                        printf 'b=; p=; for a in "$@"; do [ "$p" = --bundle ] || [ "$p" = -b ] && b=$a; p=$a; done\n'
                        printf '[ -z "$b" ] || cp "$b/config.json" %q/"$(basename "$b").$$.json" 2>/dev/null\n' \
                                "$HR_CAPTURE_DIR"
                fi
                printf 'HARDRUN_POLICY=%q exec %q "$@"\n' "$policy" "$HARDRUN_TEST"
        } >"$file"
        chmod 0755 "$file"
}

# eng_policy FILE MODE AUDIT-LOG: the restricted preset, every rule in MODE, with the real runc
# (found in the trusted dirs) and a test audit log: engines must keep working under all of it.
eng_policy() {
        jq --arg mode "$2" --arg audit "$3" '.mode = $mode | .runtime = {path: "runc"}
                | .audit.file = $audit | .audit.on_error = "fail"' \
                "$HARDRUN_SRCDIR/profiles/policy/restricted.json" >"$1" ||
                hr_bail "cannot write policy $1"
        chown 0:0 "$1"
        chmod 0644 "$1"
}

# eng_podman_storage DIR DRIVER: private storage (DRIVER: vfs, overlay) and no registry for
# podman, in DIR beside the caller's DIR/containers.conf; sets PM_ENV, the environment every
# podman command gets, for P.
eng_podman_storage() {
        PM_DIR=$1 PM_DRIVER=$2
        printf '[storage]\ndriver = "%s"\nrunroot = "%s"\ngraphroot = "%s"\n' \
                "$PM_DRIVER" "$PM_DIR/runroot" "$PM_DIR/root" >"$PM_DIR/storage.conf"
        printf 'unqualified-search-registries = []\n' >"$PM_DIR/registries.conf"
        PM_ENV=(env -u XDG_RUNTIME_DIR -u CONTAINER_HOST -u CONTAINERS_CONF_OVERRIDE
                CONTAINERS_CONF="$PM_DIR/containers.conf" CONTAINERS_STORAGE_CONF="$PM_DIR/storage.conf"
                CONTAINERS_REGISTRIES_CONF="$PM_DIR/registries.conf")
}

# P ARGS...: podman in the sandbox with eng_podman_storage's storage.
P() {
        eng_in "${PM_ENV[@]}" podman --root "$PM_DIR/root" --runroot "$PM_DIR/runroot" \
                --storage-driver "$PM_DRIVER" "$@"
}

# The PATH the daemons get: the system one, with /usr/local/sbin (hardrun as runc) first.
E_SYS_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# eng_docker_start [DOCKERD-ARG...]: a private containerd and dockerd in the sandbox, with
# contrib/docker/daemon.json (hardrun, pointed at a wrapper with the enforce policy, as the
# default runtime) and hardrun-test installed as runc (policy as-runc.json). The Docker client
# is $D; DOCKER_HOST points at the daemon, SOCK is its socket. Policies, audit logs and outputs
# go to $E_TMP/{policy,audit,out}; every container left is removed on exit.
eng_docker_start() {
        mkdir -p "$E_TMP/policy" "$E_TMP/audit" "$E_TMP/out"
        eng_policy "$E_TMP/policy/enforce.json" enforce "$E_TMP/audit/enforce.log"
        eng_policy "$E_TMP/policy/as-runc.json" enforce "$E_TMP/audit/as-runc.log"
        eng_wrapper "$E_TMP/rt/enforce/hardrun" "$E_TMP/policy/enforce.json"
        jq --arg p "$E_TMP/rt/enforce/hardrun" '.runtimes.hardrun.path = $p' \
                "$HARDRUN_SRCDIR/contrib/docker/daemon.json" >"$E_TMP/daemon.json" ||
                hr_bail "cannot read contrib/docker/daemon.json"
        SOCK="$E_TMP/docker.sock"
        export DOCKER_HOST="unix://$SOCK" DOCKER_CONFIG="$E_TMP/docker-cli"
        E_CLEANUP_HOOKS+=(eng_docker_cleanup)

        eng_sandbox runc
        # `docker stats` reads containerd's cgroup v1 metrics, empty on a hybrid host while
        # hugetlb is on cgroup2.
        eng_sandbox_hugetlb
        # containerd, and through it the runc shim, get the policy of hardrun installed as runc.
        eng_containerd containerd PATH="$E_SYS_PATH" HARDRUN_POLICY="$E_TMP/policy/as-runc.json" ||
                hr_bail "containerd did not start"
        eng_daemon dockerd "$SOCK" \
                env PATH="$E_SYS_PATH" HARDRUN_POLICY="$E_TMP/policy/as-runc.json" \
                dockerd --config-file "$E_TMP/daemon.json" "$@" \
                --iptables=false --ip-forward=false --ip-masq=false --bridge=none \
                --data-root "$E_TMP/docker" --exec-root "$E_TMP/dx" --pidfile "$E_TMP/dockerd.pid" \
                -H "unix://$SOCK" --containerd "$E_TMP/containerd/sock" \
                --cgroup-parent "/$E_TAG" || hr_bail "dockerd did not start"
        eng_wait 60 "$D" version || hr_bail "dockerd does not answer on $SOCK"
}

eng_docker_cleanup() {
        local ids
        ids=$(timeout 30 "$D" ps -aq 2>/dev/null)
        # shellcheck disable=SC2086
        [ -z "$ids" ] || timeout 120 "$D" rm -f $ids >/dev/null 2>&1
}

# eng_hardened OUT WHAT: the facts that must hold in every hardened container.
eng_hardened() {
        local out=$1 what=$2
        hr_is "$(hr_val "$out" uid)" 65534 "$what: uid is 65534"
        hr_is "$(hr_val "$out" CapEff)" 0000000000000000 "$what: CapEff is 0"
        hr_is "$(hr_val "$out" CapBnd)" 0000000000000000 "$what: CapBnd is 0"
        hr_is "$(hr_val "$out" Seccomp)" 2 "$what: Seccomp is 2 (filter)"
        hr_is "$(hr_val "$out" NoNewPrivs)" 1 "$what: NoNewPrivs is 1"
        hr_is "$(hr_val "$out" rootfs)" readonly "$what: / is read-only"
}

# eng_observed ENGINE CASE OUT: one diagnostic line with what the container reported.
eng_observed() {
        local out=$3
        hr_diag "observed $1 $2: uid=$(hr_val "$out" uid) gid=$(hr_val "$out" gid)" \
                "CapEff=$(hr_val "$out" CapEff) CapBnd=$(hr_val "$out" CapBnd)" \
                "Seccomp=$(hr_val "$out" Seccomp) NoNewPrivs=$(hr_val "$out" NoNewPrivs)" \
                "rootfs=$(hr_val "$out" rootfs) tmp=$(hr_val "$out" tmp) tmpexec=$(hr_val "$out" tmpexec)" \
                "pid1=$(hr_val "$out" pid1)"
}

# eng_run OUT CMD...: runs CMD (with a timeout; a shell function sets its own) into
# OUT.stdout/.stderr/.rc.
eng_run() {
        local out=$1
        shift
        if declare -F "$1" >/dev/null; then
                "$@" >"$out.stdout" 2>"$out.stderr" </dev/null
        else
                timeout -k 5 "$ENG_TIMEOUT" "$@" >"$out.stdout" 2>"$out.stderr" </dev/null
        fi
        echo $? >"$out.rc"
        return "$(cat "$out.rc")"
}

# eng_wait SECONDS CMD...: polls CMD every 0.2 s until it succeeds.
eng_wait() {
        local n=$(($1 * 5)) i
        shift
        for ((i = 0; i < n; i++)); do
                "$@" >/dev/null 2>&1 && return 0
                sleep 0.2
        done
        return 1
}

# The pids of every process whose mount namespace is the sandbox's or whose command line
# names the temp dir, and all their descendants: only processes this test started. A handful
# of processes read all of /proc at once (one fork per process was minutes on a busy host).
eng_our_pids() {
        local ns p pp link changed
        local -A ours=() parent=()
        [ -n "$E_NS" ] && ns=$(readlink "/proc/$E_NS/ns/mnt" 2>/dev/null)
        if [ -n "${ns:-}" ]; then
                while read -r p link; do
                        [ "$link" = "$ns" ] || continue
                        p=${p#/proc/}
                        ours[${p%%/*}]=1
                done < <(find /proc/[0-9]*/ns/mnt -maxdepth 0 -printf '%h %l\n' 2>/dev/null)
        fi
        while read -r p; do
                p=${p#/proc/}
                ours[${p%%/*}]=1
        done < <(grep -lsF -f - /proc/[0-9]*/cmdline <<<"$E_TMP/" 2>/dev/null) # not in grep's own
        unset "ours[$$]" "ours[$BASHPID]"
        # Descendants (container processes live in their own namespaces, under the shims):
        # pid and ppid from /proc/PID/stat, after the command name, which may hold spaces.
        while read -r p pp; do
                parent[$p]=$pp
        done < <(cat /proc/[0-9]*/stat 2>/dev/null |
                awk '{ pid = $1; sub(/^.*\) /, ""); print pid, $2 }')
        changed=1
        while [ "$changed" = 1 ]; do
                changed=0
                for p in "${!parent[@]}"; do
                        [ -z "${ours[$p]:-}" ] && [ -n "${ours[${parent[$p]}]:-}" ] || continue
                        ours[$p]=1
                        changed=1
                done
        done
        echo "${!ours[@]}"
}

# eng_sandbox_hugetlb: crun 1.8 refuses hybrid cgroups while hugetlb is still on cgroup2 (and
# Docker's stats come back empty), so the controller is mounted in the sandbox, when the host
# has not; the mount dies with the sandbox, and eng_cleanup removes the directory made for it
# on the host's cgroup tmpfs.
eng_sandbox_hugetlb() {
        hr_hugetlb_needed || return 0
        [ -d /sys/fs/cgroup/hugetlb ] || E_HUGETLB_DIR=/sys/fs/cgroup/hugetlb
        eng_in sh -c 'mkdir -p /sys/fs/cgroup/hugetlb &&
                mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb' ||
                hr_diag "cannot mount the hugetlb controller: crun may fail"
}

# A hugetlb hierarchy mounted in the sandbox (or on the host while the sandbox started, since
# unmounted) outlives it while cgroups are left in it, out of sight of the host: the engines'
# are removed through a mount of it that only this step sees. Decided now, not by who mounted.
eng_remove_hugetlb_cgroups() {
        [ -n "$E_TAG" ] && [ -d "$E_TMP" ] || return 0
        awk '$1 == "hugetlb" && $2 != 0 {v1 = 1} END {exit !v1}' /proc/cgroups || return 0
        mountpoint -q /sys/fs/cgroup/hugetlb && return 0 # the host's find below sees it
        mkdir -p "$E_TMP/hugetlb"
        # shellcheck disable=SC2016
        unshare -m --propagation private sh -c 'mount -t cgroup -o hugetlb cgroup "$1" || exit 1
                for _ in 1 2 3 4 5; do
                        find "$1" -mindepth 1 -depth -type d -path "$1/$2*" \
                                -exec rmdir {} \; 2>/dev/null
                        [ -z "$(find "$1" -mindepth 1 -type d -path "$1/$2*")" ] && exit 0
                        sleep 0.3
                done
                exit 1' sh "$E_TMP/hugetlb" "$E_TAG" ||
                echo "# the engines' cgroups under the hugetlb controller could not all be removed"
}

eng_cleanup() {
        local hook i pid pids m
        set +e
        trap - EXIT INT TERM
        for hook in "${E_CLEANUP_HOOKS[@]}"; do
                "$hook" >/dev/null 2>&1
        done
        # Daemons last-started first, politely, then everything of ours by force.
        for ((i = ${#E_PIDS[@]} - 1; i >= 0; i--)); do
                pid=${E_PIDS[$i]}
                kill -TERM "$pid" 2>/dev/null || continue
                for _ in $(seq 100); do
                        kill -0 "$pid" 2>/dev/null || break
                        sleep 0.1
                done
                kill -KILL "$pid" 2>/dev/null
        done
        if [ -n "$E_TMP" ]; then
                for _ in 1 2 3; do
                        pids=$(eng_our_pids)
                        [ -n "$pids" ] || break
                        # shellcheck disable=SC2086
                        kill -KILL $pids 2>/dev/null
                        sleep 0.3
                done
        fi
        [ -n "$E_NS" ] && kill -KILL "$E_NS" 2>/dev/null
        wait 2>/dev/null
        eng_remove_hugetlb_cgroups
        [ -z "${E_HUGETLB_DIR:-}" ] || rmdir "$E_HUGETLB_DIR" 2>/dev/null
        if [ -n "$E_TMP" ] && [ -d "$E_TMP" ]; then
                # Mounts an engine made outside the sandbox (podman's, a crashed sandbox's).
                for _ in 1 2 3; do
                        m=$(awk -v d="$E_TMP/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r)
                        [ -n "$m" ] || break
                        while read -r pid; do umount -l "$pid" 2>/dev/null; done <<<"$m"
                done
                if [ "${HARDRUN_TEST_KEEP:-0}" = 1 ]; then
                        echo "# kept $E_TMP (HARDRUN_TEST_KEEP=1)"
                else
                        rm -rf --one-file-system "$E_TMP"
                fi
        fi
        # The engines' cgroups (docker --cgroup-parent, ctr's namespace, podman --cgroup-parent).
        if [ -n "$E_TAG" ]; then
                find /sys/fs/cgroup -mindepth 1 -maxdepth 8 -depth -type d -path "*/$E_TAG*" \
                        -exec rmdir {} \; 2>/dev/null
        fi
}
