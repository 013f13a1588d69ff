#!/bin/bash
# Exemptions on real runtimes: a container whose annotations (or id) match an exemption skips
# the named rules and the audit log says which exemption was used and why; any other container
# is hardened as usual.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

exemptions() {
        local rt=$1 dir="$HR_TMP/exempt-$1" id out
        local policy="$dir/policy.json" audit="$dir/audit.log" root="$dir/state"
        mkdir -p "$dir"
        hr_policy "$policy" "$rt" enforce "$audit" '.exemptions = [
                {rules: ["user"], reason: "kube-proxy needs root",
                 annotations: {"io.kubernetes.cri.sandbox-namespace": "kube-system"}},
                {rules: ["no_new_privileges", "seccomp"], ids: ["debug-*"]}]'

        # 1. The pod namespace annotation matches: uid stays 0, everything else is hardened.
        hr_hostile_bundle "$dir/system" \
                '.annotations = {"io.kubernetes.cri.sandbox-namespace": "kube-system"}'
        out="$dir/system.run"
        hr_run_bundle "$rt" "$root" "$policy" "$dir/system" "$out"
        id=$HR_RUN_ID
        hr_is "$(cat "$out.rc")" 0 "$rt kube-system: run exits 0"
        hr_is "$(hr_val "$out.stdout" uid)" 0 "$rt kube-system: uid stays 0 (user rule exempted)"
        hr_is "$(hr_val "$out.stdout" CapEff)" 0000000000000000 "$rt kube-system: CapEff is still 0"
        hr_is "$(hr_val "$out.stdout" Seccomp)" 2 "$rt kube-system: Seccomp is still 2"
        hr_is "$(hr_val "$out.stdout" NoNewPrivs)" 1 "$rt kube-system: NoNewPrivs is still 1"
        hr_is "$(jq -c --arg id "$id" 'select(.container == $id and .action == "exempted")
                | {rule, after, mode}' "$audit")" \
                '{"rule":"user","after":{"exemption":0,"reason":"kube-proxy needs root"},"mode":"enforce"}' \
                "$rt kube-system: one 'exempted' record names the rule, the exemption and its reason"
        hr_is "$(hr_audit_count "$audit" "(.container == \"$id\") and .rule == \"user\" and .action == \"changed\"")" 0 \
                "$rt kube-system: no 'changed' record for the exempted rule"
        hr_expect_audit_records "$audit" "$id" run "$rt kube-system"

        # 2. Another namespace: no exemption, fully hardened.
        hr_hostile_bundle "$dir/app" '.annotations = {"io.kubernetes.cri.sandbox-namespace": "shop"}'
        out="$dir/app.run"
        hr_run_bundle "$rt" "$root" "$policy" "$dir/app" "$out"
        id=$HR_RUN_ID
        hr_is "$(cat "$out.rc")" 0 "$rt shop: run exits 0"
        hr_expect_hardened "$out.stdout" "$rt shop"
        hr_is "$(hr_audit_count "$audit" ".container == \"$id\" and .action == \"exempted\"")" 0 \
                "$rt shop: no exemption used"

        # 3. By container id: debug-* keeps no_new_privs off and runs without seccomp.
        hr_hostile_bundle "$dir/debug"
        out="$dir/debug.run"
        id="debug-$rt-$$"
        hr_ctx "$out.stdout" "$out.stderr" "$audit"
        hr_hardrun "$policy" "$out" --root "$root" run --bundle "$dir/debug" "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt debug-*: run exits 0"
        hr_is "$(hr_val "$out.stdout" NoNewPrivs)" 0 "$rt debug-*: NoNewPrivs stays 0 (exempted)"
        hr_is "$(hr_val "$out.stdout" Seccomp)" 0 "$rt debug-*: no seccomp filter (exempted)"
        hr_is "$(hr_val "$out.stdout" uid)" 65534 "$rt debug-*: uid is still 65534"
        hr_is "$(jq -r --arg id "$id" 'select(.container == $id and .action == "exempted") | .rule' \
                "$audit" | sort | tr '\n' ' ')" "no_new_privileges seccomp " \
                "$rt debug-*: both exempted rules are recorded"

        # 4. Deny mode: the exempted rule does not refuse; the others still do.
        hr_policy "$dir/deny.json" "$rt" deny "$dir/deny.log" '.exemptions = [
                {rules: ["user", "capabilities", "seccomp", "rootfs", "no_new_privileges"],
                 annotations: {"io.kubernetes.cri.sandbox-namespace": "kube-system"}}]'
        # Fresh bundles: enforce rewrote the ones above.
        hr_hostile_bundle "$dir/system2" \
                '.annotations = {"io.kubernetes.cri.sandbox-namespace": "kube-system"}'
        hr_hostile_bundle "$dir/app2" '.annotations = {"io.kubernetes.cri.sandbox-namespace": "shop"}'
        out="$dir/deny.run"
        hr_run_bundle "$rt" "$root" "$dir/deny.json" "$dir/system2" "$out"
        hr_is "$(cat "$out.rc")" 0 "$rt deny, all five rules exempted: the container runs"
        hr_is "$(hr_val "$out.stdout" uid)" 0 "$rt deny, all five rules exempted: uid 0"
        hr_is "$(hr_audit_rules "$dir/deny.log" exempted)" \
                "capabilities no_new_privileges rootfs seccomp user" \
                "$rt deny, all five rules exempted: five 'exempted' records"
        out="$dir/deny-app.run"
        hr_run_bundle "$rt" "$root" "$dir/deny.json" "$dir/app2" "$out"
        hr_is "$(cat "$out.rc")" 1 "$rt deny, another namespace: refused"
        hr_no_container "$rt" "$root" "$HR_RUN_ID" "$rt deny, another namespace"

        # 5. An exec carries no annotations: an id exemption reaches its inline flags. A running
        # container exempted from user (and no_new_privileges: crun runs an inline exec with
        # no_new_privs off) takes `exec --user 0:0`; the same exec into another one is refused.
        hr_policy "$dir/shell.json" "$rt" enforce "$dir/shell.log" '.exemptions = [
                {rules: ["user", "no_new_privileges"], ids: ["hrtest-*-shell"], reason: "debug shell"}]'
        for name in shell other; do
                hr_hostile_bundle "$dir/$name" '.process.args = ["sleep", "30"]'
                hr_new_id id "$rt" "$root" "$name"
                hr_hardrun "$dir/shell.json" "$dir/$name.create" --root "$root" create \
                        --bundle "$dir/$name" "$id"
                hr_is "$(cat "$dir/$name.create.rc")" 0 "$rt exec flags, $name: create exits 0"
                hr_hardrun "$dir/shell.json" "$dir/$name.start" --root "$root" start "$id"
                out="$dir/$name.exec"
                hr_ctx "$out.stdout" "$out.stderr" "$dir/shell.log"
                hr_hardrun "$dir/shell.json" "$out" --root "$root" exec --user 0:0 "$id" \
                        sh -c 'echo uid=$(id -u)'
                if [ "$name" = shell ]; then
                        hr_is "$(cat "$out.rc")" 0 "$rt exec --user 0:0 into the exempted container: exits 0"
                        hr_is "$(hr_val "$out.stdout" uid)" 0 "$rt exec --user 0:0 into the exempted container: uid 0"
                        hr_is "$(jq -r --arg id "$id" 'select(.container == $id and .file == "argv")
                                | "\(.rule) \(.action) \(.after.reason)"' "$dir/shell.log")" \
                                "user exempted debug shell" \
                                "$rt exec --user 0:0 into the exempted container: one 'exempted' record for argv"
                else
                        hr_is "$(cat "$out.rc")" 1 "$rt exec --user 0:0 into another container: refused"
                        hr_like "$(cat "$out.stderr")" "'--user 0:0' is not allowed by rule 'user'" \
                                "$rt exec --user 0:0 into another container: the message names the flag and rule"
                fi
        done
}

hr_for_each_runtime "exemptions" exemptions
hr_done
