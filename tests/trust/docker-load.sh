#!/bin/bash
# Docker load: a private containerd + dockerd (tests/engines/lib.sh) with hardrun-test as the
# default runtime; 50 `docker run -d` at once. Every container runs hardened (its init's
# /proc/PID/status: uid 65534, no capabilities, NoNewPrivs, seccomp), every audit record is one
# intact JSON line, each container has the same number of records; then all are removed.
# Root, Docker. DOCKER_LOAD_CONTAINERS overrides 50.
. "$(dirname "${BASH_SOURCE[0]}")/../engines/lib.sh"

D=/usr/bin/docker
eng_setup "$D" dockerd containerd ctr
n=${DOCKER_LOAD_CONTAINERS:-50}
IMG=hrtest/busybox:latest
eng_docker_start
eng_run "$E_TMP/out/import" "$D" import -c "ENV PATH=/bin" "$E_TMP/rootfs.tar" "$IMG" ||
        hr_bail "no image: $(cat "$E_TMP/out/import.stderr")"

start=$(date +%s%N)
for ((i = 0; i < n; i++)); do
        eng_run "$E_TMP/out/c$i" "$D" run -d --network none --name "hrload$i" -u 0 --cap-add ALL \
                --security-opt seccomp=unconfined "$IMG" sleep 600 &
done
wait
hr_diag "$n parallel docker run -d took $((($(date +%s%N) - start) / 1000000)) ms"

failed=0 unhardened=0
for ((i = 0; i < n; i++)); do
        if [ "$(cat "$E_TMP/out/c$i.rc")" != 0 ]; then
                failed=$((failed + 1))
                [ "$failed" -le 3 ] && hr_diag "hrload$i: $(head -c 300 "$E_TMP/out/c$i.stderr")"
                continue
        fi
        pid=$(timeout 30 "$D" inspect -f '{{.State.Pid}}' "hrload$i" 2>/dev/null)
        st=/proc/${pid:-0}/status
        if ! [ -r "$st" ] || [ "$(awk '/^Uid:/ {print $2}' "$st")" != 65534 ] ||
                [ "$(awk '/^CapEff:/ {print $2}' "$st")" != 0000000000000000 ] ||
                [ "$(awk '/^CapBnd:/ {print $2}' "$st")" != 0000000000000000 ] ||
                [ "$(awk '/^NoNewPrivs:/ {print $2}' "$st")" != 1 ] ||
                [ "$(awk '/^Seccomp:/ {print $2}' "$st")" != 2 ]; then
                unhardened=$((unhardened + 1))
                [ "$unhardened" -le 3 ] && hr_diag "hrload$i (pid $pid): $(grep -E '^(Uid|CapEff|CapBnd|NoNewPrivs|Seccomp):' "$st" 2>&1 | tr '\n\t' '  ')"
        fi
done
hr_is "$failed" 0 "all $n docker run -d succeed"
hr_is "$unhardened" 0 "every container's init is hardened (uid, capabilities, NoNewPrivs, seccomp)"
audit=$E_TMP/audit/enforce.log
bad=$(python3 - "$audit" <<'PY'
import json, sys
bad = 0
for line in open(sys.argv[1], "rb"):
    try:
        bad += not isinstance(json.loads(line), dict)
    except Exception:
        bad += 1
print(bad)
PY
)
hr_is "$bad" 0 "every audit line is one intact JSON record ($(wc -l <"$audit") lines)"
hr_is "$(jq -r 'select(.subcommand == "create") | .container' "$audit" | sort -u | wc -l)" "$n" \
        "create records for all $n containers"
hr_is "$(jq -r 'select(.subcommand == "create") | .container' "$audit" | sort | uniq -c | awk '{print $1}' | sort -u | wc -l)" 1 \
        "every container has the same number of create records"
ids=$(timeout 30 "$D" ps -aq)
# shellcheck disable=SC2086
eng_run "$E_TMP/out/rm" "$D" rm -f $ids
hr_is "$(cat "$E_TMP/out/rm.rc")" 0 "docker rm -f of all $n containers succeeds"
hr_is "$(timeout 30 "$D" ps -aq | wc -l)" 0 "no container left"
hr_done
