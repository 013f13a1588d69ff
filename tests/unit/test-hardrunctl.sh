#!/usr/bin/env bash
# hardrunctl's commands as an admin or a CI job runs them: output (golden files in tests/golden/,
# free of timestamps and absolute paths) and exit codes. After a deliberate change of output
# (a new rule, a new default), regenerate the goldens with HARDRUN_UPDATE_GOLDEN=1 and review
# the diff.
set -u

: "${HARDRUNCTL:?}" "${HARDRUN_TEST:?}" "${FAKE_RUNTIME:?}" "${HARDRUN_SRCDIR:?}"
golden="$HARDRUN_SRCDIR/tests/golden"
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
check() { local desc=$1; shift; if "$@" >/dev/null; then ok "$desc"; else not_ok "$desc" "command: $*"; fi; }
is() { if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3" "got '$1', want '$2'"; fi; }

work=$(mktemp -d /tmp/hardrun-ctl.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work"
cd "$work" || exit 1
cp "$golden"/spec-config.json "$golden"/spec-process.json "$golden"/policy.json .
chmod 0644 ./*.json

# Runs hardrunctl ARGS..., keeping stdout in out, stderr in err and the exit status in rc.
ctl() { "$HARDRUNCTL" "$@" >out 2>err; rc=$?; }

# Compares a file with its golden, or rewrites the golden under HARDRUN_UPDATE_GOLDEN=1.
golden() { # name file description
        if [ "${HARDRUN_UPDATE_GOLDEN:-0}" = 1 ]; then
                cp "$2" "$golden/$1"
                ok "$3 (golden $1 rewritten)"
        elif diff -u "$golden/$1" "$2" >diff.out; then
                ok "$3"
        else
                not_ok "$3" "output differs from tests/golden/$1:" "$(head -n 40 diff.out)"
        fi
}

# ---- check

ctl check --policy policy.json spec-config.json
is "$rc" 1 "check: findings exit 1"
golden check.txt out "check: one line per finding, severities from the rules' modes"
is "$(cat err)" "" "check: nothing on stderr"

ctl check --policy policy.json --json spec-config.json spec-process.json
is "$rc" 1 "check --json: findings exit 1"
golden check.json out "check --json: one JSON array over both files"
check "check --json: valid JSON, one object per finding" \
        test "$(jq length out)" = "$(( $(grep -c ': \(deny\|error\|warning\):' "$golden/check.txt") + 5 ))"

ctl check --policy policy.json spec-process.json
is "$rc" 1 "check process.json: findings exit 1"
golden check-process.txt out "check: a file with args/user and no process is an exec process file"

mkdir bundle && cp spec-config.json bundle/config.json
ctl check --policy policy.json bundle
check "check BUNDLE reads BUNDLE/config.json" grep -q '^bundle/config.json: 17 findings' out

# --process forces the kind: as a process file, config.json's top level has no user or caps.
ctl check --policy policy.json --process spec-config.json
is "$rc" 1 "check --process on a config.json: findings"
check "check --process: JSON paths are the process file's" grep -q ': user: /user/uid: (absent) -> 65534' out

# Enforced by hardrun itself (a fake runtime), a spec is compliant: check(enforce(x)) is empty.
cat >enforce.json <<EOF
{"version": 1, "mode": "enforce", "runtime": {"path": "$FAKE_RUNTIME"}, "audit": {"file": null}}
EOF
chmod 0644 enforce.json
mkdir enforced && cp spec-config.json enforced/config.json
FAKE_RUNTIME_OUT=/dev/null HARDRUN_POLICY="$work/enforce.json" "$HARDRUN_TEST" create \
        --bundle enforced ctl-test >/dev/null 2>&1
ctl check --policy enforce.json enforced
is "$rc" 0 "check: a spec hardrun enforced is compliant (exit 0)"
is "$(cat out)" "enforced/config.json: compliant" "check: says 'compliant'"
ctl diff --policy enforce.json enforced/config.json
is "$rc" 0 "diff: no changes on an enforced spec (exit 0)"
is "$(wc -c <out)" 0 "diff: prints nothing without changes"
ctl check --policy enforce.json --json enforced
is "$rc:$(cat out)" "0:[]" "check --json: [] when compliant"

# Colour only on a terminal.
check "check: no escape sequences when stdout is not a terminal" \
        bash -c "! grep -q $'\\033' '$work/out'"
# script(1) runs the command on a pseudo-terminal.
on_tty() { TERM=xterm script -qec "$1" /dev/null >tty.out 2>&1; grep -q 'spec-config.json:' tty.out; }
lint_cmd="'$HARDRUNCTL' check --policy '$work/policy.json' '$work/spec-config.json'"
if command -v script >/dev/null && on_tty "$lint_cmd"; then
        check "check: coloured severities on a terminal" grep -q $'\033\\[1;31mdeny\033\\[0m' tty.out
        on_tty "NO_COLOR=1 $lint_cmd"
        check "check: NO_COLOR turns colour off" bash -c "! grep -q $'\\033' '$work/tty.out'"
else
        ok "check: coloured severities on a terminal # SKIP no script(1) or no pseudo-terminal"
        ok "check: NO_COLOR turns colour off # SKIP no script(1) or no pseudo-terminal"
fi

# Errors: exit 2, one line naming the file.
ctl check --policy policy.json missing.json
is "$rc" 2 "check: unreadable file exits 2"
check "check: the message names the file" grep -q "^hardrunctl: missing.json: cannot open" err
printf '{"process": {' >broken.json
ctl check --policy policy.json broken.json
is "$rc" 2 "check: invalid JSON exits 2"
check "check: invalid JSON names the file and byte" grep -q "^hardrunctl: broken.json: invalid JSON near byte" err
printf '{"process": {}, "Process": {}}' >dup.json
ctl check --policy policy.json dup.json
is "$rc" 2 "check: keys equal under case folding exit 2 (hardrun refuses them too)"
printf '[1]' >array.json
ctl check --policy policy.json array.json
is "$rc" 2 "check: a non-object spec exits 2"
printf '{"version": 1, "mode": "strict"}' >badpolicy.json
chmod 0644 badpolicy.json
ctl check --policy badpolicy.json spec-config.json
is "$rc" 2 "check: a bad policy exits 2"
check "check: the policy error names the file and JSON path" \
        grep -q "^hardrunctl: badpolicy.json: '/mode': 'strict' is not one of" err
ctl check --policy policy.json spec-config.json missing.json
is "$rc" 2 "check: an error wins over findings in the exit status"
check "check: the readable file is still reported" grep -q '^spec-config.json: 17 findings' out
chmod 0666 badpolicy.json
printf '{"version": 1}' >badpolicy.json
ctl check --policy badpolicy.json spec-config.json
is "$rc" 2 "check: a policy writable by others is refused as hardrun refuses it"

# A missing policy means the built-in default, as for hardrun.
ctl check --policy "$work/no-such-policy.json" spec-process.json
is "$rc" 1 "check: missing policy file: the built-in default applies"
check "check: built-in default enforces (severity error)" grep -q '^spec-process.json: error: user:' out

# deny severity for what no rewrite fixes (a host path mounted in), also in enforce mode.
cat >hostmount.json <<'EOF'
{"process": {"user": {"uid": 1000, "gid": 1000}, "args": ["sh"], "cwd": "/",
 "capabilities": {"bounding": [], "effective": [], "permitted": []}, "noNewPrivileges": true},
 "root": {"path": "rootfs", "readonly": true},
 "mounts": [{"destination": "/host", "type": "bind", "source": "/etc", "options": ["rbind"]}],
 "linux": {"namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"},
   {"type": "mount"}], "resources": {"devices": [{"allow": false, "access": "rwm"}]}}}
EOF
cat >noseccomp.json <<'EOF'
{"version": 1, "audit": {"file": null},
 "rules": {"seccomp": {"mode": "off"}, "rootfs": {"tmpfs": []}}}
EOF
chmod 0644 noseccomp.json
ctl check --policy noseccomp.json hostmount.json
if grep -q '^hostmount.json: deny: mounts: /mounts/0[:/]' out; then
        ok "check: an unfixable finding in enforce mode has severity deny"
        ctl diff --policy noseccomp.json hostmount.json
        is "$rc" 1 "diff: a spec enforce would refuse exits 1"
        check "diff: says enforce would refuse it" \
                grep -q "^hostmount.json: '/mounts/0.*': enforce would refuse this (rule 'mounts')" err
elif "$HARDRUNCTL" policy explain mounts >/dev/null 2>&1; then
        not_ok "check: an unfixable finding in enforce mode has severity deny" "$(cat out err)"
else
        ok "check: an unfixable finding in enforce mode has severity deny # SKIP no mounts rule"
fi

# ---- diff

ctl diff --policy noseccomp.json spec-config.json
is "$rc" 1 "diff: changes exit 1"
golden diff.txt out "diff: unified diff of the pretty-printed spec and its enforced form"
is "$(sed -n '1,2p' out)" $'--- spec-config.json\n+++ spec-config.json (enforced)' "diff: labels"
ctl diff --policy policy.json spec-config.json
check "diff: the seccomp profile is added when the rule is on" grep -q '^+    "seccomp": {' out
ctl diff --policy policy.json missing.json
is "$rc" 2 "diff: unreadable file exits 2"
ctl diff --policy policy.json spec-config.json spec-process.json
is "$rc" 2 "diff: two files are a usage error (exit 2)"

# ---- policy validate / show / explain

ctl policy validate policy.json
is "$rc:$(cat out)" "0:policy.json: ok" "policy validate: a valid policy (exit 0)"
printf '{"version": 1, "rules": {"user": {"uid": 0}}}' >invalid.json
ctl policy validate invalid.json
is "$rc" 1 "policy validate: an invalid policy exits 1"
is "$(cat out)" "invalid.json: '/rules/user/uid': must not be 0: the rule replaces root with this id" \
        "policy validate: the one-line error names file, JSON path and reason"
ctl policy validate no-such.json
is "$rc" 1 "policy validate: a missing file is invalid (exit 1), not the default"
printf '{"version": 1, "rules": {"seccomp": {"profile": "/nonexistent/profile.json"}}}' >noprofile.json
ctl policy validate noprofile.json
is "$rc" 1 "policy validate: a seccomp profile file that cannot be loaded makes it invalid"
ctl policy validate
is "$rc" 2 "policy validate without a file: usage error (exit 2)"
ctl policy validate a.json b.json
is "$rc" 2 "policy validate with two files: usage error (exit 2)"

# ---- policy install: only a valid policy replaces the file, atomically, and is kept as the
# last good copy
mkdir -m 0755 inst
printf '{"mode": "audit"}\n' >inst/policy.json
ctl policy install --policy inst/policy.json --state-dir inst/state invalid.json
is "$rc:$(cat inst/policy.json)" '1:{"mode": "audit"}' "policy install: an invalid policy exits 1, the file unchanged"
check "policy install: the error names file, JSON path and reason" grep -q "^invalid.json: '/rules/user/uid': " out
check "policy install: no last good copy of an invalid policy" test ! -e inst/state
ctl policy install --policy inst/policy.json --state-dir inst/state policy.json
digest=$(sha256sum <policy.json | cut -d' ' -f1)
is "$rc:$(cat out)" "0:inst/policy.json: installed (sha256:$digest)" "policy install: a valid policy (exit 0) and its digest"
check "policy install: the file is the policy, byte for byte" cmp policy.json inst/policy.json
is "$(stat -c %a inst/policy.json)" 644 "policy install: mode 0644"
is "$(readlink inst/state/last-good.json)" "policy-$digest.json" "policy install: the last good copy is refreshed"
check "policy install: no temporary file left" test "$(find inst -maxdepth 1 -name '.*' | wc -l)" = 0
printf '{"mode": "off"}\n' >off.json
ctl policy install --policy inst/policy.json --state-dir inst/state off.json
check "policy install: the kill switch gets a note" grep -q '"mode" is "off", the kill switch' err
ctl policy validate off.json
check "policy validate: the kill switch gets a note" grep -q '"mode" is "off", the kill switch' err
ctl policy install --policy "$work/no-such-dir/policy.json" --state-dir inst/state policy.json
is "$rc" 2 "policy install: a file that cannot be written exits 2"
ctl policy install
is "$rc" 2 "policy install without a file: usage error (exit 2)"

ctl policy show --policy policy.json
is "$rc" 0 "policy show: exit 0"
golden policy-show.json out "policy show: the effective policy with every default"
cp out shown.json
ctl policy validate shown.json
is "$rc" 0 "policy show's output is a valid policy"
ctl policy show --policy shown.json
check "policy show round-trips: showing the shown policy gives the same text" cmp -s out shown.json
ctl policy show --policy "$work/no-such-policy.json"
is "$rc" 0 "policy show without a policy file: the built-in default"
check "policy show: the built-in default enforces" grep -q '^  "mode": "enforce",' out
cp out default-shown.json
"$HARDRUNCTL" policy validate default-shown.json >/dev/null
is "$?" 0 "policy show: the built-in default as shown is valid"
ctl policy show --policy badpolicy.json
is "$rc" 2 "policy show: an unusable policy exits 2"

ctl policy explain user
is "$rc" 0 "policy explain user: exit 0"
golden explain-user.txt out "policy explain user: what, enforce/deny/audit, sources, fields and defaults"
ctl policy explain mounts
# Wrapped text: the fields' description joined into one line.
racy=$(sed -n '/^  racy_sources /,/^  [a-z_]* (/p' out | tr -s ' \n' ' ')
case $racy in
*TOCTOU*"owned by root and writable by root alone"*"set this key"*"rule 'mounts'"*)
        ok "policy explain mounts: racy_sources says why and the ways out" ;;
*) not_ok "policy explain mounts: racy_sources says why and the ways out" "$racy" ;;
esac
ctl policy explain
is "$rc" 0 "policy explain without a rule lists them"
for rule in $(awk '{print $1}' out); do
        ctl policy explain "$rule"
        if [ "$rc" = 0 ] && grep -q '^  CIS Docker Benchmark v1.6.0: ' out &&
           grep -q '^  Kubernetes Pod Security Standards: ' out && grep -q '^  mode (string)$' out; then
                ok "policy explain $rule: sources and fields"
        else
                not_ok "policy explain $rule: sources and fields" "rc $rc" "$(cat out err)"
        fi
done
ctl policy explain nosuchrule
is "$rc" 2 "policy explain: an unknown rule exits 2"
check "policy explain: the error lists the known rules" grep -q "unknown rule 'nosuchrule'; known rules: privileged, user, capabilities, seccomp, rootfs, no_new_privileges" err

# ---- version

cat >fake.json <<EOF
{"version": 1, "runtime": {"path": "$FAKE_RUNTIME", "argv0": "runc"}}
EOF
chmod 0644 fake.json
ctl version --policy fake.json
is "$rc" 0 "version: exit 0"
check "version: hardrun's version" grep -qx "hardrun: $("$HARDRUNCTL" --version | cut -d' ' -f2)" out
check "version: the runtime hardrun would exec, with its argv[0]" grep -qx "runtime: $FAKE_RUNTIME (argv\[0\] runc)" out
check "version: the first line of the runtime's --version" grep -qx "runtime version: runc version 1.1.5" out
check "version: libseccomp" grep -Eqx 'libseccomp: [0-9]+\.[0-9]+\.[0-9]+' out
check "version: yajl" grep -Eqx 'yajl: [0-9]+\.[0-9]+\.[0-9]+' out
check "version: libcap" grep -Eq '^libcap: [0-9]+\.[0-9]+' out
check "version: libmount (dlopen'ed as hardrun does)" grep -Eqx 'libmount: [0-9]+\.[0-9]+(\.[0-9]+)?' out
check "version: the policy file" grep -qx "policy: fake.json" out
printf '{"version": 1, "runtime": {"path": "/nonexistent/runc"}}' >norun.json
chmod 0644 norun.json
ctl version --policy norun.json
is "$rc" 1 "version: a runtime that cannot be found exits 1"
check "version: says why" grep -q "^runtime: (none: norun.json: runtime '/nonexistent/runc' is not an executable file)" out

# ---- log

cp "$golden/audit.log" audit.log
ctl log --file audit.log
is "$rc" 0 "log: exit 0"
golden log.txt out "log: counts per rule and per workload, the unparseable line counted"
ctl log --file audit.log --json
golden log.json out "log --json"
check "log --json: valid JSON" jq -e '.matched == 13 and .skipped.unparseable == 2' out
ctl log --file audit.log --since 2024-05-01T10:30 --container 9e8d --rule user
is "$rc" 0 "log with filters: exit 0"
golden log-filtered.txt out "log --since --container --rule"
ctl log --file - --rule capabilities <audit.log
check "log --file - reads standard input (a summary record counts for each of its rules)" \
        grep -q '^audit log (standard input): 3 records matched' out
printf '{"version": 1, "audit": {"file": "%s/audit.log"}}' "$work" >logpolicy.json
chmod 0644 logpolicy.json
ctl log --policy logpolicy.json
check "log: the policy's audit.file by default" grep -q "^audit log $work/audit.log: 13 records" out
printf '{"version": 1, "audit": {"file": "%s/none.log"}}' "$work" >nolog.json
chmod 0644 nolog.json
ctl log --policy nolog.json
is "$rc" 0 "log: no audit log yet is not an error"
check "log: says it does not exist yet" grep -q 'does not exist yet' out
ctl log --policy nolog.json --json
check "log --json without a log yet: an empty summary" jq -e '.matched == 0 and .rules == []' out
ctl log --file none.log
is "$rc" 2 "log: a missing --file exits 2"
ctl log --file audit.log --since yesterday
is "$rc" 2 "log: an invalid --since is a usage error (exit 2)"
ctl log --file audit.log --rule usr
is "$rc" 2 "log: an unknown --rule is a usage error (exit 2)"
check "log: the error lists the known rules" grep -q "unknown rule 'usr'; known rules: privileged, user," err
ctl log --file audit.log --action would_delete
is "$rc" 2 "log: an unknown --action is a usage error (exit 2)"
check "log: the error lists the actions" grep -q "known actions: changed, would_change, would_deny," err
ctl log --file audit.log --action would_deny
check "log --action would_deny: what enforce would refuse" \
        grep -q '^namespaces *0 *0 *1 *0 *0 *0$' out

# ---- log --records: one row per record, or the records' own lines
ctl log --file audit.log --records
is "$rc" 0 "log --records: exit 0"
golden log-records.txt out "log --records: time, action, rule, container, change and workload"
check "log --records: the unparseable lines are counted on standard error" \
        grep -qx "hardrunctl: audit.log: skipped 2 unparseable lines" err
ctl log --file audit.log --records --json --container 9e8d --action denied
is "$(jq -r '.path' out | tr '\n' ' ')" "/mounts/5 /argv/--user " \
        "log --records --json: the matching records, as JSON lines"
is "$(grep -c . out)" 2 "log --records --json: nothing else on standard output"
ctl log --file audit.log --records --json --rule namespaces --action denied
is "$(jq -r '.summary.denied[0]' out)" namespaces "log --records: a summary record matches by its rules"
ctl log --file audit.log --records --container nothing-like-it
is "$rc:$(cat out)" "0:audit log audit.log: no record matched" "log --records: says when nothing matched"
printf '%s\n' '{"time":"2024-05-01T12:00:00.000000000Z","container":"c1","file":"argv","subcommand":"restore","mode":"audit","rule":"command_line","path":"/argv/restore","before":"restore","after":null,"action":"would_deny"}' >argv.log
ctl log --file argv.log --rule command_line --records --json
is "$rc:$(jq -r '.path' out)" "0:/argv/restore" "log --rule command_line: the records of the policy's command_line section"

# ---- log --follow: tail -F of the log, through rotation and truncation
rec() { sed -n "${1}p" "$golden/audit.log"; }
wait_for() { # count file: until file has count lines (10 s at most)
        for _ in $(seq 100); do
                [ "$(grep -c . "$2" 2>/dev/null)" -ge "$1" ] && return 0
                sleep 0.1
        done
        return 1
}
wait_grep() { # pattern file: until file has a line matching pattern (10 s at most)
        for _ in $(seq 100); do
                grep -q "$1" "$2" 2>/dev/null && return 0
                sleep 0.1
        done
        return 1
}
rec 1 >follow.log
"$HARDRUNCTL" log --file follow.log --follow --json >follow.out 2>follow.err &
follower=$!
sleep 0.5
rec 2 >>follow.log
printf '{"time":"2024-05-01T10:00:00Z","torn' >>follow.log
check "log --follow: a record appended shows (and not the one that was there)" wait_for 1 follow.out
# The next writer closes the torn line (as hardrun does), then logrotate renames the log.
{ echo; rec 3; } >>follow.log
mv follow.log follow.log.1
rec 4 >follow.log
check "log --follow: after a rotation, the old file's rest and then the new file" wait_for 3 follow.out
: >follow.log
check "log --follow: notices a truncation" wait_grep "follow.log: truncated" follow.err
rec 7 >>follow.log
check "log --follow: after a truncation, the file from its start" wait_for 4 follow.out
kill "$follower" 2>/dev/null
wait "$follower" 2>/dev/null
is "$(jq -r '.rule' follow.out | tr '\n' ' ')" "user capabilities seccomp user " \
        "log --follow: records 2, 3, 4 and 7 in order, nothing twice"
check "log --follow: the torn tail was skipped and said so" \
        grep -q "follow.log: skipped an unparseable line (1 so far)" follow.err
check "log --follow: says when the log was rotated" grep -q "follow.log: rotated" follow.err
"$HARDRUNCTL" log --file new.log --follow --records >follow.out 2>&1 &
follower=$!
sleep 0.3
rec 9 >new.log
check "log --follow: a log that does not exist yet is waited for" wait_for 2 follow.out
kill "$follower" 2>/dev/null
wait "$follower" 2>/dev/null
check "log --follow --records: a table" grep -q '^TIME  *ACTION  *RULE' follow.out
ctl log --file - --follow <audit.log
is "$rc" 2 "log --follow: standard input cannot be followed (exit 2)"
# Real records, written by hardrun (audit mode, fake runtime), read back.
cat >auditmode.json <<EOF
{"version": 1, "mode": "audit", "runtime": {"path": "$FAKE_RUNTIME"},
 "audit": {"file": "$work/real.log"}}
EOF
chmod 0644 auditmode.json
mkdir real && cp spec-config.json real/config.json
FAKE_RUNTIME_OUT=/dev/null HARDRUN_POLICY="$work/auditmode.json" "$HARDRUN_TEST" create \
        --bundle real real-ctr >/dev/null 2>&1
ctl log --policy auditmode.json --json
check "log: reads hardrun's own records" \
        jq -e '.matched > 0 and .skipped.unparseable == 0 and .workloads[0].container == "real-ctr"
               and .workloads[0].would_change + .workloads[0].detected == .matched' out

# ---- seccomp (the profiles themselves are tested in test-seccomp.c and, by effect, in the
# integration suite; here the command line)

ctl seccomp check default strict
is "$rc:$(cat out)" $'0:built-in profile \'default\': ok\nbuilt-in profile \'strict\': ok' \
        "seccomp check: the built-in profiles are valid (exit 0)"
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["fooo"], "action": "SCMP_ACT_ALLOW"}]}' >typo.json
ctl seccomp check typo.json
is "$rc" 1 "seccomp check: an unknown syscall name exits 1"
check "seccomp check: one line naming file, JSON path and reason" \
        grep -q "^typo.json: '/syscalls/0/names/0': unknown syscall 'fooo'" out
ctl seccomp check --unknown-syscalls ignore typo.json
is "$rc:$(cat out)" "0:typo.json: ok" "seccomp check --unknown-syscalls ignore: valid"
ctl seccomp diff default default
is "$rc:$(wc -c <out)" "0:0" "seccomp diff: a profile against itself: no output, exit 0"
ctl seccomp diff default strict
is "$rc" 1 "seccomp diff: profiles that differ exit 1"
check "seccomp diff: '<' lines for what only the first allows" grep -q '^< ' out
ctl seccomp diff missing.json default
is "$rc" 2 "seccomp diff: an unreadable profile exits 2"
ctl seccomp export --format pfc strict
is "$rc" 0 "seccomp export --format pfc: exit 0"
check "seccomp export --format pfc: libseccomp's pseudo filter code" grep -q 'pseudo filter code start' out
ctl seccomp export default
check "seccomp export: a BPF program, whole instructions of 8 bytes" \
        test "$rc" = 0 -a "$(( $(wc -c <out) % 8 ))" = 0 -a "$(wc -c <out)" -gt 0
ctl seccomp export --format bogus default
is "$rc" 2 "seccomp export --format bogus: usage error"
ctl seccomp check --format pfc default
is "$rc" 2 "seccomp check takes no --format"

# Docker's profile format: resolved as the engine would, and the output says for what.
cp "$HARDRUN_SRCDIR/tests/data/docker-seccomp.json" docker.json
ctl seccomp check --arch amd64 --kernel 6.1 docker.json
is "$rc" 0 "seccomp check: Docker's format is resolved, then checked (exit 0)"
is "$(head -n 1 out)" "# docker.json: Docker's profile format, resolved as the engine would for amd64 (SCMP_ARCH_X86_64), kernel 6.1, capabilities: Docker's 14 defaults" \
        "seccomp check: says what Docker's format was resolved for"
cat >plain.json <<'EOF'
{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
 "syscalls": [{"names": ["read", "write", "exit", "exit_group", "rt_sigreturn", "futex", "brk",
                         "mmap", "munmap", "close", "openat", "fstat", "newfstatat", "mount"],
               "action": "SCMP_ACT_ALLOW"}]}
EOF
ctl seccomp diff --arch amd64 --kernel 6.1 docker.json plain.json
golden seccomp-docker-diff.txt out "seccomp diff: Docker's format resolved (Docker's caps, amd64, 6.1) against a plain profile"
ctl seccomp diff --arch amd64 --kernel 4.4 --caps default,SYS_ADMIN docker.json docker.json
is "$rc" 0 "seccomp diff: a Docker profile against itself, any caps: no differences"
ctl seccomp diff --arch amd64 --kernel 6.1 --caps none docker.json ./docker.json
is "$rc" 0 "seccomp diff --caps none: both sides resolved the same way"
ctl seccomp export --format json --arch amd64 --kernel 4.4 --caps all docker.json
is "$rc" 0 "seccomp export --format json: exit 0"
check "seccomp export --format json: ptrace goes below 4.8, SYS_ADMIN's calls come with all caps" \
        jq -e '([.syscalls[].names[]] | (index("ptrace") == null) and (index("bpf") != null))
               and (.architectures == ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"])
               and ([.syscalls[] | select(.names == ["clone3"])] == [])' out
check "seccomp export: the note goes to stderr" grep -q "^# docker.json: Docker's profile format" err
"$HARDRUNCTL" seccomp export --format json --arch amd64 docker.json >resolved.json 2>/dev/null
ctl seccomp check resolved.json
is "$rc:$(cat out)" "0:resolved.json: ok" "seccomp check: the exported profile is valid as it is"
printf '{"version": 1, "rules": {"seccomp": {"profile": "%s"}}}' "$work/docker.json" >dockerpol.json
chmod 0644 dockerpol.json
ctl policy validate dockerpol.json
is "$rc" 1 "policy validate: a policy's seccomp.profile in Docker's format is refused"
check "policy validate: ... naming the way to convert it" grep -q "seccomp export --format json" out
ctl seccomp check --arch sparc docker.json
is "$rc" 2 "seccomp check --arch sparc: usage error"
ctl seccomp check --caps NOT_A_CAP docker.json
is "$rc" 2 "seccomp check --caps with an unknown name: usage error"
ctl seccomp check --kernel six docker.json
is "$rc" 2 "seccomp check --kernel six: usage error"

# ---- usage

ctl --help
is "$rc" 0 "--help exits 0"
for c in check diff "policy validate" "policy show" "policy explain" log version "seccomp check" \
        install uninstall help; do
        check "--help names '$c'" grep -q "hardrunctl $c" out
done
# Every command has a page: help CMD and CMD --help print the same, with its usage line.
while read -r c; do
        # shellcheck disable=SC2086
        ctl help $c
        cp out help.out
        # shellcheck disable=SC2086
        ctl $c --help
        if [ "$rc" = 0 ] && cmp -s out help.out && grep -q "^Usage: hardrunctl $c" out &&
                grep -q "^Exit status: " out; then
                ok "help '$c' and '$c --help': its page"
        else
                not_ok "help '$c' and '$c --help': its page" "rc $rc" "$(head -n 3 out)"
        fi
done < <("$HARDRUNCTL" --help | sed -n 's/^\(Usage:\| \) *hardrunctl \([a-z]\+\( [a-z]\+\)\?\).*/\2/p' |
         sed 's/ \(\[\|--\|FILE\|PROFILE\|BUNDLE\|docker\).*//')
ctl help install
sed -i "s|${HARDRUN_SBINDIR:-/usr/local/sbin}/hardrun|SBINDIR/hardrun|" out
golden help-install.txt out "help install: usage, description, options, exit status"
ctl policy --help
is "$rc" 0 "a group's --help exits 0"
check "a group's --help lists its commands" grep -q "^policy explain " out
ctl help policy
is "$rc" 0 "help GROUP exits 0"
ctl help polcy
is "$rc:$(cat err)" "2:hardrunctl: no command 'polcy' (did you mean 'policy'?); try 'hardrunctl --help'" \
        "help with a typo: exit 2 and the nearest command"
ctl chekc spec-config.json
is "$rc" 2 "a misspelt command exits 2"
check "a misspelt command: did you mean 'check'" grep -q "unknown command 'chekc' (did you mean 'check'?)" err
ctl seccomp dif a b
check "a misspelt subcommand: did you mean 'seccomp diff'" \
        grep -q "unknown command 'seccomp dif' (did you mean 'seccomp diff'?)" err
ctl check --polcy policy.json spec-config.json
is "$rc" 2 "a misspelt option exits 2"
check "a misspelt option: did you mean '--policy'" grep -q "(did you mean '--policy'?)" err
ctl frobnicate
is "$rc" 2 "an unknown command exits 2"
check "an unrelated word gets no suggestion" bash -c '! grep -q "did you mean" err'
printf '{"version": 1, "rules": {"capabilites": {}}}' >typo-policy.json
chmod 0644 typo-policy.json
ctl policy validate typo-policy.json
check "policy validate: a misspelt rule gets the nearest name" \
        grep -q "unknown rule 'capabilites' (did you mean 'capabilities'?)" out
ctl policy
is "$rc" 2 "a group without its subcommand exits 2"
ctl check
is "$rc" 2 "check without a file exits 2"
ctl check --bogus spec-config.json
is "$rc" 2 "an unknown option exits 2"
ctl log --json extra
is "$rc" 2 "log takes no operands"
ctl version --json
is "$rc" 2 "an option of another command is refused"

echo "1..$n"
[ "$failed" = 0 ]
