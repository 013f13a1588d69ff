#!/bin/bash
# Case 3: a policy that allows NET_BIND_SERVICE keeps exactly that capability (bit 10). With
# "inheritable": false (the default) it stays in the bounding set only: the forced non-root user
# loses permitted/effective at execve. With "inheritable": true it is also inheritable and
# ambient, so uid 65534 has it in the bounding, permitted and effective sets.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

# allow_cap RUNTIME INHERITABLE
allow_cap() {
        local rt=$1 inh=$2 dir="$HR_TMP/allow-$1-$2" id out what
        local policy="$dir/policy.json" audit="$dir/audit.log" root="$dir/state"
        local bit=0000000000000400 zero=0000000000000000 want_prm want_inh set_inh
        out="$dir/run"
        what="$rt allow NET_BIND_SERVICE, inheritable $inh"
        hr_hostile_bundle "$dir/bundle"
        hr_policy "$policy" "$rt" enforce "$audit" \
                ".rules.capabilities = {allow: [\"NET_BIND_SERVICE\"], inheritable: $inh}"
        hr_new_id id "$rt" "$root"
        hr_ctx "$out.stdout" "$out.stderr" "$audit"

        hr_hardrun "$policy" "$out" --root "$root" run --bundle "$dir/bundle" "$id"
        hr_is "$(cat "$out.rc")" 0 "$what: hardrun-test run exits 0"
        hr_is "$(hr_val "$out.stdout" uid)" 65534 "$what: uid is 65534"
        hr_is "$(hr_val "$out.stdout" CapBnd)" $bit "$what: CapBnd is $bit (bit 10 only)"
        if [ "$inh" = true ]; then
                # Ambient NET_BIND_SERVICE carries it into permitted/effective of uid 65534.
                want_prm=$bit want_inh=$bit set_inh='["CAP_NET_BIND_SERVICE"]'
                hr_is "$(hr_val "$out.stdout" CapPrm)" $want_prm "$what: CapPrm is $bit (bit 10 only)"
                hr_is "$(hr_val "$out.stdout" CapEff)" $want_prm "$what: CapEff is $bit (bit 10 only)"
        else
                # execve as uid 65534 with an empty ambient set clears permitted and effective
                # (capabilities(7)); no_new_privileges also ignores file capabilities. So an
                # allowed capability only survives in the bounding set.
                want_prm=$zero want_inh=$zero set_inh='[]'
                hr_is "$(hr_val "$out.stdout" CapPrm)" $zero \
                        "$what: CapPrm is $zero (non-root without ambient caps: cleared at execve)"
                hr_is "$(hr_val "$out.stdout" CapEff)" $zero \
                        "$what: CapEff is $zero (non-root without ambient caps: cleared at execve)"
        fi
        hr_is "$(hr_val "$out.stdout" CapInh)" $want_inh "$what: CapInh is $want_inh"
        hr_is "$(hr_val "$out.stdout" CapAmb)" $want_inh "$what: CapAmb is $want_inh"
        hr_is "$(jq -c '.process.capabilities | [.bounding, .effective, .permitted, .inheritable, .ambient]' \
                "$dir/bundle/config.json")" \
                "[[\"CAP_NET_BIND_SERVICE\"],[\"CAP_NET_BIND_SERVICE\"],[\"CAP_NET_BIND_SERVICE\"],$set_inh,$set_inh]" \
                "$what: config.json capability sets hold only CAP_NET_BIND_SERVICE"
        hr_is "$(jq -c 'select(.path == "/process/capabilities/effective") | .after' "$audit")" \
                '["CAP_NET_BIND_SERVICE"]' \
                "$what: audit record shows effective reduced to CAP_NET_BIND_SERVICE"
}

allow_cap_both() {
        allow_cap "$1" false
        allow_cap "$1" true
}

hr_for_each_runtime "policy allows NET_BIND_SERVICE" allow_cap_both
hr_done
