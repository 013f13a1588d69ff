#!/bin/bash
# Rule hooks: a bundle's prestart and createRuntime hooks run on the host as root. Under plain
# runc/crun a hook `/bin/sh -c 'touch MARKER'` writes a host file; hardrun removes it in
# enforce (the container still runs), logs would_change in audit (the hook runs), refuses in
# deny. An allowed hook stays and runs. A hook whose path is /proc/<pid>/exe of a host process
# that is not dockerd, with Docker's libnetwork-setkey arguments, is removed by the exe check.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

ON='.rules.hooks = {mode: "enforce"}'
# The records each mode writes: one for each hook.
PATHS="/hooks/createRuntime/0 /hooks/prestart/0"

# hook_filter DIR: a prestart and a createRuntime hook, each touching its marker in DIR (a jq
# string: \($ENV.HR_MODE) in it is the mode).
hook_filter() {
        printf '%s' ".hooks = {
                prestart: [{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"touch $1/prestart\"]}],
                createRuntime: [{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"touch $1/createRuntime\"]}]}"
}

# markers DIR: which markers the hooks left on the host.
markers() {
        local m out=
        for m in prestart createRuntime; do
                [ -e "$1/$m" ] && out+="$m "
        done
        printf '%s' "${out% }"
}

# check MODE OUT BUNDLE: hr_rule_modes' per-mode checks; the markers are in $BASE/MODE/m.
check() {
        local mode=$1 out=$2 b=$3 m="$BASE/$1/m"
        case $mode in
        plain)
                # The hooks run on the host.
                hr_is "$(cat "$out.rc")" 0 "$RT plain: the container runs"
                hr_is "$(markers "$m")" "prestart createRuntime" \
                        "$RT plain: both hooks wrote their marker on the host (escape)"
                ;;
        enforce)
                hr_is "$(cat "$out.rc")" 0 "$RT enforce: the container runs"
                hr_is "$(hr_val "$out.stdout" uid)" 65534 "$RT enforce: the probe ran hardened"
                hr_is "$(markers "$m")" "" "$RT enforce: no marker on the host"
                hr_is "$(jq -c .hooks "$b/config.json")" '{"prestart":[],"createRuntime":[]}' \
                        "$RT enforce: config.json keeps empty hook lists"
                hr_expect_records "$RT enforce" changed hooks $PATHS
                ;;
        audit)
                hr_is "$(markers "$m")" "prestart createRuntime" \
                        "$RT audit: the hooks ran (markers on the host)"
                hr_expect_audited "$RT audit" hooks '' $PATHS
                ;;
        deny)
                hr_expect_refused "$RT deny" hooks "refusing the container" $PATHS
                hr_is "$(markers "$m")" "" "$RT deny: no marker on the host"
                ;;
        esac
}

rule_hooks() {
        local rt=$1 base="$HR_TMP/hooks-$1" dir id out b root mode
        root="$base/state"
        RT=$rt
        BASE=$base

        # Enforce removes both hooks, audit lets them run, deny refuses.
        for mode in plain enforce audit deny; do
                mkdir -p "$base/$mode/m"
        done
        hr_rule_modes "$rt" "$base" "$(hook_filter "$base/\\(\$ENV.HR_MODE)/m")" \
                '.rules.hooks = {mode: $ENV.HR_MODE}' check

        # An allowed hook stays and runs; the other one goes.
        dir="$base/allowed"
        b="$dir/bundle"
        mkdir -p "$dir/m"
        hr_hostile_bundle "$b" "$(hook_filter "$dir/m")"
        hr_run_mode "$rt" "$root" "$b" "$dir/run" enforce \
                "$ON | .rules.hooks.allow = [{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"touch /*/prestart\"]}]"
        hr_is "$(cat "$dir/run.rc")" 0 "$rt allowed: the container runs"
        hr_is "$(markers "$dir/m")" prestart "$rt allowed: the allowed prestart hook ran, createRuntime did not"
        hr_is "$(jq -c '.hooks | map_values(length)' "$b/config.json")" '{"prestart":1,"createRuntime":0}' \
                "$rt allowed: config.json keeps the allowed hook only"

        # Docker's hook shape pointed at a host process that is not dockerd.
        dir="$base/exe"
        mkdir -p "$dir"
        sleep 600 &
        local pid=$! exe i
        # The forked shell becomes sleep at its exec: wait for it.
        for i in $(seq 50); do
                exe=$(readlink "/proc/$pid/exe")
                [ "${exe##*/}" = sleep ] && break
                sleep 0.1
        done
        local setkey=".hooks = {prestart: [{path: \"/proc/$pid/exe\",
                args: [\"libnetwork-setkey\", \"-exec-root=/var/run/docker\", \"0123\", \"4567\"]}]}"

        hr_hostile_bundle "$dir/plain-bundle" "$setkey"
        hr_ctx "$dir/plain.stdout" "$dir/plain.stderr"
        hr_plain_run "$rt" "$root" "$dir/plain-bundle" "$dir/plain"
        hr_ok "$([ "$(cat "$dir/plain.rc")" != 0 ]; echo $?)" \
                "$rt plain, /proc/<sleep pid>/exe hook: the host's $exe ran as the hook and failed the start"

        hr_hostile_bundle "$dir/bundle" "$setkey"
        hr_run_mode "$rt" "$root" "$dir/bundle" "$dir/run" enforce "$ON"
        hr_is "$(cat "$dir/run.rc")" 0 "$rt enforce, built-in list: the setkey hook on a non-dockerd process is removed, the container runs"
        hr_is "$(jq -c .hooks.prestart "$dir/bundle/config.json")" '[]' \
                "$rt enforce, built-in list: config.json has no prestart hook"

        # The same entry with this process's executable allowed: the hook stays and runs.
        hr_hostile_bundle "$dir/bundle2" "$setkey"
        hr_run_mode "$rt" "$root" "$dir/bundle2" "$dir/run2" enforce \
                "$ON | .rules.hooks.allow = [{path: \"/proc/[0-9]*/exe\",
                        args: [\"libnetwork-setkey\", \"-exec-root=/*\", \"*\", \"*\"],
                        exe: [\"/usr/sbin/dockerd\", \"$exe\"]}]"
        hr_ok "$([ "$(cat "$dir/run2.rc")" != 0 ]; echo $?)" \
                "$rt enforce, exe $exe allowed: the start fails, as under plain $rt"
        hr_like "$(cat "$dir/run2.stderr")" "hook" \
                "$rt enforce, exe $exe allowed: the runtime ran the kept hook (its error names the hook)"
        hr_is "$(hr_audit_count "$dir/run2.audit.log" '.rule == "hooks"')" 0 \
                "$rt enforce, exe $exe allowed: no hooks finding"
        hr_is "$(jq -c '.hooks.prestart | length' "$dir/bundle2/config.json")" 1 \
                "$rt enforce, exe $exe allowed: config.json keeps the hook"
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null

        # A container's own binary at /usr/sbin/dockerd: readlink of its /proc/<pid>/exe says
        # "/usr/sbin/dockerd" (the path in its mount namespace), yet the hook would run the
        # container's file on the host as root. The exe check compares the files themselves.
        dir="$base/spoof"
        hr_bundle "$dir/c" '.process.args = ["sh", "-c", "exec -a sleep /usr/sbin/dockerd 600"]'
        mkdir -p "$dir/c/rootfs/usr/sbin"
        cp /bin/busybox "$dir/c/rootfs/usr/sbin/dockerd"
        hr_new_id id "$rt" "$root"
        (cd "$dir/c" && timeout -k 5 60 "$rt" --root "$root" run -d "$id") >"$dir/c.out" 2>&1 < <(:)
        sleep 1
        pid=$(timeout 30 "$rt" --root "$root" state "$id" 2>/dev/null | jq -r .pid)
        hr_is "$(readlink "/proc/$pid/exe")" /usr/sbin/dockerd                 "$rt spoof: readlink of the container process's exe is /usr/sbin/dockerd"
        setkey=".hooks = {prestart: [{path: \"/proc/$pid/exe\",
                args: [\"libnetwork-setkey\", \"-exec-root=/var/run/docker\", \"0123\", \"4567\"]}]}"
        hr_hostile_bundle "$dir/plain-bundle" "$setkey"
        hr_plain_run "$rt" "$root" "$dir/plain-bundle" "$dir/plain"
        hr_like "$(cat "$dir/plain.stderr")" "applet not found|exit code: 127" \
                "$rt spoof, plain: the container's binary ran on the host as the hook (busybox: applet not found, exit 127)"
        hr_hostile_bundle "$dir/bundle" "$setkey"
        hr_run_mode "$rt" "$root" "$dir/bundle" "$dir/run" enforce "$ON"
        hr_is "$(cat "$dir/run.rc")/$(jq -c .hooks.prestart "$dir/bundle/config.json")" "0/[]" \
                "$rt spoof, enforce: the hook is removed and the container runs"
}

hr_for_each_runtime "hooks rule" rule_hooks
hr_done
