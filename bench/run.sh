#!/usr/bin/env bash
# hardrun's start-path benchmark. Alternatives run interleaved in one harness run; the table
# shows medians (µs) and ratios and is also written to bench/results.txt.
#
#   bench/run.sh [--quick] [BUILD_DIR]
#
# --quick: few iterations, to check that the benchmark works (CI); timings mean nothing then.
set -euo pipefail

quick=0
[ "${1:-}" = --quick ] && { quick=1; shift; }
build=$(realpath "${1:-build}")
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
hardrun="$build/tests/hardrun-test" # the installed binary with the policy path from the env
floor_ref="$build/bench/floor-ref"
for f in "$hardrun" "$floor_ref"; do [ -x "$f" ] || { echo "bench: build first (missing $f)" >&2; exit 1; }; done
if [ $quick = 1 ]; then iter=5 warm=1 citer=3; else iter=${BENCH_ITERATIONS:-300} warm=20 citer=${BENCH_CONTAINER_ITERATIONS:-120}; fi
results=${BENCH_RESULTS:-$here/results.txt}
[ $quick = 1 ] && results=$(mktemp)

# Bundles live under /run, as engines keep them (/run/containerd, /run/docker); the header says
# whether that is a tmpfs. /dev/shm would be one, but the policy denies a rootfs under /dev.
base=/run
[ -w "$base" ] || base=${TMPDIR:-/tmp}
work=$(mktemp -d "$base/hardrun-bench.XXXXXX")
trap 'for id in $ids; do runc --root "$work/state" delete -f "$id" >/dev/null 2>&1 || true; done; rm -rf "$work"' EXIT
ids=

cc=${CC:-cc}
$cc -O2 -o "$work/harness" "$here/harness.c"
$cc -O2 -o "$work/copy-ref" "$here/copy-ref.c"
$cc -O2 -o "$work/exec-ref" "$here/exec-ref.c"
harness=$work/harness

# ---- inputs ----
mkdir -p "$work/small/rootfs/bin"
cp /bin/busybox "$work/small/rootfs/bin/"
ln -s busybox "$work/small/rootfs/bin/true"
(cd "$work/small" && runc spec)
# A hostile spec, so every rule has work to do: root, capabilities, no seccomp, writable root.
jq '.process.terminal = false | .process.args = ["/bin/true"] | .root.readonly = false |
    .process.noNewPrivileges = false' "$work/small/config.json" >"$work/small.json"

# Docker-style: Docker's 14 default capabilities, masked paths, and an inline seccomp profile
# of one rule per syscall name, as Docker writes it (~30 KiB).
jq -c --slurpfile p "$top/profiles/seccomp/default.json" '
  ["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW",
   "CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE",
   "CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE"] as $caps |
  .process.capabilities = {bounding: $caps, effective: $caps, permitted: $caps} |
  .process.env += ["HOSTNAME=4f2a9c1d", "HOME=/root"] |
  .linux.seccomp = ($p[0] | .defaultAction = "SCMP_ACT_ERRNO" | .defaultErrnoRet = 1 |
     .syscalls = [.syscalls[] | select((.args // []) == [] and .action == "SCMP_ACT_ALLOW")
                    | .names[] | {names: [.], action: "SCMP_ACT_ALLOW"}] +
                 [.syscalls[] | select((.args // []) != [] or .action != "SCMP_ACT_ALLOW")])
' "$work/small.json" >"$work/docker.json"

# 1 MiB: thousands of environment entries and bind mounts.
jq '.process.env += [range(0; 9000) | "VARIABLE_\(.)=value-of-a-fairly-long-environment-entry-\(.)"] |
    .mounts += [range(0; 3200) | {destination: "/data/vol\(.)", type: "bind",
                source: "/var/lib/volumes/vol\(.)/_data", options: ["rbind", "rprivate"]}]' \
    "$work/small.json" >"$work/big.json"

for size in small docker big; do mkdir -p "$work/$size"; done
mkdir -p "$work/hardened" "$work/state"
cp -a "$work/small/rootfs" "$work/hardened/" 2>/dev/null || true

policy() { # runtime path → policy file
        local f="$work/policy-$(basename "$1").json"
        printf '{"version": 1, "runtime": {"path": "%s"}, "audit": {"file": "%s/audit.log"}}\n' "$1" "$work" >"$f"
        chmod 0644 "$f"
        echo "$f"
}
pol_true=$(policy /bin/true)
pol_runc=$(policy "$(command -v runc)")
export JQ_WRAPPER_PROFILE="$top/profiles/seccomp/default.json"

bytes() { stat -c %s "$1"; }
declare -A med rss cpu flt
measure() { # harness output → med[name], rss[name], cpu[name], flt[name]
        while read -r name m _ _ r c f; do med[$name]=$m; rss[$name]=$r; cpu[$name]=$c; flt[$name]=$f; done
}

echo "# hardrun start-path benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
        "$iter iterations (containers: $citer), bundles on $(stat -f -c %T "$base") ($base)" | tee "$results"

# ---- shim cost alone: the runtime is /bin/true ----
for size in small docker big; do
        src=$work/$size.json dst=$work/$size/config.json
        HARDRUN_POLICY=$pol_true JQ_WRAPPER_RUNTIME=/bin/true "$harness" "$iter" "$warm" \
                --truncate "$work/audit.log" \
                --alt "true-$size" "$src" "$dst" /bin/true create --bundle "$work/$size" id \
                --alt "copy-$size" "$src" "$dst" "$work/copy-ref" "$work/$size" /bin/true create --bundle "$work/$size" id \
                --alt "floor-$size" "$src" "$dst" "$floor_ref" "$pol_true" "$work/audit.log" "$work/$size" /bin/true create --bundle "$work/$size" id \
                --alt "hardrun-$size" "$src" "$dst" "$hardrun" create --bundle "$work/$size" id \
                --alt "jq-$size" "$src" "$dst" "$here/jq-wrapper.sh" create --bundle "$work/$size" id \
                >"$work/out-$size"
        measure <"$work/out-$size"
done

# ---- pass-through: state, against a wrapper that only execs ----
HARDRUN_POLICY=$pol_true "$harness" "$iter" "$warm" \
        --alt true-state - - /bin/true --root /run/x state id \
        --alt exec-state - - "$work/exec-ref" /bin/true --root /run/x state id \
        --alt hardrun-state - - "$hardrun" --root /run/x state id >"$work/out-state"
measure <"$work/out-state"

# ---- instructions (callgrind, deterministic): hardrun processing each config ----
# callgrind loses what it counted when the process execs, so the "runtime" here is a file
# that cannot be executed: hardrun does all its work, its execve fails, and it exits.
declare -A instr
count_instructions() { # name config mode
        local pol="$work/policy-cg-$3.json" out="$work/callgrind.$1"
        printf '{"version": 1, "mode": "%s", "runtime": {"path": "%s"}, "audit": {"file": "%s/audit.log"}}\n' \
                "$3" "$work/not-executable" "$work" >"$pol"
        chmod 0644 "$pol"
        cp "$2" "$work/cg/config.json"
        HARDRUN_POLICY=$pol valgrind --tool=callgrind --callgrind-out-file="$out" \
                "$hardrun" create --bundle "$work/cg" id >/dev/null 2>&1 || true
        instr[$1]=$(awk '/^(summary|totals):/ {print $2; exit}' "$out" 2>/dev/null)
        [ -n "${instr[$1]}" ] || instr[$1]=n/a
}
for k in small docker big docker-audit; do instr[$k]=n/a; done
if command -v valgrind >/dev/null; then
        printf '\0' >"$work/not-executable" && chmod 0755 "$work/not-executable"
        mkdir -p "$work/cg"
        count_instructions docker "$work/docker.json" enforce
        if [ $quick = 0 ]; then # the 1 MiB config takes a minute under valgrind
                count_instructions small "$work/small.json" enforce
                count_instructions big "$work/big.json" enforce
                count_instructions docker-audit "$work/docker.json" audit
        fi
fi

# ---- container start through runc ----
cstart=0
if [ "$(id -u)" = 0 ] && command -v runc >/dev/null; then
        cstart=1
        # The same container already hardened: what runc alone costs for it.
        cp "$work/small.json" "$work/small/config.json"
        HARDRUN_POLICY=$pol_true "$hardrun" create --bundle "$work/small" id >/dev/null
        cp "$work/small/config.json" "$work/small-hardened.json"
        ids="bench-runc-$$ bench-runch-$$ bench-copy-$$ bench-hardrun-$$ bench-jq-$$"
        R=(--root "$work/state")
        HARDRUN_POLICY=$pol_runc JQ_WRAPPER_RUNTIME=$(command -v runc) "$harness" "$citer" 3 \
                --truncate "$work/audit.log" \
                --alt runc-orig "$work/small.json" "$work/small/config.json" "$(command -v runc)" "${R[@]}" run --bundle "$work/small" "bench-runc-$$" \
                --alt runc-hardened "$work/small-hardened.json" "$work/small/config.json" "$(command -v runc)" "${R[@]}" run --bundle "$work/small" "bench-runch-$$" \
                --alt copy-runc "$work/small-hardened.json" "$work/small/config.json" "$work/copy-ref" "$work/small" "$(command -v runc)" "${R[@]}" run --bundle "$work/small" "bench-copy-$$" \
                --alt hardrun-runc "$work/small.json" "$work/small/config.json" "$hardrun" "${R[@]}" run --bundle "$work/small" "bench-hardrun-$$" \
                --alt jq-runc "$work/small.json" "$work/small/config.json" "$here/jq-wrapper.sh" "${R[@]}" run --bundle "$work/small" "bench-jq-$$" \
                >"$work/out-containers"
        measure <"$work/out-containers"
fi

# ---- table ----
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.2f", a / 1000 }'; }
{
        echo
        echo "shim cost alone (runtime = /bin/true), median µs:"
        printf '%-8s %8s %10s %10s %10s %10s %9s %9s %10s\n' config bytes /bin/true copy-only hardrun jq-wrapper hr/copy jq/hr "hr RSS KiB"
        for size in small docker big; do
                printf '%-8s %8s %10s %10s %10s %10s %9s %9s %10s\n' "$size" "$(bytes "$work/$size.json")" \
                        "${med[true-$size]}" "${med[copy-$size]}" "${med[hardrun-$size]}" "${med[jq-$size]}" \
                        "$(ratio "${med[hardrun-$size]}" "${med[copy-$size]}")" \
                        "$(ratio "${med[jq-$size]}" "${med[hardrun-$size]}")" "${rss[hardrun-$size]}"
        done
        echo
        echo "the floor (bench/floor-ref: the policy and the spec checked by yajl, no document, no rule, one short"
        echo "audit record, the spec written back), median µs: $(for size in small docker big; do
                printf '%s %s (%sx copy-only)  ' "$size" "${med[floor-$size]}" "$(ratio "${med[floor-$size]}" "${med[copy-$size]}")"; done)"
        echo
        echo "the same, CPU time (user + system, the runtime included), median µs:"
        printf '%-8s %8s %10s %10s %10s %10s %9s %9s\n' config bytes /bin/true copy-only hardrun jq-wrapper hr/copy jq/hr
        for size in small docker big; do
                printf '%-8s %8s %10s %10s %10s %10s %9s %9s\n' "$size" "$(bytes "$work/$size.json")" \
                        "${cpu[true-$size]}" "${cpu[copy-$size]}" "${cpu[hardrun-$size]}" "${cpu[jq-$size]}" \
                        "$(ratio "${cpu[hardrun-$size]}" "${cpu[copy-$size]}")" \
                        "$(ratio "${cpu[jq-$size]}" "${cpu[hardrun-$size]}")"
        done
        echo
        echo "the same, pages mapped in (faults, and pages put in place on request; the runtime's included), median:"
        printf '%-8s %8s %10s %10s %10s %10s %9s\n' config bytes /bin/true copy-only hardrun jq-wrapper hr-copy
        for size in small docker big; do
                printf '%-8s %8s %10s %10s %10s %10s %9s\n' "$size" "$(bytes "$work/$size.json")" \
                        "${flt[true-$size]}" "${flt[copy-$size]}" "${flt[hardrun-$size]}" "${flt[jq-$size]}" \
                        "$((flt[hardrun-$size] - flt[copy-$size]))"
        done
        echo
        echo "pass-through (state), median µs: /bin/true ${med[true-state]}, exec-only wrapper ${med[exec-state]}," \
                "hardrun ${med[hardrun-state]} ($(ratio "${med[hardrun-state]}" "${med[exec-state]}")x the exec-only wrapper);" \
                "CPU time: exec-only wrapper ${cpu[exec-state]}, hardrun ${cpu[hardrun-state]}" \
                "($(ratio "${cpu[hardrun-state]}" "${cpu[exec-state]}")x);" \
                "pages mapped in: exec-only wrapper ${flt[exec-state]}, hardrun ${flt[hardrun-state]}"
        echo "callgrind instructions (enforce): small ${instr[small]}, docker ${instr[docker]}, big ${instr[big]};" \
                "docker in audit mode ${instr[docker-audit]}"
        if [ $cstart = 1 ]; then
                echo
                echo "container start (runc run of busybox true), median ms:"
                echo "  runc, original config      $(ms "${med[runc-orig]}")"
                echo "  runc, pre-hardened config  $(ms "${med[runc-hardened]}")"
                echo "  copy-only -> runc (same)   $(ms "${med[copy-runc]}")"
                echo "  hardrun -> runc            $(ms "${med[hardrun-runc]}")  ($(ratio "${med[hardrun-runc]}" "${med[runc-hardened]}")x runc on the same hardened container, $(ratio "${med[hardrun-runc]}" "${med[runc-orig]}")x runc on the original)"
                echo "  jq wrapper -> runc         $(ms "${med[jq-runc]}")"
        fi
        echo
        echo "targets:"
        check() { if awk "BEGIN { exit !($2) }"; then echo "  PASS $1"; else echo "  MISS $1"; fi; }
        check "hardrun <= 1.15x copy-only at 30 KiB ($(ratio "${med[hardrun-docker]}" "${med[copy-docker]}")x; the floor $(ratio "${med[floor-docker]}" "${med[copy-docker]}")x)" "${med[hardrun-docker]} <= 1.15 * ${med[copy-docker]}"
        check "jq wrapper >= 10x hardrun, shim cost ($(ratio "${med[jq-docker]}" "${med[hardrun-docker]}")x)" "${med[jq-docker]} >= 10 * ${med[hardrun-docker]}"
        check "1 MiB config in <= 20 ms ($(ms "${med[hardrun-big]}") ms)" "${med[hardrun-big]} <= 20000"
        check "pass-through <= 1.25x an exec-only wrapper ($(ratio "${med[hardrun-state]}" "${med[exec-state]}")x)" "${med[hardrun-state]} <= 1.25 * ${med[exec-state]}"
        check "peak RSS <= 4 MiB at 30 KiB (${rss[hardrun-docker]} KiB)" "${rss[hardrun-docker]} <= 4096"
        [ $cstart = 1 ] && check "run through hardrun <= 1.02x runc ($(ratio "${med[hardrun-runc]}" "${med[runc-hardened]}")x)" "${med[hardrun-runc]} <= 1.02 * ${med[runc-hardened]}"
} | tee -a "$results"
[ $quick = 1 ] && rm -f "$results"
exit 0
