#!/usr/bin/env bash
# hardrunctl install|uninstall on copies of engine configuration files (--config, no root
# needed): the edits (golden files in tests/golden/install/), idempotence, install+uninstall
# giving back the original bytes, refusals that leave the file untouched, atomic replacement
# keeping mode, owner and symlinks, and containerd itself reading what install wrote.
set -u

: "${HARDRUNCTL:?}" "${HARDRUN_SRCDIR:?}"
golden="$HARDRUN_SRCDIR/tests/golden/install"
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
check() { local desc=$1; shift; if "$@" >/dev/null 2>&1; then ok "$desc"; else not_ok "$desc" "command: $*"; fi; }
is() { if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3" "got '$1', want '$2'"; fi; }

work=$(mktemp -d /tmp/hardrun-ctl-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
# The binary to register: a fixed path keeps the goldens stable; install only warns that it is
# not there.
RT=/opt/hardrun/sbin/hardrun

# ctl ARGS...: stdout in out, stderr in err, status in rc. Paths are relative to $work.
ctl() {
        "$HARDRUNCTL" "$@" >out 2>err
        rc=$?
}
golden() { # name file description
        if [ "${HARDRUN_UPDATE_GOLDEN:-0}" = 1 ]; then
                cp "$2" "$golden/$1"
                ok "$3 (golden $1 rewritten)"
        elif diff -u "$golden/$1" "$2" >diff.out; then
                ok "$3"
        else
                not_ok "$3" "differs from tests/golden/install/$1:" "$(head -n 40 diff.out)"
        fi
}
# untouched FILE COPY DESCRIPTION: same bytes as COPY and no file left beside it.
untouched() {
        if cmp -s "$1" "$2" && [ -z "$(find "$(dirname "$1")" -name '.*.hardrunctl-*')" ]; then
                ok "$3"
        else
                not_ok "$3" "the file changed or a temporary file was left"
        fi
}

# ---- docker

mkdir -p docker
cat >docker/daemon.json <<'JSON'
{
    "log-driver": "json-file",
    "log-opts": {
        "max-size": "10m",
        "max-file": "3"
    },
    "default-ulimits": {
        "nofile": {
            "Name": "nofile",
            "Hard": 64000,
            "Soft": 64000
        }
    },
    "max-concurrent-downloads": 1e1,
    "labels": [
        "zone=ést"
    ]
}
JSON
cp docker/daemon.json docker/orig.json
chmod 0640 docker/daemon.json
ctl install --config docker/daemon.json --runtime "$RT" --dry-run docker
is "$rc" 0 "docker --dry-run: exit 0"
golden docker-dry-run.diff out "docker --dry-run: the unified diff"
untouched docker/daemon.json docker/orig.json "docker --dry-run: the file is untouched"

ctl install --config docker/daemon.json --runtime "$RT" docker
is "$rc" 0 "docker install: exit 0"
golden docker-install.out out "docker install: what changed and what to reload"
golden docker-installed.json docker/daemon.json \
        "docker install: runtimes.hardrun and default-runtime added; the rest, its order, number text and 4-space indentation kept"
is "$(stat -c %a docker/daemon.json)" 640 "docker install: the file's mode is kept"
check "docker install: valid JSON" jq -e '.runtimes.hardrun.path and ."default-runtime" == "hardrun"' docker/daemon.json
cp docker/daemon.json docker/once.json
ctl install --config docker/daemon.json --runtime "$RT" docker
is "$rc:$(cat out)" "0:docker/daemon.json: hardrun is already registered; nothing to change" \
        "docker install twice: nothing to change"
untouched docker/daemon.json docker/once.json "docker install twice = once (same bytes)"
ctl uninstall --config docker/daemon.json docker
is "$rc" 0 "docker uninstall: exit 0"
golden docker-uninstall.out out "docker uninstall: what was removed"
untouched docker/daemon.json docker/orig.json "docker install + uninstall gives back the original bytes"
ctl uninstall --config docker/daemon.json docker
is "$rc:$(cat out)" "0:docker/daemon.json: hardrun is not registered there; nothing to remove" \
        "docker uninstall twice: nothing to remove"

# No file: created (mode 0644); uninstall removes it again.
ctl install --config docker/new.json --runtime "$RT" docker
is "$rc" 0 "docker install on a missing file: exit 0"
golden docker-new.json docker/new.json "docker install on a missing file: a minimal daemon.json"
is "$(stat -c %a docker/new.json)" 644 "docker install on a missing file: mode 0644"
ctl uninstall --config docker/new.json docker
check "docker uninstall removes the file install created" test ! -e docker/new.json

# Another default: replaced and named; --no-default leaves it.
printf '{"runtimes": {"nvidia": {"path": "nvidia-container-runtime"}}, "default-runtime": "nvidia"}' >docker/nv.json
cp docker/nv.json docker/nv.orig
ctl install --config docker/nv.json --runtime "$RT" --no-default docker
check "docker --no-default: default-runtime stays nvidia" jq -e '."default-runtime" == "nvidia" and .runtimes.hardrun and .runtimes.nvidia' docker/nv.json
check "docker --no-default: says so" grep -q 'default-runtime left as it is' out
check "docker: a file without a final newline keeps none" test "$(tail -c 1 docker/nv.json | od -An -c | tr -d ' ')" = "}"
ctl install --config docker/nv.json --runtime "$RT" docker
check "docker install: replaces another default-runtime and names it" \
        grep -q "default-runtime: 'nvidia' replaced by 'hardrun'" out
ctl uninstall --config docker/nv.json docker
check "docker uninstall: the nvidia runtime stays, default-runtime goes (Docker's default: runc)" \
        jq -e '(has("default-runtime") | not) and .runtimes.nvidia and (.runtimes | has("hardrun") | not)' docker/nv.json

# Files it will not edit: nothing written, one line, exit 1.
for bad in '{"runtimes": [] }' '{"default-runtime": 1}' '[1, 2]' '{"a": 1, /* c */ "b": 2}' \
        '{"a": 1,}' '{"a": 1, "a": 2}'; do
        printf '%s\n' "$bad" >docker/bad.json
        cp docker/bad.json docker/bad.orig
        ctl install --config docker/bad.json --runtime "$RT" docker
        if [ "$rc" = 1 ] && [ "$(grep -vc warning: err)" = 1 ] && grep -q "not changed" err; then
                ok "docker: refuses $bad with one line ($(grep -v warning: err))"
        else
                not_ok "docker: refuses $bad with one line" "rc $rc: $(cat err)"
        fi
        untouched docker/bad.json docker/bad.orig "docker: $bad is left untouched"
done

# A symlink stays a link; the file it names is edited.
printf '{"debug": true}\n' >docker/real.json
ln -s real.json docker/link.json
ctl install --config docker/link.json --runtime "$RT" docker
check "docker: a symlinked daemon.json stays a link" test -L docker/link.json
check "docker: the file the link names is edited" jq -e '.debug and .runtimes.hardrun' docker/real.json

# Owner kept (root only: chown).
if [ "$(id -u)" = 0 ]; then
        printf '{}\n' >docker/owned.json
        chown 65534:65534 docker/owned.json
        ctl install --config docker/owned.json --runtime "$RT" docker
        is "$(stat -c %u:%g docker/owned.json)" 65534:65534 "docker install: the file's owner is kept"
else
        ok "docker install: the file's owner is kept # SKIP not root"
fi

# Usage errors.
ctl install --config docker/x.json --runtime "/opt/x\"y" docker
is "$rc" 2 "--runtime with a quote: usage error"
ctl install --config docker/x.json --runtime relative/hardrun docker
is "$rc" 2 "--runtime not absolute: usage error"
ctl install --config docker/x.json --runtime /nonexistent/hardrun docker
check "--runtime not an executable file: a warning" grep -q "warning: /nonexistent/hardrun is not an executable file" err
ctl install --config nodir/daemon.json --runtime "$RT" docker
is "$rc" 2 "a missing directory: exit 2"
check "a missing directory: says which" grep -q "nodir: No such file or directory" err
ctl install --config docker/x.json dockr
is "$rc" 2 "an unknown engine: exit 2"
ctl uninstall --runtime "$RT" docker
is "$rc" 2 "uninstall takes no --runtime"

# ---- containerd

mkdir -p containerd
# Debian 12's /etc/containerd/config.toml.
cat >containerd/config.toml <<'TOML'
version = 2

[plugins]
  [plugins."io.containerd.grpc.v1.cri"]
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/usr/lib/cni"
      conf_dir = "/etc/cni/net.d"
  [plugins."io.containerd.internal.v1.opt"]
    path = "/var/lib/containerd/opt"
TOML
cp containerd/config.toml containerd/orig.toml
ctl install --config containerd/config.toml --runtime "$RT" --dry-run containerd
golden containerd-dry-run.diff out "containerd --dry-run: the unified diff"
untouched containerd/config.toml containerd/orig.toml "containerd --dry-run: the file is untouched"
ctl install --config containerd/config.toml --runtime "$RT" containerd
is "$rc" 0 "containerd install: exit 0"
golden containerd-install.out out "containerd install: what changed and that containerd needs a restart"
golden containerd-installed.toml containerd/config.toml "containerd install: the handler block appended, runc kept declared"
cp containerd/config.toml containerd/once.toml
ctl install --config containerd/config.toml --runtime "$RT" containerd
is "$rc" 0 "containerd install twice: exit 0"
untouched containerd/config.toml containerd/once.toml "containerd install twice = once"
# containerd itself reads it: both handlers, hardrun's binary.
if command -v containerd >/dev/null; then
        containerd --config containerd/config.toml config dump >dump 2>dump.err
        rc=$?
        is "$rc" 0 "containerd config dump reads the installed file"
        check "containerd sees the hardrun handler with hardrun's BinaryName" \
                grep -q "BinaryName = \"$RT\"" dump
        check "containerd still has its runc handler" \
                grep -q 'runtimes.runc\]' dump
else
        ok "containerd config dump reads the installed file # SKIP containerd not installed"
fi
ctl uninstall --config containerd/config.toml containerd
is "$rc" 0 "containerd uninstall: exit 0"
untouched containerd/config.toml containerd/orig.toml "containerd install + uninstall gives back the original bytes"

# runc declared with the systemd cgroup driver: copied, runc not declared twice.
cat >containerd/systemd.toml <<'TOML'
version = 2
imports = [
  "/etc/containerd/a.toml",
  ["nested", "array"],
]
[plugins."io.containerd.grpc.v1.cri".containerd]
  default_runtime_name = "runc"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
      SystemdCgroup = true # the kubelet's driver
TOML
ctl install --config containerd/systemd.toml --runtime "$RT" containerd
is "$rc" 0 "containerd install beside a declared runc handler: exit 0"
check "containerd: SystemdCgroup copied from the runc handler" \
        grep -q '^  SystemdCgroup = true$' containerd/systemd.toml
is "$(grep -c 'runtimes.runc\]' containerd/systemd.toml)" 1 "containerd: runc not declared a second time"

# A file created from nothing carries its version inside the block.
ctl install --config containerd/new.toml --runtime "$RT" containerd
golden containerd-new.toml containerd/new.toml "containerd install on a missing file: version 2 inside the block"
if command -v containerd >/dev/null; then
        check "containerd reads the created file" containerd --config containerd/new.toml config dump
fi
ctl uninstall --config containerd/new.toml containerd
check "containerd uninstall removes the file install created" test ! -e containerd/new.toml

# version = 3: containerd 2.x's plugin.
printf "version = 3\n\n[plugins.'io.containerd.cri.v1.images']\n  snapshotter = 'overlayfs'\n" >containerd/v3.toml
ctl install --config containerd/v3.toml --runtime "$RT" containerd
golden containerd-v3.toml containerd/v3.toml "containerd version 3: io.containerd.cri.v1.runtime"

# The node installer's block is taken over.
{
        cat containerd/orig.toml
        echo
        echo "# BEGIN hardrun (added by the hardrun node installer; delete through END to remove)"
        echo '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hardrun]'
        echo '  runtime_type = "io.containerd.runc.v2"'
        echo "# END hardrun"
} >containerd/k8s.toml
ctl install --config containerd/k8s.toml --runtime "$RT" containerd
is "$rc" 0 "containerd: the node installer's block is replaced"
cmp -s containerd/k8s.toml containerd/once.toml
is "$?" 0 "containerd: ... by the same block install writes"

# What it refuses: the file untouched, exit 1, the block to paste on standard output.
refuse_toml() { # description file-content
        printf '%s\n' "$2" >containerd/bad.toml
        cp containerd/bad.toml containerd/bad.orig
        ctl install --config containerd/bad.toml --runtime "$RT" containerd
        if [ "$rc" = 1 ] && [ "$(grep -vc warning: err)" = 1 ]; then
                ok "containerd refuses $1 ($(grep -v warning: err))"
        else
                not_ok "containerd refuses $1" "rc $rc: $(cat err)"
        fi
        untouched containerd/bad.toml containerd/bad.orig "containerd: $1: untouched"
}
refuse_toml "an existing handler named hardrun" \
        "$(printf 'version = 2\n[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hardrun]\n  runtime_type = "x"')"
refuse_toml "the same handler with other quoting" \
        "$(printf "version = 2\n[ plugins . 'io.containerd.grpc.v1.cri' . containerd.runtimes.\"hardrun\" . options ]")"
refuse_toml "no version line (version 1 layout)" "$(printf '[plugins.cri]\n  x = 1')"
refuse_toml "version 1" "$(printf 'version = 1\n')"
refuse_toml "runtimes through a dotted key" \
        "$(printf 'version = 2\n[plugins."io.containerd.grpc.v1.cri".containerd]\n  runtimes.runc.runtime_type = "io.containerd.runc.v2"')"
refuse_toml "runtimes through an inline table" \
        "$(printf 'version = 2\n[plugins."io.containerd.grpc.v1.cri".containerd]\n  runtimes = { runc = { runtime_type = "x" } }')"
refuse_toml "a multi-line string" "$(printf 'version = 2\nx = """\n[a]\n"""')"
refuse_toml "a header it cannot read" "$(printf 'version = 2\n[plugins."io.containerd\\u0067rpc"]')"
refuse_toml "a BEGIN marker without END" "$(printf 'version = 2\n# BEGIN hardrun\n[x]')"
check "containerd: a refusal prints the block to paste" grep -q '^\[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hardrun\]' out

# ---- podman

mkdir -p podman
ctl install --config podman/hardrun.conf --runtime "$RT" podman
is "$rc" 0 "podman install: exit 0"
golden podman-hardrun.conf podman/hardrun.conf "podman install: the drop-in hardrun owns"
golden podman-install.out out "podman install: what changed"
cp podman/hardrun.conf podman/once.conf
ctl install --config podman/hardrun.conf --runtime "$RT" podman
untouched podman/hardrun.conf podman/once.conf "podman install twice = once"
ctl install --config podman/hardrun.conf --runtime "$RT" --no-default podman
check "podman --no-default: no engine.runtime line" bash -c '! grep -q "^runtime = " podman/hardrun.conf'
ctl uninstall --config podman/hardrun.conf --dry-run podman
check "podman uninstall --dry-run: a diff to /dev/null" grep -qx '+++ /dev/null' out
check "podman uninstall --dry-run: the drop-in stays" test -e podman/hardrun.conf
ctl uninstall --config podman/hardrun.conf podman
check "podman uninstall removes the drop-in" test ! -e podman/hardrun.conf
ctl install --config podman/hardrun.conf --runtime "$RT" --dry-run podman
check "podman install --dry-run on no file: a diff from /dev/null" grep -qx -- '--- /dev/null' out
check "podman install --dry-run: nothing written" test ! -e podman/hardrun.conf
printf '[engine]\nruntime = "crun"\n' >podman/mine.conf
cp podman/mine.conf podman/mine.orig
ctl install --config podman/mine.conf --runtime "$RT" podman
is "$rc" 1 "podman: a file it did not write is refused"
untouched podman/mine.conf podman/mine.orig "podman: the admin's file is untouched"
ctl uninstall --config podman/mine.conf podman
is "$rc" 1 "podman uninstall: a file it did not write is not removed"
check "podman uninstall: ... and still there" test -e podman/mine.conf

echo "1..$n"
[ "$failed" = 0 ]
