#!/usr/bin/env bash
# The shim as an engine sees it, with a fake runtime that records what it receives: argv, env,
# fds and pid must arrive untouched; errors must reach --log; pass-through must not read specs.
set -u

: "${HARDRUN_TEST:?}" "${FAKE_RUNTIME:?}"
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
check() { local desc=$1; shift; if "$@"; then ok "$desc"; else not_ok "$desc" "command: $*"; fi; }
quiet() { "$@" >/dev/null 2>&1; }

work=$(mktemp -d /tmp/hardrun-shim.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work"
out="$work/runtime.out"
export FAKE_RUNTIME_OUT="$out"
export HARDRUN_POLICY="$work/policy.json"

write_policy() { # mode, runtime path, argv0, command_line section
        cat >"$HARDRUN_POLICY" <<EOF
{"version": 1, "mode": "$1",
 "runtime": {"path": "${2:-$FAKE_RUNTIME}", "argv0": "${3:-runc}"},
 "audit": {"file": "$work/audit.log"}, "command_line": ${4:-{\}}}
EOF
        chmod 0644 "$HARDRUN_POLICY"
}

new_bundle() { # dir
        mkdir -p "$1"
        cat >"$1/config.json" <<'EOF'
{"ociVersion": "1.0.2", "process": {"user": {"uid": 0, "gid": 0}, "args": ["sh"], "cwd": "/",
 "capabilities": {"bounding": ["CAP_SYS_ADMIN"], "effective": ["CAP_SYS_ADMIN"]},
 "noNewPrivileges": false, "rlimits": [{"type": "RLIMIT_CORE", "hard": 18446744073709551615, "soft": 1024}]},
 "root": {"path": "rootfs", "readonly": false}, "hostname": "x", "mounts": [],
 "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}]}, "windows": {"keep": [1, 2.50, "x"]}}
EOF
        chmod 0640 "$1/config.json"
}

# Lines argv[1..] as the fake runtime recorded them.
recorded_args() { grep '^argv\[[1-9]' "$out" | sed 's/^argv\[[0-9]*\]=//'; }
expect_args() { diff <(recorded_args) <(printf '%s\n' "$@") >/dev/null; }

write_policy enforce

# 1. pass-through: argv, argv0 and exit status are the runtime's
rm -f "$out"
FAKE_RUNTIME_EXIT=7 "$HARDRUN_TEST" --root /run/x state my-id
rc=$?
check "pass-through exit status is the runtime's" test "$rc" = 7
check "pass-through argv unchanged" expect_args --root /run/x state my-id
check "argv[0] is the configured name" grep -qx 'argv\[0\]=runc' "$out"

# 2. exec, not fork: the runtime has hardrun's pid
rm -f "$out"
"$HARDRUN_TEST" start my-id &
pid=$!
wait $pid
check "runtime runs in hardrun's process (execve, no fork)" grep -qx "pid=$pid" "$out"

# 3. environment and fds arrive untouched
rm -f "$out"
env -i PATH=/usr/bin:/bin HARDRUN_POLICY="$HARDRUN_POLICY" FAKE_RUNTIME_OUT="$out" \
        LISTEN_FDS=2 LISTEN_PID=1 NOTIFY_SOCKET=/run/notify 'ODD=a b\c' \
        "$HARDRUN_TEST" kill my-id 9 5<"$HARDRUN_POLICY" 6<"$HARDRUN_POLICY"
check "LISTEN_FDS/NOTIFY_SOCKET passed" grep -qx 'env=NOTIFY_SOCKET=/run/notify' "$out"
check "odd environment value passed byte for byte" grep -qx 'env=ODD=a b\\c' "$out"
check "environment not extended" test "$(grep -c '^env=' "$out")" = 7
check "inherited fds 5 and 6 stay open" grep -qx 'fd=5' "$out"
check "inherited fd 6 stays open" grep -qx 'fd=6' "$out"
# The same runtime started directly from this shell shows which fds the shell passes on.
FAKE_RUNTIME_OUT="$work/direct.out" "$FAKE_RUNTIME" kill my-id 9 5<"$HARDRUN_POLICY" 6<"$HARDRUN_POLICY"
want_fds=$(sed -n 's/^fd=//p' "$work/direct.out" | sort -n | tr '\n' ' ')
got_fds=$(sed -n 's/^fd=//p' "$out" | sort -n | tr '\n' ' ')
check "no fd of hardrun's leaks into the runtime" test "$got_fds" = "$want_fds"

# 4. --version output is exactly the runtime's
check "--version stdout identical" diff <("$HARDRUN_TEST" --version 2>/dev/null) <("$FAKE_RUNTIME" --version 2>/dev/null)
check "--version stderr identical" diff <("$HARDRUN_TEST" --version 2>&1 >/dev/null) <("$FAKE_RUNTIME" --version 2>&1 >/dev/null)

# 5. pass-through reads no spec and writes nothing
if command -v strace >/dev/null; then
        new_bundle "$work/pt"
        (cd "$work/pt" && strace -f -qq -o "$work/trace" -e trace=execve,openat,open,creat,write,rename,renameat,renameat2,unlink,unlinkat,mkdir,mkdirat \
                "$HARDRUN_TEST" --root /run/x kill my-id KILL >/dev/null 2>&1)
        # Everything after the runtime's execve is the fake runtime's own doing.
        before_exec=$(awk '/execve\(.*fake-runtime/ {exit} {print}' "$work/trace" |
                grep -v -E '"(/etc/ld\.so\.cache|/lib/[^"]*|/usr/lib/[^"]*|'"$HARDRUN_POLICY"')"' |
                grep -E 'open|creat|write\(|rename|unlink|mkdir' || true)
        check "pass-through opens nothing but libraries and the policy" test -z "$before_exec"
        # delete also ends hardrun's own state of the container (ID-mapped mounts, id range):
        # nothing else, and nothing at all where the state directory does not exist.
        (cd "$work/pt" && strace -f -qq -o "$work/trace-delete" -e trace=execve,openat,open,creat,write,rename,renameat,renameat2,unlink,unlinkat,mkdir,mkdirat,chmod,fchmod \
                "$HARDRUN_TEST" --root /run/x delete --force my-id >/dev/null 2>&1)
        before_exec=$(awk '/execve\(.*fake-runtime/ {exit} {print}' "$work/trace-delete" |
                grep -v -E '"(/etc/ld\.so\.cache|/lib/[^"]*|/usr/lib/[^"]*|'"$HARDRUN_POLICY"')"' |
                grep -v -E '"(/run/hardrun|/run/hardrun/userns|/proc/sys/kernel/random/boot_id|/proc/[0-9]+/stat)"' |
                grep -v -E '^[0-9]+ +(openat|unlinkat)\([0-9]+, "[^/"]+"' |
                grep -E 'open|creat|write\(|rename|unlink|mkdir|chmod' || true)
        check "delete opens nothing but libraries, the policy and hardrun's user namespace state" \
                test -z "$before_exec"
        check "delete creates and changes the mode of nothing" \
                test -z "$(awk '/execve\(.*fake-runtime/ {exit} {print}' "$work/trace-delete" |
                        grep -E 'mkdir|chmod' || true)"
        [ -z "$before_exec" ] || echo "$before_exec" | sed 's/^/#   /'
        check "pass-through left config.json untouched" cmp -s "$work/pt/config.json" <(new_bundle "$work/pt2"; cat "$work/pt2/config.json")
else
        ok "pass-through file I/O # SKIP strace not installed"
        ok "pass-through config untouched # SKIP strace not installed"
fi

# 6. create rewrites the bundle and passes argv unchanged
new_bundle "$work/b1"
rm -f "$out" "$work/audit.log"
args=(--root /run/containerd/runc/default --log "$work/b1/log.json" --log-format json create --bundle "$work/b1" --pid-file "$work/b1/init.pid" --console-socket /tmp/pty.sock ctr1)
"$HARDRUN_TEST" "${args[@]}"
check "create: runtime invoked with identical argv" expect_args "${args[@]}"
check "create: uid forced" test "$(jq .process.user.uid "$work/b1/config.json")" = 65534
check "create: caps dropped" test "$(jq -c .process.capabilities.bounding "$work/b1/config.json")" = '[]'
check "create: rootfs read-only" test "$(jq .root.readonly "$work/b1/config.json")" = true
check "create: seccomp installed" test "$(jq -r .linux.seccomp.defaultAction "$work/b1/config.json")" = SCMP_ACT_ERRNO
check "create: noNewPrivileges" test "$(jq .process.noNewPrivileges "$work/b1/config.json")" = true
check "create: unknown fields kept, number text too" grep -qF '"windows":{"keep":[1,2.50,"x"]}' "$work/b1/config.json"
check "create: uint64 rlimit text kept" grep -q '"hard":18446744073709551615' "$work/b1/config.json"
check "create: mode 0640 kept" test "$(stat -c %a "$work/b1/config.json")" = 640
check "create: no temporary file left" test "$(ls -A "$work/b1" | sort | tr '\n' ' ')" = "config.json "
check "create: nothing written to --log on success" test ! -e "$work/b1/log.json"
check "create: audit records written" test "$(wc -l <"$work/audit.log")" -ge 8
check "create: audit lines are JSON" quiet jq -e 'select(.container == "ctr1" and .action == "changed")' "$work/audit.log"

# 6b. audit records name the workload from the engine's annotations (jq 1.6 would round the
# uint64 rlimit to a float, which runc and hardrun refuse: dropped)
mkdir -p "$work/b14"
rm -f "$work/audit.log"
new_bundle "$work/b14x"
jq '.annotations = {"io.kubernetes.cri.sandbox-namespace": "shop", "io.kubernetes.cri.sandbox-name": "cart-7d9",
    "io.kubernetes.cri.container-name": "app", "io.kubernetes.cri.image-name": "registry.local/cart:1.2",
    "unrelated": "x"} | del(.process.rlimits)' "$work/b14x/config.json" >"$work/b14/config.json"
"$HARDRUN_TEST" create --bundle "$work/b14" ctr14
check "audit: workload identity from CRI annotations" quiet jq -e 'select(.workload["io.kubernetes.cri.sandbox-namespace"] == "shop" and .workload["io.kubernetes.cri.container-name"] == "app" and .workload.hostname == "x")' "$work/audit.log"
check "audit: unrelated annotations are not copied" test "$(jq -r '.workload.unrelated // "none"' "$work/audit.log" | sort -u)" = none

# 7. idempotent: a second create changes nothing
cp "$work/b1/config.json" "$work/b1.first"
rm -f "$work/audit.log"
"$HARDRUN_TEST" create --bundle "$work/b1" ctr1
check "second enforce leaves the file identical" cmp -s "$work/b1/config.json" "$work/b1.first"
check "second enforce writes no audit record" test ! -s "$work/audit.log"

# 8. deny: refused before exec, error as a JSON line in --log, nothing on stdio
write_policy deny
new_bundle "$work/b2"
rm -f "$out"
"$HARDRUN_TEST" --log "$work/b2/log.json" --log-format json create --bundle "$work/b2" ctr2 >"$work/stdout" 2>"$work/stderr"
rc=$?
check "deny: exit status 1" test "$rc" = 1
check "deny: runtime not executed" test ! -e "$out"
check "deny: stdout and stderr empty" test ! -s "$work/stdout" -a ! -s "$work/stderr"
check "deny: last --log line is a JSON error" quiet jq -e 'select(.level == "error" and (.msg | startswith("hardrun: ")))' <(tail -n1 "$work/b2/log.json")
check "deny: message names file, path and rule" grep -q "config.json: '/process/user/uid': 0 is not allowed by rule 'user'" "$work/b2/log.json"
check "deny: config.json untouched" cmp -s "$work/b2/config.json" <(new_bundle "$work/b2x"; cat "$work/b2x/config.json")

# 8b. refusals quote paths whole: a kubelet volume of a pod the spec does not name, 300 bytes
write_policy enforce
long=/var/lib/kubelet/pods/2be48a7f-5c1d-4e8b-9f3a-d74997ea9012/volumes/kubernetes.io~empty-dir
long=$long/$(printf 'd%.0s' $(seq 200))/cache
new_bundle "$work/b2l"
jq --arg s "$long" 'del(.process.rlimits) | .mounts = [{destination: "/cache", type: "bind", source: $s, options: ["rbind"]}]' \
        "$work/b2l/config.json" >"$work/b2l/c.json" && mv "$work/b2l/c.json" "$work/b2l/config.json"
"$HARDRUN_TEST" --log "$work/b2l/log.json" --log-format json create --bundle "$work/b2l" ctr2l >/dev/null 2>&1
want1="\"$long\" is not allowed by rule 'mounts'"
want2="no bind mount of '$long' (under a denied host path, in a pod's directory, and the spec names no pod"
check "refusal: the mount source is quoted whole (${#long} bytes)" \
        quiet jq -e --arg w "$want1" 'select(.msg | contains($w))' "$work/b2l/log.json"
check "refusal: the resolved path too, and why the pod's directory is not allowed" \
        quiet jq -e --arg w "$want2" 'select(.msg | contains($w))' "$work/b2l/log.json"
write_policy deny

# 9. text --log format and stderr fallback
"$HARDRUN_TEST" --log "$work/b2/log.txt" create --bundle "$work/b2" ctr2 2>/dev/null
check "text --log: logrus format" grep -qE '^time="[0-9T:.-]+Z" level=error msg="hardrun: ' "$work/b2/log.txt"
err=$("$HARDRUN_TEST" create --bundle "$work/b2" ctr2 2>&1 >/dev/null)
# One line per refusal (this bundle has several), the first one prefixed.
check "no --log: one line per refusal on stderr" test "$(printf '%s\n' "$err" | wc -l)" -gt 1 -a "${err#hardrun: }" != "$err"
check "no --log: every line names the file, a JSON path and a rule, then the count of the rest" \
        test "$(printf '%s\n' "$err" | grep -v '^and [0-9]* more: ' | grep -vc "config.json: '/[^']*': .* is not allowed by rule '")" = 0

# 9b. the policy's contact line ends every refusal: of a spec, and of a command-line flag
jq '.messages = {contact: "Questions: #platform-security, https://wiki.example/hardrun"}' \
        "$HARDRUN_POLICY" >"$work/p.json" && cat "$work/p.json" >"$HARDRUN_POLICY"
"$HARDRUN_TEST" --log "$work/b2/contact.json" --log-format json create --bundle "$work/b2" ctr2 >/dev/null 2>&1
check "contact: the last line of the refusal" \
        test "$(jq -r '.msg' "$work/b2/contact.json" | tail -n1)" = "Questions: #platform-security, https://wiki.example/hardrun"
"$HARDRUN_TEST" --log "$work/b2/contact2.json" --log-format json exec --user 0:0 ctr2 sh >/dev/null 2>&1
check "contact: also under a refused exec flag" \
        test "$(jq -r '.msg' "$work/b2/contact2.json" | tail -n1)" = "Questions: #platform-security, https://wiki.example/hardrun"
write_policy deny

# 9c. the kill switch: mode off passes every judged call through, one policy_off record each,
# whatever the rules, the annotations or the flags say
write_policy off
jq '.rules = {user: {mode: "deny"}}' "$HARDRUN_POLICY" >"$work/p.json" && cat "$work/p.json" >"$HARDRUN_POLICY"
new_bundle "$work/boff"
jq '.annotations = {"hardrun.mode": "enforce"}' "$work/boff/config.json" >"$work/boff/c.json" &&
        cat "$work/boff/c.json" >"$work/boff/config.json"
cp "$work/boff/config.json" "$work/boff.orig"
rm -f "$out" "$work/audit.log"
"$HARDRUN_TEST" create --no-pivot --bundle "$work/boff" ctroff >/dev/null 2>&1
check "kill switch: the runtime runs (even --no-pivot, even a rule in deny)" test -e "$out"
check "kill switch: config.json byte-identical" cmp -s "$work/boff/config.json" "$work/boff.orig"
check "kill switch: exactly one audit record" test "$(wc -l <"$work/audit.log")" = 1
check "kill switch: it is a policy_off event naming the container and the call" \
        quiet jq -e 'select(.event == "policy_off" and .container == "ctroff" and .subcommand == "create")' "$work/audit.log"
rm -f "$out" "$work/audit.log"
"$HARDRUN_TEST" exec --user 0:0 ctroff sh >/dev/null 2>&1
check "kill switch: exec --user 0:0 passes too, with its record" \
        test -e "$out" -a "$(jq -r .event "$work/audit.log")" = policy_off
rm -f "$work/audit.log"
"$HARDRUN_TEST" state ctroff >/dev/null 2>&1
check "kill switch: pass-through calls write nothing" test ! -e "$work/audit.log"
write_policy deny

# 10. audit: original config, runtime executed, would_change records
write_policy audit
new_bundle "$work/b3"
cp "$work/b3/config.json" "$work/b3.orig"
rm -f "$out" "$work/audit.log"
"$HARDRUN_TEST" run --bundle "$work/b3" ctr3
check "audit: runtime executed" test -e "$out"
check "audit: config.json byte-identical" cmp -s "$work/b3/config.json" "$work/b3.orig"
check "audit: records say would_change (the privileged report: detected)" \
        test "$(jq -r 'select(.rule != "privileged") | .action' "$work/audit.log" | sort -u)" = would_change
check "audit: records name the subcommand and bundle" quiet jq -e 'select(.subcommand == "run" and .bundle == "'"$work/b3"'")' "$work/audit.log"
printf '{"process": ' >"$work/b3/config.json"
rm -f "$out"
"$HARDRUN_TEST" run --bundle "$work/b3" ctr3 2>/dev/null
check "audit: unreadable config still refused" test "$?" = 1 -a ! -e "$out"

# 11. bundle forms: cwd default, -b, --bundle=, restore, crun's -bDIR and -f
write_policy enforce
new_bundle "$work/b4"
(cd "$work/b4" && "$HARDRUN_TEST" run ctr4)
check "no --bundle: the current directory's config.json" test "$(jq .process.user.uid "$work/b4/config.json")" = 65534
new_bundle "$work/b5"
"$HARDRUN_TEST" create -b "$work/b5" ctr5
check "-b DIR" test "$(jq .process.user.uid "$work/b5/config.json")" = 65534
new_bundle "$work/b6"
"$HARDRUN_TEST" restore --bundle "$work/b6" ctr6 2>/dev/null
check "restore: refused by default (the image, not config.json, decides)" test "$?" = 1
write_policy enforce "" "" '{"allow": ["restore"]}'
"$HARDRUN_TEST" restore --image-path /x --detach -no-subreaper --bundle="$work/b6" ctr6
check "restore --bundle=DIR is hardened" test "$(jq .process.user.uid "$work/b6/config.json")" = 65534
write_policy enforce
mkdir -p "$work/crun-bin"
cp "$FAKE_RUNTIME" "$work/crun-bin/crun"
write_policy enforce "$work/crun-bin/crun" crun
new_bundle "$work/b7"
"$HARDRUN_TEST" create "-b$work/b7" ctr7
check "crun grammar: -bDIR" test "$(jq .process.user.uid "$work/b7/config.json")" = 65534
new_bundle "$work/b8"
cp "$work/b8/config.json" "$work/b8/other.json"
(cd "$work/b8" && "$HARDRUN_TEST" run --bundle "$work/b7" -f other.json ctr8)
check "crun -f FILE is relative to the caller's cwd" test "$(jq .process.user.uid "$work/b8/other.json")" = 65534
check "crun -f: config.json beside it untouched" test "$(jq .process.user.uid "$work/b8/config.json")" = 0
write_policy enforce

# 12. exec --process is hardened
cat >"$work/process.json" <<'EOF'
{"user": {"uid": 0, "gid": 0}, "args": ["sh"], "cwd": "/", "capabilities": {"bounding": ["CAP_SYS_ADMIN"]}, "noNewPrivileges": false}
EOF
"$HARDRUN_TEST" exec --process "$work/process.json" --detach ctr1
check "exec --process: uid forced" test "$(jq .user.uid "$work/process.json")" = 65534
check "exec --process: caps dropped" test "$(jq -c .capabilities.bounding "$work/process.json")" = '[]'
check "exec --process: no_new_privileges" test "$(jq .noNewPrivileges "$work/process.json")" = true
check "exec --process: no seccomp in a process file" test "$(jq .linux "$work/process.json")" = null

# 12a. exec --process from a pipe (`runc exec -p <(...)`) or another descriptor of ours: read
# once, hardened, and handed over behind the same descriptor number, argv byte for byte
proc='{"user": {"uid": 0, "gid": 0}, "args": ["sh"], "cwd": "/", "noNewPrivileges": false}'
# fd_exec PATH [OPTION...]: exec --process PATH, the runtime reading PATH as runc would.
fd_exec() {
        local path=$1
        shift
        rm -f "$out"
        FAKE_RUNTIME_READ=$path "$HARDRUN_TEST" "$@" exec --process "$path" --detach ctr1 2>"$work/fd.err"
        echo "$path" >"$work/fd.path"
}
read_back() { sed -n 's/^read=//p' "$out"; }
rm -f "$work/audit.log"
fd_exec <(printf '%s' "$proc")
pipe=$(cat "$work/fd.path")
check "exec -p <(...): the runtime runs" test -e "$out"
check "exec -p <(...): argv unchanged ($pipe)" expect_args exec --process "$pipe" --detach ctr1
check "exec -p <(...): the runtime reads the hardened process through $pipe" \
        test "$(read_back | jq -c '[.user.uid, .noNewPrivileges, .capabilities.bounding]')" = '[65534,true,[]]'
check "exec -p <(...): the descriptor is still open in the runtime" grep -qx "fd=${pipe##*/}" "$out"
check "exec -p <(...): audit records name $pipe" quiet jq -s -e --arg f "$pipe" 'any(.[]; .file == $f and .path == "/user/uid" and .action == "changed")' "$work/audit.log"
printf '%s' "$proc" | fd_exec /dev/stdin
check "exec -p /dev/stdin (a pipe): hardened" test "$(read_back | jq .user.uid)" = 65534
fd_exec /proc/self/fd/3 3< <(printf '%s' "$proc")
check "exec -p /proc/self/fd/3 (a pipe): hardened" test "$(read_back | jq .user.uid)" = 65534
printf '%s' "$proc" >"$work/fd-process.json"
fd_exec /dev/fd/3 3<"$work/fd-process.json"
check "exec -p /dev/fd/3 (a regular file): the runtime reads the hardened process" test "$(read_back | jq .user.uid)" = 65534
check "exec -p /dev/fd/3 (a regular file): the file itself is left alone" test "$(jq .user.uid "$work/fd-process.json")" = 0
write_policy audit
fd_exec <(printf '%s' "$proc")
check "audit mode: exec -p <(...): the runtime reads the process unchanged" test "$(read_back)" = "$proc"
write_policy deny
fd_exec <(printf '%s' "$proc")
check "deny mode: exec -p <(...) with uid 0: refused" test ! -e "$out"
write_policy enforce
fd_exec <(head -c 5000000 /dev/zero | tr '\0' ' ')
check "exec -p <(5 MB): refused, the runtime never runs" test ! -e "$out"
check "exec -p <(5 MB): says it is too large" grep -q "/dev/fd/[0-9]*: larger than the limit" "$work/fd.err"
fd_exec /dev/fd/77
check "exec -p /dev/fd/77 (not open): refused" test ! -e "$out"
check "exec -p /dev/fd/77: says the descriptor is not open" grep -q "descriptor 77 is not open" "$work/fd.err"
fd_exec /dev/fd/3 3<"$work"
check "exec -p /dev/fd/3 (a directory): refused" grep -q "is a directory" "$work/fd.err"
fd_exec /dev/fd/063 3< <(printf '%s' "$proc")
check "exec -p /dev/fd/063 (a name /proc does not have): refused" test ! -e "$out"
mkfifo "$work/fifo"
fd_exec "$work/fifo"
check "exec -p FIFO (a name the runtime would reopen): refused" grep -q "not a regular file" "$work/fd.err"
ln -s fd-process.json "$work/fd-link.json"
fd_exec "$work/fd-link.json"
check "exec -p SYMLINK: still refused" grep -q "is a symbolic link" "$work/fd.err"

# 12b. inline exec flags are argv: refused where the policy would change them. runc builds an
# inline exec from the bundle its state names: a fake state under --root points at one.
mkdir -p "$work/state/ctr1" "$work/execb"
printf '{"config": {"labels": ["bundle=%s"]}}' "$work/execb" >"$work/state/ctr1/state.json"
cat >"$work/execb/config.json" <<'EOF'
{"process": {"user": {"uid": 1000, "gid": 1000}, "args": ["sh"], "cwd": "/",
 "capabilities": {"bounding": [], "effective": [], "permitted": []}, "noNewPrivileges": true}}
EOF
R=(--root "$work/state")
rm -f "$out" "$work/audit.log"
msg=$("$HARDRUN_TEST" "${R[@]}" --log "$work/exec.log" --log-format json exec --user 0:0 ctr1 sh 2>&1)
check "exec --user 0:0: refused" test "$?" = 1 -a ! -e "$out"
check "exec --user 0:0: message names the flag and rule" grep -q "exec: '--user 0:0' is not allowed by rule 'user'" "$work/exec.log"
check "exec --user 0:0: audit record denied" quiet jq -e 'select(.path == "/argv/--user" and .action == "denied" and .before == "0:0")' "$work/audit.log"
# crun reads 4294967295 as (uid_t)-1, "unchanged" (root), and a --user without :GID as gid 0.
for u in 4294967295 1000:4294967295 1000; do
        rm -f "$out"
        "$HARDRUN_TEST" "${R[@]}" exec --user "$u" ctr1 sh 2>/dev/null
        check "exec --user $u (root under crun): refused" test "$?" = 1 -a ! -e "$out"
done
rm -f "$out"
"$HARDRUN_TEST" "${R[@]}" exec -u=root ctr1 sh 2>/dev/null
check "exec -u root (a name hardrun cannot check): refused" test "$?" = 1 -a ! -e "$out"
"$HARDRUN_TEST" "${R[@]}" exec --cap CAP_SYS_ADMIN ctr1 sh 2>/dev/null
check "exec --cap CAP_SYS_ADMIN: refused" test "$?" = 1 -a ! -e "$out"
"$HARDRUN_TEST" "${R[@]}" exec --additional-gids 0 ctr1 sh 2>/dev/null
check "exec --additional-gids 0: refused" test "$?" = 1 -a ! -e "$out"
"$HARDRUN_TEST" "${R[@]}" exec --apparmor unconfined ctr1 sh 2>/dev/null
check "exec --apparmor unconfined: refused" test "$?" = 1 -a ! -e "$out"
check "exec --apparmor unconfined: audit record names rule lsm" quiet jq -e 'select(.path == "/argv/--apparmor" and .rule == "lsm" and .action == "denied")' "$work/audit.log"
"$HARDRUN_TEST" "${R[@]}" exec --apparmor ' &unconfined' ctr1 sh 2>/dev/null
check "exec --apparmor ' &unconfined' (as the kernel reads it): refused" test "$?" = 1 -a ! -e "$out"
"$HARDRUN_TEST" "${R[@]}" exec --process-label system_u:system_r:spc_t:s0 ctr1 sh 2>/dev/null
check "exec --process-label ...:spc_t:...: refused" test "$?" = 1 -a ! -e "$out"
"$HARDRUN_TEST" "${R[@]}" exec --apparmor my-profile --process-label system_u:system_r:container_t:s0:c1,c2 ctr1 sh
check "exec --apparmor PROFILE --process-label container_t: passed unchanged" expect_args --root "$work/state" exec --apparmor my-profile --process-label system_u:system_r:container_t:s0:c1,c2 ctr1 sh
rm -f "$out"
"$HARDRUN_TEST" "${R[@]}" exec --user 1000:1000 --additional-gids 100 -t ctr1 sh -c 'id -u 0'
check "exec --user 1000:1000: passed with argv unchanged" expect_args --root "$work/state" exec --user 1000:1000 --additional-gids 100 -t ctr1 sh -c 'id -u 0'
rm -f "$out"
"$HARDRUN_TEST" "${R[@]}" exec ctr1 sh --user 0 --cap CAP_SYS_ADMIN
check "exec: words after the container id are the command's" expect_args --root "$work/state" exec ctr1 sh --user 0 --cap CAP_SYS_ADMIN
write_policy audit
rm -f "$out" "$work/audit.log"
"$HARDRUN_TEST" "${R[@]}" exec --user 0 ctr1 sh
check "audit mode: exec --user 0 runs" test -e "$out"
check "audit mode: exec --user 0 recorded as would_deny (enforce refuses a flag)" quiet jq -e -s 'any(.[]; .path == "/argv/--user" and .action == "would_deny")' "$work/audit.log"
# An id exemption reaches the inline flags as it reaches the exec's process: the exempted rule
# refuses nothing and one record names the exemption; the other rules and ids still refuse.
cat >"$HARDRUN_POLICY" <<EOF
{"version": 1, "runtime": {"path": "$FAKE_RUNTIME", "argv0": "runc"},
 "audit": {"file": "$work/audit.log"},
 "exemptions": [{"rules": ["user"], "ids": ["ctr1"], "reason": "debug shell"}]}
EOF
rm -f "$out" "$work/audit.log"
"$HARDRUN_TEST" "${R[@]}" exec --user 0:0 --additional-gids 0 ctr1 sh
check "id exemption from user: exec --user 0:0 --additional-gids 0 passed unchanged" \
        expect_args --root "$work/state" exec --user 0:0 --additional-gids 0 ctr1 sh
check "id exemption from user: one 'exempted' record for argv, with the reason" \
        quiet jq -e -s '[.[] | select(.file == "argv" and .action == "exempted")] | length == 1 and .[0].rule == "user" and .[0].after.reason == "debug shell"' "$work/audit.log"
check "id exemption from user: no 'denied' record" \
        quiet jq -e -s 'all(.[]; .action != "denied")' "$work/audit.log"
rm -f "$out" "$work/audit.log"
"$HARDRUN_TEST" "${R[@]}" exec --user 1000:1000 ctr1 sh
check "id exemption from user: nothing to refuse, no 'exempted' record for argv" \
        quiet jq -e -s 'all(.[]; .file != "argv")' "$work/audit.log"
rm -f "$out"
"$HARDRUN_TEST" "${R[@]}" exec --user 1000:1000 --cap CAP_SYS_ADMIN ctr1 sh 2>/dev/null
check "id exemption from user: exec --cap CAP_SYS_ADMIN (rule capabilities) still refused" test "$?" = 1 -a ! -e "$out"
mkdir -p "$work/state/ctr3" && cp "$work/state/ctr1/state.json" "$work/state/ctr3/"
"$HARDRUN_TEST" "${R[@]}" exec --user 0:0 ctr3 sh 2>/dev/null
check "id exemption for ctr1: exec --user 0:0 into ctr3 still refused" test "$?" = 1 -a ! -e "$out"
write_policy enforce

# 13. fail closed on what cannot be understood
new_bundle "$work/b9"
rm -f "$out"
"$HARDRUN_TEST" --bogus-global create --bundle "$work/b9" ctr9 2>/dev/null
check "unknown global option before create: refused" test "$?" = 1 -a ! -e "$out"
"$HARDRUN_TEST" --bogus-global state ctr9 2>/dev/null
check "unknown global option before state: passed through" test -e "$out"
rm -f "$out"
"$HARDRUN_TEST" create --bundle "$work/b9" --new-flag ctr9 2>/dev/null
check "unknown create option: refused" test "$?" = 1 -a ! -e "$out"
"$HARDRUN_TEST" create --help >/dev/null 2>&1
check "create --help: passed through" test -e "$out"
rm -f "$out"
ln -s "$work/b1/config.json" "$work/b10-config.json"
mkdir -p "$work/b10" && ln -s "$work/b1/config.json" "$work/b10/config.json"
msg=$("$HARDRUN_TEST" create --bundle "$work/b10" ctr10 2>&1)
check "config.json symlink: refused" test "$?" = 1 -a ! -e "$out"
check "config.json symlink: message says why" grep -q "symbolic link" <<<"$msg"

# 14. runtime lookup: no loop, no PATH
write_policy enforce "$HARDRUN_TEST"
msg=$("$HARDRUN_TEST" state x 2>&1)
check "runtime = hardrun itself: refused" grep -q "hardrun itself" <<<"$msg"
ln -s "$HARDRUN_TEST" "$work/hardrun-link"
msg=$("$work/hardrun-link" state x 2>&1)
check "runtime = hardrun itself, called through a symlink: refused" grep -q "hardrun itself" <<<"$msg"
msg=$(cd "$(dirname "$HARDRUN_TEST")" && "./$(basename "$HARDRUN_TEST")" state x 2>&1)
check "runtime = hardrun itself, called by a relative path: refused" grep -q "hardrun itself" <<<"$msg"
write_policy enforce "$work/hardrun-link"
msg=$("$HARDRUN_TEST" state x 2>&1)
check "runtime = a symlink to hardrun: refused" grep -q "hardrun itself" <<<"$msg"
# The grammar is the binary's: a link named otherwise to crun takes crun's -f FILE.
ln -s "$work/crun-bin/crun" "$work/crun-bin/runtime-link"
write_policy enforce "$work/crun-bin/runtime-link"
new_bundle "$work/b8l"
cp "$work/b8l/config.json" "$work/b8l/other.json"
(cd "$work/b8l" && "$HARDRUN_TEST" run --bundle "$work/b8l" -f other.json ctr8l)
check "a symlink to crun: crun's grammar (-f FILE)" test "$(jq .process.user.uid "$work/b8l/other.json")" = 65534
write_policy enforce no-such-runtime-here
msg=$(PATH="$work/crun-bin:$PATH" "$HARDRUN_TEST" state x 2>&1)
check "runtime name never looked up in PATH" grep -q "not found in /usr/local/sbin" <<<"$msg"

# 15. a policy file that is untrusted or invalid is not used: the last good one stands in
export HARDRUN_STATE_DIR="$work/state"
write_policy enforce
new_bundle "$work/b11p"
"$HARDRUN_TEST" create --bundle "$work/b11p" ctr11p >/dev/null 2>&1
check "a policy that loads cleanly is kept as the last good one" test -L "$work/state/last-good.json"
chmod 0664 "$HARDRUN_POLICY"
rm -f "$out"
msg=$("$HARDRUN_TEST" state x 2>&1)
check "group-writable policy: pass-through reaches the last good policy's runtime" expect_args state x
check "group-writable policy: pass-through says nothing" test -z "$msg"
new_bundle "$work/b11q"
rm -f "$out"
msg=$("$HARDRUN_TEST" create --bundle "$work/b11q" ctr11q 2>&1)
check "group-writable policy: create goes ahead, hardened by the last good policy" \
        test -e "$out" -a "$(jq .process.user.uid "$work/b11q/config.json")" = 65534
check "group-writable policy: the error names it and the stand-in" \
        grep -q "$HARDRUN_POLICY: writable by group or others.*; using the last good policy '$work/state/policy-" <<<"$msg"
chmod 0644 "$HARDRUN_POLICY"
echo '{"mode": "enforce", "runtime": {"path": "'"$FAKE_RUNTIME"'"}, "rules": {"capabilities": {"allow": ["CAP_NOPE"]}}}' >"$HARDRUN_POLICY"
new_bundle "$work/b12"
rm -f "$out"
msg=$("$HARDRUN_TEST" create --bundle "$work/b12" ctr12 2>&1)
check "invalid policy rule: create goes ahead under the last good policy" test -e "$out"
check "invalid policy rule: message names file and path" grep -q "$HARDRUN_POLICY: '/rules/capabilities/allow/0': unknown capability 'CAP_NOPE'.*; using the last good policy" <<<"$msg"
"$HARDRUN_TEST" delete --force ctr12
check "invalid policy rule: delete still reaches the runtime (only the runtime is read)" expect_args delete --force ctr12
echo '{"mode": "enforce", "runtime": {"path": "bin/runc"}}' >"$HARDRUN_POLICY"
rm -f "$out"
"$HARDRUN_TEST" delete --force ctr12 2>/dev/null
check "invalid runtime section: pass-through takes the last good policy's runtime" test "$?" = 0 -a -e "$out"
unset HARDRUN_STATE_DIR
write_policy enforce

# 15b. a profile file is validated on load; a remembered pass never covers changed content
jq '.syscalls[0].names += ["no_such_syscall_x"]' "$HARDRUN_SRCDIR/profiles/seccomp/default.json" >"$work/bad-profile.json"
cp "$HARDRUN_SRCDIR/profiles/seccomp/default.json" "$work/profile.json"
chmod 0644 "$work/bad-profile.json" "$work/profile.json"
cat >"$HARDRUN_POLICY" <<EOF
{"runtime": {"path": "$FAKE_RUNTIME"}, "audit": {"file": "$work/audit.log"},
 "rules": {"seccomp": {"profile": "$work/profile.json"}}}
EOF
for round in 1 2; do
        new_bundle "$work/b15"
        rm -f "$out"
        "$HARDRUN_TEST" create --bundle "$work/b15" ctr15
        check "valid profile file accepted (round $round)" test -e "$out"
done
cp "$work/bad-profile.json" "$work/profile.json"
new_bundle "$work/b15"
rm -f "$out"
msg=$("$HARDRUN_TEST" create --bundle "$work/b15" ctr15 2>&1)
check "profile file edited to an unknown syscall: the earlier pass does not cover it" \
        grep -q "$work/profile.json: .*no_such_syscall_x" <<<"$msg"
# A broken profile stands aside as a broken policy does (no state directory here: no last good
# copy), never leaving the container unconfined nor refusing it.
check "broken profile file: the built-in default stands in, said so" \
        grep -q "using the built-in seccomp profile 'default'" <<<"$msg"
check "broken profile file: the container is created" test -e "$out"
check "broken profile file: config.json gets a profile, not the broken one" \
        quiet jq -e '(.linux.seccomp.syscalls | length) > 0 and
                ([.linux.seccomp.syscalls[].names[]] | index("no_such_syscall_x") == null)' \
        "$work/b15/config.json"

# 16. an audit record that cannot be written: fail closed by default, or warn and go on
cat >"$HARDRUN_POLICY" <<EOF
{"runtime": {"path": "$FAKE_RUNTIME"}, "audit": {"file": "/dev/null/audit.log"}}
EOF
new_bundle "$work/b13"
rm -f "$out"
msg=$("$HARDRUN_TEST" create --bundle "$work/b13" ctr13 2>&1)
check "unwritable audit log: refused by default" test "$?" = 1 -a ! -e "$out"
check "unwritable audit log: message names the log" grep -q "audit log /dev/null/audit.log" <<<"$msg"
cat >"$HARDRUN_POLICY" <<EOF
{"runtime": {"path": "$FAKE_RUNTIME"}, "audit": {"file": "/dev/null/audit.log", "on_error": "continue"}}
EOF
new_bundle "$work/b13"
"$HARDRUN_TEST" --log "$work/b13/log.json" --log-format json create --bundle "$work/b13" ctr13
check "on_error continue: runtime executed" test "$?" = 0 -a -e "$out"
check "on_error continue: a warning line in --log" quiet jq -e 'select(.level == "warning" and (.msg | contains("audit log")))' "$work/b13/log.json"

# 17. the installed binary's policy location does not come from the environment
if [ -x "${HARDRUN:-}" ]; then
        write_policy deny
        new_bundle "$work/b11"
        HARDRUN_POLICY="$HARDRUN_POLICY" "$HARDRUN" --version >/dev/null 2>&1
        msg=$(HARDRUN_POLICY="$HARDRUN_POLICY" "$HARDRUN" state x 2>&1)
        check "hardrun ignores HARDRUN_POLICY (reads only its built-in path)" test "$(grep -c "$work" <<<"$msg")" = 0
fi

# 18. engine probes get the runtime's own answers
write_policy enforce
rm -f "$out"
"$HARDRUN_TEST" features >/dev/null
check "features passes through" expect_args features
rm -f "$out"
"$HARDRUN_TEST" restore --lsm-mount-context 2>/dev/null
check "restore with a missing option value: the runtime answers (podman probes its text)" expect_args restore --lsm-mount-context
rm -f "$out"
"$HARDRUN_TEST" checkpoint --help >/dev/null
check "checkpoint --help passes through" expect_args checkpoint --help

echo "1..$n"
[ "$failed" = 0 ]
