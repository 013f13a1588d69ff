#!/usr/bin/env bash
# Runs one deliberately unsafe busybox container (root, every capability the host has, no
# seccomp, writable /, no_new_privs off) through the installed hardrun and runc, and shows what
# the container saw and what hardrun changed.
set -euo pipefail

hardrun=${1:-$(command -v hardrun || echo /usr/local/sbin/hardrun)}
[ "$(id -u)" = 0 ] || { echo "demo: run as root" >&2; exit 1; }
[ -x "$hardrun" ] || { echo "demo: hardrun not found (give its path)" >&2; exit 1; }
for tool in runc jq /bin/busybox; do
        command -v "$tool" >/dev/null || { echo "demo: $tool is missing" >&2; exit 1; }
done

work=$(mktemp -d)
id="hardrun-demo-$$"
trap 'runc delete -f "$id" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

mkdir -p "$work/rootfs/bin" "$work/rootfs/proc" "$work/rootfs/dev" "$work/rootfs/sys" "$work/rootfs/tmp"
# runc gives a tmpfs the mode of the directory it covers; images ship /tmp as 1777.
chmod 1777 "$work/rootfs/tmp"
cp /bin/busybox "$work/rootfs/bin/"
for applet in sh id grep touch echo cat; do ln -s busybox "$work/rootfs/bin/$applet"; done
(cd "$work" && runc spec)

# Every capability this host can grant (its bounding set), as runc names them.
caps=$(capsh --decode="$(awk '/^CapBnd/ {print $2}' /proc/self/status)" 2>/dev/null |
        sed 's/.*=//; s/,/\n/g' | tr a-z A-Z | jq -R . | jq -sc .)
[ -n "$caps" ] && [ "$caps" != "[]" ] || caps='["CAP_SYS_ADMIN","CAP_NET_ADMIN","CAP_SYS_PTRACE"]'

jq --argjson caps "$caps" '
  .process.terminal = false |
  .process.user = {uid: 0, gid: 0, additionalGids: [0]} |
  .process.capabilities = {bounding: $caps, effective: $caps, permitted: $caps,
                           inheritable: $caps, ambient: $caps} |
  .process.noNewPrivileges = false |
  .root.readonly = false |
  del(.linux.seccomp) |
  .process.args = ["sh", "-c",
    "echo \"uid=$(id -u) gid=$(id -g)\"; grep -E \"^(CapEff|CapBnd|NoNewPrivs|Seccomp):\" /proc/self/status; if touch /written 2>/dev/null; then echo \"/ is writable\"; else echo \"/ is read-only\"; fi; touch /tmp/scratch && echo \"/tmp is writable (tmpfs)\""]
' "$work/config.json" >"$work/config.hostile.json"
mv "$work/config.hostile.json" "$work/config.json"

echo "== the container asked for: uid 0, $(jq '.process.capabilities.bounding | length' "$work/config.json") capabilities, no seccomp, writable /, no_new_privs off"
log=/var/log/hardrun/audit.log
# Only this run's lines are read: the log is the host's, and may hold a line a killed hardrun
# left unfinished.
from=$(($(stat -c %s "$log" 2>/dev/null || echo 0) + 1))
echo "== inside the container, run by $hardrun (policy: /etc/hardrun/policy.json or the built-in default) and runc:"
(cd "$work" && "$hardrun" run --bundle "$work" "$id" </dev/null)
echo "== what hardrun found and changed (audit log $log):"
if [ -r "$log" ]; then
        tail -c "+$from" "$log" >"$work/audit.log"
        jq -R -r --arg id "$id" 'fromjson? | select(.container == $id) |
                "\(.action)\t\(.rule)\t\(.path)\t\(.before | tojson | .[0:40]) -> \(.after | tojson | .[0:60])"' \
                "$work/audit.log" | column -t -s $'\t'
        skipped=$(jq -R 'select(length > 0) | fromjson? // "unparseable" | select(. == "unparseable")' "$work/audit.log" | grep -c . || true)
        [ "$skipped" = 0 ] || echo "(skipped $skipped unparseable line(s) in $log)"
fi
