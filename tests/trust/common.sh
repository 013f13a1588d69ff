# shellcheck shell=bash
# Shared by tests/trust/: the TAP helpers of tests/integration/lib.sh (hr_ok, hr_is, hr_skip,
# hr_skip_all, hr_done, ...) plus what the non-root trust tests need: a scratch directory, a
# policy whose runtime is /bin/true, and runc-spec configs of a chosen size.
# shellcheck source=../integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../integration/lib.sh"

# tr_setup: HR_TMP (removed on exit), HARDRUN_TEST checked; no root needed.
tr_setup() {
        local t
        [ -n "${HARDRUN_TEST:-}" ] && [ -x "$HARDRUN_TEST" ] ||
                hr_bail "HARDRUN_TEST is not set to the built hardrun-test"
        HARDRUN_TEST=$(realpath "$HARDRUN_TEST")
        for t in jq python3 timeout; do
                command -v "$t" >/dev/null 2>&1 || hr_skip_all "$t is not installed"
        done
        HARDRUN_SRCDIR=${HARDRUN_SRCDIR:-$(cd "$HR_LIB_DIR/../.." && pwd)}
        HR_TMP=$(mktemp -d "${TMPDIR:-/tmp}/hardrun-trust.XXXXXX") || hr_bail "mktemp failed"
        chmod 0755 "$HR_TMP"
        trap hr_cleanup EXIT
        trap 'exit 130' INT
        trap 'exit 143' TERM
}

# tr_policy FILE [JQ-FILTER]: an enforce policy running /bin/true, no audit file, mode 0644.
tr_policy() {
        jq -n '{version: 1, mode: "enforce", runtime: {path: "/bin/true"},
                audit: {file: null, syslog: false}}' | jq "${2:-.}" >"$1" ||
                hr_bail "cannot write policy $1"
        chmod 0644 "$1"
}

# tr_keep_last_good POLICY: hardrun-test keeps its last good policy in $HR_TMP/state from now
# on, primed with POLICY, so a broken policy file falls back to POLICY (runtime /bin/true), not
# to the built-in default (which would run the host's runc).
tr_keep_last_good() {
        export HARDRUN_STATE_DIR=$HR_TMP/state
        mkdir -p "$HR_TMP/prime"
        printf '{"ociVersion": "1.0.2", "process": {"args": ["true"], "cwd": "/"}, "root": {"path": "rootfs"}}' \
                >"$HR_TMP/prime/config.json"
        HARDRUN_POLICY=$1 "$HARDRUN_TEST" create --bundle "$HR_TMP/prime" trust-prime >/dev/null 2>&1
        [ -L "$HR_TMP/state/last-good.json" ] || hr_bail "no last good policy kept in $HR_TMP/state"
}

# tr_config FILE [BYTES]: a runc-spec config made hostile (root, no seccomp, writable /), padded
# with env entries to about BYTES.
tr_config() {
        python3 - "$1" "${2:-0}" <<'PY'
import json, sys
path, size = sys.argv[1], int(sys.argv[2])
caps = ["CAP_CHOWN", "CAP_SYS_ADMIN", "CAP_NET_RAW", "CAP_SETUID"]
c = {
    "ociVersion": "1.0.2-dev",
    "process": {"terminal": False, "user": {"uid": 0, "gid": 0}, "args": ["true"],
                "env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], "cwd": "/",
                "capabilities": {k: caps for k in ("bounding", "effective", "permitted")},
                "noNewPrivileges": False},
    "root": {"path": "rootfs", "readonly": False},
    "hostname": "trust",
    "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
    "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}]},
}
i = 0
while len(json.dumps(c, indent="\t")) < size:
    c["process"]["env"].extend("PAD%06d=%s" % (i + j, "x" * 90) for j in range(100))
    i += 100
open(path, "w").write(json.dumps(c, indent="\t"))
PY
}
