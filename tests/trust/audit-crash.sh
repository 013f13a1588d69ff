#!/usr/bin/env bash
# Crash safety of the audit log: creates run concurrently into one audit log while some of them
# are killed with SIGKILL at random moments, on a hostile spec with dozens of findings per start.
# Afterwards every record of every run that was not killed is a parseable line of its own, a
# run's records are never split by another's, and the only unparseable lines are the tails of
# killed runs. A torn tail planted by hand is closed by the next writer. No root needed.
# AUDIT_CRASH_KILLS (default 150) and AUDIT_CRASH_RUNS (default 100 uninterrupted runs, split
# over AUDIT_CRASH_WRITERS background writers, default 2) set the size.
source "$(dirname "$0")/common.sh"

tr_setup

kills=${AUDIT_CRASH_KILLS:-150}
runs=${AUDIT_CRASH_RUNS:-100}
writers=${AUDIT_CRASH_WRITERS:-2}
log=$HR_TMP/audit.log
policy=$HR_TMP/policy.json
tr_policy "$policy" ".audit.file = \"$log\""

# The hostile spec: root, capabilities, no seccomp, a writable root, and 48 bind mounts without
# nosuid/nodev, so every start has dozens of findings and its batch is tens of KiB.
tr_config "$HR_TMP/base.json"
jq '.mounts += [range(0; 48) | {destination: "/data/volume-\(.)", type: "bind",
                source: "/srv/volumes/volume-\(.)", options: ["rbind", "rw"]}]' \
        "$HR_TMP/base.json" >"$HR_TMP/orig.json"

# create ID BUNDLE: one create through hardrun-test, the bundle reset to the hostile spec first.
create() {
        mkdir -p "$2/rootfs"
        cp "$HR_TMP/orig.json" "$2/config.json"
        HARDRUN_POLICY=$policy "$HARDRUN_TEST" create --bundle "$2" "$1" >/dev/null 2>&1
}

# Records of a run that completes: the count every uninterrupted run must leave.
create calibrate "$HR_TMP/calibrate"
hr_is "$?" 0 "an uninterrupted create succeeds"
per_run=$(grep -c '"container":"calibrate"' "$log")
batch_bytes=$(stat -c %s "$log")
hr_ok $((per_run >= 40 ? 0 : 1)) "the hostile spec has dozens of findings per start ($per_run records, $batch_bytes bytes)"

# A writer killed in the middle of its batch leaves a line without its newline: the next
# writer must close it before appending, or its first record is glued to the tail and lost.
printf '{"time":"2024-05-01T10:00:00.000000000Z","container":"planted-torn","bundle":"/run/b' >>"$log"
create after-torn "$HR_TMP/after-torn"
hr_is "$?" 0 "a create after a torn tail succeeds"
hr_is "$(grep -c '^{"time":"2024-05-01T10:00:00.000000000Z","container":"planted-torn","bundle":"/run/b$' "$log")" 1 \
        "the torn tail stays a line of its own"
hr_is "$(jq -R 'fromjson? | select(.container == "after-torn")' "$log" | jq -s length)" "$per_run" \
        "every record of the next create is a parseable line ($per_run)"

# Calibrate the kill window: the median of five warm runs, plus a third for the load of the
# writers running beside the killer.
times=()
for ((i = 0; i < 5; i++)); do
        start=$(date +%s%N)
        create "warm-$i" "$HR_TMP/warm"
        times+=($((($(date +%s%N) - start) / 1000)))
done
window=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
window=$((window * 4 / 3 + 1))
hr_diag "kill window: 0..$window us; $kills killed and $runs uninterrupted creates, $writers writers beside the killer"

# Uninterrupted writers in the background; each notes a failed create.
for ((w = 0; w < writers; w++)); do
        (
                for ((j = w; j < runs; j += writers)); do
                        create "ok-$j" "$HR_TMP/writer-$w" || echo "ok-$j" >>"$HR_TMP/failed"
                done
        ) &
        pids+=("$!")
done
# The killer, in the foreground. Half of the kills come after a random delay (timed by read -t
# on a FIFO: a builtin, no fork), half the moment the log grows (kill-on-append), which lands
# them inside an append far more often: that writer's own, or another's while it runs.
mkfifo "$HR_TMP/fifo"
exec 9<>"$HR_TMP/fifo"
killed=0 on_append=0
for ((i = 0; i < kills; i++)); do
        mkdir -p "$HR_TMP/killer/rootfs"
        cp "$HR_TMP/orig.json" "$HR_TMP/killer/config.json"
        if ((i % 2)) && [ -x "${KILL_ON_APPEND:-}" ]; then
                r=$(HARDRUN_POLICY=$policy "$KILL_ON_APPEND" "$log" $((RANDOM % 64)) -- \
                        "$HARDRUN_TEST" create --bundle "$HR_TMP/killer" "kill-$i" 2>/dev/null)
                [ "$r" = killed ] && killed=$((killed + 1)) on_append=$((on_append + 1))
                continue
        fi
        delay=$(((RANDOM * 32768 + RANDOM) % window))
        HARDRUN_POLICY=$policy "$HARDRUN_TEST" create --bundle "$HR_TMP/killer" "kill-$i" \
                >/dev/null 2>&1 &
        pid=$!
        read -r -t "$(printf '%d.%06d' $((delay / 1000000)) $((delay % 1000000)))" -u 9
        kill -KILL "$pid" 2>/dev/null && killed=$((killed + 1))
        wait "$pid" 2>/dev/null
done
wait "${pids[@]}"
hr_is "$(cat "$HR_TMP/failed" 2>/dev/null)" "" "every uninterrupted create succeeded"

# The log, line by line: what each run left, and what could not be parsed.
python3 - "$log" "$per_run" "$runs" >"$HR_TMP/report" <<'PY'
import json, re, sys

def killed_tail(raw):
    # A kill can cut a batch at any page boundary, inside the container's id too: a tail whose
    # id is cut short ("kill-1", "ki") is a killed run's as much as one whose id is whole.
    m = re.search(rb'"container":"([^"]*)', raw)
    if not m:
        return False
    cid = m.group(1)
    return cid.startswith(b"kill-") or (m.end() == len(raw) and b"kill-".startswith(cid))

path, per_run, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
lines = open(path, "rb").read().split(b"\n")
if lines and lines[-1] == b"":
    lines.pop()
records, torn, order = {}, [], []
for n, raw in enumerate(lines, 1):
    try:
        rec = json.loads(raw)
        cid = rec["container"]
    except (ValueError, KeyError, TypeError):
        torn.append((n, raw))
        continue
    records.setdefault(cid, []).append(n)
    if not order or order[-1] != cid:
        order.append(cid)
missing = [f"ok-{j}:{len(records.get(f'ok-{j}', []))}" for j in range(runs)
           if len(records.get(f"ok-{j}", [])) != per_run]
split = sorted(c for c in records if order.count(c) > 1)
bad_torn = [f"line {n}: {raw[:160]!r}" for n, raw in torn
            if not killed_tail(raw) and b"planted-torn" not in raw
            and raw.count(b'"time"') <= 1 and b'"container":' in raw]
foreign = [f"line {n}: {raw[:160]!r}" for n, raw in torn
           if raw.count(b'"time"') > 1 or b'"container":"ok-' in raw]
kill_full = sum(1 for c, l in records.items() if c.startswith("kill-") and len(l) == per_run)
kill_part = sum(1 for c, l in records.items() if c.startswith("kill-") and 0 < len(l) < per_run)
print(f"missing={' '.join(missing)}")
print(f"split={' '.join(split)}")
print(f"foreign={' | '.join(foreign)}")
print(f"unattributed={' | '.join(bad_torn)}")
print(f"stats=lines {len(lines)}, unparseable {len(torn)} (one planted), killed runs with all "
      f"records {kill_full}, with some {kill_part}")
PY
field() { sed -n "s/^$1=//p" "$HR_TMP/report"; }
hr_diag "$killed runs killed mid-run ($on_append of them as the log grew); $(field stats)"
hr_is "$(field missing)" "" \
        "every uninterrupted run has all $per_run records as parseable lines (runs listed with their count otherwise)"
hr_is "$(field foreign)" "" "no unparseable line holds another run's record"
hr_is "$(field split)" "" "no run's records are split by another run's"
hr_is "$(field unattributed)" "" "every unparseable line naming a container is a killed run's tail"
hr_done
