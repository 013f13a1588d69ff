#!/usr/bin/env bash
# Load: 200 containers created at once through hardrun-test on runc (busybox rootfs, a private
# --root). Every create succeeds, every config.json is hardened, runc state reports each, and
# the audit log holds exactly the expected records, one intact JSON line each (no interleaving
# between the 200 writers). Then all are deleted. Root, runc. LOAD_CONTAINERS overrides 200.
source "$(dirname "$0")/../integration/lib.sh"

hr_setup
n=${LOAD_CONTAINERS:-200}
[ -n "${HR_RT_SKIP[runc]:-}" ] && hr_skip_all "${HR_RT_SKIP[runc]}"
root=$HR_TMP/state
audit=$HR_TMP/audit.log
hr_policy "$HR_TMP/policy.json" runc enforce "$audit"
# One shared rootfs (read-only once hardened); the process waits in 'created' state anyway.
hr_hostile_bundle "$HR_TMP/template" ".root.path = \"$HR_TMP/template/rootfs\" | .process.args = [\"sleep\", \"600\"]"

# The records one container produces, from a reference run with its own audit file.
hr_policy "$HR_TMP/policy-ref.json" /bin/true enforce "$HR_TMP/audit-ref.log"
mkdir -p "$HR_TMP/ref"
cp "$HR_TMP/template/config.json" "$HR_TMP/ref/config.json"
hr_hardrun "$HR_TMP/policy-ref.json" "$HR_TMP/ref/run" create --bundle "$HR_TMP/ref" ref
per=$(hr_audit_count "$HR_TMP/audit-ref.log")
hr_ok $((per > 0 ? 0 : 1)) "a reference create writes $per audit records"

ids=()
for ((i = 0; i < n; i++)); do
        b=$HR_TMP/b$i
        mkdir -p "$b"
        cp "$HR_TMP/template/config.json" "$b/config.json"
        hr_new_id id runc "$root"
        ids+=("$id")
done

start=$(date +%s%N)
for ((i = 0; i < n; i++)); do
        (
                b=$HR_TMP/b$i
                HARDRUN_POLICY=$HR_TMP/policy.json timeout -k 5 300 "$HARDRUN_TEST" --root "$root" \
                        create --bundle "$b" "${ids[i]}" >"$b/out" 2>"$b/err" </dev/null
                echo $? >"$b/rc"
        ) &
done
wait
ms=$((($(date +%s%N) - start) / 1000000))
hr_diag "$n parallel creates took $ms ms"

failed=0 unhardened=0 notcreated=0 hardrun_errors=0
for ((i = 0; i < n; i++)); do
        b=$HR_TMP/b$i
        if [ "$(cat "$b/rc")" != 0 ]; then
                failed=$((failed + 1))
                grep -q '^hardrun: ' "$b/err" && hardrun_errors=$((hardrun_errors + 1))
                [ "$failed" -le 3 ] && hr_diag "b$i: rc $(cat "$b/rc"): $(head -c 300 "$b/err")"
                continue
        fi
        jq -e '.process.user.uid == 65534 and .root.readonly == true
                and .process.noNewPrivileges == true and (.linux.seccomp.syscalls | length) > 0
                and (.process.capabilities.bounding | length) == 0' "$b/config.json" >/dev/null ||
                unhardened=$((unhardened + 1))
        st=$(runc --root "$root" state "${ids[i]}" 2>/dev/null | jq -r .status)
        [ "$st" = created ] || notcreated=$((notcreated + 1))
done
hr_is "$failed" 0 "all $n creates succeed"
hr_is "$hardrun_errors" 0 "no create failed in hardrun"
hr_is "$unhardened" 0 "every config.json is hardened"
hr_is "$notcreated" 0 "runc state reports every container as created"

lines=$(wc -l <"$audit")
bad_lines=$(python3 - "$audit" <<'PY'
import json, sys
bad = 0
for line in open(sys.argv[1], "rb"):
    try:
        rec = json.loads(line)
        if not isinstance(rec, dict):
            bad += 1
    except Exception:
        bad += 1
print(bad)
PY
)
hr_is "$bad_lines" 0 "every audit line is one intact JSON record"
hr_is "$lines" $((per * n)) "audit records: $per per container × $n"
per_id=$(jq -r '.container // empty' "$audit" 2>/dev/null | sort | uniq -c | awk '{print $1}' | sort -u | tr '\n' ' ')
hr_is "$per_id" "$per " "each container has $per records"

for id in "${ids[@]}"; do
        timeout -k 5 120 runc --root "$root" delete -f "$id" >/dev/null 2>&1 &
done
wait
hr_is "$(runc --root "$root" list -q 2>/dev/null)" "" "all containers deleted"
hr_done
