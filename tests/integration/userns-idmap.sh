#!/bin/bash
# The restricted-userns preset with real runc and crun: a root entrypoint on an engine-style
# overlayfs rootfs (a lower layer owned by host root, an upper layer, mounted by the test as an
# engine would) with a volume on idmap_sources and a host directory that is not. Checked from
# the host: every process of the container has host uid and gid in its own range, root inside
# chowns its volume and keeps Docker's capabilities in its namespace, the lower layer, the host
# directory and the volume's other files keep their owners and nothing on disk gets a host id
# of the range, two containers get two ranges, exec stays root inside, no mount is left after
# delete, and creates killed by SIGKILL across a whole create leave nothing a later create or
# delete does not remove. Then the refusals: no free range, a filesystem without ID-mapped
# mounts, a rootfs inside an overlayfs that is not its root, a config naming hardrun's state.
#
# Runs in a mount namespace of its own with a private /run/hardrun, so it counts only its own
# state directories and mounts.
if [ -z "${HR_USERNS_PRIVATE:-}" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
        exec unshare -m --propagation private -- env HR_USERNS_PRIVATE=1 bash -c '
                mkdir -p /run/hardrun && mount -t tmpfs -o mode=0700 hrtest-userns /run/hardrun &&
                exec bash "$0"' "$0"
fi
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup
[ -n "${IDMAP_PROBE:-}" ] && [ -x "$IDMAP_PROBE" ] || hr_bail "IDMAP_PROBE is not set to the built idmap-probe"
STATE=/run/hardrun/userns

# Root's entrypoint: takes over its volume, looks at the host directory, then waits.
PROBE='echo "uid=$(id -u)"
echo "uidmap=$(sed "s/^ *//; s/  */ /g" /proc/self/uid_map)"
grep -E "^CapEff:" /proc/self/status
if chown 999:999 /data && touch /data/new; then echo volume=ok; else echo volume=failed; fi
echo "volowner=$(ls -ln /data/old | sed "s/  */ /g" | cut -d " " -f 3)"
echo "hostowner=$(ls -ln /host/file | sed "s/  */ /g" | cut -d " " -f 3)"
if touch /host/new 2>/dev/null; then echo hostwrite=yes; else echo hostwrite=no; fi
if touch /root-owned; then echo rootfs=writable; else echo rootfs=readonly; fi
if touch /tmp/t && chown 999 /tmp/t; then echo tmp=ok; else echo tmp=failed; fi
echo ready
exec sleep 600'

# owners DIR...: "uid:gid mode path" of everything below, sorted.
owners() {
        find "$@" -printf '%U:%G %m %p\n' 2>/dev/null | sort
}

# The container's processes, from the host: every pid in the pid namespace of its init.
container_pids() {
        local init=$1 ns p
        ns=$(readlink "/proc/$init/ns/pid") || return 1
        for p in /proc/[0-9]*; do
                [ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ns" ] && echo "${p#/proc/}"
        done
}

# in_range PID LO: real, effective, saved and fs uids and gids all in [LO, LO+65536).
in_range() {
        awk -v lo="$2" '/^(Uid|Gid):/ { for (i = 2; i <= 5; i++) if ($i < lo || $i >= lo + 65536) bad = 1 }
                END { exit bad }' "/proc/$1/status"
}

wait_ready() {
        local i
        for i in $(seq 150); do
                grep -q '^ready$' "$1" 2>/dev/null && return 0
                sleep 0.1
        done
        return 1
}

# An engine-style rootfs: lower (the image, root-owned), upper, work, merged.
make_overlay() {
        local d=$1
        mkdir -p "$d/lower" "$d/upper" "$d/work" "$d/merged"
        cp -a "$HR_TMP/rootfs/." "$d/lower/"
        mkdir -p "$d/lower/data" "$d/lower/host" "$d/lower/root" "$d/lower/run"
        mount -t overlay -o "lowerdir=$d/lower,upperdir=$d/upper,workdir=$d/work" hrtest-ovl "$d/merged"
}

# bundle DIR: the overlay rootfs, the volume and the host directory bound in.
bundle() {
        local d=$1
        make_overlay "$d" || return 1
        mkdir -p "$HR_TMP/vols/$(basename "$d")" "$HR_TMP/host"
        echo old >"$HR_TMP/vols/$(basename "$d")/old"
        echo file >"$HR_TMP/host/file"
        jq --arg probe "$PROBE" --arg root "$d/merged" --arg vol "$HR_TMP/vols/$(basename "$d")" \
                --arg host "$HR_TMP/host" --argjson caps "$DOCKER_CAPS" '
                .process.terminal = false | .process.args = ["sh", "-c", $probe]
                | .process.user = {uid: 0, gid: 0}
                | .process.capabilities = {bounding: $caps, effective: $caps, permitted: $caps}
                | .root = {path: $root, readonly: true}
                | .mounts += [{destination: "/data", type: "bind", source: $vol,
                                options: ["rbind", "rw"]},
                              {destination: "/host", type: "bind", source: $host,
                                options: ["rbind", "rw"]}]' "$HR_TMP/spec.json" >"$d/config.json"
}

DOCKER_CAPS='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW",
"CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT",
"CAP_KILL","CAP_AUDIT_WRITE"]'

# policy FILE RUNTIME [JQ-FILTER]: the preset as it ships, the test's volumes on idmap_sources,
# a pool of 4 ranges far from any host user.
policy() {
        hr_preset_policy "$1" "$2" restricted-userns "$1.audit.log" \
                ".rules.user_namespace.idmap_sources = [\"$HR_TMP/vols/\"]
                 | .rules.user_namespace.host_uid = 3000000000
                 | .rules.user_namespace.host_gid = 3000000000
                 | .rules.user_namespace.ranges = 4 | ${3:-.}"
}

entries() {
        ls -A "$STATE" 2>/dev/null | grep -c '^c-'
}

state_mounts() {
        grep -c " $STATE/" /proc/self/mountinfo
}

# exec_inline RUNTIME DIR ID HOST: an exec without --process. runc builds the process from the
# bundle's config.json as hardrun rewrote it; crun from its own defaults (uid 0, no_new_privs
# off unless --no-new-privs). Either way it joins the container's user namespace: root inside,
# the container's range on the host, never host root. Stdin is an empty pipe (crun chowns a
# /dev/null stdin to the exec user).
exec_inline() {
        local rt=$1 dir=$2 id=$3 host=$4 flags=() pid p bad= i
        [ "$rt" = crun ] && flags=(--no-new-privs)
        : | HARDRUN_POLICY=$dir/policy.json timeout 60 "$HARDRUN_TEST" --root "$dir/state" exec "${flags[@]}" \
                "$id" sh -c 'echo "uid=$(id -u)"; grep -E "^(CapEff|NoNewPrivs):" /proc/self/status
                        echo "uidmap=$(sed "s/^ *//; s/  */ /g" /proc/self/uid_map)"' >"$dir/inline.out" 2>&1
        hr_is "$(hr_val "$dir/inline.out" uid)" 0 "$rt: exec without --process: root inside"
        hr_is "$(hr_val "$dir/inline.out" uidmap)" "0 $host 65536" \
                "$rt: exec without --process: in the container's user namespace"
        hr_is "$(hr_val "$dir/inline.out" NoNewPrivs)" 1 "$rt: exec without --process: no_new_privs"
        if [ "$rt" = runc ]; then
                hr_is "$(hr_val "$dir/inline.out" CapEff)" 00000000a80425fb \
                        "runc: exec without --process: the container's capabilities (config.json as rewritten)"
        fi

        # A detached one, judged from the host while it runs.
        : | HARDRUN_POLICY=$dir/policy.json timeout 60 "$HARDRUN_TEST" --root "$dir/state" exec -d "${flags[@]}" \
                "$id" sleep 30 >"$dir/inline-d.out" 2>&1
        pid=$(timeout 30 "$rt" --root "$dir/state" state "$id" | jq -r .pid)
        # Until the exec'd process runs its program: before that it is the runtime's, setting
        # itself up (it joins the namespaces as host root, then takes its ids). A loaded machine
        # can take long to get there: up to a minute.
        for i in $(seq 600); do
                for p in $(container_pids "$pid"); do
                        [ "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" = "sleep 30 " ] && break 2
                done
                sleep 0.1
        done
        for p in $(container_pids "$pid"); do
                in_range "$p" "$host" || bad+=" $p"
        done
        hr_is "$(container_pids "$pid" | wc -l) $bad" "2 " \
                "$rt: exec -d without --process: from the host, its process and the others have uid and gid in $host+65536" ||
                hr_diag "exec -d said: $(cat "$dir/inline-d.out")"

        # crun's defaults alone leave no_new_privs off: refused with the way out, nothing run.
        if [ "$rt" = crun ]; then
                : | HARDRUN_POLICY=$dir/policy.json timeout 60 "$HARDRUN_TEST" --root "$dir/state" exec \
                        "$id" sh -c 'echo ran' >"$dir/inline-nnp.out" 2>&1
                hr_like "$(cat "$dir/inline-nnp.out")" 'no_new_privs.*--no-new-privs' \
                        "crun: exec without --process and without --no-new-privs is refused, naming the flag"
                hr_is "$(grep -c '^ran$' "$dir/inline-nnp.out")" 0 "crun: and nothing ran"
        fi
}

run_one() {
        local rt=$1 dir="$HR_TMP/$1" b1 b2 out1 out2 id1 id2 id3 host1 host2 pid p bad before after
        mkdir -p "$dir"
        policy "$dir/policy.json" "$rt"
        b1="$dir/c1"
        b2="$dir/c2"
        bundle "$b1" && bundle "$b2" || hr_bail "cannot build the bundles"
        cp "$b2/config.json" "$b2/config.json.orig"
        before=$(owners "$b1/lower" "$HR_TMP/host" "$HR_TMP/vols/c1/old")

        out1="$dir/run1"
        hr_run_bundle "$rt" "$dir/state" "$dir/policy.json" "$b1" "$out1" -d
        id1=$HR_RUN_ID
        hr_is "$(cat "$out1.rc")" 0 "$rt: a root entrypoint on an overlayfs rootfs starts"
        hr_check "$rt: the container prints its view" wait_ready "$out1.stdout"
        out2="$dir/run2"
        hr_run_bundle "$rt" "$dir/state" "$dir/policy.json" "$b2" "$out2" -d
        id2=$HR_RUN_ID
        wait_ready "$out2.stdout"
        host1=$(hr_val "$out1.stdout" uidmap | cut -d' ' -f2)
        host2=$(hr_val "$out2.stdout" uidmap | cut -d' ' -f2)
        hr_is "$(hr_val "$out1.stdout" uid)" 0 "$rt: root inside"
        hr_like "$host1 $host2" '^30000[0-9]+ 30000[0-9]+$' "$rt: both map root into the pool ($host1, $host2)"
        hr_ok "$([ "$host1" != "$host2" ] && echo 0 || echo 1)" "$rt: two containers, two ranges"
        hr_is "$(hr_val "$out1.stdout" uidmap)" "0 $host1 65536" "$rt: uid_map is 0 $host1 65536"
        hr_is "$(hr_val "$out1.stdout" CapEff)" 00000000a80425fb \
                "$rt: Docker's 14 capabilities inside the namespace"
        hr_is "$(hr_val "$out1.stdout" volume)" ok "$rt: root inside chowns its ID-mapped volume and writes it"
        hr_is "$(hr_val "$out1.stdout" volowner)" 0 "$rt: the volume's root-owned file is root's inside"
        hr_is "$(hr_val "$out1.stdout" hostowner)" 65534 \
                "$rt: a host directory not on idmap_sources shows up as the overflow uid"
        hr_is "$(hr_val "$out1.stdout" hostwrite)" no "$rt: and root inside cannot write it"
        hr_is "$(hr_val "$out1.stdout" rootfs)" readonly "$rt: the root filesystem stays read-only"
        hr_is "$(hr_val "$out1.stdout" tmp)" ok "$rt: its tmpfs is root's inside (chown works)"

        pid=$(timeout 30 "$rt" --root "$dir/state" state "$id1" | jq -r .pid)
        bad=
        for p in $(container_pids "$pid"); do
                in_range "$p" "$host1" || bad+=" $p"
        done
        hr_is "$bad" "" "$rt: from the host, every process of the container has uid and gid in $host1+65536"
        hr_is "$(jq -r .root.path "$b1/config.json")" "$(ls -d "$STATE"/c-* | while read -r e; do
                grep -qx "id $id1" "$e/owner" && echo "$e/rootfs"; done)" \
                "$rt: root.path is the container's ID-mapped rootfs in $STATE"
        hr_is "$(stat -c '%a %U %g' "$(dirname "$(jq -r .root.path "$b1/config.json")")")" "710 root $host1" \
                "$rt: its directory is root's, group $host1, 0710"

        # exec: root inside stays root inside, with the namespace's capabilities.
        jq -n '{terminal: false, cwd: "/", args: ["sh", "-c", "id -u; grep CapEff /proc/self/status"],
                user: {uid: 0, gid: 0}, env: ["PATH=/bin"],
                capabilities: {bounding: ["CAP_CHOWN", "CAP_SYS_ADMIN"], effective: ["CAP_CHOWN", "CAP_SYS_ADMIN"],
                        permitted: ["CAP_CHOWN", "CAP_SYS_ADMIN"]}}' >"$dir/exec.json"
        hr_hardrun "$dir/policy.json" "$dir/exec" --root "$dir/state" exec --process "$dir/exec.json" "$id1"
        hr_is "$(head -n 1 "$dir/exec.stdout")" 0 "$rt: exec as root stays root inside the namespace"
        hr_is "$(hr_val "$dir/exec.stdout" CapEff)" 0000000000000001 \
                "$rt: exec keeps CHOWN (allowed in the namespace), never SYS_ADMIN"

        # stdio pipes the engine made: root inside can reopen them (/dev/stderr), on create and
        # on exec, with runc as with crun.
        jq '.args = ["sh", "-c", "echo x >/dev/stderr && echo reopen=ok"]' "$dir/exec.json" \
                >"$dir/exec-reopen.json"
        HARDRUN_POLICY=$dir/policy.json timeout 60 "$HARDRUN_TEST" --root "$dir/state" exec \
                --process "$dir/exec-reopen.json" "$id1" 2>&1 </dev/null | cat >"$dir/exec-reopen.out"
        hr_is "$(hr_val "$dir/exec-reopen.out" reopen)" ok "$rt: exec: root inside reopens its stdio pipe"
        exec_inline "$rt" "$dir" "$id1" "$host1"
        mkdir -p "$dir/c3"
        jq '.process.args = ["sh", "-c", "echo x >/dev/stderr && echo reopen=ok"] | .mounts |= .[:7]' \
                "$b2/config.json.orig" >"$dir/c3/config.json"
        ln -s "$b2/merged" "$dir/c3/rootfs" && jq '.root.path = "rootfs"' "$dir/c3/config.json" \
                >"$dir/c3/c" && mv "$dir/c3/c" "$dir/c3/config.json"
        hr_new_id id3 "$rt" "$dir/state"
        (cd "$dir/c3" && HARDRUN_POLICY=$dir/policy.json timeout 60 "$HARDRUN_TEST" --root "$dir/state" \
                run "$id3" 2>&1 </dev/null | cat >"$dir/c3.out")
        hr_is "$(hr_val "$dir/c3.out" reopen)" ok "$rt: create: root inside reopens its stdio pipe"

        # delete: the mounts go at once, the directory once the runtime has forgotten it.
        timeout 30 "$rt" --root "$dir/state" kill "$id1" KILL >/dev/null 2>&1
        sleep 0.3
        HARDRUN_POLICY=$dir/policy.json timeout 60 "$HARDRUN_TEST" --root "$dir/state" delete -f "$id1"
        hr_is "$(grep " $(dirname "$(jq -r .root.path "$b1/config.json")")/" /proc/self/mountinfo | wc -l)" 0 \
                "$rt: after delete, none of the container's mounts is left"
        timeout 30 "$rt" --root "$dir/state" kill "$id2" KILL >/dev/null 2>&1
        sleep 0.3
        HARDRUN_POLICY=$dir/policy.json timeout 60 "$HARDRUN_TEST" --root "$dir/state" delete -f "$id2"
        HARDRUN_POLICY=$dir/policy.json timeout 60 "$HARDRUN_TEST" --root "$dir/state" delete nothing-here >/dev/null 2>&1
        hr_is "$(entries) $(state_mounts)" "0 0" "$rt: the next delete removed both directories; no mount left"

        after=$(owners "$b1/lower" "$HR_TMP/host" "$HR_TMP/vols/c1/old")
        hr_is "$after" "$before" "$rt: the lower layer, the host directory and the volume's file keep their owners"
        hr_is "$(find "$b1/upper" "$b1/lower" "$HR_TMP/vols" "$HR_TMP/host" \( -uid +65535 -o -gid +65535 \) \
                ! -uid 4294967294 -print | head -n 3)" "" "$rt: nothing on disk got a host id of the range"
        hr_is "$(stat -c %u:%g "$HR_TMP/vols/c1")" 999:999 \
                "$rt: the volume root chowned inside is 999 on disk, unshifted"
        umount "$b1/merged" "$b2/merged"
}

# SIGKILL at every moment of create, 12 times, then one delete of each: nothing is left. The
# moments spread over a whole create as measured here (hardrun's preparation, then the
# runtime's create, which is the same process), plus a random part, so a slow or fast machine
# still covers both.
killed_creates() {
        local rt=$1 dir="$HR_TMP/$1-kill" i b pid ids=() t0 span at
        mkdir -p "$dir"
        policy "$dir/policy.json" "$rt"
        for i in $(seq 0 13); do
                b="$dir/b$i"
                bundle "$b" || hr_bail "cannot build $b"
                jq '.process.args = ["sleep", "30"]' "$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
        done
        # One create left to finish: how long a create takes here (ms).
        hr_new_id id "$rt" "$dir/state"
        ids+=("$id")
        t0=${EPOCHREALTIME/./}
        (cd "$dir/b0" && HARDRUN_POLICY=$dir/policy.json "$HARDRUN_TEST" --root "$dir/state" \
                create "$id" >/dev/null 2>&1 </dev/null)
        span=$(((${EPOCHREALTIME/./} - t0) / 1000))
        [ "$span" -ge 20 ] || span=20
        for i in $(seq 12); do
                b="$dir/b$i"
                hr_new_id id "$rt" "$dir/state"
                ids+=("$id")
                (cd "$b" && HARDRUN_POLICY=$dir/policy.json exec "$HARDRUN_TEST" --root "$dir/state" \
                        create "$id" >/dev/null 2>&1 </dev/null) &
                pid=$!
                # The i-th twelfth of a create, somewhere inside it.
                at=$(((i - 1) * span / 12 + RANDOM % (span / 12 + 1)))
                sleep "$(printf '%d.%03d' $((at / 1000)) $((at % 1000)))"
                kill -KILL "$pid" 2>/dev/null
                wait "$pid" 2>/dev/null
        done
        hr_diag "$rt: a create takes ${span} ms here; after the kills: $(entries) directories," \
                "$(state_mounts) mounts, $(ls "$dir/state" 2>/dev/null | wc -l) containers the runtime knows"
        # A later create collects what the killed ones left before the runtime knew them: only
        # the directories of containers the runtime knows stay (their delete is the engine's).
        hr_new_id id "$rt" "$dir/state"
        ids+=("$id")
        (cd "$dir/b13" && HARDRUN_POLICY=$dir/policy.json "$HARDRUN_TEST" --root "$dir/state" \
                create "$id" >/dev/null 2>&1 </dev/null)
        hr_is "$(entries) $(ls -A "$STATE" | grep -c '^\.new-')" "$(ls "$dir/state" 2>/dev/null | wc -l) 0" \
                "$rt: a later create collects every directory of a killed create the runtime does not know"
        for id in "${ids[@]}"; do
                timeout 30 "$rt" --root "$dir/state" kill "$id" KILL >/dev/null 2>&1
                HARDRUN_POLICY=$dir/policy.json timeout 60 "$HARDRUN_TEST" --root "$dir/state" \
                        delete -f "$id" >/dev/null 2>&1
        done
        HARDRUN_POLICY=$dir/policy.json timeout 60 "$HARDRUN_TEST" --root "$dir/state" delete none >/dev/null 2>&1
        hr_is "$(entries) $(state_mounts) $(ls -A "$STATE" | grep -c '^\.new-')" "0 0 0" \
                "$rt: 12 creates killed across a whole create, then deleted: no directory, mount or half-made state left"
        for i in $(seq 0 13); do umount "$dir/b$i/merged" 2>/dev/null; done
}

refusals() {
        local rt=$1 dir="$HR_TMP/$1-refuse" b out
        mkdir -p "$dir"

        # A pool of one range: the second container is refused while the first runs.
        policy "$dir/one.json" "$rt" '.rules.user_namespace.ranges = 1'
        bundle "$dir/a" && bundle "$dir/b" || hr_bail "cannot build bundles"
        hr_run_bundle "$rt" "$dir/state" "$dir/one.json" "$dir/a" "$dir/a-run" -d
        wait_ready "$dir/a-run.stdout"
        hr_run_bundle "$rt" "$dir/state" "$dir/one.json" "$dir/b" "$dir/b-run" -d
        hr_is "$(cat "$dir/b-run.rc")" 1 "$rt: no free range: refused"
        hr_like "$(cat "$dir/b-run.stderr")" "no free id range: all 1 ranges of 65536 ids from uid 3000000000" \
                "$rt: the message names the pool"
        hr_is "$(entries) $(state_mounts)" "1 2" \
                "$rt: the refused create left nothing behind (the first container's rootfs and volume only)"

        # A rootfs inside an overlayfs mount, not its root: refused, not half-mapped.
        b="$dir/sub"
        mkdir -p "$b"
        jq --arg root "$dir/b/merged/bin" '.root.path = $root' "$dir/b/config.json" >"$b/config.json"
        policy "$dir/policy-sub.json" "$rt"
        hr_run_bundle "$rt" "$dir/state" "$dir/policy-sub.json" "$b" "$dir/sub-run"
        hr_is "$(cat "$dir/sub-run.rc")" 1 "$rt: a rootfs inside an overlayfs mount is refused"
        hr_like "$(cat "$dir/sub-run.stderr")" "lies inside an overlayfs mount but is not its root" \
                "$rt: the message says why"

        # A host system directory as the rootfs: root inside would own it. Rule mounts refuses
        # it (root.path on the deny list); the preparation does too when that rule only audits.
        mkdir -p "$dir/sys"
        jq '.root.path = "/usr"' "$dir/b/config.json" >"$dir/sys/config.json"
        hr_run_bundle "$rt" "$dir/state" "$dir/policy-sub.json" "$dir/sys" "$dir/sys-run"
        hr_like "$(cat "$dir/sys-run.stderr")" "'/root/path': \"/usr\" is not allowed by rule 'mounts'" \
                "$rt: a host system directory as rootfs is refused (rule mounts)"
        policy "$dir/audit-mounts.json" "$rt" '.rules.mounts.mode = "audit"'
        hr_run_bundle "$rt" "$dir/state" "$dir/audit-mounts.json" "$dir/sys" "$dir/sys-audit-run"
        hr_like "$(cat "$dir/sys-audit-run.stderr")" "'/root/path': '/usr' is or holds the host's '/usr': root in the container would own it" \
                "$rt: with rule mounts auditing, the preparation refuses it"

        # A config naming hardrun's own state (a rewritten config given again): its bind
        # sources and root.path lie under the denied /run/hardrun (rule mounts); the
        # preparation refuses such a root.path whatever the policy.
        hr_run_bundle "$rt" "$dir/state" "$dir/one.json" "$dir/a" "$dir/again"
        hr_like "$(cat "$dir/again.stderr")" "'/mounts/7/source': \"$STATE/c-[0-9a-f]+/m7\" is not allowed by rule 'mounts'" \
                "$rt: a bind source in hardrun's state is refused (rule mounts)"
        mkdir -p "$dir/again-root"
        jq 'del(.mounts[7, 8])' "$dir/a/config.json" >"$dir/again-root/config.json"
        hr_run_bundle "$rt" "$dir/state" "$dir/one.json" "$dir/again-root" "$dir/again-root-run"
        hr_like "$(cat "$dir/again-root-run.stderr")" "'/root/path': \"$STATE/c-[0-9a-f]+/rootfs\" is not allowed by rule 'mounts'" \
                "$rt: a root.path in hardrun's state is refused (rule mounts)"
        hr_run_bundle "$rt" "$dir/state" "$dir/audit-mounts.json" "$dir/again-root" "$dir/again-root-audit-run"
        hr_like "$(cat "$dir/again-root-audit-run.stderr")" "'/root/path': '$STATE/c-[0-9a-f]+/rootfs' lies in hardrun's own state directory" \
                "$rt: with rule mounts auditing, the preparation refuses it"

        for id in $(timeout 30 "$rt" --root "$dir/state" list -q); do
                timeout 30 "$rt" --root "$dir/state" kill "$id" KILL >/dev/null 2>&1
                sleep 0.3
                HARDRUN_POLICY=$dir/one.json timeout 60 "$HARDRUN_TEST" --root "$dir/state" delete -f "$id"
        done
        HARDRUN_POLICY=$dir/one.json timeout 60 "$HARDRUN_TEST" --root "$dir/state" delete none >/dev/null 2>&1
        hr_is "$(entries) $(state_mounts)" "0 0" "$rt: all cleaned after delete"
        umount "$dir/a/merged" "$dir/b/merged"
}

hr_for_each_runtime "restricted-userns: root inside, ranges, owners, exec, delete" run_one
hr_for_each_runtime "restricted-userns: creates killed at every moment" killed_creates
hr_for_each_runtime "restricted-userns: refusals" refusals

# The kernel's answers, one tree at a time: sysfs cannot be ID-mapped; a plain directory and
# an overlayfs root can (the latter as a new overlayfs on ID-mapped layers).
mkdir -p "$HR_TMP/probe"
hr_like "$("$IDMAP_PROBE" 3000000000 65536 /sys "$HR_TMP/probe" sys)" \
        "'/sys': its filesystem \\(sysfs\\) or a mount below it does not support ID-mapped mounts" \
        "a filesystem without ID-mapped mounts is named in the refusal"
hr_is "$("$IDMAP_PROBE" 3000000000 65536 "$HR_TMP/rootfs" "$HR_TMP/probe" dir)" bind \
        "a directory on $(stat -f -c %T "$HR_TMP") becomes an ID-mapped bind"
hr_is "$(stat -c %u "$HR_TMP/probe/dir/bin/busybox")" 3000000000 \
        "through it, host root's files belong to the range's first uid"
make_overlay "$HR_TMP/probe-ovl"
hr_is "$("$IDMAP_PROBE" 3000000000 65536 "$HR_TMP/probe-ovl/merged" "$HR_TMP/probe" ovl)" overlay \
        "an overlayfs root becomes a new overlayfs on ID-mapped layers"
hr_is "$(stat -c %u "$HR_TMP/probe/ovl/bin/busybox")" 3000000000 "and its files belong to the range too"
umount "$HR_TMP/probe/dir" "$HR_TMP/probe/ovl" "$HR_TMP/probe-ovl/merged"
hr_done
