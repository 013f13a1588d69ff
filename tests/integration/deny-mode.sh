#!/bin/bash
# Case 5: deny mode refuses a non-compliant bundle without exec'ing the runtime: exit 1, one
# message naming the rule and the JSON path (stderr, or the engine's --log file as JSON or
# logrus text), config.json untouched, no container, "denied" records in the audit log.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

deny_mode() {
        local rt=$1 dir="$HR_TMP/deny-$1" id out msg last log
        local policy="$dir/policy.json" audit="$dir/audit.log" root="$dir/state"
        local cfg="$dir/bundle/config.json"
        hr_hostile_bundle "$dir/bundle"
        cp -p "$cfg" "$dir/config.before"
        hr_policy "$policy" "$rt" deny "$audit"

        # 1. No --log: the one line goes to stderr.
        out="$dir/plain"
        hr_new_id id "$rt" "$root"
        hr_ctx "$out.stdout" "$out.stderr" "$audit"
        hr_hardrun "$policy" "$out" --root "$root" run --bundle "$dir/bundle" "$id"
        hr_is "$(cat "$out.rc")" 1 "$rt deny: hardrun-test run exits 1"
        hr_is "$(cat "$out.stdout")" "" "$rt deny: nothing on stdout (the container never ran)"
        # One line per refusal (14, up to 16 listed), then the Docker/Kubernetes terms when the
        # engine is known: this bundle is runc's, no engine's.
        hr_is "$(wc -l <"$out.stderr")" 14 "$rt deny: one line per refusal on stderr"
        hr_is "$(grep -vc "^\(hardrun: \)\?$cfg: '/[^']*': .* is not allowed by rule '[a-z_]*' (policy needs " "$out.stderr")" 0 \
                "$rt deny: every line is FILE: 'PATH': VALUE is not allowed by rule 'RULE' (policy needs X)"
        msg=$(cat "$out.stderr")
        hr_like "$msg" "^hardrun: $cfg: '/process/user/uid': " \
                "$rt deny: message starts with hardrun:, the file and the JSON path /process/user/uid"
        hr_like "$msg" "rule 'user'" "$rt deny: message names rule 'user'"
        hr_like "$msg" "refusing the container \\(14 refusals\\)" \
                "$rt deny: the first line counts all 14 refusals"
        hr_check "$rt deny: config.json is unchanged (cmp)" cmp "$dir/config.before" "$cfg"
        hr_no_container "$rt" "$root" "$id" "$rt deny"
        hr_expect_audit_records "$audit" "$id" run "$rt deny"
        hr_is "$(hr_audit_rules "$audit" denied)" "capabilities no_new_privileges rootfs seccomp user" \
                "$rt deny: audit log has 'denied' records for all five rules"
        hr_is "$(hr_audit_count "$audit" '.action != "denied" or .mode != "deny"')" 0 \
                "$rt deny: every audit record is action denied, mode deny"
        hr_is "$(hr_audit_count "$audit")" 14 "$rt deny: 14 denied records (one per finding)"

        # 2. --log FILE --log-format json before the subcommand, as containerd and podman do.
        out="$dir/json"
        log="$dir/log.json"
        hr_new_id id "$rt" "$root"
        hr_ctx "$out.stdout" "$out.stderr" "$log"
        hr_hardrun "$policy" "$out" --root "$root" --log "$log" --log-format json \
                run --bundle "$dir/bundle" "$id"
        hr_is "$(cat "$out.rc")" 1 "$rt deny --log-format json: exit 1"
        hr_is "$(cat "$out.stdout")" "" "$rt deny --log-format json: stdout is empty"
        hr_is "$(cat "$out.stderr")" "" "$rt deny --log-format json: stderr is empty"
        last=$(tail -n 1 "$log" 2>/dev/null)
        hr_check "$rt deny --log-format json: the log's last line is a JSON object" \
                jq -e 'type == "object"' <<<"$last"
        hr_is "$(jq -r .level <<<"$last" 2>/dev/null)" error "$rt deny --log-format json: level is error"
        hr_like "$(jq -r .msg <<<"$last" 2>/dev/null)" "^hardrun: .*'/process/user/uid'.*rule 'user'" \
                "$rt deny --log-format json: msg has hardrun:, the JSON path and the rule"
        hr_check "$rt deny --log-format json: time is a string" jq -e '.time | type == "string"' <<<"$last"
        hr_no_container "$rt" "$root" "$id" "$rt deny --log-format json"

        # 3. --log without a format: logrus text, as runc writes its own errors.
        out="$dir/text"
        log="$dir/log.txt"
        hr_new_id id "$rt" "$root"
        hr_ctx "$out.stdout" "$out.stderr" "$log"
        hr_hardrun "$policy" "$out" --root "$root" --log "$log" run --bundle "$dir/bundle" "$id"
        hr_is "$(cat "$out.rc")" 1 "$rt deny --log (text): exit 1"
        hr_is "$(cat "$out.stderr")" "" "$rt deny --log (text): stderr is empty"
        hr_like "$(tail -n 1 "$log" 2>/dev/null)" \
                "^time=\"[^\"]+\" level=error msg=\"hardrun: .*'/process/user/uid'.*rule 'user'" \
                "$rt deny --log (text): last line is logrus text with level=error and the message"
        hr_no_container "$rt" "$root" "$id" "$rt deny --log (text)"

        # 4. Only one rule unmet: the message names that rule and its path, with no count.
        out="$dir/one"
        hr_bundle "$dir/one-bundle" "$(hr_hostile_filter)"
        hr_policy "$dir/enforce.json" "$rt" enforce "$dir/enforce-audit.log"
        hr_new_id id "$rt" "$root"
        hr_ctx "$out.stdout" "$out.stderr" "$dir/one-bundle/config.json"
        hr_hardrun "$dir/enforce.json" "$dir/harden" --root "$root" run --bundle "$dir/one-bundle" "$id"
        hr_is "$(cat "$dir/harden.rc")" 0 "$rt deny, only noNewPrivileges unmet: bundle hardened by an enforce run first"
        jq '.process.noNewPrivileges = false' "$dir/one-bundle/config.json" >"$dir/one.json" &&
                cat "$dir/one.json" >"$dir/one-bundle/config.json"
        hr_new_id id "$rt" "$root"
        hr_hardrun "$policy" "$out" --root "$root" run --bundle "$dir/one-bundle" "$id"
        hr_is "$(cat "$out.rc")" 1 "$rt deny, only noNewPrivileges unmet: exit 1"
        hr_is "$(cat "$out.stderr")" \
                "hardrun: $dir/one-bundle/config.json: '/process/noNewPrivileges': false is not allowed by rule 'no_new_privileges' (policy needs true); refusing the container" \
                "$rt deny, only noNewPrivileges unmet: the message names exactly that rule and path"
        hr_no_container "$rt" "$root" "$id" "$rt deny, only noNewPrivileges unmet"
}

hr_for_each_runtime "deny mode" deny_mode
hr_done
