#!/bin/bash
# The records a SIEM receives: node, version and policy digest in every record; audit.records
# summary (one per decision) and refusals; syslog, one message per record at the priority of
# its action, caught on a private /dev/log (a mount namespace of the test's own), a long record
# shortened, never cut. The runtime is /bin/true: records are written before it runs.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

dir=$HR_TMP/records
mkdir -p "$dir"
hr_hostile_bundle "$dir/bundle" \
        '.mounts += [{destination: "/host", type: "bind", source: "/etc", options: ["rbind"]}]'
cp "$dir/bundle/config.json" "$dir/hostile.json"

# records POLICY-FILTER ID: a create of the hostile bundle under an audit-all-like policy.
records() {
        local out="$dir/$2"
        hr_preset_policy "$out.policy.json" /bin/true audit-all "$out.log" "$1"
        cp "$dir/hostile.json" "$dir/bundle/config.json"
        hr_ctx "$out.stdout" "$out.stderr" "$out.log"
        hr_hardrun "$out.policy.json" "$out" create --bundle "$dir/bundle" "$2"
        hr_is "$(cat "$out.rc")" 0 "$2: create exits 0"
}

records . all
log=$dir/all.log
hr_is "$(jq -r '[.node, .version, .policy] | join(" ")' "$log" | sort -u)" \
        "$(uname -n) $("$HARDRUNCTL" --version | cut -d' ' -f2) sha256:$(sha256sum <"$dir/all.policy.json" | cut -d' ' -f1)" \
        "all: every record names the node, hardrun's version and the policy file's SHA-256"
hr_is "$(hr_audit_rules "$log" would_deny)" mounts \
        "all: the host mount, which enforce refuses, is would_deny"
hr_like "$(hr_audit_rules "$log" would_change)" "capabilities.*seccomp.*user" \
        "all: what enforce rewrites is would_change"
hr_is "$(hr_audit_count "$log" '.rule == "user_namespace"')" 0 \
        "all: audit-all leaves user_namespace off, as restricted does"

records '.audit.records = "summary"' summary
log=$dir/summary.log
hr_is "$(grep -c . "$log")" 1 "summary: one record for the create"
hr_is "$(jq -c '[.action, .summary.would_deny, .findings == '"$(grep -c . "$dir/all.log")"']' "$log")" \
        '["would_deny",["mounts"],true]' \
        "summary: the most severe action, the rules per action, the number of findings"
hr_is "$(jq -c '.summary.would_change | sort' "$log")" \
        "$(jq -s -c '[.[] | select(.action == "would_change") | .rule] | unique' "$dir/all.log")" \
        "summary: its would_change rules are those of the records of 'all'"
hr_is "$("$HARDRUNCTL" log --file "$log" --json | jq -c '[.matched, (.rules[] | select(.rule == "mounts") | .would_deny)]')" \
        "[1,1]" "summary: hardrunctl log counts its rules"

records '.audit.records = "refusals"' refusals
log=$dir/refusals.log
hr_is "$(jq -r '[.action, .rule] | join(" ")' "$log" | sort -u)" "would_deny mounts" \
        "refusals: only what enforce would refuse"

# ---- syslog, on a private /dev/log
command -v unshare >/dev/null || hr_bail "unshare (util-linux) is missing"
hr_preset_policy "$dir/syslog.policy.json" /bin/true audit-all "$dir/syslog.log" \
        '.audit.syslog = true'
# Records longer than syslog takes: a 9000-character hostname is in every record's workload.
jq '.hostname = ("h" * 9000)' "$dir/hostile.json" >"$dir/bundle/config.json"
cat >"$dir/listen.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
open(sys.argv[2], "w").close()
s.settimeout(5)
with open(sys.argv[1], "wb") as out:
    while True:
        try:
            msg = s.recv(1 << 20)
        except socket.timeout:
            break
        if msg == b"STOP":
            break
        out.write(msg.rstrip(b"\0").replace(b"\n", b"\\n") + b"\n")
PY
# In a mount namespace of the test's own, /dev is an overlay whose /dev/log is the test's
# socket: the host's /dev (and syslog daemon, if any) never sees a thing.
mkdir -p "$dir/dev-upper" "$dir/dev-work"
unshare -m --propagation private bash -c '
        mount -t overlay overlay -o "lowerdir=/dev,upperdir=$1/dev-upper,workdir=$1/dev-work" /dev ||
                exit 1
        rm -f /dev/log
        python3 "$1/listen.py" "$1/syslog.msgs" "$1/listening" &
        for _ in $(seq 50); do [ -e "$1/listening" ] && break; sleep 0.1; done
        HARDRUN_POLICY="$1/syslog.policy.json" "$2" create --bundle "$1/bundle" syslog-run \
                >"$1/syslog.out" 2>&1
        echo $? >"$1/syslog.rc"
        python3 -c "import socket; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b\"STOP\", \"/dev/log\")"
        wait' _ "$dir" "$HARDRUN_TEST"
hr_ctx "$dir/syslog.out" "$dir/syslog.msgs"
hr_is "$(cat "$dir/syslog.rc" 2>/dev/null)" 0 "syslog: create exits 0"
hr_is "$(grep -c . "$dir/syslog.msgs" 2>/dev/null)" "$(grep -c . "$dir/syslog.log")" \
        "syslog: one message per record of the file"
# "<PRI>Mmm dd hh:mm:ss hardrun[PID]: {...}": facility authpriv (10), severity by action.
python3 - "$dir/syslog.msgs" >"$dir/syslog.check" <<'PY'
import json, re, sys
want = {"denied": 4, "would_deny": 5, "detected": 5, "exempted": 5, "changed": 6, "would_change": 6}
bad, elided = [], 0
for line in open(sys.argv[1]):
    m = re.match(r"<(\d+)>\w{3} [ \d]\d \d\d:\d\d:\d\d hardrun\[\d+\]: (.*)$", line.rstrip("\n"))
    if not m:
        bad.append("no syslog header: " + line[:80])
        continue
    try:
        rec = json.loads(m.group(2))
    except ValueError:
        bad.append("not one JSON record: " + line[:80])
        continue
    pri = int(m.group(1))
    if pri >> 3 != 10 or pri & 7 != want[rec["action"]]:
        bad.append(f"{rec['action']} at priority {pri}")
    if rec.get("elided"):
        elided += 1
        if len(m.group(2)) > 8000 or "workload" in rec or rec["before"] is not None:
            bad.append("an elided record still long")
print("bad=" + " | ".join(bad))
print(f"elided={elided}")
PY
hr_is "$(sed -n 's/^bad=//p' "$dir/syslog.check")" "" \
        "syslog: every message is a whole JSON record, facility authpriv, priority by action"
hr_ok "$([ "$(sed -n 's/^elided=//p' "$dir/syslog.check")" -gt 0 ]; echo $?)" \
        "syslog: records over 8000 bytes are sent without their values (elided: true)"
hr_done
