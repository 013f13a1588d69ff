#!/bin/bash
# Rule resources: a bundle without a pids or memory limit, with a low process.oomScoreAdj.
# Plain runc leaves pids.max at "max" (a fork bomb takes the host's pids) and no memory limit;
# enforce gives the container the policy's pids limit (4096 by default), its memory limit and
# raises the OOM score to the floor; audit logs would_change; deny refuses. A pids limit the
# engine set (podman: 2048) is kept.
#
# The floor is tested at 500 with oomScoreAdj 100: lowering a score below the runtime's own
# (the default floor -998 against -1000) needs CAP_SYS_RESOURCE, which not every test host
# has, while raising one never does.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

MEMORY=67108864
# cgroup v2 files first (the container's own cgroup through its cgroup namespace), then v1.
PROBE='echo "oom=$(cat /proc/self/oom_score_adj)"
echo "pids=$(cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max)"
echo "memory=$(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"'
FILTER=".process.oomScoreAdj = 100 | del(.linux.resources.pids, .linux.resources.memory)
        | .process.args = [\"sh\", \"-c\", $(jq -Rs . <<<"$PROBE")]"

resources() {
        local rt=$1 dir="$HR_TMP/resources-$1" id out mode policy audit b root
        root="$dir/state"

        # Plain runtime: no pids limit, no memory limit, the spec's OOM score.
        out="$dir/plain"
        hr_hostile_bundle "$dir/plain-bundle" "$FILTER"
        hr_ctx "$out.stdout" "$out.stderr"
        hr_plain_run "$rt" "$root" "$dir/plain-bundle" "$out"
        hr_is "$(cat "$out.rc")" 0 "$rt plain: the container runs"
        hr_is "$(hr_val "$out.stdout" pids)" max "$rt plain: pids.max is max"
        hr_like "$(hr_val "$out.stdout" memory)" '^(max|[0-9]{12,})$' "$rt plain: no memory limit"
        hr_is "$(hr_val "$out.stdout" oom)" 100 "$rt plain: oom_score_adj is 100"

        for mode in enforce audit deny; do
                b="$dir/$mode-bundle"
                out="$dir/$mode"
                policy="$dir/$mode-policy.json"
                audit="$dir/$mode-audit.log"
                hr_hostile_bundle "$b" "$FILTER"
                cp -p "$b/config.json" "$dir/$mode-config.before"
                hr_policy "$policy" "$rt" enforce "$audit" \
                        ".rules.resources = {mode: \"$mode\", memory_limit: $MEMORY, oom_score_adj_min: 500}"
                hr_new_id id "$rt" "$root"
                hr_ctx "$out.stdout" "$out.stderr" "$audit"
                hr_hardrun "$policy" "$out" --root "$root" run --bundle "$b" "$id"
                case $mode in
                enforce)
                        hr_is "$(cat "$out.rc")" 0 "$rt enforce: hardrun-test run exits 0"
                        hr_is "$(hr_val "$out.stdout" pids)" 4096 "$rt enforce: pids.max is 4096"
                        hr_is "$(hr_val "$out.stdout" memory)" "$MEMORY" \
                                "$rt enforce: the memory limit is the policy's $MEMORY"
                        hr_is "$(hr_val "$out.stdout" oom)" 500 "$rt enforce: oom_score_adj is raised to 500"
                        hr_is "$(jq -c '[.linux.resources.pids.limit, .linux.resources.memory.limit, .process.oomScoreAdj]' "$b/config.json")" \
                                "[4096,$MEMORY,500]" "$rt enforce: config.json has the limits and the score"
                        hr_is "$(jq -r 'select(.rule == "resources") | "\(.action) \(.path)"' "$audit" | sort | tr '\n' ' ')" \
                                "changed /linux/resources/memory/limit changed /linux/resources/pids/limit changed /process/oomScoreAdj " \
                                "$rt enforce: audit log has a changed record for each"
                        ;;
                audit)
                        hr_is "$(cat "$out.rc")" 0 "$rt audit: hardrun-test run exits 0"
                        hr_is "$(hr_val "$out.stdout" pids)" max "$rt audit: pids.max is still max"
                        hr_is "$(hr_val "$out.stdout" oom)" 100 "$rt audit: oom_score_adj is still 100"
                        hr_check "$rt audit: config.json is unchanged by the rule" \
                                test "$(jq -c '[.linux.resources.pids, .linux.resources.memory, .process.oomScoreAdj]' "$b/config.json")" = "[null,null,100]"
                        hr_is "$(jq -r 'select(.rule == "resources") | "\(.action) \(.path)"' "$audit" | sort | tr '\n' ' ')" \
                                "would_change /linux/resources/memory/limit would_change /linux/resources/pids/limit would_change /process/oomScoreAdj " \
                                "$rt audit: audit log has a would_change record for each"
                        ;;
                deny)
                        hr_is "$(cat "$out.rc")" 1 "$rt deny: hardrun-test run exits 1"
                        hr_is "$(cat "$out.stdout")" "" "$rt deny: the container never ran"
                        hr_like "$(cat "$out.stderr")" "'(/linux/resources/[a-z]+/limit|/process/oomScoreAdj)'.*rule 'resources'" \
                                "$rt deny: message names the path and rule 'resources'"
                        hr_check "$rt deny: config.json is unchanged (cmp)" \
                                cmp "$dir/$mode-config.before" "$b/config.json"
                        hr_no_container "$rt" "$root" "$id" "$rt deny"
                        hr_is "$(hr_audit_rules "$audit" denied)" resources \
                                "$rt deny: only resources records are denied"
                        ;;
                esac
        done

        # An engine's own limits stay: podman's 2048 pids, a memory limit above the policy's.
        b="$dir/engine-bundle"
        out="$dir/engine"
        audit="$dir/engine-audit.log"
        hr_hostile_bundle "$b" "$FILTER | .linux.resources.pids = {limit: 2048}
                | .linux.resources.memory = {limit: 134217728} | .process.oomScoreAdj = 600"
        hr_policy "$dir/engine-policy.json" "$rt" enforce "$audit" \
                ".rules.resources = {memory_limit: $MEMORY, oom_score_adj_min: 500}"
        hr_new_id id "$rt" "$root"
        hr_ctx "$out.stdout" "$out.stderr" "$audit"
        hr_hardrun "$dir/engine-policy.json" "$out" --root "$root" run --bundle "$b" "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt engine limits: hardrun-test run exits 0"
        hr_is "$(hr_val "$out.stdout" pids)" 2048 "$rt engine limits: pids.max stays 2048"
        hr_is "$(hr_val "$out.stdout" memory)" 134217728 "$rt engine limits: the memory limit stays 128 MiB"
        hr_is "$(hr_val "$out.stdout" oom)" 600 "$rt engine limits: oom_score_adj stays 600"
        hr_is "$(hr_audit_count "$audit" '.rule == "resources"')" 0 "$rt engine limits: no resources records"
}

hr_for_each_runtime "resources" resources
hr_done
