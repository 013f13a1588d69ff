#!/usr/bin/env bash
# Parser differentials: JSON that hardrun's parser (yajl, strict) might read differently from
# runc's (Go encoding/json: last duplicate wins, keys match case-insensitively with Unicode
# simple folding, invalid UTF-8 becomes U+FFFD, json.Decoder ignores data after the first
# value) or crun's (yajl_tree + libocispec: first duplicate wins, keys compared as C strings,
# comments allowed). Each case goes through hardrun-test into real runc and crun; the verdict
# must be "refused" (hardrun said no and left config.json as it was), "hardened" (the container
# ran with uid 65534, no capabilities, NoNewPrivs, seccomp, read-only /) or "runtime-refused"
# (no container ran). Anything else is a runtime reading something hardrun did not check.
source "$(dirname "$0")/../integration/lib.sh"

hr_setup

# make_case NAME OUT: the hostile config with NAME's edit, written as raw bytes.
make_case() {
        python3 - "$1" "$2" "$HR_TMP/base.json" <<'PY'
import json, sys
name, out, base = sys.argv[1], sys.argv[2], sys.argv[3]
c = json.load(open(base))
p = c["process"]
user = p.pop("user")
caps = p.pop("capabilities")

def text(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)

def with_process_member(raw_member):
    # process object text with one raw member put first
    s = text(c)
    return s.replace('"process":{', '"process":{' + raw_member + ",", 1)

U0 = '{"uid":0,"gid":0,"additionalGids":[0]}'
C_ALL = text(caps)
cases = {
    # duplicates: runc takes the last, crun the first
    "dup-user-safe-first": lambda: with_process_member('"user":{"uid":65534,"gid":65534},"user":' + U0),
    "dup-user-root-first": lambda: with_process_member('"user":' + U0 + ',"user":{"uid":65534,"gid":65534}'),
    "dup-user-escaped": lambda: with_process_member('"user":{"uid":65534,"gid":65534},"\\u0075ser":' + U0),
    # key case: Go matches struct fields case-insensitively, crun exactly
    "case-User": lambda: with_process_member('"User":' + U0),
    "case-long-s": lambda: with_process_member('"u\u017fer":' + U0),
    "case-capabilities-long-s": lambda: with_process_member('"capabilitie\u017f":' + C_ALL),
    "case-kelvin-maskedPaths": lambda: text(c).replace('"linux":{', '"linux":{"mas\u212aedPaths":[],', 1),
    "escaped-key-user": lambda: with_process_member('"\\u0075\\u0073er":' + U0),
    # C strings: crun's key "user\0x" is "user"
    "nul-in-key-user": lambda: with_process_member('"user\\u0000":' + U0),
    "nul-in-key-capabilities": lambda: with_process_member('"capabilities\\u0000x":' + C_ALL),
    "nul-in-value-namespace": lambda: text(c).replace('{"type":"network"}', '{"type":"network\\u0000"}', 1),
    # invalid UTF-8 and escapes
    "invalid-utf8-key": lambda: with_process_member('"us\udcffer":' + U0),
    "invalid-utf8-value": lambda: with_process_member('"user":' + U0).replace('"sh"', '"s\udcffh"', 1),
    "lone-surrogate-escape": lambda: with_process_member('"user":' + U0).replace('"sh"', '"sh\\ud800"', 1),
    # numbers where runc wants uint32
    "uid-exponent": lambda: with_process_member('"user":{"uid":0e0,"gid":0}'),
    "uid-minus-zero": lambda: with_process_member('"user":{"uid":-0,"gid":-0}'),
    "uid-fraction": lambda: with_process_member('"user":{"uid":0.0,"gid":0.0}'),
    "uid-2^32": lambda: with_process_member('"user":{"uid":4294967296,"gid":0}'),
    "uid-huge": lambda: with_process_member('"user":{"uid":18446744073709551616,"gid":0}'),
    "uid-negative": lambda: with_process_member('"user":{"uid":-1,"gid":0}'),
    "gids-exponent": lambda: with_process_member('"user":{"uid":65534,"gid":65534,"additionalGids":[0e0]}'),
    "gids-minus-zero": lambda: with_process_member('"user":{"uid":65534,"gid":65534,"additionalGids":[-0]}'),
    "uid-string": lambda: with_process_member('"user":{"uid":"0","gid":0}'),
    # null where an object is expected
    "null-user": lambda: with_process_member('"user":null'),
    "null-capabilities": lambda: with_process_member('"user":' + U0 + ',"capabilities":null'),
    "null-seccomp": lambda: with_process_member('"user":' + U0).replace('"linux":{', '"linux":{"seccomp":null,', 1),
    "null-root-readonly": lambda: with_process_member('"user":' + U0).replace('"readonly":false', '"readonly":null', 1),
    # trailing data: runc's json.Decoder reads the first value only; crun stops at a NUL
    "trailing-object": lambda: with_process_member('"user":' + U0) + '{"process":{}}',
    "trailing-garbage": lambda: with_process_member('"user":' + U0) + ' x',
    "trailing-nul": lambda: with_process_member('"user":' + U0) + '\0{"x":1}',
    # syntax only crun accepts, and a BOM
    "comment": lambda: '/* c */' + with_process_member('"user":' + U0),
    "bom": lambda: '\ufeff' + with_process_member('"user":' + U0),
}
data = cases[name]().encode("utf-8", "surrogateescape")
open(out, "wb").write(data)
PY
}

CASES=(dup-user-safe-first dup-user-root-first dup-user-escaped case-User case-long-s
        case-capabilities-long-s case-kelvin-maskedPaths escaped-key-user nul-in-key-user
        nul-in-key-capabilities nul-in-value-namespace invalid-utf8-key invalid-utf8-value
        lone-surrogate-escape uid-exponent uid-minus-zero uid-fraction uid-2^32 uid-huge
        uid-negative gids-exponent gids-minus-zero uid-string null-user null-capabilities null-seccomp null-root-readonly
        trailing-object trailing-garbage trailing-nul comment bom)
# Known hardrun bugs (TAP TODO until fixed; delete the entry with the fix): CASE:RUNTIME -> reason.
declare -A KNOWN=(
)

hr_hostile_bundle "$HR_TMP/template"
cp "$HR_TMP/template/config.json" "$HR_TMP/base.json"

# verdict RT CASE DIR: sets V to refused, hardened, runtime-refused or "NOT HARDENED: ...".
verdict() {
        local rt=$1 dir=$3 out=$3/run rc bad='' id
        hr_new_id id "$rt" "$dir/state"
        (cd "$dir" && hr_hardrun "$HR_TMP/policy-$rt.json" "$out" --root "$dir/state" run "$id")
        rc=$(cat "$out.rc")
        if [ "$rc" != 0 ] && grep -q '^hardrun: ' "$out.stderr" && cmp -s "$dir/case.json" "$dir/config.json"; then
                V=refused
                return
        fi
        if ! grep -q '^uid=' "$out.stdout"; then
                V=runtime-refused
                return
        fi
        [ "$(hr_val "$out.stdout" uid)" = 65534 ] || bad+=" uid=$(hr_val "$out.stdout" uid)"
        [ "$(hr_val "$out.stdout" CapEff)" = 0000000000000000 ] || bad+=" CapEff=$(hr_val "$out.stdout" CapEff)"
        [ "$(hr_val "$out.stdout" CapBnd)" = 0000000000000000 ] || bad+=" CapBnd=$(hr_val "$out.stdout" CapBnd)"
        [ "$(hr_val "$out.stdout" NoNewPrivs)" = 1 ] || bad+=" NoNewPrivs=$(hr_val "$out.stdout" NoNewPrivs)"
        [ "$(hr_val "$out.stdout" Seccomp)" = 2 ] || bad+=" Seccomp=$(hr_val "$out.stdout" Seccomp)"
        [ "$(hr_val "$out.stdout" rootfs)" = readonly ] || bad+=" rootfs=$(hr_val "$out.stdout" rootfs)"
        if [ -z "$bad" ]; then
                V=hardened
        else
                V="NOT HARDENED:$bad"
        fi
}

run_cases() {
        local rt=$1 c dir v key
        hr_policy "$HR_TMP/policy-$rt.json" "$rt" enforce "$HR_TMP/audit-$rt.log"
        for c in "${CASES[@]}"; do
                dir=$HR_TMP/$rt-$c
                mkdir -p "$dir"
                cp -a "$HR_TMP/template/rootfs" "$dir/rootfs"
                make_case "$c" "$dir/case.json" || hr_bail "cannot build case $c"
                cp "$dir/case.json" "$dir/config.json"
                verdict "$rt" "$c" "$dir"
                v=$V
                hr_ctx "$dir/run.stderr" "$dir/run.stdout"
                key="$c:$rt"
                hr_diag "$rt $c: $v$(grep -m1 '^hardrun: ' "$dir/run.stderr" | cut -c1-160 | sed 's/^/ -- /')"
                if [ -n "${KNOWN[$key]:-}" ]; then
                        [[ $v =~ ^(refused|hardened|runtime-refused)$ ]]
                        hr_todo $? "$rt: $c: $v" "${KNOWN[$key]}"
                else
                        hr_like "$v" '^(refused|hardened|runtime-refused)$' "$rt: $c: $v"
                fi
        done
}

hr_for_each_runtime "parser differentials" run_cases
hr_done
