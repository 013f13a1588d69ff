#!/bin/bash
# Rule user_namespace (opt-in): a root bundle with every host capability runs as host root
# under plain runc (/proc/self/uid_map "0 0 4294967295"). With the rule in enforce mode it gets a
# user namespace: uid_map "0 100000 65536", id -u still 0 inside, host uid 100000 from the host,
# and the root-owned busybox rootfs still runs (through its "others" bits). With rule user in
# deny mode alongside, that remapped root passes. A bundle that joins a network namespace by
# path is refused in enforce mode; audit mode logs and lets the container run as host root;
# deny mode refuses it.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

# Prints its view, then waits for the host to look at it; a finished container has no /proc.
USERNS_PROBE='echo "uidmap=$(sed "s/^ *//; s/  */ /g" /proc/self/uid_map)"
echo "uid=$(id -u)"
echo "owner=$(ls -ln /bin/busybox | sed "s/  */ /g" | cut -d " " -f 3)"
if touch /tmp/ok; then echo tmp=writable; else echo tmp=unwritable; fi
echo ready
exec sleep 60'

# Host view of the container's init: the real uid from /proc/PID/status.
host_uid_of() {
        local rt=$1 root=$2 id=$3 pid
        pid=$(timeout -k 5 60 "$rt" --root "$root" state "$id" 2>/dev/null | jq -r .pid)
        [ -n "$pid" ] && [ "$pid" != null ] || return 1
        awk '/^Uid:/ {print $2}' "/proc/$pid/status"
}

stop() {
        timeout -k 5 60 "$1" --root "$2" kill "$3" KILL >/dev/null 2>&1
        timeout -k 5 60 "$1" --root "$2" delete -f "$3" >/dev/null 2>&1
}

wait_ready() {
        local i
        for i in $(seq 100); do
                grep -q '^ready$' "$1" 2>/dev/null && return 0
                sleep 0.1
        done
        return 1
}

# hr_hostile_bundle's filter has no --arg: set the probe afterwards. The rootfs gets /run:
# the mapped root cannot create a mount point in the host-root-owned rootfs, and rule rootfs
# mounts a tmpfs there (real images ship /run).
set_probe() {
        mkdir -p "$1/rootfs/run"
        jq --arg probe "$USERNS_PROBE" '.process.args = ["sh", "-c", $probe]' "$1/config.json" \
                >"$1/config.tmp" && mv "$1/config.tmp" "$1/config.json"
}

user_namespace() {
        local rt=$1 dir="$HR_TMP/userns-$1" id out b audit cfg netns_pid root

        # 1. Plain runtime: root in the container is host root.
        b="$dir/plain"
        root="$dir/state-plain"
        out="$dir/plain-run"
        hr_hostile_bundle "$b"
        set_probe "$b"
        hr_new_id id "$rt" "$root"
        hr_ctx "$out.stdout" "$out.stderr"
        (cd "$b" && timeout -k 5 "$HR_TIMEOUT" "$rt" --root "$root" run -d "$id") \
                >"$out.stdout" 2>"$out.stderr" < <(:)
        hr_is "$?" 0 "$rt plain: the hostile bundle starts"
        wait_ready "$out.stdout"
        hr_is "$(hr_val "$out.stdout" uidmap)" "0 0 4294967295" \
                "$rt plain: uid_map is 0 0 4294967295 (no user namespace: host root)"
        hr_is "$(host_uid_of "$rt" "$root" "$id")" 0 "$rt plain: the host sees uid 0"
        stop "$rt" "$root" "$id"

        # 2. Enforce, with rule user in deny mode: root is remapped and passes.
        b="$dir/enforce"
        root="$dir/state-enforce"
        out="$dir/enforce-run"
        audit="$out.audit.log"
        cfg="$b/config.json"
        hr_hostile_bundle "$b"
        set_probe "$b"
        hr_run_mode "$rt" "$root" "$b" "$out" enforce \
                '.rules.user_namespace = {mode: "enforce"} | .rules.user.mode = "deny"' -d
        id=$HR_RUN_ID
        hr_is "$(cat "$out.rc")" 0 "$rt enforce: hardrun-test run -d exits 0"
        hr_check "$rt enforce: the container prints its view" wait_ready "$out.stdout"
        hr_is "$(hr_val "$out.stdout" uidmap)" "0 100000 65536" "$rt enforce: uid_map is 0 100000 65536"
        hr_is "$(hr_val "$out.stdout" uid)" 0 "$rt enforce: id -u is 0 inside"
        hr_is "$(host_uid_of "$rt" "$root" "$id")" 100000 "$rt enforce: the host sees uid 100000"
        hr_is "$(hr_val "$out.stdout" owner)" 65534 \
                "$rt enforce: the root-owned rootfs shows up as the overflow uid 65534"
        hr_is "$(hr_val "$out.stdout" tmp)" writable "$rt enforce: /tmp (tmpfs) is writable"
        hr_is "$(jq -c '[.linux.namespaces[] | select(.type == "user")]' "$cfg")" '[{"type":"user"}]' \
                "$rt enforce: config.json has a user namespace"
        hr_is "$(jq -c '[.linux.uidMappings, .linux.gidMappings]' "$cfg")" \
                '[[{"containerID":0,"hostID":100000,"size":65536}],[{"containerID":0,"hostID":100000,"size":65536}]]' \
                "$rt enforce: config.json maps 0.. onto 100000.. (uid and gid)"
        hr_is "$(jq -r 'select(.rule == "user_namespace") | .path' "$audit" | tr '\n' ' ')" \
                "/linux/namespaces/5 /linux/uidMappings /linux/gidMappings " \
                "$rt enforce: audit log records the namespace and both mappings"
        hr_is "$(jq -r 'select(.rule == "user_namespace") | .action' "$audit" | sort -u)" changed \
                "$rt enforce: user_namespace records are changed"
        hr_is "$(hr_audit_count "$audit" '.rule == "user"')" 0 \
                "$rt enforce: rule user (deny) lets the remapped root pass"
        stop "$rt" "$root" "$id"

        # 3. Enforce: a bundle that joins a network namespace by path is refused, not half done.
        if ! command -v unshare >/dev/null 2>&1; then
                hr_skip "$rt enforce, netns joined by path" "unshare is not installed"
                return
        fi
        unshare --net sleep 120 &
        netns_pid=$!
        b="$dir/joined"
        root="$dir/state-joined"
        out="$dir/joined-run"
        hr_hostile_bundle "$b" ".linux.namespaces |= map(if .type == \"network\"
                then .path = \"/proc/$netns_pid/ns/net\" else . end)"
        sleep 0.2
        hr_run_mode "$rt" "$root" "$b" "$out" enforce \
                '.rules.user_namespace = {mode: "enforce"}'
        kill "$netns_pid" 2>/dev/null
        wait "$netns_pid" 2>/dev/null
        hr_expect_refused "$rt enforce, netns joined by path" user_namespace \
                "'/linux/namespaces/1/path': \"/proc/$netns_pid/ns/net\" is not allowed by rule 'user_namespace' \\(policy needs \"a new network namespace"

        # 4. Audit: the container runs as host root; the log says what enforce would change.
        b="$dir/audit"
        root="$dir/state-audit"
        out="$dir/audit-run"
        audit="$out.audit.log"
        hr_hostile_bundle "$b"
        set_probe "$b"
        hr_run_mode "$rt" "$root" "$b" "$out" enforce \
                '.rules.user_namespace = {mode: "audit"} | .rules.user.mode = "off"' -d
        id=$HR_RUN_ID
        hr_is "$(cat "$out.rc")" 0 "$rt audit: hardrun-test run -d exits 0"
        wait_ready "$out.stdout"
        hr_is "$(hr_val "$out.stdout" uidmap)" "0 0 4294967295" \
                "$rt audit: uid_map is 0 0 4294967295 (the escape happens)"
        hr_is "$(host_uid_of "$rt" "$root" "$id")" 0 "$rt audit: the host sees uid 0"
        hr_is "$(jq -c '[.linux.namespaces[] | select(.type == "user")] | length' "$b/config.json")" 0 \
                "$rt audit: config.json has no user namespace"
        hr_is "$(jq -r 'select(.rule == "user_namespace") | .action' "$audit" | sort | uniq -c |
                sed 's/^ *//')" "3 would_change" "$rt audit: three would_change records"
        stop "$rt" "$root" "$id"

        # 5. Deny: refused, exit 1, no container.
        b="$dir/deny"
        root="$dir/state-deny"
        out="$dir/deny-run"
        hr_hostile_bundle "$b"
        hr_run_mode "$rt" "$root" "$b" "$out" enforce \
                '.rules.user_namespace = {mode: "deny"} | .rules.user.mode = "off"'
        hr_expect_refused "$rt deny" user_namespace \
                "'/linux/namespaces/5': \\(absent\\) is not allowed by rule 'user_namespace'" \
                /linux/namespaces/5 /linux/uidMappings /linux/gidMappings
}

hr_for_each_runtime "user_namespace" user_namespace
hr_done
