#!/usr/bin/env bash
# Input bounds (src/bounds.h) through the binary: config.json, process file and policy each at
# their size, depth and member limits are read; one past is refused with a clear message and
# config.json is left untouched. No root needed.
source "$(dirname "$0")/common.sh"

tr_setup
b=$HR_TMP/bundle
mkdir -p "$b/rootfs"
tr_policy "$HR_TMP/policy.json"
tr_config "$HR_TMP/base.json"
export HARDRUN_POLICY=$HR_TMP/policy.json
tr_keep_last_good "$HARDRUN_POLICY"

# gen OUT PYTHON-EXPR: writes the expression's value (a str) to OUT; c is the base config.
gen() {
        python3 - "$HR_TMP/base.json" "$1" "$2" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
base = json.dumps(c)
pad = lambda s, n: s + " " * (n - len(s))
nest = lambda d: base[:-1] + ',"windows":' + "[" * d + "]" * d + "}"
out = eval(sys.argv[3])
open(sys.argv[2], "w").write(out)
PY
}

# run_config DESC EXPECT(ok|refused) MESSAGE-ERE: hardrun-test create on $HR_TMP/case.json.
run_config() {
        local desc=$1 expect=$2 msg=${3:-} rc
        cp "$HR_TMP/case.json" "$b/config.json"
        hr_hardrun "$HARDRUN_POLICY" "$HR_TMP/out" create --bundle "$b" trust-limits
        rc=$?
        hr_ctx "$HR_TMP/out.stderr"
        if [ "$expect" = ok ]; then
                hr_is "$rc" 0 "$desc: accepted"
                jq -e '.process.user.uid == 65534' "$b/config.json" >/dev/null
                hr_ok $? "$desc: hardened"
        else
                hr_is "$rc" 1 "$desc: refused"
                hr_like "$(cat "$HR_TMP/out.stderr")" "$msg" "$desc: says why"
                cmp -s "$HR_TMP/case.json" "$b/config.json"
                hr_ok $? "$desc: config.json untouched"
        fi
}

M=$((1024 * 1024))
gen "$HR_TMP/case.json" "pad(base, $((16 * M)))"
run_config "config of exactly 16 MiB" ok
gen "$HR_TMP/case.json" "pad(base, $((16 * M + 1)))"
run_config "config of 16 MiB + 1" refused "config.json: larger than the limit of 16777216 bytes"
# The top-level object is level 1: "windows" (another platform's section, read by neither runtime) holds levels 2..d+1.
gen "$HR_TMP/case.json" "nest(63)"
run_config "config nested 64 levels deep" ok
gen "$HR_TMP/case.json" "nest(64)"
run_config "config nested 65 levels deep" refused "nesting deeper than 64 levels"
gen "$HR_TMP/case.json" "(c['process'].__setitem__('env', ['A%d=1' % i for i in range(200000)]), json.dumps(c))[1]"
run_config "config with 200000 env entries" ok
gen "$HR_TMP/case.json" "(c['process'].__setitem__('env', ['A%d=1' % i for i in range(200001)]), json.dumps(c))[1]"
run_config "config with 200001 env entries" refused "array with more than 200000 items"
gen "$HR_TMP/case.json" "(c.__setitem__('annotations', {'k%d' % i: '' for i in range(200000)}), json.dumps(c))[1]"
run_config "config with 200000 annotations" ok
gen "$HR_TMP/case.json" "(c.__setitem__('annotations', {'k%d' % i: '' for i in range(200001)}), json.dumps(c))[1]"
run_config "config with 200001 annotations" refused "more than 200000 members"

# The exec process file: 4 MiB.
run_process() {
        local desc=$1 expect=$2 msg=${3:-} rc
        hr_hardrun "$HARDRUN_POLICY" "$HR_TMP/out" exec --process "$HR_TMP/process.json" trust-limits
        rc=$?
        hr_ctx "$HR_TMP/out.stderr"
        if [ "$expect" = ok ]; then
                hr_is "$rc" 0 "$desc: accepted"
        else
                hr_is "$rc" 1 "$desc: refused"
                hr_like "$(cat "$HR_TMP/out.stderr")" "$msg" "$desc: says why"
        fi
}
gen "$HR_TMP/process.json" "pad(json.dumps(c['process']), $((4 * M)))"
run_process "process file of exactly 4 MiB" ok
gen "$HR_TMP/process.json" "pad(json.dumps(c['process']), $((4 * M + 1)))"
run_process "process file of 4 MiB + 1" refused "process.json: larger than the limit of 4194304 bytes"
gen "$HR_TMP/process.json" "json.dumps(c['process'])[:-1] + ',\"x-deep\":' + '[' * 64 + ']' * 64 + '}'"
run_process "process file nested 65 levels deep" refused "nesting deeper than 64 levels"

# The policy: 1 MiB, 16 levels, 4096 members.
cp "$HR_TMP/base.json" "$HR_TMP/case.json"
run_policy() {
        local desc=$1 expect=$2 msg=${3:-} rc
        chmod 0644 "$HR_TMP/p.json"
        cp "$HR_TMP/case.json" "$b/config.json"
        hr_hardrun "$HR_TMP/p.json" "$HR_TMP/out" create --bundle "$b" trust-limits
        rc=$?
        hr_ctx "$HR_TMP/out.stderr"
        if [ "$expect" = ok ]; then
                hr_is "$rc" 0 "$desc: accepted"
        else
                # A policy beyond the limits is not used: the last good one stands in.
                hr_is "$rc" 0 "$desc: not used, the call goes ahead"
                hr_like "$(cat "$HR_TMP/out.stderr")" "$msg.*; using the last good policy" "$desc: says why"
                jq -e '.process.user.uid == 65534' "$b/config.json" >/dev/null
                hr_ok $? "$desc: config.json hardened by the last good policy"
        fi
}
pol=$(jq -c . "$HR_TMP/policy.json")
pgen() {
        python3 - "$pol" "$HR_TMP/p.json" "$1" <<'PY'
import json, sys
p = json.loads(sys.argv[1])
base = json.dumps(p)
pad = lambda s, n: s + " " * (n - len(s))
def deny(n):
    p.setdefault("rules", {})["mounts"] = {"deny": ["/d%d" % i for i in range(n)]}
    return json.dumps(p)
open(sys.argv[2], "w").write(eval(sys.argv[3]))
PY
}
pgen "pad(base, $M)"
run_policy "policy of exactly 1 MiB" ok
pgen "pad(base, $((M + 1)))"
run_policy "policy of 1 MiB + 1" refused "p.json: larger than the limit of 1048576 bytes"
pgen "deny(4096)"
run_policy "policy with 4096 mount deny entries" ok
pgen "deny(4097)"
run_policy "policy with 4097 mount deny entries" refused "array with more than 4096 items"
# Levels 1..16 parse (then fail validation: no policy key takes nested arrays); 17 do not.
pgen "base[:-1] + ',\"version\":' + '[' * 15 + ']' * 15 + '}'"
run_policy "policy nested 16 levels deep" refused "version"
hr_unlike "$(cat "$HR_TMP/out.stderr")" "nesting deeper" "policy nested 16 levels deep: not a depth error"
pgen "base[:-1] + ',\"version\":' + '[' * 16 + ']' * 16 + '}'"
run_policy "policy nested 17 levels deep" refused "nesting deeper than 16 levels"
hr_done
