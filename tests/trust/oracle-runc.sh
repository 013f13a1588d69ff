#!/usr/bin/env bash
# Differential test against runc's own code: a Go program built here from Debian's runc and
# runtime-spec sources (tests/oracle/specconv-oracle.go: encoding/json into specs.Spec, then
# libcontainer/specconv.CreateLibcontainerConfig in the bundle) prints what runc 1.1 will act
# on; tests/helpers/spec-reading prints hardrun's reading of the same spec. Over generated specs
# (relative, absolute, symlinked and '..' paths for root.path and bind sources, keys in other
# letter cases, Unicode-folded keys, duplicate-looking members, id mappings, namespaces, cgroup
# paths) each case must be: refused by runc, refused by hardrun (it cannot read it with
# certainty), or read the same by both. Needs Go (golang-go) and golang-github-opencontainers-
# runc-dev; skips without them.
set -u
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
        n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift
        for l in "$@"; do echo "#   $l"; done
}
skip_all() {
        if [ "${HARDRUN_TEST_STRICT:-0}" = 1 ]; then
                printf '1..1\nnot ok 1 - environment (HARDRUN_TEST_STRICT=1): %s\n' "$1"
                exit 1
        fi
        echo "1..0 # SKIP $1"
        exit 0
}

: "${HARDRUN_SRCDIR:?}" "${HARDRUN_SPEC_READING:?}"
command -v go >/dev/null 2>&1 || skip_all "go is not installed (golang-go)"
GOPATH_DEB=/usr/share/gocode
[ -d "$GOPATH_DEB/src/github.com/opencontainers/runc/libcontainer/specconv" ] ||
        skip_all "runc's sources are not installed (golang-github-opencontainers-runc-dev)"

work=$(mktemp -d /tmp/hardrun-oracle.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work"

mkdir -p "$work/go/oracle" "$work/cache"
cp "$HARDRUN_SRCDIR/tests/oracle/specconv-oracle.go" "$work/go/oracle/main.go"
if (cd "$work/go/oracle" && GO111MODULE=off GOPATH="$GOPATH_DEB" GOCACHE="$work/cache" \
        GOFLAGS=-mod=mod go build -o "$work/oracle" . >"$work/build.log" 2>&1); then
        ok "the oracle builds from runc's sources"
else
        not_ok "the oracle builds from runc's sources" "$(tail -n 20 "$work/build.log")"
        echo "1..$n"
        exit 1
fi

# The bundles and specs: one bundle tree with links, then N specs over it.
python3 - "$work" "${HARDRUN_ORACLE_CASES:-1500}" "${HARDRUN_ORACLE_SEED:-18}" <<'PY'
import json, os, random, sys
work, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(seed)
host = os.path.join(work, "host")
for d in ("host/a/b", "host/x", "bundle/rootfs", "bundle/sub/deeper", "bundle/data"):
    os.makedirs(os.path.join(work, d), exist_ok=True)
b = os.path.join(work, "bundle")
links = {"l-abs": host + "/a", "l-rel": "sub/deeper", "l-up": "../host/x", "l-dot": ".",
         "sub/deeper/l-back": "../..", "l-loop": "l-loop2", "l-loop2": "l-loop"}
for name, target in links.items():
    os.symlink(target, os.path.join(b, name))
parts = ["..", ".", "sub", "deeper", "l-abs", "l-rel", "l-up", "l-dot", "l-back", "missing",
         "rootfs", "data", "b", "a", "x", "host"]
def path():
    p = "/".join(rnd.choice(parts) for _ in range(rnd.randint(1, 5)))
    r = rnd.random()
    if r < 0.15:
        return host + "/" + p
    if r < 0.2:
        return "/" + p
    if r < 0.25:
        return p + "/"
    return p
def fold(key):
    r = rnd.random()
    if r < 0.06:
        return key.upper()
    if r < 0.1:
        return key[0].upper() + key[1:]
    if r < 0.12 and "k" in key:
        return key.replace("k", "\u212a", 1)
    if r < 0.14 and "s" in key:
        return key.replace("s", "\u017f", 1)
    return key
base = {"ociVersion": "1.0.2", "process": {"args": ["sh"], "cwd": "/",
        "user": {"uid": 0, "gid": 0}}, "hostname": "h"}
lines = []
for i in range(count):
    c = json.loads(json.dumps(base))
    c[fold("root")] = {fold("path"): path() if rnd.random() < 0.8 else "rootfs"}
    mounts = []
    for _ in range(rnd.randint(0, 4)):
        m = {fold("destination"): "/m%d" % rnd.randint(0, 9), fold("source"): path()}
        r = rnd.random()
        if r < 0.4:
            m[fold("type")] = "bind"
            if rnd.random() < 0.5:
                m[fold("options")] = ["rbind"]
        elif r < 0.8:
            m[fold("options")] = [rnd.choice(["bind", "rbind"]), "ro"]
        else:
            m[fold("type")] = "tmpfs"
        mounts.append(m)
    c[fold("mounts")] = mounts
    linux = {}
    ns = [{fold("type"): t} for t in rnd.sample(["pid", "network", "ipc", "uts", "mount"], 3)]
    if rnd.random() < 0.3:
        ns.append({fold("type"): "user"})
        for k in ("uidMappings", "gidMappings"):
            linux[fold(k)] = [{fold("containerID"): 0, fold("hostID"): rnd.choice([0, 1000, 100000]),
                               fold("size"): rnd.choice([1, 65536])}]
    linux[fold("namespaces")] = ns
    if rnd.random() < 0.5:
        linux[fold("cgroupsPath")] = rnd.choice(["/hrtest/x", "hrtest", "system.slice:hr:x", "/a/../b"])
    c[fold("linux")] = linux
    f = os.path.join(work, "spec-%d.json" % i)
    with open(f, "w") as out:
        json.dump(c, out, ensure_ascii=rnd.random() < 0.5)
    lines.append("%s\t%s" % (b, f))
open(os.path.join(work, "cases.txt"), "w").write("\n".join(lines) + "\n")
PY
[ -s "$work/cases.txt" ] && ok "$(wc -l <"$work/cases.txt") specs generated" ||
        not_ok "specs generated"

"$work/oracle" <"$work/cases.txt" >"$work/runc.jsonl" 2>"$work/runc.err"
"$HARDRUN_SPEC_READING" <"$work/cases.txt" >"$work/hardrun.jsonl" 2>"$work/hardrun.err"
hr_lines=$(wc -l <"$work/hardrun.jsonl")
[ "$(wc -l <"$work/runc.jsonl")" = "$(wc -l <"$work/cases.txt")" ] && [ "$hr_lines" = "$(wc -l <"$work/cases.txt")" ] &&
        ok "both read every spec" || not_ok "both read every spec" "$(head -n 5 "$work/runc.err" "$work/hardrun.err")"

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
cases = open(work + "/cases.txt").read().split("\n")
runc = [json.loads(l) for l in open(work + "/runc.jsonl")]
hr = [json.loads(l) for l in open(work + "/hardrun.jsonl")]
agree = runc_refused = hr_refused = 0
bad = []
for i, (g, c) in enumerate(zip(runc, hr)):
    if "refused" in g:
        runc_refused += 1
        continue
    if "refused" in c:
        hr_refused += 1
        continue
    if g == c:
        agree += 1
    else:
        bad.append((i, g, c))
print("# runc refused %d, hardrun refused %d, read alike %d, read differently %d"
      % (runc_refused, hr_refused, agree, len(bad)))
for i, g, c in bad[:5]:
    print("#   %s" % cases[i].split("\t")[1])
    print("#   runc:    %s" % json.dumps(g)[:400])
    print("#   hardrun: %s" % json.dumps(c)[:400])
sys.exit(1 if bad or agree == 0 else 0)
PY
if [ $? = 0 ]; then
        ok "every spec runc starts is refused by hardrun or read exactly as runc reads it"
else
        not_ok "every spec runc starts is refused by hardrun or read exactly as runc reads it"
fi
echo "1..$n"
[ "$failed" = 0 ]
