#!/bin/bash
# Rule mount_options on real runtimes: a bind mount of a host directory holding a device node,
# shared propagation and a writable /sys and cgroup mount. Plain, the container opens the
# device, its mount is "shared:" and /sys is rw; under hardrun enforce the bind is nosuid,nodev,
# the device cannot be opened, nothing is shared and /sys and cgroups are ro; audit lets it all
# happen and records would_change; deny refuses the bundle.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

# The last mount at a mount point (field 5 of mountinfo) is the one the container sees; on
# cgroup v1 /sys/fs/cgroup is a tmpfs and the cgroup mounts are below it.
PROBE='at="^[0-9]+ [0-9]+ [0-9:]+ [^ ]+"
grep -E "$at /hostmnt " /proc/self/mountinfo | sed -n "\$s/^/hostmnt=/p"
if cat /hostmnt/null; then echo dev=open; else echo dev=denied; fi
grep -E "$at /sys " /proc/self/mountinfo | sed -n "\$s/^/sys=/p"
grep -E "$at /sys/fs/cgroup[^ ]* .* - cgroup2? " /proc/self/mountinfo | sed -n "1s/^/cgroup=/p"
exit 0'

# mountinfo field 6: the mount's own options.
opts() { awk '{print $6}' <<<"$1"; }

mount_bundle() {
        local dir=$1 src=$2
        mkdir -p "$src"
        cp /bin/busybox "$src/busybox-suid"
        chmod 4755 "$src/busybox-suid"
        mknod -m 0666 "$src/null" c 1 3
        hr_hostile_bundle "$dir/bundle" ".mounts += [{destination: \"/hostmnt\", type: \"bind\", source: \"$src\",
                        options: [\"rbind\", \"suid\", \"dev\", \"rshared\"]}]
                | .linux.rootfsPropagation = \"rshared\"
                | (.mounts[] | select(.type == \"sysfs\" or .type == \"cgroup\") | .options)
                        |= map(select(. != \"ro\"))"
        jq --arg probe "$PROBE" '.process.args = ["sh", "-c", $probe]' "$dir/bundle/config.json" \
                >"$dir/c.json" && mv "$dir/c.json" "$dir/bundle/config.json"
}

expect_escape() {
        local out=$1 what=$2 line
        line=$(hr_val "$out" hostmnt)
        hr_unlike "$(opts "$line")" 'nosuid' "$what: the bind mount is not nosuid ($line)"
        hr_unlike "$(opts "$line")" 'nodev' "$what: the bind mount is not nodev"
        hr_like "$line" ' shared:[0-9]+' "$what: the bind mount is shared"
        hr_is "$(hr_val "$out" dev)" open "$what: the device node in the bind source opens"
        hr_like "$(opts "$(hr_val "$out" sys)")" '^rw' "$what: /sys is writable"
        hr_like "$(opts "$(hr_val "$out" cgroup)")" '^rw' "$what: /sys/fs/cgroup is writable"
}

mount_options() {
        local rt=$1 dir="$HR_TMP/mountopts-$1" out line cfg root="$HR_TMP/mountopts-$1/state" paths
        mount_bundle "$dir" "$dir/hostsrc"
        cfg="$dir/bundle/config.json"
        # The records each mode writes: proc, sysfs, cgroup, the bind and the root.
        paths=$(jq -r '(.mounts | to_entries[] | select(.value.type == "proc" or .value.type == "sysfs"
                or .value.type == "cgroup" or .value.destination == "/hostmnt") | "/mounts/\(.key)/options"),
                "/linux/rootfsPropagation"' "$cfg")
        cp -p "$cfg" "$dir/config.before"

        out="$dir/plain"
        hr_ctx "$out.stdout" "$out.stderr"
        hr_plain_run "$rt" "$root" "$dir/bundle" "$out"
        hr_is "$(cat "$out.rc")" 0 "$rt plain: the hostile bundle runs"
        expect_escape "$out.stdout" "$rt plain"

        out="$dir/enforce"
        hr_run_mode "$rt" "$root" "$dir/bundle" "$out" enforce '.rules.mount_options = {mode: "enforce"}'
        hr_is "$(cat "$out.rc")" 0 "$rt enforce: hardrun-test run exits 0"
        line=$(hr_val "$out.stdout" hostmnt)
        hr_like "$(opts "$line")" 'nosuid' "$rt enforce: the bind mount is nosuid ($line)"
        hr_like "$(opts "$line")" 'nodev' "$rt enforce: the bind mount is nodev"
        hr_unlike "$line" 'shared:' "$rt enforce: the bind mount is not shared"
        hr_is "$(hr_val "$out.stdout" dev)" denied "$rt enforce: the device node cannot be opened"
        hr_like "$(opts "$(hr_val "$out.stdout" sys)")" '^ro' "$rt enforce: /sys is read-only"
        hr_like "$(opts "$(hr_val "$out.stdout" cgroup)")" '^ro' \
                "$rt enforce: /sys/fs/cgroup is read-only"
        hr_is "$(jq -c '.mounts[] | select(.destination == "/hostmnt") | .options' "$cfg")" \
                '["rbind","nosuid","nodev","rprivate"]' "$rt enforce: config.json bind options"
        hr_is "$(jq -c .linux.rootfsPropagation "$cfg")" '"rprivate"' \
                "$rt enforce: config.json rootfsPropagation is rprivate"
        hr_expect_records "$rt enforce" changed mount_options $paths
        hr_expect_audit_records "$out.audit.log" "$HR_RUN_ID" run "$rt enforce"

        # The bundle was hardened: start over for the next modes.
        cp -p "$dir/config.before" "$cfg"
        hr_run_mode "$rt" "$root" "$dir/bundle" "$dir/audit" enforce '.rules.mount_options = {mode: "audit"}'
        expect_escape "$dir/audit.stdout" "$rt audit"
        hr_expect_audited "$rt audit" mount_options \
                '.mounts[] | select(.destination == "/hostmnt") | .options' $paths

        cp -p "$dir/config.before" "$cfg"
        hr_run_mode "$rt" "$root" "$dir/bundle" "$dir/deny" enforce '.rules.mount_options = {mode: "deny"}'
        hr_expect_refused "$rt deny" mount_options "'/mounts/[0-9]+/options'.*rule 'mount_options'" $paths
}

hr_for_each_runtime "mount options, propagation, read-only /sys" mount_options
hr_done
