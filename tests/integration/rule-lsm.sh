#!/bin/bash
# Rule lsm on real runtimes. On a host without AppArmor and SELinux no escape can be shown in
# the kernel: runc 1.1 and crun fail to write "unconfined" or any label to /proc/self/attr
# there (observed: runc "apparmor failed to apply profile: write /proc/self/attr/exec: invalid
# argument" and "selinux label is specified in config, but selinux is disabled"; crun
# "AppArmor is not initialized correctly"), and on an AppArmor host the container runs
# unconfined. What is shown: hardrun refuses "unconfined" and a foreign SELinux type (enforce
# without a policy profile, deny), rewrites "unconfined" to the policy's profile, records both
# in audit mode while the runtime does what it does alone, and leaves a spec without labels
# alone on a host without the LSM, so it runs.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

# runc's test (libcontainer/apparmor): securityfs directory and the module parameter.
host_apparmor=0
if [ -d /sys/kernel/security/apparmor ] &&
        [ "$(head -c 1 /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then
        host_apparmor=1
fi
host_selinux=0
[ -e /sys/fs/selinux/enforce ] && host_selinux=1
hr_diag "host AppArmor: $host_apparmor, host SELinux: $host_selinux"

AA_SPEC='.process.apparmorProfile = "unconfined"'
SE_SPEC='.process.selinuxLabel = "system_u:system_r:unconfined_t:s0"'

# refused RT NAME SPEC-FILTER RULE-FILTER JSON-PATH: hardrun exits 1 naming the path and rule,
# leaves config.json and no container behind, and records a denied lsm finding.
refused() {
        local rt=$1 name=$2 spec=$3 filter=$4 path=$5 dir="$HR_TMP/lsm-$1-$2"
        hr_bundle "$dir/bundle" "$spec"
        hr_run_mode "$rt" "$dir/state" "$dir/bundle" "$dir/run" enforce "$filter"
        hr_expect_refused "$rt $name" lsm "^hardrun: .*: '$path': .* is not allowed by rule 'lsm'" "$path"
}

# recorded RT NAME SPEC-FILTER PLAIN-RC: lsm in audit mode passes the spec on untouched (the
# runtime does with it what it does without hardrun) and records would_deny: the refused cases
# above are what enforce would do.
recorded() {
        local rt=$1 name=$2 spec=$3 plain_rc=$4 dir="$HR_TMP/lsm-$1-$2"
        hr_bundle "$dir/bundle" "$spec"
        hr_run_mode "$rt" "$dir/state" "$dir/bundle" "$dir/run" enforce '.rules.lsm = {mode: "audit"}'
        hr_is "$(cat "$dir/run.rc")" "$plain_rc" "$rt $name audit: exit $plain_rc, as the plain runtime"
        hr_expect_records "$rt $name audit" would_deny lsm
        hr_expect_audit_records "$HR_RUN_AUDIT" "$HR_RUN_ID" run "$rt $name audit"
}

# plain RT NAME SPEC-FILTER: the runtime alone; its exit code in PLAIN_RC.
plain() {
        local rt=$1 name=$2 spec=$3 dir="$HR_TMP/lsm-$1-plain-$2"
        hr_bundle "$dir/bundle" "$spec"
        hr_plain_run "$rt" "$dir/state" "$dir/bundle" "$dir/run"
        PLAIN_RC=$(cat "$dir/run.rc")
        hr_diag "plain $rt, $name: exit $PLAIN_RC: $(head -c 300 "$dir/run.stderr")"
}

lsm_rule() {
        local rt=$1 rc dir out b PLAIN_RC

        # AppArmor "unconfined". Without AppArmor, runc 1.1 and crun fail writing the profile
        # to /proc/self/attr (the kernel has no LSM to take it); with it they run unconfined.
        plain "$rt" apparmor "$AA_SPEC"
        rc=$PLAIN_RC
        if [ "$host_apparmor" = 1 ]; then
                hr_is "$rc" 0 "$rt plain: the unconfined container runs"
        else
                hr_like "$(cat "$HR_TMP/lsm-$rt-plain-apparmor/run.stderr")" '[Aa]pp[Aa]rmor' \
                        "$rt plain (no AppArmor on this host): the runtime fails applying the profile"
        fi
        refused "$rt" aa-enforce "$AA_SPEC" '.rules.lsm = {mode: "enforce"}' /process/apparmorProfile
        refused "$rt" aa-deny "$AA_SPEC" \
                '.rules.lsm = {mode: "deny", apparmor_profile: "hardrun-test"}' /process/apparmorProfile
        recorded "$rt" apparmor "$AA_SPEC" "$rc"

        # With a policy profile, enforce rewrites "unconfined" (the runtime then needs AppArmor).
        dir="$HR_TMP/lsm-$rt-aa-rewrite"
        hr_bundle "$dir/bundle" "$AA_SPEC"
        hr_run_mode "$rt" "$dir/state" "$dir/bundle" "$dir/run" enforce \
                '.rules.lsm = {mode: "enforce", apparmor_profile: "hardrun-test"}'
        hr_is "$(jq -r .process.apparmorProfile "$dir/bundle/config.json")" hardrun-test \
                "$rt enforce with a profile: config.json names the policy profile"
        hr_is "$(jq -c 'select(.rule == "lsm") | [.action, .path, .before, .after]' "$HR_RUN_AUDIT")" \
                '["changed","/process/apparmorProfile","unconfined","hardrun-test"]' \
                "$rt enforce with a profile: the change is recorded"

        # SELinux: a type outside the PSS list, and spc_t even with a policy label.
        plain "$rt" selinux "$SE_SPEC"
        rc=$PLAIN_RC
        if [ "$host_selinux" = 0 ]; then
                hr_ok "$([ "$rc" != 0 ] && echo 0 || echo 1)" \
                        "$rt plain (no SELinux on this host): the runtime refuses any label"
        fi
        refused "$rt" se-enforce "$SE_SPEC" '.rules.lsm = {mode: "enforce"}' /process/selinuxLabel
        refused "$rt" se-deny "$SE_SPEC" '.rules.lsm = {mode: "deny"}' /process/selinuxLabel
        refused "$rt" spc-enforce '.process.selinuxLabel = "system_u:system_r:spc_t:s0"' \
                '.rules.lsm = {mode: "enforce", selinux_label: "system_u:system_r:container_t:s0"}' \
                /process/selinuxLabel
        recorded "$rt" selinux "$SE_SPEC" "$rc"

        # No labels at all: on a host without the LSM nothing is added and the container runs.
        if [ "$host_apparmor" = 1 ] || [ "$host_selinux" = 1 ]; then
                hr_skip "$rt no labels: runs unchanged" "the host runs AppArmor or SELinux"
                return
        fi
        dir="$HR_TMP/lsm-$rt-none"
        out="$dir/run"
        b="$dir/bundle"
        hr_bundle "$b"
        hr_run_mode "$rt" "$dir/state" "$b" "$out" enforce '.rules.lsm = {mode: "enforce",
                apparmor_profile: "hardrun-test", selinux_label: "system_u:system_r:container_t:s0"}'
        hr_is "$(cat "$out.rc")" 0 "$rt no labels: the container runs under enforce"
        hr_is "$(hr_val "$out.stdout" uid)" 65534 "$rt no labels: the other rules still apply"
        hr_is "$(jq -c '[.process.apparmorProfile, .process.selinuxLabel]' "$b/config.json")" \
                '[null,null]' "$rt no labels: config.json has no profile or label added"
        hr_is "$(hr_audit_count "$out.audit.log" '.rule == "lsm"')" 0 "$rt no labels: no lsm records"
}

hr_for_each_runtime "rule lsm" lsm_rule
hr_done
