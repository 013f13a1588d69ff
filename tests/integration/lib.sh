# Shared helpers for the root-only integration tests: TAP output, a static busybox rootfs,
# runc-spec bundles edited with jq, policies, and cleanup of every container a script created.
#
# Each script sources this file, calls hr_setup (which skips the whole script when the host
# cannot run containers), runs its cases for every runtime with hr_for_each_runtime, and ends
# with hr_done.
#
# Environment (set by tests/meson.build): HARDRUN, HARDRUN_TEST, HARDRUN_SRCDIR, HARDRUN_BUILDDIR.
# HARDRUN_TEST_STRICT=1 turns every environment skip (not root, a tool missing, crun unable to
# run a plain container, a policy file installed) into a failure. Known hardrun bugs are TAP
# "# TODO" assertions (expected failures for meson).

set -u
export LC_ALL=C

HR_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HR_STRICT=${HARDRUN_TEST_STRICT:-0}
HR_RUNTIMES=(runc crun)
HR_TIMEOUT=120

HR_N=0          # TAP assertions printed
HR_FAILED=0
HR_TMP=
HR_IDS=()       # "runtime root id" triples, deleted by the cleanup trap
HR_ID_SEQ=0
HR_CONTAINERS_CLEANED=0
HR_CTX=()       # files dumped as diagnostics when an assertion fails
HR_CTX_DUMPED=0
HR_DETAIL=      # printed under the next failing assertion
declare -A HR_RT_SKIP=()   # runtime -> reason it cannot run plain containers

# ---------------------------------------------------------------- TAP

hr_diag() {
        local line
        while IFS= read -r line; do
                printf '# %s\n' "$line"
        done <<<"$*"
}

# Dumps the current context files once per context (container output, hardrun's stderr, ...).
hr_dump_context() {
        local f
        [ "$HR_CTX_DUMPED" = 1 ] && return 0
        HR_CTX_DUMPED=1
        for f in "${HR_CTX[@]}"; do
                if [ -e "$f" ]; then
                        printf '#   --- %s (%s bytes)\n' "$f" "$(stat -c %s "$f" 2>/dev/null)"
                        head -n 40 "$f" | cut -c1-400 | sed 's/^/#   | /'
                else
                        printf '#   --- %s (absent)\n' "$f"
                fi
        done
}

# hr_ctx FILE...: the files that explain the next assertions if they fail.
hr_ctx() {
        HR_CTX=("$@")
        HR_CTX_DUMPED=0
}

# hr_ok STATUS DESCRIPTION: one TAP line; STATUS 0 is a pass.
hr_ok() {
        local status=$1
        shift
        HR_N=$((HR_N + 1))
        if [ "$status" -eq 0 ]; then
                printf 'ok %d - %s\n' "$HR_N" "$*"
                return 0
        fi
        HR_FAILED=$((HR_FAILED + 1))
        printf 'not ok %d - %s\n' "$HR_N" "$*"
        [ -z "$HR_DETAIL" ] || printf '%s\n' "$HR_DETAIL"
        HR_DETAIL=
        hr_dump_context
        return 1
}

# hr_check DESCRIPTION CMD...: passes when CMD succeeds.
hr_check() {
        local desc=$1
        shift
        "$@" >/dev/null 2>&1
        hr_ok $? "$desc"
}

# hr_is GOT WANT DESCRIPTION
hr_is() {
        if [ "$1" == "$2" ]; then
                hr_ok 0 "$3"
        else
                printf -v HR_DETAIL "#   got:  '%s'\n#   want: '%s'" "${1//$'\n'/\\n}" "${2//$'\n'/\\n}"
                hr_ok 1 "$3"
        fi
}

# hr_like TEXT ERE DESCRIPTION
hr_like() {
        if grep -Eq -- "$2" <<<"$1"; then
                hr_ok 0 "$3"
        else
                printf -v HR_DETAIL "#   text:     '%s'\n#   expected: /%s/" "${1//$'\n'/\\n}" "${2//$'\n'/\\n}"
                hr_ok 1 "$3"
        fi
}

# hr_unlike TEXT ERE DESCRIPTION
hr_unlike() {
        if ! grep -Eq -- "$2" <<<"$1"; then
                hr_ok 0 "$3"
        else
                printf -v HR_DETAIL "#   text:         '%s'\n#   not expected: /%s/" "${1//$'\n'/\\n}" "${2//$'\n'/\\n}"
                hr_ok 1 "$3"
        fi
}

# hr_skip DESCRIPTION REASON: a skipped assertion (a failure in strict mode).
hr_skip() {
        HR_N=$((HR_N + 1))
        if [ "$HR_STRICT" = 1 ]; then
                HR_FAILED=$((HR_FAILED + 1))
                printf 'not ok %d - %s (strict mode, would skip: %s)\n' "$HR_N" "${1//$'\n'/\\n}" "${2//$'\n'/\\n}"
        else
                printf 'ok %d - %s # SKIP %s\n' "$HR_N" "${1//$'\n'/\\n}" "${2//$'\n'/\\n}"
        fi
}

# hr_todo STATUS DESCRIPTION REASON: an assertion about a known hardrun bug. It never fails
# the script; when the bug is fixed meson reports an unexpected pass, so drop the TODO then.
hr_todo() {
        local status=$1
        HR_N=$((HR_N + 1))
        if [ "$status" -eq 0 ]; then
                printf 'ok %d - %s # TODO %s\n' "$HR_N" "$2" "$3"
        else
                printf 'not ok %d - %s # TODO %s\n' "$HR_N" "$2" "$3"
        fi
}

hr_skip_all() {
        if [ "$HR_STRICT" = 1 ]; then
                printf '1..1\nnot ok 1 - environment (HARDRUN_TEST_STRICT=1): %s\n' "$*"
                exit 1
        fi
        printf '1..0 # SKIP %s\n' "$*"
        exit 0
}

hr_bail() {
        printf 'Bail out! %s\n' "$*"
        exit 1
}

# The host's /dev/null as the script found it: runtimes that chown their standard streams (crun
# 1.8 on exec) must never reach it through hardrun. The tests' own plain runtime calls get an
# empty pipe as stdin (< <(:)), never /dev/null, for the same reason.
HR_DEVNULL=$(stat -c '%u:%g %a' /dev/null 2>/dev/null)

# hr_devnull_unchanged: one assertion that /dev/null has its owner and mode from the start; a
# changed one is put back, so later scripts start from the same host.
hr_devnull_unchanged() {
        local now
        now=$(stat -c '%u:%g %a' /dev/null 2>/dev/null)
        hr_is "$now" "$HR_DEVNULL" "the host's /dev/null keeps its owner and mode ($HR_DEVNULL)" && return 0
        chown "${HR_DEVNULL%% *}" /dev/null && chmod "${HR_DEVNULL##* }" /dev/null
        return 1
}

hr_done() {
        [ "$(id -u)" != 0 ] || [ "$HR_N" -eq 0 ] || hr_devnull_unchanged
        [ "$(id -u)" != 0 ] || [ "$HR_N" -eq 0 ] || hr_cgroups_removed
        printf '1..%d\n' "$HR_N"
        [ "$HR_FAILED" -eq 0 ] || hr_diag "$HR_FAILED of $HR_N assertions failed"
        [ "$HR_FAILED" -eq 0 ]
        exit $?
}

# ---------------------------------------------------------------- setup and cleanup

# The cgroup directories a container of this script may have left, one per line, deepest first:
# runc and crun put a container whose spec names no cgroupsPath at <own cgroup>/<id> in every
# hierarchy (the memory one may be a sandbox's /process_api/<hash>, the others /). Only paths
# ending in one of this script's ids: never a shared parent.
hr_cgroup_dirs() {
        local mnt own entry rt root id dir
        local -a mounts owns
        mapfile -t mounts < <(findmnt -rn -t cgroup,cgroup2 -o TARGET 2>/dev/null)
        mapfile -t owns < <(cut -d: -f3- /proc/self/cgroup | sort -u)
        for entry in "${HR_IDS[@]}"; do
                read -r rt root id <<<"$entry"
                [[ $id == hrtest-* ]] || continue
                for mnt in "${mounts[@]}"; do
                        for own in "${owns[@]}" /; do
                                [ -d "$mnt${own%/}/$id" ] && printf '%s\n' "$mnt${own%/}/$id"
                        done
                done
        done | sort -u | while IFS= read -r dir; do
                find "$dir" -depth -type d 2>/dev/null
        done
}

# Kills what is still in the cgroups of this script's containers: a runtime killed mid-create
# can leave a forked child (crun's) waiting on a sync pipe no one will write, which neither
# the runtime (it never recorded the container) nor rmdir can remove. An engine kills the
# shim's whole group; the tests do it here. Only this script's container ids are read.
hr_kill_cgroup_procs() {
        local d p
        while IFS= read -r d; do
                [ -r "$d/cgroup.procs" ] || continue
                while IFS= read -r p; do
                        kill -KILL "$p" 2>/dev/null
                done <"$d/cgroup.procs"
        done < <(hr_cgroup_dirs)
}

# Removes the cgroups this script's containers left (a runtime that failed mid-create, crun
# racing a task still exiting on delete): rmdir only, which cannot remove one still in use.
hr_remove_cgroups() {
        local try d left
        for try in 1 2 3 4 5; do
                left=0
                while IFS= read -r d; do
                        rmdir "$d" 2>/dev/null || left=1
                done < <(hr_cgroup_dirs)
                [ "$left" = 0 ] && return 0
                sleep 0.2
        done
        return 1
}

# hr_cgroups_removed: one assertion that this script leaves no cgroup of its containers, in any
# hierarchy at any depth: the containers are deleted and their cgroups removed first.
hr_cgroups_removed() {
        local left=
        local -a mounts
        hr_cleanup_containers
        mapfile -t mounts < <(findmnt -rn -t cgroup,cgroup2 -o TARGET 2>/dev/null)
        if [ "${#mounts[@]}" -gt 0 ]; then
                left=$(find "${mounts[@]}" -maxdepth 5 -type d -name "hrtest-$$-*" 2>/dev/null |
                        sort)
        fi
        hr_is "$left" "" "no cgroup of this script's containers is left (hrtest-$$-*)"
}

# Kills and deletes every container this script created, then removes their cgroups.
hr_cleanup_containers() {
        local entry rt root id
        [ "$HR_CONTAINERS_CLEANED" = 1 ] && return 0
        for entry in "${HR_IDS[@]}"; do
                read -r rt root id <<<"$entry"
                [ -d "$root" ] || continue
                timeout -k 5 60 "$rt" --root "$root" kill "$id" KILL >/dev/null 2>&1
                timeout -k 5 60 "$rt" --root "$root" delete -f "$id" >/dev/null 2>&1
        done
        hr_kill_cgroup_procs
        hr_remove_cgroups
        HR_CONTAINERS_CLEANED=1
}

hr_cleanup() {
        set +e
        hr_cleanup_containers
        # After the containers: their hugetlb cgroups are gone with them.
        if [ "${HR_HUGETLB_MOUNTED:-0}" = 1 ]; then
                umount /sys/fs/cgroup/hugetlb || hr_diag "cannot unmount /sys/fs/cgroup/hugetlb"
        fi
        [ -z "${HR_HUGETLB_DIR:-}" ] || rmdir "$HR_HUGETLB_DIR" 2>/dev/null
        if [ -n "$HR_TMP" ] && [ -d "$HR_TMP" ]; then
                rm -rf --one-file-system "$HR_TMP"
        fi
        if [ -n "${HR_REMOVE_DIR:-}" ] && [ -d "$HR_REMOVE_DIR" ]; then
                rm -rf --one-file-system "$HR_REMOVE_DIR"
        fi
}

# hr_new_id VAR RUNTIME ROOT [SUFFIX]: a container id unique to this run ("-SUFFIX" at its end),
# deleted again on exit.
hr_new_id() {
        HR_ID_SEQ=$((HR_ID_SEQ + 1))
        printf -v "$1" 'hrtest-%s-%s%s' "$$" "$HR_ID_SEQ" "${4:+-$4}"
        HR_IDS+=("$2 $3 ${!1}")
        HR_CONTAINERS_CLEANED=0
}

hr_require_tools() {
        local t
        [ "$(id -u)" = 0 ] || hr_skip_all "integration tests need root (uid $(id -u))"
        for t in runc crun jq timeout; do
                command -v "$t" >/dev/null 2>&1 || hr_skip_all "$t is not installed"
        done
        [ -x /bin/busybox ] || hr_skip_all "/bin/busybox is missing (install busybox-static)"
        if ldd /bin/busybox >/dev/null 2>&1; then
                hr_skip_all "/bin/busybox is dynamically linked (install busybox-static)"
        fi
        [ -n "${HARDRUN:-}" ] && [ -x "$HARDRUN" ] || hr_bail "HARDRUN is not set to the built hardrun"
        [ -n "${HARDRUN_TEST:-}" ] && [ -x "$HARDRUN_TEST" ] ||
                hr_bail "HARDRUN_TEST is not set to the built hardrun-test"
        HARDRUN_SRCDIR=${HARDRUN_SRCDIR:-$(cd "$HR_LIB_DIR/../.." && pwd)}
        HARDRUN_BUILDDIR=${HARDRUN_BUILDDIR:-$(dirname "$(dirname "$HARDRUN")")}
}

HR_APPLETS=(sh id grep touch cp true sed cat sleep ls)

hr_make_rootfs() {
        local dir=$1 a
        mkdir -p "$dir/bin" "$dir/proc" "$dir/dev" "$dir/sys" "$dir/etc"
        # Real images ship /tmp and /var/tmp as 1777. runc chmods a tmpfs to the mode of the
        # directory it covers, so a 0755 /tmp would be a read-only scratch dir for uid 65534.
        install -d -m 1777 "$dir/tmp" "$dir/var/tmp"
        cp /bin/busybox "$dir/bin/busybox"
        for a in "${HR_APPLETS[@]}"; do
                ln -s busybox "$dir/bin/$a"
        done
}

# Capabilities this host can grant, as OCI names: the bounding set of this shell, mapped bit by
# bit (capsh --decode when present, else a static table), so plain runc can run the bundle.
HR_CAP_TABLE=(CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP
        LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER
        SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE
        SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP
        MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF
        CHECKPOINT_RESTORE)

hr_host_caps_json() {
        local mask bit names=() decoded n
        mask=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
        if command -v capsh >/dev/null 2>&1 &&
                decoded=$(capsh --decode="$mask" 2>/dev/null) && [ -n "$decoded" ]; then
                decoded=${decoded#*=}
                IFS=, read -r -a names <<<"$decoded"
                for n in "${!names[@]}"; do
                        names[$n]=$(tr '[:lower:]' '[:upper:]' <<<"${names[$n]}")
                        # Numbers are bits libcap cannot name; neither can runc.
                        [[ ${names[$n]} =~ ^CAP_[A-Z_]+$ ]] || unset 'names[n]'
                done
        else
                for bit in "${!HR_CAP_TABLE[@]}"; do
                        if (((0x$mask >> bit) & 1)); then
                                names+=("CAP_${HR_CAP_TABLE[$bit]}")
                        fi
                done
        fi
        printf '%s\n' "${names[@]}" | jq -R . | jq -cs .
}

# The probe the container runs: one key=value or "Name:\tvalue" line per fact.
HR_PROBE='echo "uid=$(id -u)"
echo "gid=$(id -g)"
echo "groups=$(id -G)"
grep -E "^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):" /proc/self/status
if touch /hardrun-probe; then echo rootfs=writable; else echo rootfs=readonly; fi
if touch /tmp/ok; then echo tmp=writable; else echo tmp=unwritable; fi
if cp /bin/busybox /tmp/busybox; then echo tmpcp=ok; else echo tmpcp=failed; fi
if /tmp/busybox true; then echo tmpexec=yes; else echo tmpexec=no; fi
grep " /tmp " /proc/self/mounts | sed "s/^/tmpmount=/"
exit 0'

hr_setup() {
        hr_require_tools
        HR_TMP=$(mktemp -d "${TMPDIR:-/tmp}/hardrun-it.XXXXXX") || hr_bail "mktemp failed"
        chmod 0755 "$HR_TMP"
        trap hr_cleanup EXIT
        trap 'exit 130' INT
        trap 'exit 143' TERM

        hr_make_rootfs "$HR_TMP/rootfs" || hr_bail "cannot build the busybox rootfs"
        (cd "$HR_TMP" && runc spec) || hr_bail "runc spec failed"
        mv "$HR_TMP/config.json" "$HR_TMP/spec.json"
        HR_HOST_CAPS=$(hr_host_caps_json)
        [ -n "$HR_HOST_CAPS" ] && [ "$HR_HOST_CAPS" != "[]" ] || hr_bail "no capabilities parsed"
        HR_SECCOMP_PROFILE="$HARDRUN_SRCDIR/profiles/seccomp/default.json"

        hr_probe_runtime runc
        hr_probe_runtime crun
}

# hr_bundle DIR [JQ-FILTER]: a bundle with its own rootfs copy and a plain runc-spec config.
hr_bundle() {
        local dir=$1 filter=${2:-.}
        mkdir -p "$dir"
        cp -a "$HR_TMP/rootfs" "$dir/rootfs"
        jq --arg probe "$HR_PROBE" '.process.terminal = false | .process.args = ["sh", "-c", $probe]' \
                "$HR_TMP/spec.json" | jq "$filter" >"$dir/config.json"
}

# The filter that makes a config as hostile as the host allows.
hr_hostile_filter() {
        printf '%s' ".process.user = {uid: 0, gid: 0, additionalGids: [0]}
                | .process.capabilities = {bounding: $HR_HOST_CAPS, effective: $HR_HOST_CAPS,
                        permitted: $HR_HOST_CAPS, inheritable: $HR_HOST_CAPS, ambient: $HR_HOST_CAPS}
                | del(.linux.seccomp) | .root.readonly = false | .process.noNewPrivileges = false"
}

hr_hostile_bundle() {
        hr_bundle "$1" "$(hr_hostile_filter)${2:+ | $2}"
}

# hr_plain_run RUNTIME ROOT BUNDLE OUT: the runtime alone, no hardrun.
hr_plain_run() {
        local rt=$1 root=$2 bundle=$3 out=$4 id
        hr_new_id id "$rt" "$root"
        (cd "$bundle" && timeout -k 5 "$HR_TIMEOUT" "$rt" --root "$root" run "$id") \
                >"$out.stdout" 2>"$out.stderr" < <(:)
        echo $? >"$out.rc"
        return "$(cat "$out.rc")"
}

# hr_hugetlb_needed: crun 1.8 refuses hybrid cgroups (v1 controllers on a cgroup tmpfs) while
# the hugetlb controller is still on cgroup2; true when it is.
hr_hugetlb_needed() {
        [ -d /sys/fs/cgroup ] && [ "$(stat -f -c %T /sys/fs/cgroup)" = tmpfs ] &&
                ! mountpoint -q /sys/fs/cgroup/hugetlb
}

hr_probe_runtime() {
        local rt=$1 dir="$HR_TMP/probe-$1"
        hr_bundle "$dir" '.process.args = ["true"]'
        hr_plain_run "$rt" "$dir/state" "$dir" "$dir/run" && return 0
        if [ "$rt" = crun ] && hr_hugetlb_needed; then
                # hr_cleanup unmounts it again: the host is left as it was found.
                hr_diag "crun cannot run a plain container; mounting the hugetlb v1 controller"
                [ -d /sys/fs/cgroup/hugetlb ] || HR_HUGETLB_DIR=/sys/fs/cgroup/hugetlb
                mkdir -p /sys/fs/cgroup/hugetlb &&
                        mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb &&
                        HR_HUGETLB_MOUNTED=1 &&
                        hr_plain_run "$rt" "$dir/state" "$dir" "$dir/run" && return 0
        fi
        HR_RT_SKIP[$rt]="$rt cannot run a plain container on this host: $(tr '\n' ' ' <"$dir/run.stderr" | cut -c1-200 | sed "s/ *$//")"
        hr_diag "${HR_RT_SKIP[$rt]}"
        return 1
}

# hr_for_each_runtime DESCRIPTION FUNCTION: FUNCTION RUNTIME for runc and crun, or a skip line.
hr_for_each_runtime() {
        local desc=$1 fn=$2 rt
        for rt in "${HR_RUNTIMES[@]}"; do
                if [ -n "${HR_RT_SKIP[$rt]:-}" ]; then
                        hr_skip "$rt: $desc" "${HR_RT_SKIP[$rt]}"
                        continue
                fi
                hr_diag "=== $rt: $desc"
                "$fn" "$rt"
        done
}

# ---------------------------------------------------------------- policies and hardrun

# hr_policy FILE RUNTIME MODE AUDIT-LOG [JQ-FILTER]: a root-owned 0644 policy file.
hr_policy() {
        local file=$1 rt=$2 mode=$3 audit=$4 filter=${5:-.}
        jq -n --arg rt "$rt" --arg mode "$mode" --arg audit "$audit" '{
                version: 1, mode: $mode, runtime: {path: $rt},
                audit: {file: $audit, syslog: false, on_error: "fail"},
                rules: {
                        user: {uid: 65534, gid: 65534, keep_non_root: true},
                        capabilities: {allow: [], inheritable: false},
                        seccomp: {profile: "default"},
                        rootfs: {tmpfs: [
                                {path: "/tmp", options: "mode=1777,size=64m"},
                                {path: "/var/tmp", options: "mode=1777,size=64m"},
                                {path: "/run", options: "mode=1777,size=64m"}]},
                        no_new_privileges: {},
                        # The foundation tests look at the rules above; each later rule has
                        # its own script (rule-*.sh) that turns it on.
                        privileged: {mode: "off"}, mount_options: {mode: "off"},
                        masked_paths: {mode: "off"}, hooks: {mode: "off"},
                        sysctls: {mode: "off"}, resources: {mode: "off"},
                        rlimits: {mode: "off"}, lsm: {mode: "off"},
                        net_devices: {mode: "off"}, env_secrets: {mode: "off"},
                        image: {mode: "off"}
                }
        }' | jq "$filter" >"$file" || hr_bail "cannot write policy $file"
        chown 0:0 "$file"
        chmod 0644 "$file"
}

# hr_hardrun POLICY OUT ARGS...: hardrun-test with that policy; OUT.stdout/.stderr/.rc.
hr_hardrun() {
        local policy=$1 out=$2
        shift 2
        HARDRUN_POLICY=$policy timeout -k 5 "$HR_TIMEOUT" "$HARDRUN_TEST" "$@" \
                >"$out.stdout" 2>"$out.stderr" </dev/null
        echo $? >"$out.rc"
        return "$(cat "$out.rc")"
}

# hr_preset_policy FILE RUNTIME PRESET AUDIT-LOG [JQ-FILTER]: profiles/policy/PRESET.json as it
# ships, with only the runtime and the audit file set (and the filter applied), root-owned 0644.
hr_preset_policy() {
        local file=$1 rt=$2 preset=$3 audit=$4 filter=${5:-.}
        jq --arg rt "$rt" --arg audit "$audit" '.runtime = {path: $rt} | .audit.file = $audit' \
                "$HARDRUN_SRCDIR/profiles/policy/$preset.json" | jq "$filter" >"$file" ||
                hr_bail "cannot write policy $file"
        chown 0:0 "$file"
        chmod 0644 "$file"
}

# hr_run_bundle RUNTIME ROOT POLICY BUNDLE OUT [RUN-OPTION...]: `hardrun-test --root ROOT run
# [RUN-OPTION...] --bundle BUNDLE ID` under POLICY with a new id; OUT.stdout/.stderr/.rc as
# hr_hardrun, and BUNDLE/config.json as it was before the run in OUT.config.before. The run is
# left in HR_RUN_RT, HR_RUN_ROOT, HR_RUN_ID, HR_RUN_OUT, HR_RUN_CONFIG (the bundle's
# config.json) and HR_RUN_AUDIT (the policy's audit log) for the hr_expect_* helpers below.
# HR_RUN_WRAP, when set, is a command the run goes through (e.g. nsenter into a namespace).
hr_run_bundle() {
        local rt=$1 root=$2 policy=$3 bundle=$4 out=$5
        shift 5
        HR_RUN_RT=$rt
        HR_RUN_ROOT=$root
        HR_RUN_OUT=$out
        HR_RUN_CONFIG="$bundle/config.json"
        HR_RUN_AUDIT=$(jq -r '.audit.file // empty' "$policy")
        hr_new_id HR_RUN_ID "$rt" "$root"
        cp -p "$HR_RUN_CONFIG" "$out.config.before"
        hr_ctx "$out.stdout" "$out.stderr" "$HR_RUN_AUDIT"
        HARDRUN_POLICY=$policy ${HR_RUN_WRAP:-} timeout -k 5 "$HR_TIMEOUT" "$HARDRUN_TEST" \
                --root "$root" run "$@" --bundle "$bundle" "$HR_RUN_ID" \
                >"$out.stdout" 2>"$out.stderr" <"${HR_RUN_STDIN:-/dev/null}"
        echo $? >"$out.rc"
        return "$(cat "$out.rc")"
}

# hr_run_mode RUNTIME ROOT BUNDLE OUT MODE [POLICY-FILTER [RUN-OPTION...]]: hr_run_bundle under
# a fresh hr_policy in MODE (OUT.policy.json, audit log OUT.audit.log) with the filter applied.
hr_run_mode() {
        local rt=$1 root=$2 bundle=$3 out=$4 mode=$5 filter=${6:-.}
        shift 6 2>/dev/null || shift $#
        rm -f "$out.audit.log"
        hr_policy "$out.policy.json" "$rt" "$mode" "$out.audit.log" "$filter"
        hr_run_bundle "$rt" "$root" "$out.policy.json" "$bundle" "$out" "$@"
}

# hr_rule_modes RUNTIME DIR BUNDLE-FILTER POLICY-FILTER CHECK [GLOBAL-MODE]: the skeleton of a
# rule script. A hostile bundle (hr_hostile_bundle with BUNDLE-FILTER) runs in the plain runtime
# (DIR/plain, bundle DIR/plain-bundle), then through hardrun in enforce, audit and deny (DIR/MODE,
# bundle DIR/MODE-bundle) under an hr_policy in GLOBAL-MODE (default: the mode itself) with
# POLICY-FILTER applied; both filters read the mode as $ENV.HR_MODE. After each run CHECK MODE
# OUT BUNDLE makes the script's own checks: MODE is plain first, OUT.rc, OUT.stdout and
# OUT.stderr hold the run, and after a hardrun run the hr_expect_* helpers read it. Containers
# live under DIR/state.
hr_rule_modes() {
        local rt=$1 dir=$2 filter=$3 policy=$4 check=$5 global=${6:-} out b
        local -x HR_MODE=plain

        b="$dir/plain-bundle"
        out="$dir/plain"
        hr_hostile_bundle "$b" "$filter"
        hr_ctx "$out.stdout" "$out.stderr"
        hr_plain_run "$rt" "$dir/state" "$b" "$out"
        "$check" plain "$out" "$b"
        for HR_MODE in enforce audit deny; do
                b="$dir/$HR_MODE-bundle"
                out="$dir/$HR_MODE"
                hr_hostile_bundle "$b" "$filter"
                hr_run_mode "$rt" "$dir/state" "$b" "$out" "${global:-$HR_MODE}" "$policy"
                "$check" "$HR_MODE" "$out" "$b"
        done
}

# hr_hardrun_real OUT ARGS...: the installed-path binary (its compiled-in policy path).
hr_hardrun_real() {
        local out=$1
        shift
        timeout -k 5 "$HR_TIMEOUT" "$HARDRUN" "$@" >"$out.stdout" 2>"$out.stderr" </dev/null
        echo $? >"$out.rc"
        return "$(cat "$out.rc")"
}

# ---------------------------------------------------------------- reading results

# hr_val FILE KEY: the value of "KEY=value" or "KEY:<tab>value" in container output.
hr_val() {
        awk -v k="$2" '
                index($0, k "=") == 1 { print substr($0, length(k) + 2); exit }
                index($0, k ":") == 1 { v = substr($0, length(k) + 2); gsub(/^[ \t]+/, "", v); print v; exit }
        ' "$1"
}

# hr_audit_count FILE [JQ-SELECT]: number of audit records (matching the select).
hr_audit_count() {
        local file=$1 sel=${2:-true}
        [ -s "$file" ] || {
                echo 0
                return
        }
        jq -c "select($sel)" "$file" 2>/dev/null | wc -l
}

# hr_audit_rules FILE ACTION: sorted unique rules with that action.
hr_audit_rules() {
        [ -s "$1" ] || return 0
        jq -r --arg a "$2" 'select(.action == $a) | .rule' "$1" 2>/dev/null | sort -u | tr '\n' ' ' |
                sed 's/ $//'
}

# hr_no_container RUNTIME ROOT ID DESC: state fails and list is empty.
hr_no_container() {
        local rt=$1 root=$2 id=$3 desc=$4 list
        ! timeout -k 5 60 "$rt" --root "$root" state "$id" >/dev/null 2>&1
        hr_ok $? "$desc: '$rt state $id' fails"
        list=$(timeout -k 5 60 "$rt" --root "$root" list -q 2>/dev/null)
        hr_is "$list" "" "$desc: '$rt list' is empty"
}

# hr_expect_records WHAT ACTION RULE [PATH...]: the last run's audit log has records for RULE
# and they are all ACTION, at exactly those paths when paths are given (in any order).
hr_expect_records() {
        local what=$1 action=$2 rule=$3 want
        shift 3
        if [ $# -eq 0 ]; then
                hr_is "$(jq -r --arg r "$rule" 'select(.rule == $r) | .action' "$HR_RUN_AUDIT" 2>/dev/null |
                        sort -u)" "$action" "$what: the $rule records are $action"
                return
        fi
        want=$(printf "$action %s\n" "$@" | sort)
        hr_is "$(jq -r --arg r "$rule" 'select(.rule == $r) | "\(.action) \(.path)"' "$HR_RUN_AUDIT" \
                2>/dev/null | sort)" "$want" "$what: the $rule records are $action at $*"
}

# hr_expect_config_unchanged WHAT [JQ-PART]: the last run left the bundle's config.json as it
# was (byte for byte), or only that part of it when other rules may rewrite the rest.
hr_expect_config_unchanged() {
        local what=$1 part=${2:-}
        if [ -z "$part" ]; then
                hr_check "$what: config.json is unchanged (cmp)" cmp "$HR_RUN_OUT.config.before" "$HR_RUN_CONFIG"
        else
                hr_is "$(jq -c "$part" "$HR_RUN_CONFIG")" "$(jq -c "$part" "$HR_RUN_OUT.config.before")" \
                        "$what: config.json $part is unchanged"
        fi
}

# hr_expect_refused WHAT RULE MESSAGE-ERE [PATH...]: the standard outcome of a refused run:
# exit 1, nothing on stdout (the container never ran), stderr matches the ERE, config.json
# unchanged, no container left, and only RULE's records are denied; with paths, RULE's records
# are denied at exactly those paths (other rules may deny too, as in a policy in deny mode).
hr_expect_refused() {
        local what=$1 rule=$2 msg=$3
        shift 3
        hr_is "$(cat "$HR_RUN_OUT.rc")" 1 "$what: hardrun-test run exits 1"
        hr_is "$(cat "$HR_RUN_OUT.stdout")" "" "$what: the container never ran"
        hr_like "$(cat "$HR_RUN_OUT.stderr")" "$msg" "$what: the message matches /$msg/"
        hr_expect_config_unchanged "$what"
        hr_no_container "$HR_RUN_RT" "$HR_RUN_ROOT" "$HR_RUN_ID" "$what"
        if [ $# -eq 0 ]; then
                hr_is "$(hr_audit_rules "$HR_RUN_AUDIT" denied)" "$rule" "$what: only $rule records are denied"
        else
                hr_expect_records "$what" denied "$rule" "$@"
        fi
}

# hr_expect_audited WHAT RULE JQ-PART [PATH...]: the standard outcome of a rule in audit mode:
# the run exits 0, the rule's part of config.json is unchanged ('' for the whole file, when
# no other rule enforces) and the rule's records are would_change (at exactly PATH...).
hr_expect_audited() {
        local what=$1 rule=$2 part=$3
        shift 3
        hr_is "$(cat "$HR_RUN_OUT.rc")" 0 "$what: hardrun-test run exits 0"
        hr_expect_config_unchanged "$what" "$part"
        hr_expect_records "$what" would_change "$rule" "$@"
}

# The hardened probe values every enforce case expects.
hr_expect_hardened() {
        local out=$1 what=$2 f
        hr_is "$(hr_val "$out" uid)" 65534 "$what: uid is 65534"
        hr_is "$(hr_val "$out" gid)" 65534 "$what: gid is 65534"
        hr_is "$(hr_val "$out" groups)" 65534 "$what: no supplementary group 0 (id -G)"
        for f in CapEff CapPrm CapBnd CapInh CapAmb; do
                hr_is "$(hr_val "$out" $f)" 0000000000000000 "$what: $f is 0000000000000000"
        done
        hr_is "$(hr_val "$out" Seccomp)" 2 "$what: Seccomp is 2 (filter)"
        hr_is "$(hr_val "$out" NoNewPrivs)" 1 "$what: NoNewPrivs is 1"
        hr_is "$(hr_val "$out" rootfs)" readonly "$what: touch /hardrun-probe fails (read-only rootfs)"
        hr_is "$(hr_val "$out" tmp)" writable "$what: touch /tmp/ok succeeds (tmpfs)"
        hr_is "$(hr_val "$out" tmpcp)" ok "$what: busybox can be copied to /tmp"
        hr_is "$(hr_val "$out" tmpexec)" no "$what: /tmp/busybox cannot be executed (noexec)"
        hr_like "$(hr_val "$out" tmpmount)" '^tmpfs /tmp tmpfs .*nosuid.*nodev.*noexec' \
                "$what: /tmp is a nosuid,nodev,noexec tmpfs"
}

# Fields of a config.json hardened by the default-like policy.
hr_expect_hardened_config() {
        local cfg=$1 what=$2 m
        hr_check "$what: config.json is valid JSON" jq -e . "$cfg"
        hr_is "$(jq -c '.process.user' "$cfg")" '{"uid":65534,"gid":65534,"additionalGids":[]}' \
                "$what: config.json process.user is 65534/65534 without group 0"
        hr_is "$(jq -c '[.process.capabilities[]] | add' "$cfg")" '[]' \
                "$what: config.json capability sets are all empty"
        hr_is "$(jq -c '.process.capabilities | keys' "$cfg")" \
                '["ambient","bounding","effective","inheritable","permitted"]' \
                "$what: config.json keeps all five capability sets"
        hr_is "$(jq -S -c '.linux.seccomp' "$cfg")" "$(host_profile "$HR_SECCOMP_PROFILE")" \
                "$what: config.json linux.seccomp is the default profile"
        hr_is "$(jq -c '.root.readonly' "$cfg")" true "$what: config.json root.readonly is true"
        hr_is "$(jq -c '.process.noNewPrivileges' "$cfg")" true \
                "$what: config.json process.noNewPrivileges is true"
        for m in /tmp /var/tmp /run; do
                hr_is "$(jq -c --arg d "$m" '[.mounts[] | select(.destination == $d)
                        | {type, source, options: (.options | sort)}]' "$cfg")" \
                        '[{"type":"tmpfs","source":"tmpfs","options":["gid=65534","mode=1777","nodev","noexec","nosuid","size=64m","uid=65534"]}]' \
                        "$what: config.json mounts one tmpfs on $m with nosuid,nodev,noexec, owned by 65534"
        done
}

# The profile as hardrun installs it on this host: only the architectures the host can run
# (x86_64 and x86 on amd64, aarch64 and arm on arm64; see seccomp_profile_keep_host_arches).
host_profile() {
        local keep
        case $(uname -m) in
        x86_64) keep='["SCMP_ARCH_X86_64","SCMP_ARCH_X86"]' ;;
        aarch64) keep='["SCMP_ARCH_AARCH64","SCMP_ARCH_ARM"]' ;;
        *) keep=null ;;
        esac
        jq -S -c --argjson keep "$keep" \
                'if $keep != null and ((.architectures // []) | index($keep[0])) != null
                 then .architectures |= map(select(. as $a | $keep | index($a))) else . end' "$1"
}

# Every line of an audit log is a complete record for this container.
hr_expect_audit_records() {
        local log=$1 id=$2 sub=$3 what=$4 bad
        hr_check "$what: audit log exists and is not empty" test -s "$log"
        bad=$(jq -c --arg id "$id" --arg sub "$sub" 'select(
                (keys - ["workload", "name", "image", "pod"] | sort) !=
                        (["action","after","before","bundle","container","file","mode","node",
                          "path","policy","rule","subcommand","time","version"])
                or ((.workload // {}) | type) != "object"
                or .container != $id or .subcommand != $sub or (.time | type) != "string"
                or (.policy | test("^sha256:[0-9a-f]{64}$") | not)
                or (.path | . == "" or startswith("/") | not))' "$log" 2>&1)
        hr_is "$bad" "" "$what: every audit record is one JSON object with all 14 fields (and an optional workload, name, image, pod) for $id/$sub"
}
