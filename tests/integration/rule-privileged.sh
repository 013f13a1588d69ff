#!/bin/bash
# Rule privileged: a bundle made like `docker run --privileged` (every host capability, no
# seccomp, no masked or read-only paths, /sys and cgroup read-write, an allow-all device rule,
# a host device). Plain runc runs it with every capability. Under hardrun enforce one
# "privileged" record says "detected" and the other rules harden the container (CapEff 0, a
# seccomp filter); deny refuses it; audit runs it as it is and records "detected".
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

PRIV_FILTER='del(.linux.maskedPaths, .linux.readonlyPaths)
        | .mounts |= map(if .destination == "/sys" or .type == "cgroup"
                         then .options |= map(select(. != "ro")) else . end)
        | .linux.resources.devices = [{allow: true, access: "rwm"}]
        | .linux.devices = [{path: "/dev/kmsg", type: "c", major: 1, minor: 11,
                             fileMode: 420, uid: 0, gid: 0}]'
PROBE_EXTRA='grep " /sys " /proc/self/mounts | sed "s/^/sysmount=/"
if [ -c /dev/kmsg ]; then echo kmsg=present; else echo kmsg=absent; fi'
WANT_MARKS='["all capabilities","no seccomp filter","no masked or read-only paths","/sys mounted read-write","cgroup filesystem mounted read-write","device cgroup allows every device","1 host device in linux.devices"]'

privileged() {
        local rt=$1 dir="$HR_TMP/priv-$1" out b host_mask audit root="$HR_TMP/priv-$1/state"
        b="$dir/bundle"
        hr_hostile_bundle "$b" "$PRIV_FILTER"
        jq --arg p "${HR_PROBE%exit 0}$PROBE_EXTRA
exit 0" '.process.args = ["sh", "-c", $p]' "$b/config.json" >"$b/c.json" &&
                mv "$b/c.json" "$b/config.json"
        cp -p "$b/config.json" "$dir/config.before"
        host_mask=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)

        # Plain runc: every capability, no filter, /sys writable, the host's kmsg.
        out="$dir/plain"
        hr_ctx "$out.stdout" "$out.stderr"
        hr_plain_run "$rt" "$root" "$b" "$out"
        hr_is "$(cat "$out.rc")" 0 "$rt plain: runs"
        hr_is "$(hr_val "$out.stdout" CapEff)" "$host_mask" "$rt plain: CapEff is every host capability"
        hr_is "$(hr_val "$out.stdout" Seccomp)" 0 "$rt plain: no seccomp filter"
        hr_like "$(hr_val "$out.stdout" sysmount)" '^sysfs /sys sysfs rw' "$rt plain: /sys is mounted rw"
        hr_is "$(hr_val "$out.stdout" kmsg)" present "$rt plain: the host's /dev/kmsg is there"

        # enforce: one detected record listing the marks; the container is hardened.
        out="$dir/enforce"
        audit="$out.audit.log"
        hr_run_mode "$rt" "$root" "$b" "$out" enforce '.rules.privileged = {mode: "enforce"}'
        hr_is "$(cat "$out.rc")" 0 "$rt enforce: hardrun-test run exits 0"
        hr_is "$(hr_audit_count "$audit" '.rule == "privileged"')" 1 "$rt enforce: one privileged record"
        hr_is "$(jq -c 'select(.rule == "privileged") | [.path, .action, .after]' "$audit")" \
                '["/","detected","not privileged"]' "$rt enforce: path /, detected, after 'not privileged'"
        hr_is "$(jq -c 'select(.rule == "privileged") | .before' "$audit")" "$WANT_MARKS" \
                "$rt enforce: the record lists every mark of the spec as it came"
        hr_is "$(head -n 1 "$audit" | jq -r .rule)" privileged "$rt enforce: it is the first record"
        hr_is "$(hr_val "$out.stdout" CapEff)" 0000000000000000 "$rt enforce: CapEff is 0"
        hr_is "$(hr_val "$out.stdout" Seccomp)" 2 "$rt enforce: a seccomp filter"
        hr_is "$(hr_val "$out.stdout" kmsg)" absent "$rt enforce: the devices rule dropped /dev/kmsg"
        cp -p "$dir/config.before" "$b/config.json"

        # deny: refused, no container.
        hr_run_mode "$rt" "$root" "$b" "$dir/deny" enforce '.rules.privileged = {mode: "deny"}'
        hr_expect_refused "$rt deny" privileged \
                "config.json: '/': .*all capabilities.* is not allowed by rule 'privileged' \\(policy needs \"not privileged\"\\)"

        # audit: runs as it is, detected.
        out="$dir/audit"
        hr_run_mode "$rt" "$root" "$b" "$out" audit '.rules.privileged = {mode: "audit"}'
        hr_is "$(cat "$out.rc")" 0 "$rt audit: runs"
        hr_is "$(hr_val "$out.stdout" CapEff)" "$host_mask" "$rt audit: CapEff is still every host capability"
        hr_expect_records "$rt audit" detected privileged /
        hr_expect_config_unchanged "$rt audit"

        # A plain runc spec (one mark: no seccomp) is not reported.
        out="$dir/plainspec"
        hr_bundle "$dir/plainspec"
        hr_run_mode "$rt" "$root" "$dir/plainspec" "$out" deny '.rules.privileged = {mode: "deny"}
                | .rules.user.mode = "off" | .rules.capabilities.mode = "off"
                | .rules.seccomp.mode = "off" | .rules.rootfs.mode = "off"
                | .rules.no_new_privileges.mode = "off" | .rules.namespaces.mode = "off"
                | .rules.mounts.mode = "off" | .rules.devices.mode = "off"'
        hr_is "$(cat "$out.rc")" 0 "$rt runc spec under privileged deny: runs"
        hr_is "$(hr_audit_count "$out.audit.log" '.rule == "privileged"')" 0 "$rt runc spec: not reported"
}

hr_for_each_runtime "privileged" privileged
hr_done
