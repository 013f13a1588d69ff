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

# check MODE OUT BUNDLE: hr_rule_modes' per-mode checks.
check() {
        local mode=$1 out=$2 b=$3
        case $mode in
        plain)
                hr_is "$(cat "$out.rc")" 0 "$RT plain: the container runs"
                hr_is "$(hr_val "$out.stdout" msgmax)" 65536 "$RT plain: kernel.msgmax is 65536"
                hr_is "$(hr_val "$out.stdout" ip_forward)" "$FORWARD" "$RT plain: net.ipv4.ip_forward is $FORWARD"
                [ "$DEF_MSGMAX" != 65536 ]
                hr_ok $? "$RT plain: msgmax differs from the ipc namespace's default"
                ;;
        enforce)
                hr_is "$(cat "$out.rc")" 0 "$RT enforce: hardrun-test run exits 0"
                hr_is "$(hr_val "$out.stdout" msgmax)" "$DEF_MSGMAX" \
                        "$RT enforce: kernel.msgmax is the ipc namespace's default"
                hr_is "$(hr_val "$out.stdout" ip_forward)" "$DEF_FORWARD" \
                        "$RT enforce: net.ipv4.ip_forward is the network namespace's default"
                hr_is "$(hr_val "$out.stdout" ping_group_range)" "$PING" \
                        "$RT enforce: Docker's ping_group_range is still applied"
                hr_is "$(jq -c .linux.sysctl "$b/config.json")" \
                        '{"net.ipv4.ping_group_range":"0 2147483647"}' \
                        "$RT enforce: config.json keeps only the safe sysctl"
                hr_expect_records "$RT enforce" changed sysctls $PATHS
                ;;
        audit)
                hr_is "$(hr_val "$out.stdout" msgmax)" 65536 "$RT audit: kernel.msgmax is 65536"
                hr_is "$(hr_val "$out.stdout" ip_forward)" "$FORWARD" \
                        "$RT audit: net.ipv4.ip_forward is $FORWARD"
                hr_expect_audited "$RT audit" sysctls .linux.sysctl $PATHS
                ;;
        deny)
                hr_expect_refused "$RT deny" sysctls "'/linux/sysctl/[a-z0-9._]+'.*rule 'sysctls'"
                ;;
        esac
}

sysctls() {
        RT=$1
        defaults "$RT"
        hr_ok $? "$RT: a plain container without sysctls runs (msgmax $DEF_MSGMAX, ip_forward $DEF_FORWARD)" ||
                return
        # Rule user's own sysctl (low ports for a process it moved off root) is not this rule's:
        # left out so that the spec's sysctls are all this rule's.
        hr_rule_modes "$RT" "$HR_TMP/sysctls-$RT" "$FILTER" \
                '.rules.sysctls = {mode: $ENV.HR_MODE} | .rules.user.low_ports = false' check enforce
}

hr_for_each_runtime "sysctls" sysctls
hr_done
