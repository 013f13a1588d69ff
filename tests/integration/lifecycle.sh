#!/bin/bash
# Case 6: create/start/state/delete the way containerd drives a runtime, with --log and
# --log-format json before the subcommand: hardrun hardens on create and passes the rest
# through untouched, so state is the runtime's own JSON.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

# wait_status RUNTIME ROOT ID STATUS: polls the runtime's state for up to 30 seconds.
wait_status() {
        local i
        for ((i = 0; i < 150; i++)); do
                [ "$("$1" --root "$2" state "$3" 2>/dev/null | jq -r .status 2>/dev/null)" = "$4" ] &&
                        return 0
                sleep 0.2
        done
        return 1
}

lifecycle() {
        local rt=$1 dir="$HR_TMP/lifecycle-$1" id pid
        local policy="$dir/policy.json" audit="$dir/audit.log" root="$dir/state" b="$dir/bundle"
        local logargs
        hr_hostile_bundle "$b"
        hr_policy "$policy" "$rt" enforce "$audit"
        hr_new_id id "$rt" "$root"
        logargs=(--root "$root" --log "$b/log.json" --log-format json)
        hr_ctx "$dir/create.stdout" "$dir/create.stderr" "$b/log.json"

        # create: the container's stdio is create's, so its output lands in create.stdout.
        hr_hardrun "$policy" "$dir/create" "${logargs[@]}" create --bundle "$b" --pid-file "$b/init.pid" "$id"
        hr_is "$(cat "$dir/create.rc")" 0 "$rt lifecycle: hardrun create exits 0"
        pid=$(cat "$b/init.pid" 2>/dev/null)
        hr_like "$pid" '^[0-9]+$' "$rt lifecycle: --pid-file written with a pid"
        hr_check "$rt lifecycle: the pid in the pid file is alive" kill -0 "$pid"
        hr_hardrun "$policy" "$dir/state1" --root "$root" state "$id"
        "$rt" --root "$root" state "$id" >"$dir/state1.direct" 2>&1
        hr_is "$(cat "$dir/state1.rc")" 0 "$rt lifecycle: hardrun state (created) exits 0"
        hr_is "$(cat "$dir/state1.stdout")" "$(cat "$dir/state1.direct")" \
                "$rt lifecycle: hardrun state output is identical to '$rt state'"
        hr_is "$(jq -r '[.id, .status] | join(" ")' "$dir/state1.stdout" 2>/dev/null)" "$id created" \
                "$rt lifecycle: state is the runtime's JSON with status created"
        hr_is "$(jq -r .pid "$dir/state1.stdout" 2>/dev/null)" "$pid" \
                "$rt lifecycle: state pid matches the pid file"
        hr_expect_hardened_config "$b/config.json" "$rt lifecycle"
        hr_expect_audit_records "$audit" "$id" create "$rt lifecycle"

        hr_hardrun "$policy" "$dir/start" "${logargs[@]}" start "$id"
        hr_is "$(cat "$dir/start.rc")" 0 "$rt lifecycle: hardrun start exits 0"
        wait_status "$rt" "$root" "$id" stopped
        hr_ok $? "$rt lifecycle: the container runs to completion (status stopped)"
        hr_ctx "$dir/create.stdout" "$dir/create.stderr" "$b/log.json"
        hr_is "$(hr_val "$dir/create.stdout" uid)" 65534 "$rt lifecycle: container ran as uid 65534"
        hr_is "$(hr_val "$dir/create.stdout" CapEff)" 0000000000000000 "$rt lifecycle: container CapEff is 0"
        hr_is "$(hr_val "$dir/create.stdout" Seccomp)" 2 "$rt lifecycle: container Seccomp is 2"
        hr_is "$(hr_val "$dir/create.stdout" NoNewPrivs)" 1 "$rt lifecycle: container NoNewPrivs is 1"
        hr_is "$(hr_val "$dir/create.stdout" rootfs)" readonly "$rt lifecycle: container rootfs is read-only"

        hr_hardrun "$policy" "$dir/state2" --root "$root" state "$id"
        "$rt" --root "$root" state "$id" >"$dir/state2.direct" 2>&1
        hr_is "$(cat "$dir/state2.rc")" 0 "$rt lifecycle: hardrun state (stopped) exits 0"
        hr_is "$(cat "$dir/state2.stdout")" "$(cat "$dir/state2.direct")" \
                "$rt lifecycle: hardrun state output (stopped) is identical to '$rt state'"

        hr_hardrun "$policy" "$dir/delete" "${logargs[@]}" delete "$id"
        hr_is "$(cat "$dir/delete.rc")" 0 "$rt lifecycle: hardrun delete exits 0"
        hr_no_container "$rt" "$root" "$id" "$rt lifecycle: after delete"
        hr_is "$(grep -c 'hardrun:' "$b/log.json" 2>/dev/null)" 0 \
                "$rt lifecycle: no hardrun error in the engine's log file"
        hr_is "$(hr_audit_count "$audit" '.subcommand != "create"')" 0 \
                "$rt lifecycle: only create wrote audit records (start/state/delete pass through)"
}

# A runtime that dies mid-create (or crun racing an exiting task on delete) leaves the container's
# cgroup, <own cgroup>/<id>, in the hierarchies: no delete removes it, the suite's cleanup does,
# depth first, and only this script's ids. Made here as such a runtime leaves it.
leftover_cgroups() {
        local id other mnt opts ctrl path made=0 left kept=1
        local -a mounts
        hr_new_id id runc "$HR_TMP/leftover-state"
        other="hrtest-other-$$"
        mapfile -t mounts < <(findmnt -rn -t cgroup,cgroup2 -o TARGET)
        for mnt in "${mounts[@]}"; do
                mkdir -p "$mnt/$id/child" "$mnt/$other" 2>/dev/null && made=$((made + 1))
        done
        # Below this script's own cgroup where that is not the root (a sandbox's memory cgroup).
        while IFS=: read -r _ ctrl path; do
                [ "$path" != / ] && [ -n "$ctrl" ] || continue
                while read -r mnt opts; do
                        [[ ,$opts, == *",${ctrl%%,*},"* ]] && mkdir -p "$mnt$path/$id/child"
                done < <(findmnt -rn -t cgroup -o TARGET,OPTIONS)
        done </proc/self/cgroup
        hr_ok "$([ "$made" -gt 0 ] && echo 0 || echo 1)" \
                "leftover cgroups: $id made in $made hierarchies, with a child"
        hr_remove_cgroups
        left=$(find "${mounts[@]}" -maxdepth 5 -type d -name "$id" 2>/dev/null)
        hr_is "$left" "" "leftover cgroups: the cleanup removes every one, children first"
        for mnt in "${mounts[@]}"; do
                [ -d "$mnt/$other" ] || kept=0
                rmdir "$mnt/$other" 2>/dev/null
        done
        hr_ok "$((1 - kept))" "leftover cgroups: a cgroup with another name is left alone"
}

hr_for_each_runtime "create/start/state/delete lifecycle" lifecycle
leftover_cgroups
hr_done
