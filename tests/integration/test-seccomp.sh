#!/bin/bash
# Seccomp by effect. A static probe (tests/helpers/syscall-probe.c) runs in runc and crun
# containers started through hardrun-test, under the built-in default and strict profiles and
# under file copies of them whose EPERM answers are rewritten to errno 1000 (so an EPERM the
# kernel gives for a missing capability cannot pass for the filter's). Every blocked syscall
# must return its configured errno, clone3 and the arguments the filters refuse ENOSYS, and the
# basic work of a service (file I/O, loopback TCP, threads, posix_spawn, fork, ...) must work.
# keep_if_stricter is checked on a container that brings the strict profile itself.
#
# Environment (tests/meson.build): lib.sh's, plus HARDRUNCTL and SYSCALL_PROBE.
# Skips (1..0 # SKIP) without root, runc/crun, jq or a static busybox; HARDRUN_TEST_STRICT=1 turns
# skips into failures.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REWRITTEN=1000

[ -n "${SYSCALL_PROBE:-}" ] && [ -x "$SYSCALL_PROBE" ] ||
        hr_skip_all "no static syscall-probe (the compiler cannot link statically)"
[ -n "${HARDRUNCTL:-}" ] && [ -x "$HARDRUNCTL" ] || hr_bail "HARDRUNCTL is not set to a built binary"
ARCH=$(uname -m)

# hr_setup's busybox rootfs, shared read-only by every container, gains the probe and /run.
hr_setup
mkdir -p "$HR_TMP/rootfs/run" "$HR_TMP/profiles"
cp "$SYSCALL_PROBE" "$HR_TMP/rootfs/bin/syscall-probe"

# run RUNTIME POLICY OUT [JQ-FILTER] -- PROBE-ARGS...: a container through hardrun-test.
run() {
        local rt=$1 policy=$2 out=$3 filter=$4 bundle id root="$HR_TMP/state-$1"
        shift 5
        hr_new_id id "$rt" "$root"
        bundle="$HR_TMP/bundle-$id"
        mkdir -p "$bundle"
        jq --arg root "$HR_TMP/rootfs" '.process.terminal = false | .root.path = $root
                | .process.args = ["/bin/syscall-probe"] + $ARGS.positional' \
                "$HR_TMP/spec.json" --args "$@" | jq "$filter" >"$bundle/config.json" ||
                hr_bail "cannot write $bundle/config.json"
        HARDRUN_POLICY=$policy timeout -k 5 "$HR_TIMEOUT" "$HARDRUN_TEST" --root "$root" run \
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
        }' >"$1" || hr_bail "cannot write policy $1"
        chown 0:0 "$1"
        chmod 0644 "$1"
}

# ---------------------------------------------------------------- expectations

# The profile file behind a built-in name, and its rewritten copy as a root-owned file.
for name in default strict; do
        cp "$HARDRUN_SRCDIR/profiles/seccomp/$name.json" "$HR_TMP/profiles/$name.json"
        jq --argjson e "$REWRITTEN" \
                '.syscalls |= map(if .action == "SCMP_ACT_ERRNO" then .errnoRet = $e else . end)' \
                "$HR_TMP/profiles/$name.json" >"$HR_TMP/profiles/$name-errno$REWRITTEN.json"
        chmod 0644 "$HR_TMP/profiles/"*.json
        "$HARDRUNCTL" seccomp check "$HR_TMP/profiles/$name-errno$REWRITTEN.json" >/dev/null ||
                hr_bail "the rewritten $name profile does not validate"
done
chown -R 0:0 "$HR_TMP/profiles"

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
        out="$HR_TMP/out-$rt-$(basename "$profile" .json)"
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
                [ -n "$nr" ] || hr_bail "no number for $sys on $ARCH"
                args+=("$label=$nr,$nr_args")
                [ $column = 4 ] && expect=$expect_d || expect=$expect_s
                [ "$expect" = P ] && expect=$eperm
                exp[$label]=$expect
        done <<<"$SPECIALS"

        policy "$HR_TMP/policy-$rt-$name.json" "$rt" "$profile"
        run "$rt" "$HR_TMP/policy-$rt-$name.json" "$out" . -- status basics "${args[@]}"
        hr_is "$(cat "$out.rc")" 0 "$what: hardrun-test run exits 0"
        [ "$(cat "$out.rc")" = 0 ] || hr_diag "$(head -c 2000 "$out.stderr")"
        hr_is "$(jq -S -c .linux.seccomp "$out.config")" "$(host_profile "$file")" \
                "$what: config.json holds the profile"
        hr_is "$(awk '$1 == "status:seccomp" {print $2}' "$out.stdout")" 2 \
                "$what: the probe runs under a seccomp filter"
        for b in $BASICS; do
                hr_is "$(awk -v k="basic:$b" '$1 == k {print $2}' "$out.stdout")" 0 \
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
        hr_is "${#mismatches[@]}" 0 "$what: all $count blocked syscalls return their errno ($eperm)"
        [ ${#mismatches[@]} = 0 ] || hr_diag "${mismatches[@]}"
        [ ${#absent[@]} = 0 ] ||
                hr_diag "$what: no $ARCH rule for (not a syscall here, or unknown to libseccomp): ${absent[*]}"

        default_errno=$(jq '.defaultErrnoRet // 1' "$file")
        while read -r label _; do
                got=$(awk -v k="$label" '$1 == k {print $2}' "$out.stdout")
                want=${exp[$label]}
                if [ "${want#!}" != "$want" ]; then
                        [ -n "$got" ] && [ "$got" != "${want#!}" ]
                        hr_ok $? "$label lets the call through the filter ($what; got $got)"
                else
                        hr_is "$got" "$want" "$what: $label returns $want"
                fi
        done <<<"$SPECIALS"
        [ "$default_errno" = 38 ] || hr_diag "$what: defaultErrnoRet is $default_errno, not 38"
}

# keep_if_stricter: the container brings strict, the policy installs default.
check_keep() {
        local rt=$1 out="$HR_TMP/keep-$1" msg
        policy "$HR_TMP/policy-$rt-keep.json" "$rt" default keep_if_stricter
        msg=$(awk '$1 == "msgget" {print $2}' < <(numbers "$HR_TMP/profiles/strict.json"))
        run "$rt" "$HR_TMP/policy-$rt-keep.json" "$out" \
                ".linux.seccomp = $(jq -c . "$HR_TMP/profiles/strict.json")" \
                -- status basics "msgget=$msg,0,0"
        hr_is "$(cat "$out.rc")" 0 "$rt, keep_if_stricter: hardrun-test run exits 0"
        hr_is "$(jq -S -c .linux.seccomp "$out.config")" "$(jq -S -c . "$HR_TMP/profiles/strict.json")" \
                "$rt, keep_if_stricter: the container's stricter profile is kept"
        hr_is "$(awk '$1 == "msgget" {print $2}' "$out.stdout")" 1 \
                "$rt, keep_if_stricter: msgget gets strict's EPERM"
        hr_is "$(awk '$1 == "basic:pthread" {print $2}' "$out.stdout")" 0 \
                "$rt, keep_if_stricter: threads work"
        hr_is "$(jq -r 'select(.rule == "seccomp") | .path' "$HR_TMP/policy-$rt-keep.json.audit" \
                2>/dev/null)" "" "$rt, keep_if_stricter: no seccomp change in the audit log"
}

# The same policy with a looser profile in the container: replaced, the audit log says why.
check_replace() {
        local rt=$1 out="$HR_TMP/replace-$1"
        run "$rt" "$HR_TMP/policy-$rt-keep.json" "$out" \
                '.linux.seccomp = {defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 38,
                  syscalls: [{names: ["ptrace"], action: "SCMP_ACT_ALLOW"}]}' -- status
        hr_is "$(cat "$out.rc")" 0 "$rt, keep_if_stricter, looser profile: run exits 0"
        hr_is "$(jq -S -c .linux.seccomp "$out.config")" "$(host_profile "$HR_TMP/profiles/default.json")" \
                "$rt, keep_if_stricter, looser profile: replaced by the default profile"
        hr_is "$(jq -r 'select(.rule == "seccomp") | .after.reason' "$HR_TMP/policy-$rt-keep.json.audit" |
                tail -n 1)" \
                "it allows 'ptrace' on SCMP_ARCH_X86_64, which profile 'default' does not" \
                "$rt, keep_if_stricter, looser profile: the audit record gives the reason"
}

# ---------------------------------------------------------------- run

check_runtime() {
        local rt=$1
        check "$rt" default "$HR_TMP/profiles/default.json" default 1
        check "$rt" strict "$HR_TMP/profiles/strict.json" strict 1
        check "$rt" default "$HR_TMP/profiles/default-errno$REWRITTEN.json" \
                "$HR_TMP/profiles/default-errno$REWRITTEN.json" "$REWRITTEN"
        check "$rt" strict "$HR_TMP/profiles/strict-errno$REWRITTEN.json" \
                "$HR_TMP/profiles/strict-errno$REWRITTEN.json" "$REWRITTEN"
        if [ "$ARCH" = x86_64 ]; then
                check_keep "$rt"
                check_replace "$rt"
        fi
}
hr_for_each_runtime "seccomp profiles by effect" check_runtime
hr_done
