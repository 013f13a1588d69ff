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
# The records enforce and audit write: one for each limit and the score.
PATHS="/linux/resources/memory/limit /linux/resources/pids/limit /process/oomScoreAdj"

# check MODE OUT BUNDLE: hr_rule_modes' per-mode checks.
check() {
        local mode=$1 out=$2 b=$3
        case $mode in
        plain)
                # No pids limit, no memory limit, the spec's OOM score.
                hr_is "$(cat "$out.rc")" 0 "$RT plain: the container runs"
                hr_is "$(hr_val "$out.stdout" pids)" max "$RT plain: pids.max is max"
                hr_like "$(hr_val "$out.stdout" memory)" '^(max|[0-9]{12,})$' "$RT plain: no memory limit"
                hr_is "$(hr_val "$out.stdout" oom)" 100 "$RT plain: oom_score_adj is 100"
                ;;
        enforce)
                hr_is "$(cat "$out.rc")" 0 "$RT enforce: hardrun-test run exits 0"
                hr_is "$(hr_val "$out.stdout" pids)" 4096 "$RT enforce: pids.max is 4096"
                hr_is "$(hr_val "$out.stdout" memory)" "$MEMORY" \
                        "$RT enforce: the memory limit is the policy's $MEMORY"
                hr_is "$(hr_val "$out.stdout" oom)" 500 "$RT enforce: oom_score_adj is raised to 500"
                hr_is "$(jq -c '[.linux.resources.pids.limit, .linux.resources.memory.limit, .process.oomScoreAdj]' "$b/config.json")" \
                        "[4096,$MEMORY,500]" "$RT enforce: config.json has the limits and the score"
                hr_expect_records "$RT enforce" changed resources $PATHS
                ;;
        audit)
                hr_is "$(hr_val "$out.stdout" pids)" max "$RT audit: pids.max is still max"
                hr_is "$(hr_val "$out.stdout" oom)" 100 "$RT audit: oom_score_adj is still 100"
                hr_expect_audited "$RT audit" resources \
                        '[.linux.resources.pids, .linux.resources.memory, .process.oomScoreAdj]' $PATHS
                ;;
        deny)
                hr_expect_refused "$RT deny" resources \
                        "'(/linux/resources/[a-z]+/limit|/process/oomScoreAdj)'.*rule 'resources'"
                ;;
        esac
}

resources() {
        local rt=$1 dir="$HR_TMP/resources-$1" out b root
        root="$dir/state"
        RT=$rt

        hr_rule_modes "$rt" "$dir" "$FILTER" \
                ".rules.resources = {mode: \$ENV.HR_MODE, memory_limit: $MEMORY, oom_score_adj_min: 500}" \
                check enforce

        # An engine's own limits stay: podman's 2048 pids, a memory limit above the policy's.
        b="$dir/engine-bundle"
        out="$dir/engine"
        hr_hostile_bundle "$b" "$FILTER | .linux.resources.pids = {limit: 2048}
                | .linux.resources.memory = {limit: 134217728} | .process.oomScoreAdj = 600"
        hr_run_mode "$rt" "$root" "$b" "$out" enforce \
                ".rules.resources = {memory_limit: $MEMORY, oom_score_adj_min: 500}"
        hr_is "$(cat "$out.rc")" 0 "$rt engine limits: hardrun-test run exits 0"
        hr_is "$(hr_val "$out.stdout" pids)" 2048 "$rt engine limits: pids.max stays 2048"
        hr_is "$(hr_val "$out.stdout" memory)" 134217728 "$rt engine limits: the memory limit stays 128 MiB"
        hr_is "$(hr_val "$out.stdout" oom)" 600 "$rt engine limits: oom_score_adj stays 600"
        hr_is "$(hr_audit_count "$out.audit.log" '.rule == "resources"')" 0 "$rt engine limits: no resources records"
}

hr_for_each_runtime "resources" resources
hr_done
