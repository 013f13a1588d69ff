#!/bin/bash
# Rollout safety, with real runc and crun containers: a broken policy file gives way to the last
# good copy (or, with none, the built-in default) and says so on every create; pass-through
# keeps working; a last good copy someone else could have written is ignored; the kill switch
# ("mode": "off") passes containers through with one record each; a refusal lists every refusal
# with the engine's terms and the admins' contact line.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

# The built-in default writes its audit log to /var/log/hardrun: ours to remove again only if
# this run creates it.
if [ ! -e /var/log/hardrun ]; then
        HR_REMOVE_DIR=/var/log/hardrun
fi
CONTACT="Questions: #platform-security, https://wiki.example.com/hardrun"

# hr_hardrun with the last good copy kept in $STATE.
hardrun_kept() {
        HARDRUN_STATE_DIR=$STATE hr_hardrun "$@"
}

# Records of one container and event in the audit log FILE.
events() {
        jq -c --arg id "$2" --arg ev "$3" 'select(.container == $id and .event == $ev)' "$1" 2>/dev/null
}

last_good_case() {
        local rt=$1 dir="$HR_TMP/lastgood-$rt" out id copy inode digest msg
        STATE="$dir/state"
        out="$dir/out"
        mkdir -p "$dir"
        hr_policy "$dir/policy.json" "$rt" enforce "$dir/audit.log"
        digest=$(sha256sum <"$dir/policy.json" | cut -d' ' -f1)

        # 1. A policy that loads cleanly becomes the last good copy.
        hr_bundle "$dir/b1"
        hr_new_id id "$rt" "$dir/root"
        hr_ctx "$out.stdout" "$out.stderr"
        hardrun_kept "$dir/policy.json" "$out" --root "$dir/root" run --bundle "$dir/b1" "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt: run under a good policy exits 0"
        hr_is "$(readlink "$STATE/last-good.json")" "policy-$digest.json" \
                "$rt: last-good.json names the copy by the policy's SHA-256"
        copy="$STATE/policy-$digest.json"
        hr_check "$rt: the copy is the policy, byte for byte" cmp "$copy" "$dir/policy.json"
        hr_is "$(stat -c '%u %a' "$STATE" "$copy" | tr '\n' ' ')" "0 700 0 600 " \
                "$rt: directory 0700, copy 0600, both root's"
        inode=$(stat -c %i "$copy")
        hr_bundle "$dir/b2"
        hr_new_id id "$rt" "$dir/root"
        hardrun_kept "$dir/policy.json" "$out" --root "$dir/root" run --bundle "$dir/b2" "$id"
        hr_is "$(stat -c %i "$copy"):$(find "$STATE" -mindepth 1 | wc -l)" "$inode:2" \
                "$rt: an unchanged policy leaves the copy alone (same inode, nothing else written)"

        # 2. A corrupt policy: the last good one hardens the container, and every create says so.
        printf '{"mode": "enforce", "rules": {"usr": {}}}\n' >"$dir/policy.json"
        hr_hostile_bundle "$dir/b3"
        hr_new_id id "$rt" "$dir/root"
        hr_ctx "$out.stdout" "$out.stderr" "$dir/audit.log"
        hardrun_kept "$dir/policy.json" "$out" --root "$dir/root" --log "$dir/log.json" \
                --log-format json run --bundle "$dir/b3" "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt corrupt policy: the container still starts"
        hr_expect_hardened "$out.stdout" "$rt corrupt policy, last good copy"
        msg=$(jq -r 'select(.level == "error") | .msg' "$dir/log.json" 2>/dev/null)
        hr_like "$msg" "^hardrun: $dir/policy.json: '/rules': unknown rule 'usr'.*; using the last good policy '$copy'" \
                "$rt corrupt policy: an error line in the engine's log names file, key and stand-in"
        hr_is "$(events "$dir/audit.log" "$id" policy_error | jq -r .msg | grep -c "unknown rule 'usr'")" 1 \
                "$rt corrupt policy: one policy_error record in the (last good policy's) audit log"
        hr_is "$(readlink "$STATE/last-good.json")" "policy-$digest.json" \
                "$rt corrupt policy: the last good copy is kept"

        # 3. Pass-through needs only the runtime: state, kill and delete work on the broken file.
        hr_bundle "$dir/b4" '.process.args = ["sleep", "60"]'
        hr_new_id id "$rt" "$dir/root"
        hardrun_kept "$dir/policy.json" "$out" --root "$dir/root" create --bundle "$dir/b4" "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt corrupt policy: create exits 0"
        hardrun_kept "$dir/policy.json" "$out" --root "$dir/root" state "$id"
        hr_is "$(jq -r .status "$out.stdout" 2>/dev/null)" created \
                "$rt corrupt policy: 'state' reaches $rt (runtime from the last good policy)"
        hardrun_kept "$dir/policy.json" "$out" --root "$dir/root" delete -f "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt corrupt policy: 'delete' works"
        hr_unlike "$(cat "$out.stderr")" . "$rt corrupt policy: pass-through says nothing"

        # 4. An unsafe policy file (writable by others) is no better than a corrupt one.
        hr_policy "$dir/policy.json" "$rt" audit "$dir/audit.log"
        chmod 0666 "$dir/policy.json"
        hr_bundle "$dir/b5"
        hr_new_id id "$rt" "$dir/root"
        hardrun_kept "$dir/policy.json" "$out" --root "$dir/root" run --bundle "$dir/b5" "$id"
        hr_like "$(cat "$out.stderr")" "writable by group or others.*using the last good policy" \
                "$rt unsafe policy: refused, the last good one used"
        hr_is "$(hr_val "$out.stdout" uid)" 65534 "$rt unsafe policy: enforce (last good), not audit"

        # 5. A copy someone else could have written is never read: owner, then mode.
        printf '{' >"$dir/policy.json"
        chmod 0644 "$dir/policy.json"
        for bad in owner mode; do
                if [ "$bad" = owner ]; then chown 65534 "$copy"; else chown 0 "$copy" && chmod 0666 "$copy"; fi
                hr_bundle "$dir/b6$bad"
                hr_new_id id runc "$dir/root"
                hardrun_kept "$dir/policy.json" "$out" --root "$dir/root" run --bundle "$dir/b6$bad" "$id"
                hr_like "$(cat "$out.stderr")" "no usable last good policy \\($copy: (owned by uid 65534|writable by group or others).*\\): using the built-in default" \
                        "$rt last good copy with the wrong $bad: ignored, the built-in default applies"
                hr_is "$(hr_val "$out.stdout" uid)" 65534 "$rt wrong $bad: the built-in default hardens"
        done
        chmod 0600 "$copy"
}

# A broken seccomp profile file gives way as a broken policy does: to the last good profile,
# else to the built-in default, with one error line and one policy_error record per create.
profile_case() {
        local rt=$1 dir="$HR_TMP/profile-$rt" out id msg custom
        STATE="$dir/state"
        out="$dir/out"
        custom="$dir/custom.json"
        mkdir -p "$dir"
        # The default and one rule more: which profile is in force shows in config.json.
        jq '.syscalls += [{names: ["acct"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]' \
                "$HR_SECCOMP_PROFILE" >"$custom"
        cp "$custom" "$dir/custom.good"
        hr_policy "$dir/policy.json" "$rt" enforce "$dir/audit.log" \
                ".rules.seccomp.profile = \"$custom\""

        # 1. A good profile file is installed and becomes the last good one.
        hr_bundle "$dir/b1"
        hr_new_id id "$rt" "$dir/root"
        hr_ctx "$out.stdout" "$out.stderr"
        hardrun_kept "$dir/policy.json" "$out" --root "$dir/root" run --bundle "$dir/b1" "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt custom profile: the run exits 0"
        hr_unlike "$(cat "$out.stderr")" "^hardrun:" "$rt custom profile: no error from hardrun"
        hr_is "$(jq -S -c .linux.seccomp "$dir/b1/config.json")" "$(host_profile "$dir/custom.good")" \
                "$rt custom profile: config.json has the policy's profile"
        hr_like "$(readlink "$STATE/last-good-seccomp.json")" '^seccomp-[0-9a-f]{64}\.json$' \
                "$rt custom profile: last-good-seccomp.json names its copy"

        # 2. A typo in the profile: the last good profile hardens, and every create says so.
        jq '.defaultAction = "SCMP_ACT_ERRNOO"' "$HR_SECCOMP_PROFILE" >"$custom"
        hr_hostile_bundle "$dir/b2"
        hr_new_id id "$rt" "$dir/root"
        hr_ctx "$out.stdout" "$out.stderr" "$dir/audit.log"
        hardrun_kept "$dir/policy.json" "$out" --root "$dir/root" --log "$dir/log.json" \
                --log-format json run --bundle "$dir/b2" "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt broken profile: the container still starts"
        hr_expect_hardened "$out.stdout" "$rt broken profile, last good profile"
        hr_is "$(jq -S -c .linux.seccomp "$dir/b2/config.json")" "$(host_profile "$dir/custom.good")" \
                "$rt broken profile: config.json has the last good profile"
        msg=$(jq -r 'select(.level == "error") | .msg' "$dir/log.json" 2>/dev/null)
        hr_is "$(grep -c . <<<"$msg")" 1 "$rt broken profile: one error line in the engine's log"
        hr_like "$msg" "^hardrun: seccomp profile $custom: '/defaultAction': unknown action 'SCMP_ACT_ERRNOO'; using the last good seccomp profile '$STATE/seccomp-[0-9a-f]{64}\.json'" \
                "$rt broken profile: the line names the file, the fault and the stand-in"
        hr_is "$(events "$dir/audit.log" "$id" policy_error | jq -r .msg | grep -c "SCMP_ACT_ERRNOO")" 1 \
                "$rt broken profile: one policy_error record"

        # 3. No last good profile: the built-in default, never no filter.
        rm -rf "$STATE"
        hr_hostile_bundle "$dir/b3"
        hr_new_id id "$rt" "$dir/root"
        hardrun_kept "$dir/policy.json" "$out" --root "$dir/root" run --bundle "$dir/b3" "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt broken profile, no last good one: the container starts"
        hr_expect_hardened "$out.stdout" "$rt broken profile, built-in default"
        hr_is "$(jq -S -c .linux.seccomp "$dir/b3/config.json")" "$(host_profile "$HR_SECCOMP_PROFILE")" \
                "$rt broken profile, no last good one: config.json has the built-in default"
        hr_like "$(cat "$out.stderr")" "^hardrun: seccomp profile $custom: .*no usable last good seccomp profile .*: using the built-in profile 'default'" \
                "$rt broken profile, no last good one: the error says the built-in default applies"
        hr_check "$rt broken profile: a broken profile is never kept" \
                test ! -e "$STATE/last-good-seccomp.json"
}

no_last_good_case() {
        local dir="$HR_TMP/nolastgood" out="$HR_TMP/nolastgood/out" id
        STATE="$dir/state"
        mkdir -p "$dir"
        printf '{"mode": "audit",' >"$dir/policy.json"
        chmod 0644 "$dir/policy.json"
        hr_bundle "$dir/b"
        hr_new_id id runc "$dir/root"
        hr_ctx "$out.stdout" "$out.stderr"
        hardrun_kept "$dir/policy.json" "$out" --root "$dir/root" run --bundle "$dir/b" "$id"
        hr_is "$(cat "$out.rc")" 0 "no last good policy: the container starts"
        hr_like "$(cat "$out.stderr")" "^hardrun: $dir/policy.json: .*no usable last good policy .*: using the built-in default" \
                "no last good policy: the error names the file and the built-in default"
        hr_is "$(hr_val "$out.stdout" uid)" 65534 "no last good policy: the built-in default enforces"
        hr_check "no last good policy: a broken file is never kept" test ! -e "$STATE/last-good.json"
}

kill_switch_case() {
        local rt=$1 dir="$HR_TMP/off-$rt" out="$HR_TMP/off-$rt/out" id
        mkdir -p "$dir"
        hr_policy "$dir/policy.json" "$rt" off "$dir/audit.log" '.rules.user.mode = "deny"'
        hr_bundle "$dir/b" '.process.user = {uid: 0, gid: 0}'
        cp "$dir/b/config.json" "$dir/config.before"
        hr_new_id id "$rt" "$dir/root"
        hr_ctx "$out.stdout" "$out.stderr" "$dir/audit.log"
        hr_hardrun "$dir/policy.json" "$out" --root "$dir/root" run --no-pivot --bundle "$dir/b" "$id"
        hr_is "$(cat "$out.rc")" 0 "$rt kill switch: run exits 0 (even --no-pivot, even a rule in deny)"
        hr_is "$(hr_val "$out.stdout" uid)" 0 "$rt kill switch: the process runs as the spec says (uid 0)"
        hr_check "$rt kill switch: config.json untouched" cmp "$dir/config.before" "$dir/b/config.json"
        hr_is "$(wc -l <"$dir/audit.log")" 1 "$rt kill switch: one audit record"
        hr_is "$(events "$dir/audit.log" "$id" policy_off | jq -r .subcommand)" run \
                "$rt kill switch: it says policy_off, for this run"
}

messages_case() {
        local dir="$HR_TMP/messages" out="$HR_TMP/messages/out" bundle msg
        mkdir -p "$dir"
        hr_policy "$dir/policy.json" runc deny "$dir/audit.log" \
                ".messages = {contact: \"$CONTACT\"} | .rules.privileged.mode = \"deny\""

        # Docker-shaped: containerd's task directory in Docker's namespace, --net=host, -v /etc:/x.
        bundle="$dir/io.containerd.runtime.v2.task/moby/0123abcd"
        hr_bundle "$bundle" '.linux.namespaces |= map(select(.type != "network")) |
                .mounts += [{destination: "/x", type: "bind", source: "/etc", options: ["rbind", "ro"]}]'
        hr_ctx "$dir/log.json" "$dir/audit.log"
        hr_hardrun "$dir/policy.json" "$out" --log "$dir/log.json" --log-format json create \
                --bundle "$bundle" msg-docker
        msg=$(jq -r 'select(.level == "error") | .msg' "$dir/log.json" 2>/dev/null)
        hr_is "$(cat "$out.rc")" 1 "docker-shaped spec in deny: refused"
        hr_like "$msg" "^hardrun: $bundle/config.json: '[^']*': .* refusing the container \\([0-9]+ refusals\\)" \
                "docker-shaped: the first line counts the refusals"
        hr_is "$(grep -c "^$bundle/config.json: '/mounts/[0-9]*/source': \"/etc\" is not allowed by rule 'mounts'" <<<"$msg")" 1 \
                "docker-shaped: the /etc mount has its own technical line"
        hr_like "$msg" $'\ndocker run options behind this: .*--network=host' "docker-shaped: --network=host in Docker's terms"
        hr_like "$msg" $'\ndocker run options behind this: .*-v /etc:/x' "docker-shaped: -v /etc:/x in Docker's terms"
        hr_is "$(tail -n1 <<<"$msg")" "$CONTACT" "docker-shaped: the contact line ends it"

        # CRI-shaped: a pod sandbox of a hostNetwork pod.
        bundle="$dir/cri"
        hr_bundle "$bundle" '.linux.namespaces |= map(select(.type != "network")) |
                .annotations = {"io.kubernetes.cri.container-type": "sandbox",
                                "io.kubernetes.cri.sandbox-name": "web"}'
        hr_hardrun "$dir/policy.json" "$out" --log "$dir/log2.json" --log-format json create \
                --bundle "$bundle" msg-cri
        msg=$(jq -r 'select(.level == "error") | .msg' "$dir/log2.json" 2>/dev/null)
        hr_like "$msg" "$bundle/config.json: '/linux/namespaces': \"no 'network' entry: the node's network namespace \\(hostNetwork\\)\"" \
                "CRI-shaped: the technical line names the node's namespace"
        hr_like "$msg" $'\npod spec settings behind this: .*hostNetwork: true' "CRI-shaped: hostNetwork: true in pod terms"
        hr_like "$msg" 'running as root \(set runAsNonRoot: true and runAsUser\)' "CRI-shaped: runAsNonRoot"
        hr_is "$(tail -n1 <<<"$msg")" "$CONTACT" "CRI-shaped: the contact line ends it"
        hr_ok "$([ "${#msg}" -lt 8192 ] && echo 0 || echo 1)" "the messages stay under 8 KiB (${#msg})"
}

hr_for_each_runtime "last good policy" last_good_case
if [ -n "${HR_RT_SKIP[runc]:-}" ]; then
        hr_skip "no last good policy" "${HR_RT_SKIP[runc]}"
else
        no_last_good_case
fi
hr_for_each_runtime "broken seccomp profile" profile_case
hr_for_each_runtime "kill switch" kill_switch_case
messages_case
hr_done
