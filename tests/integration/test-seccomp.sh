#!/bin/bash
# Seccomp by effect. A static probe (tests/helpers/syscall-probe.c) runs in runc and crun
# containers started through hardrun-test, under the built-in default and strict profiles and
# under file copies of them whose EPERM answers are rewritten to errno 1000 (so an EPERM the
# kernel gives for a missing capability cannot pass for the filter's). Every blocked syscall
# must return its configured errno, clone3 and the arguments the filters refuse ENOSYS, and the
# basic work of a service (file I/O, loopback TCP, threads, posix_spawn, fork, ...) must work.
# keep_if_stricter is checked on a container that brings the strict profile itself.
#
# Environment (tests/meson.build): HARDRUN_TEST, HARDRUNCTL, SYSCALL_PROBE, HARDRUN_SRCDIR.
# Skips (1..0 # SKIP) without root, runc/crun, jq or a static busybox; HARDRUN_TEST_STRICT=1 turns
# skips into failures.
set -u
export LC_ALL=C

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

STRICT_MODE=${HARDRUN_TEST_STRICT:-0}
TIMEOUT=120
REWRITTEN=1000
N=0
FAILED=0
TMP=
IDS=()
declare -A RT_SKIP=()

# ---------------------------------------------------------------- TAP

diag() {
        local line
        while IFS= read -r line; do printf '# %s\n' "$line"; done <<<"$*"
}

ok() {
        local status=$1
        shift
        N=$((N + 1))
        if [ "$status" -eq 0 ]; then
                printf 'ok %d - %s\n' "$N" "$*"
        else
                FAILED=$((FAILED + 1))
                printf 'not ok %d - %s\n' "$N" "$*"
        fi
}

is() { # GOT WANT DESCRIPTION
        if [ "$1" == "$2" ]; then
                ok 0 "$3"
        else
                ok 1 "$3"
                diag "  got:  '$1'" "  want: '$2'"
        fi
}

skip() { # DESCRIPTION REASON
        N=$((N + 1))
        if [ "$STRICT_MODE" = 1 ]; then
                FAILED=$((FAILED + 1))
                printf 'not ok %d - %s (strict mode, would skip: %s)\n' "$N" "$1" "$2"
        else
                printf 'ok %d - %s # SKIP %s\n' "$N" "$1" "$2"
        fi
}

skip_all() {
        if [ "$STRICT_MODE" = 1 ]; then
                printf '1..1\nnot ok 1 - environment (HARDRUN_TEST_STRICT=1): %s\n' "$*"
                exit 1
        fi
        printf '1..0 # SKIP %s\n' "$*"
        exit 0
}

bail() {
        printf 'Bail out! %s\n' "$*"
        exit 1
}

# ---------------------------------------------------------------- setup

cleanup() {
        local entry rt root id
        set +e
        for entry in "${IDS[@]}"; do
                read -r rt root id <<<"$entry"
                timeout -k 5 60 "$rt" --root "$root" delete -f "$id" >/dev/null 2>&1
        done
        [ -n "$TMP" ] && [ -d "$TMP" ] && rm -rf --one-file-system "$TMP"
}

[ "$(id -u)" = 0 ] || skip_all "not root"
for tool in jq runc crun timeout; do
        command -v "$tool" >/dev/null 2>&1 || skip_all "$tool is not installed"
done
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 ||
        skip_all "/bin/busybox is missing or dynamically linked (install busybox-static)"
[ -n "${SYSCALL_PROBE:-}" ] && [ -x "$SYSCALL_PROBE" ] ||
        skip_all "no static syscall-probe (the compiler cannot link statically)"
for var in HARDRUN_TEST HARDRUNCTL; do
        [ -n "${!var:-}" ] && [ -x "${!var}" ] || bail "$var is not set to a built binary"
done
HARDRUN_SRCDIR=${HARDRUN_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
ARCH=$(uname -m)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/hardrun-seccomp.XXXXXX") || bail "mktemp failed"
chmod 0755 "$TMP"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# One read-only rootfs for every container: busybox for posix_spawn's /bin/true, the probe.
mkdir -p "$TMP/rootfs/bin" "$TMP/rootfs/proc" "$TMP/rootfs/dev" "$TMP/rootfs/sys" \
        "$TMP/rootfs/etc" "$TMP/rootfs/run" "$TMP/profiles"
install -d -m 1777 "$TMP/rootfs/tmp" "$TMP/rootfs/var/tmp"
cp /bin/busybox "$TMP/rootfs/bin/busybox"
ln -s busybox "$TMP/rootfs/bin/sh"
ln -s busybox "$TMP/rootfs/bin/true"
cp "$SYSCALL_PROBE" "$TMP/rootfs/bin/syscall-probe"
(cd "$TMP" && runc spec) || bail "runc spec failed"
mv "$TMP/config.json" "$TMP/spec.json"

SEQ=0
# run RUNTIME POLICY OUT [JQ-FILTER] -- PROBE-ARGS...: a container through hardrun-test.
run() {
        local rt=$1 policy=$2 out=$3 filter=$4 bundle id root="$TMP/state-$1"
        shift 5
        SEQ=$((SEQ + 1))
        bundle="$TMP/bundle-$SEQ"
        id="hardrun-seccomp-$$-$SEQ"
        mkdir -p "$bundle"
        jq --arg root "$TMP/rootfs" '.process.terminal = false | .root.path = $root
                | .process.args = ["/bin/syscall-probe"] + $ARGS.positional' \
                "$TMP/spec.json" --args "$@" | jq "$filter" >"$bundle/config.json" ||
                bail "cannot write $bundle/config.json"
        IDS+=("$rt $root $id")
        HARDRUN_POLICY=$policy timeout -k 5 "$TIMEOUT" "$HARDRUN_TEST" --root "$root" run \
                --bundle "$bundle" "$id" >"$out.stdout" 2>"$out.stderr" </dev/null
        echo $? >"$out.rc"
        cp "$bundle/config.json" "$out.config"
}

# policy FILE RUNTIME PROFILE [MERGE]: a root-owned 0644 policy, the default rules otherwise.
policy() {
        jq -n --arg rt "$2" --arg profile "$3" --arg merge "${4:-replace}" --arg audit "$1.audit" '{
                version: 1, mode: "enforce", runtime: {path: $rt},
                audit: {file: $audit, syslog: false, on_error: "fail"},
                rules: {seccomp: {profile: $profile, merge: $merge}}
        }' >"$1" || bail "cannot write policy $1"
        chown 0:0 "$1"
        chmod 0644 "$1"
}

# A runtime that cannot run a plain container here is skipped, not failed.
probe_runtime() {
        local rt=$1 dir="$TMP/plain-$1"
        mkdir -p "$dir"
        jq --arg root "$TMP/rootfs" '.process.terminal = false | .root.path = $root
                | .process.args = ["/bin/true"]' "$TMP/spec.json" >"$dir/config.json"
        IDS+=("$rt $dir/state plain-$$")
        (cd "$dir" && timeout -k 5 "$TIMEOUT" "$rt" --root "$dir/state" run "plain-$$") \
                >"$dir/out" 2>&1 </dev/null && return 0
        if [ "$rt" = crun ] && [ "$(stat -f -c %T /sys/fs/cgroup)" = tmpfs ] &&
                ! mountpoint -q /sys/fs/cgroup/hugetlb; then
                # crun 1.8 refuses hybrid cgroups while hugetlb is still on cgroup2.
                diag "crun cannot run a plain container; mounting the hugetlb v1 controller"
                mkdir -p /sys/fs/cgroup/hugetlb &&
                        mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb &&
                        (cd "$dir" && timeout -k 5 "$TIMEOUT" "$rt" --root "$dir/state" run \
                                "plain2-$$") >"$dir/out" 2>&1 </dev/null && return 0
        fi
        RT_SKIP[$rt]="$rt cannot run a plain container here: $(tr '\n' ' ' <"$dir/out" | cut -c1-200)"
        diag "${RT_SKIP[$rt]}"
}
probe_runtime runc
probe_runtime crun

# ---------------------------------------------------------------- expectations

# The profile file behind a built-in name, and its rewritten copy as a root-owned file.
for name in default strict; do
        cp "$HARDRUN_SRCDIR/profiles/seccomp/$name.json" "$TMP/profiles/$name.json"
        jq --argjson e "$REWRITTEN" \
                '.syscalls |= map(if .action == "SCMP_ACT_ERRNO" then .errnoRet = $e else . end)' \
                "$TMP/profiles/$name.json" >"$TMP/profiles/$name-errno$REWRITTEN.json"
        chmod 0644 "$TMP/profiles/"*.json
        "$HARDRUNCTL" seccomp check "$TMP/profiles/$name-errno$REWRITTEN.json" >/dev/null ||
                bail "the rewritten $name profile does not validate"
done
chown -R 0:0 "$TMP/profiles"

# syscall numbers on this architecture as libseccomp maps the profile's names (as runc does).
numbers() {
        "$HARDRUNCTL" seccomp export --format pfc "$1" | awk -v arch="$ARCH" '
                /^# filter for arch / { a = $5 }
                a == arch && /# filter for syscall "/ {
                        n = $5; gsub(/"/, "", n); nr = $6; gsub(/[()]/, "", nr)
                        if (nr + 0 < 2147483648) print n, nr
                }'
}

# NAME ERRNO for each syscall an unconditional SCMP_ACT_ERRNO rule blocks.
blocked() {
        jq -r '.syscalls[] | select(.action == "SCMP_ACT_ERRNO" and ((.args // []) | length) == 0)
                | (.errnoRet // 1) as $e | .names[] | "\(.) \($e)"' "$1"
}

# The special cases: LABEL SYSCALL ARGS EXPECT-DEFAULT EXPECT-STRICT ("P": the profile's EPERM
# errno; "!38": anything but ENOSYS, the kernel's answer once the filter lets the call through).
SPECIALS='clone3:null clone3 0,0 38 38
clone:newuser clone 0x10000200,0,0,0,0 38 38
personality:query personality 0xffffffff 0 0
personality:no_aslr personality 0x0040000 38 38
socket:vsock socket 40,1,0 38 38
socket:alg socket 38,5,0 38 38
socket:vsock_high_bits socket 0x100000028,1,0 38 38
socket:unix socket 1,1,0 0 0
socket:inet6 socket 10,1,0 0 0
socket:netlink_audit socket 16,3,9 !38 38
socket:packet socket 17,3,0 !38 38
ioctl:TIOCSTI ioctl -1,0x5412,0 9 P
ioctl:TIOCLINUX ioctl -1,0x541c,0 9 P
ioctl:TCGETS ioctl -1,0x5401,0 9 9
ioctl:TIOCSCTTY ioctl -1,0x540e,0 9 38'

BASICS="file_io tcp_loopback pthread posix_spawn fork unix_socketpair netlink_route getrandom epoll"

# check RUNTIME NAME PROFILE-FILE POLICY-PROFILE EPERM: one container, every assertion.
check() {
        local rt=$1 name=$2 file=$3 profile=$4 eperm=$5 what out args=() nr sys label
        local got want mismatches=() absent=() count=0 default_errno column expect b
        what="$rt, $name profile$([ "$profile" = "${profile#/}" ] || echo " (file, errno $eperm)")"
        out="$TMP/out-$rt-$(basename "$profile" .json)"
        declare -A num=() exp=()

        while read -r sys nr; do num[$sys]=$nr; done < <(numbers "$file")
        while read -r sys want; do
                if [ -n "${num[$sys]:-}" ]; then
                        args+=("$sys=${num[$sys]}")
                        exp[$sys]=$want
                else
                        absent+=("$sys")
                fi
        done < <(blocked "$file")
        column=4
        [ "$name" = strict ] && column=5
        while read -r label sys nr_args expect_d expect_s; do
                [ "$sys" = clone3 ] && nr=435 || nr=${num[$sys]:-}
                [ -n "$nr" ] || bail "no number for $sys on $ARCH"
                args+=("$label=$nr,$nr_args")
                [ $column = 4 ] && expect=$expect_d || expect=$expect_s
                [ "$expect" = P ] && expect=$eperm
                exp[$label]=$expect
        done <<<"$SPECIALS"

        policy "$TMP/policy-$rt-$name.json" "$rt" "$profile"
        run "$rt" "$TMP/policy-$rt-$name.json" "$out" . -- status basics "${args[@]}"
        is "$(cat "$out.rc")" 0 "$what: hardrun-test run exits 0"
        [ "$(cat "$out.rc")" = 0 ] || diag "$(head -c 2000 "$out.stderr")"
        is "$(jq -S -c .linux.seccomp "$out.config")" "$(host_profile "$file")" \
                "$what: config.json holds the profile"
        is "$(awk '$1 == "status:seccomp" {print $2}' "$out.stdout")" 2 \
                "$what: the probe runs under a seccomp filter"
        for b in $BASICS; do
                is "$(awk -v k="basic:$b" '$1 == k {print $2}' "$out.stdout")" 0 \
                        "$what: $b works"
        done

        # Every blocked syscall, one assertion; the names libseccomp has no number for here
        # (other architectures' calls, names newer than this libseccomp) are listed.
        for sys in $(blocked "$file" | awk '{print $1}'); do
                [ -n "${exp[$sys]:-}" ] || continue
                count=$((count + 1))
                got=$(awk -v k="$sys" '$1 == k {print $2}' "$out.stdout")
                [ "$got" = "${exp[$sys]}" ] || mismatches+=("$sys: got '$got', want ${exp[$sys]}")
        done
        is "${#mismatches[@]}" 0 "$what: all $count blocked syscalls return their errno ($eperm)"
        [ ${#mismatches[@]} = 0 ] || diag "${mismatches[@]}"
        [ ${#absent[@]} = 0 ] ||
                diag "$what: no $ARCH rule for (not a syscall here, or unknown to libseccomp): ${absent[*]}"

        default_errno=$(jq '.defaultErrnoRet // 1' "$file")
        while read -r label _; do
                got=$(awk -v k="$label" '$1 == k {print $2}' "$out.stdout")
                want=${exp[$label]}
                if [ "${want#!}" != "$want" ]; then
                        [ -n "$got" ] && [ "$got" != "${want#!}" ]
                        ok $? "$label lets the call through the filter ($what; got $got)"
                else
                        is "$got" "$want" "$what: $label returns $want"
                fi
        done <<<"$SPECIALS"
        [ "$default_errno" = 38 ] || diag "$what: defaultErrnoRet is $default_errno, not 38"
}

# keep_if_stricter: the container brings strict, the policy installs default.
check_keep() {
        local rt=$1 out="$TMP/keep-$1" msg
        policy "$TMP/policy-$rt-keep.json" "$rt" default keep_if_stricter
        msg=$(awk '$1 == "msgget" {print $2}' < <(numbers "$TMP/profiles/strict.json"))
        run "$rt" "$TMP/policy-$rt-keep.json" "$out" \
                ".linux.seccomp = $(jq -c . "$TMP/profiles/strict.json")" \
                -- status basics "msgget=$msg,0,0"
        is "$(cat "$out.rc")" 0 "$rt, keep_if_stricter: hardrun-test run exits 0"
        is "$(jq -S -c .linux.seccomp "$out.config")" "$(jq -S -c . "$TMP/profiles/strict.json")" \
                "$rt, keep_if_stricter: the container's stricter profile is kept"
        is "$(awk '$1 == "msgget" {print $2}' "$out.stdout")" 1 \
                "$rt, keep_if_stricter: msgget gets strict's EPERM"
        is "$(awk '$1 == "basic:pthread" {print $2}' "$out.stdout")" 0 \
                "$rt, keep_if_stricter: threads work"
        is "$(jq -r 'select(.rule == "seccomp") | .path' "$TMP/policy-$rt-keep.json.audit" \
                2>/dev/null)" "" "$rt, keep_if_stricter: no seccomp change in the audit log"
}

# The same policy with a looser profile in the container: replaced, the audit log says why.
check_replace() {
        local rt=$1 out="$TMP/replace-$1"
        run "$rt" "$TMP/policy-$rt-keep.json" "$out" \
                '.linux.seccomp = {defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 38,
                  syscalls: [{names: ["ptrace"], action: "SCMP_ACT_ALLOW"}]}' -- status
        is "$(cat "$out.rc")" 0 "$rt, keep_if_stricter, looser profile: run exits 0"
        is "$(jq -S -c .linux.seccomp "$out.config")" "$(host_profile "$TMP/profiles/default.json")" \
                "$rt, keep_if_stricter, looser profile: replaced by the default profile"
        is "$(jq -r 'select(.rule == "seccomp") | .after.reason' "$TMP/policy-$rt-keep.json.audit" |
                tail -n 1)" \
                "it allows 'ptrace' on SCMP_ARCH_X86_64, which profile 'default' does not" \
                "$rt, keep_if_stricter, looser profile: the audit record gives the reason"
}

# ---------------------------------------------------------------- run

for rt in runc crun; do
        if [ -n "${RT_SKIP[$rt]:-}" ]; then
                skip "$rt: seccomp profiles by effect" "${RT_SKIP[$rt]}"
                continue
        fi
        diag "=== $rt"
        check "$rt" default "$TMP/profiles/default.json" default 1
        check "$rt" strict "$TMP/profiles/strict.json" strict 1
        check "$rt" default "$TMP/profiles/default-errno$REWRITTEN.json" \
                "$TMP/profiles/default-errno$REWRITTEN.json" "$REWRITTEN"
        check "$rt" strict "$TMP/profiles/strict-errno$REWRITTEN.json" \
                "$TMP/profiles/strict-errno$REWRITTEN.json" "$REWRITTEN"
        if [ "$ARCH" = x86_64 ]; then
                check_keep "$rt"
                check_replace "$rt"
        fi
done

printf '1..%d\n' "$N"
[ "$FAILED" -eq 0 ] || diag "$FAILED of $N assertions failed"
[ "$FAILED" -eq 0 ]
