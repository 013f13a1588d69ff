#!/bin/bash
# Rule sysctls: a bundle sets kernel.msgmax and net.ipv4.ip_forward (namespaced, but not on the
# PSS safe list; ip_forward to the opposite of a new network namespace's default, which depends
# on the kernel) next to Docker's net.ipv4.ping_group_range. Plain runc applies them all; enforce
# drops the two (the container sees its namespaces' defaults) and keeps Docker's; audit applies
# them and logs would_change; deny refuses the container.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

PROBE='echo "msgmax=$(cat /proc/sys/kernel/msgmax)"
echo "ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)"
echo "ping_group_range=$(cat /proc/sys/net/ipv4/ping_group_range)"'
ARGS=".process.args = [\"sh\", \"-c\", $(jq -Rs . <<<"$PROBE")]"
PING=$'0\t2147483647'
# The records enforce and audit write: the two sysctls off the safe list.
PATHS="/linux/sysctl/kernel.msgmax /linux/sysctl/net.ipv4.ip_forward"

# The namespaces' own values, from a plain container without sysctls.
defaults() {
        local rt=$1 dir="$HR_TMP/sysctls-defaults-$1"
        hr_bundle "$dir/bundle" "$ARGS"
        hr_plain_run "$rt" "$dir/state" "$dir/bundle" "$dir/run" || return 1
        DEF_MSGMAX=$(hr_val "$dir/run.stdout" msgmax)
        DEF_FORWARD=$(hr_val "$dir/run.stdout" ip_forward)
        FORWARD=$((1 - DEF_FORWARD))
        SYSCTLS="{\"kernel.msgmax\": \"65536\", \"net.ipv4.ip_forward\": \"$FORWARD\",
                  \"net.ipv4.ping_group_range\": \"0 2147483647\"}"
        FILTER=".linux.sysctl = $SYSCTLS | $ARGS"
}

sysctls() {
        local rt=$1 dir="$HR_TMP/sysctls-$1" out mode b root
        root="$dir/state"
        defaults "$rt"
        hr_ok $? "$rt: a plain container without sysctls runs (msgmax $DEF_MSGMAX, ip_forward $DEF_FORWARD)" ||
                return

        # Plain runtime: the escape.
        out="$dir/plain"
        hr_hostile_bundle "$dir/plain-bundle" "$FILTER"
        hr_ctx "$out.stdout" "$out.stderr"
        hr_plain_run "$rt" "$root" "$dir/plain-bundle" "$out"
        hr_is "$(cat "$out.rc")" 0 "$rt plain: the container runs"
        hr_is "$(hr_val "$out.stdout" msgmax)" 65536 "$rt plain: kernel.msgmax is 65536"
        hr_is "$(hr_val "$out.stdout" ip_forward)" "$FORWARD" "$rt plain: net.ipv4.ip_forward is $FORWARD"
        [ "$DEF_MSGMAX" != 65536 ]
        hr_ok $? "$rt plain: msgmax differs from the ipc namespace's default"

        for mode in enforce audit deny; do
                b="$dir/$mode-bundle"
                out="$dir/$mode"
                hr_hostile_bundle "$b" "$FILTER"
                # Rule user's own sysctl (low ports for a process it moved off root) is not
                # this rule's: left out so that the spec's sysctls are all this rule's.
                hr_run_mode "$rt" "$root" "$b" "$out" enforce \
                        ".rules.sysctls = {mode: \"$mode\"} | .rules.user.low_ports = false"
                case $mode in
                enforce)
                        hr_is "$(cat "$out.rc")" 0 "$rt enforce: hardrun-test run exits 0"
                        hr_is "$(hr_val "$out.stdout" msgmax)" "$DEF_MSGMAX" \
                                "$rt enforce: kernel.msgmax is the ipc namespace's default"
                        hr_is "$(hr_val "$out.stdout" ip_forward)" "$DEF_FORWARD" \
                                "$rt enforce: net.ipv4.ip_forward is the network namespace's default"
                        hr_is "$(hr_val "$out.stdout" ping_group_range)" "$PING" \
                                "$rt enforce: Docker's ping_group_range is still applied"
                        hr_is "$(jq -c .linux.sysctl "$b/config.json")" \
                                '{"net.ipv4.ping_group_range":"0 2147483647"}' \
                                "$rt enforce: config.json keeps only the safe sysctl"
                        hr_expect_records "$rt enforce" changed sysctls $PATHS
                        ;;
                audit)
                        hr_is "$(hr_val "$out.stdout" msgmax)" 65536 "$rt audit: kernel.msgmax is 65536"
                        hr_is "$(hr_val "$out.stdout" ip_forward)" "$FORWARD" \
                                "$rt audit: net.ipv4.ip_forward is $FORWARD"
                        hr_expect_audited "$rt audit" sysctls .linux.sysctl $PATHS
                        ;;
                deny)
                        hr_expect_refused "$rt deny" sysctls "'/linux/sysctl/[a-z0-9._]+'.*rule 'sysctls'"
                        ;;
                esac
        done
}

hr_for_each_runtime "sysctls" sysctls
hr_done
