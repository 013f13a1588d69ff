#!/usr/bin/env bash
# The Debian package: dpkg-buildpackage on a copy of the tree; its files, modes, conffiles and
# dependencies (dpkg-deb); the packaged tools run, find the real runc when installed as hardrun
# and as runc; then install, remove and purge with dpkg --root in a throwaway root whose
# maintainer scripts run chrooted (busybox-static for their shell) - never on this system's
# /usr or /etc.
set -u

: "${HARDRUN_SRCDIR:?}"
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
check() { local desc=$1; shift; if "$@" >/dev/null 2>&1; then ok "$desc"; else not_ok "$desc" "command: $*"; fi; }
is() { if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3" "got '$1', want '$2'"; fi; }
skip_all() {
        if [ "${HARDRUN_TEST_STRICT:-0}" = 1 ]; then
                echo "not ok 1 - $1 (HARDRUN_TEST_STRICT=1)"
                echo "1..1"
                exit 1
        fi
        echo "1..0 # SKIP $1"
        exit 0
}

[ "$(id -u)" = 0 ] || skip_all "not root (the maintainer scripts run in a chroot)"
for tool in dpkg-buildpackage dh dpkg-deb busybox unshare; do
        command -v "$tool" >/dev/null || skip_all "$tool missing (contrib/debian-deps.sh installs it)"
done

work=$(mktemp -d /tmp/hardrun-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
host_state() { ls -ld /usr/sbin/hardrun /usr/sbin/hardrunctl /etc/hardrun 2>&1; dpkg-query -W -f '${Status}' hardrun 2>&1; }
host_before=$(host_state)

# ---- build, from a copy of the tree (what git tracks, or the tree without build directories)

mkdir "$work/src"
if git -C "$HARDRUN_SRCDIR" rev-parse >/dev/null 2>&1; then
        (cd "$HARDRUN_SRCDIR" && git ls-files -z --cached --others --exclude-standard) |
                (cd "$HARDRUN_SRCDIR" && tar --null -T - -cf -) | tar -C "$work/src" -xf -
else
        tar -C "$HARDRUN_SRCDIR" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$work/src" -xf -
fi
(cd "$work/src" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1
rc=$?
is "$rc" 0 "dpkg-buildpackage -us -uc -b builds the package"
[ "$rc" = 0 ] || { tail -n 30 "$work/build.log" | sed 's/^/#   /'; echo "1..$n"; exit 1; }
deb=$(ls "$work"/hardrun_*.deb)
version=$(sed -n "s/^ *version: '\([^']*\)'.*/\1/p" "$HARDRUN_SRCDIR/meson.build" | head -n 1)

# ---- metadata

field() { dpkg-deb -f "$deb" "$1"; }
is "$(field Package)" hardrun "Package: hardrun"
is "$(field Version)" "$version" "Version: the project's ($version), from debian/changelog"
depends=$(field Depends)
for dep in "libc6 (>=" libmount1 "runc | crun"; do
        check "Depends names '$dep' ($depends)" grep -qF "$dep" <<<"$depends"
done
check "Depends: no shared libseccomp, libcap or yajl (linked statically)" \
        bash -c "! grep -qE 'libseccomp2|libcap2|libyajl2' <<<'$depends'"
check "Built-Using names the statically linked sources" \
        grep -qE 'libseccomp \(= .*libcap2 \(= |libcap2 \(= .*libseccomp \(= ' <<<"$(field Built-Using)"
dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles >"$work/conffiles"
is "$(sort "$work/conffiles" | tr '\n' ' ')" "/etc/hardrun/policy.json /etc/logrotate.d/hardrun " \
        "conffiles: the policy and the logrotate file"

# Files with modes and owners (directories aside): exactly these.
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $1, $2, $6}' | sed 's| \./| /|' | sort >"$work/files"
cat >"$work/want" <<WANT
-rw-r--r-- root/root /etc/hardrun/policy.json
-rw-r--r-- root/root /etc/logrotate.d/hardrun
-rw-r--r-- root/root /usr/lib/tmpfiles.d/hardrun.conf
-rw-r--r-- root/root /usr/share/bash-completion/completions/hardrunctl
-rw-r--r-- root/root /usr/share/doc/hardrun/README.md.gz
-rw-r--r-- root/root /usr/share/doc/hardrun/changelog.gz
-rw-r--r-- root/root /usr/share/doc/hardrun/copyright
-rw-r--r-- root/root /usr/share/doc/hardrun/user-namespaces.md.gz
-rw-r--r-- root/root /usr/share/doc/hardrun/examples/containerd/config.toml
-rw-r--r-- root/root /usr/share/doc/hardrun/examples/containerd/hardrun-containerd2.toml
-rw-r--r-- root/root /usr/share/doc/hardrun/examples/cri-o/10-hardrun.conf
-rw-r--r-- root/root /usr/share/doc/hardrun/examples/cri-o/README.md
-rw-r--r-- root/root /usr/share/doc/hardrun/examples/docker/daemon.json
-rw-r--r-- root/root /usr/share/doc/hardrun/examples/podman/containers.conf
-rw-r--r-- root/root /usr/share/hardrun/profiles/policy/audit-all.json
-rw-r--r-- root/root /usr/share/hardrun/profiles/policy/baseline.json
-rw-r--r-- root/root /usr/share/hardrun/profiles/policy/restricted.json
-rw-r--r-- root/root /usr/share/hardrun/profiles/policy/restricted-userns.json
-rw-r--r-- root/root /usr/share/hardrun/profiles/seccomp/default.json
-rw-r--r-- root/root /usr/share/hardrun/profiles/seccomp/default.md
-rw-r--r-- root/root /usr/share/hardrun/profiles/seccomp/strict.json
-rw-r--r-- root/root /usr/share/hardrun/profiles/seccomp/strict.md
-rw-r--r-- root/root /usr/share/man/man5/hardrun-policy.5.gz
-rw-r--r-- root/root /usr/share/man/man8/hardrun.8.gz
-rw-r--r-- root/root /usr/share/man/man8/hardrunctl.8.gz
-rwxr-xr-x root/root /usr/sbin/hardrun
-rwxr-xr-x root/root /usr/sbin/hardrunctl
WANT
sort -o "$work/want" "$work/want"
if diff -u "$work/want" "$work/files" >"$work/files.diff"; then
        ok "dpkg-deb -c: the package's files, modes and owners"
else
        not_ok "dpkg-deb -c: the package's files, modes and owners" "$(head -n 30 "$work/files.diff")"
fi

# ---- the packaged tools

x="$work/x"
dpkg-deb -x "$deb" "$x"
is "$("$x/usr/sbin/hardrunctl" --version)" "hardrunctl $version" "the packaged hardrunctl runs"
check "the packaged policy is the restricted preset" \
        cmp -s "$x/etc/hardrun/policy.json" "$HARDRUN_SRCDIR/profiles/policy/restricted.json"
is "$("$x/usr/sbin/hardrunctl" policy validate "$x/etc/hardrun/policy.json" 2>&1)" \
        "$x/etc/hardrun/policy.json: ok" "the packaged hardrunctl validates the packaged policy"
check "hardrunctl install registers /usr/sbin/hardrun, where the package puts it" \
        grep -q "(default /usr/sbin/hardrun)" <("$x/usr/sbin/hardrunctl" help install | tr -s ' \n' '  ')
check "the man pages render" bash -c "MANWIDTH=80 man -l '$x/usr/share/man/man8/hardrunctl.8.gz' | grep -q 'hardrunctl install'"
check "the packaged hardrun passes --version through to runc" \
        grep -q '^runc version' <("$x/usr/sbin/hardrun" --version 2>&1)

# "Install hardrun as runc" (README): a runc link to the packaged binary in /usr/local/sbin, first
# on PATH, seen only in a private mount namespace. hardrun must skip itself and run /usr/sbin/runc.
out=$(unshare -m sh -c "mount -t tmpfs -o mode=0755 tmpfs /usr/local/sbin &&
        ln -s '$x/usr/sbin/hardrun' /usr/local/sbin/runc &&
        PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin runc --version &&
        '$x/usr/sbin/hardrunctl' version --policy /nonexistent" 2>&1)
check "installed as runc: 'runc --version' reaches the real runc ($(head -n 1 <<<"$out"))" \
        grep -q '^runc version' <<<"$out"
check "installed as runc: hardrun resolves the real runc, not itself" \
        grep -qxF 'runtime: /usr/sbin/runc (argv[0] runc)' <<<"$out"

# ---- install, remove, purge in a throwaway root

R="$work/root"
mkdir -p "$R/bin" "$R/dev" "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
touch "$R/var/lib/dpkg/status" "$R/var/lib/dpkg/available"
cp "$(command -v busybox)" "$R/bin/busybox"
for t in sh rm rmdir mkdir chmod grep readlink cat; do ln -s busybox "$R/bin/$t"; done
rdpkg() { dpkg --root="$R" --force-depends "$@" >"$work/dpkg.out" 2>&1; }

rdpkg -i "$deb"
is "$?" 0 "dpkg --root -i installs it (dependencies aside)"
is "$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f '${Status}' hardrun)" "install ok installed" \
        "dpkg: install ok installed"
check "installed: /usr/sbin/hardrun and hardrunctl" test -x "$R/usr/sbin/hardrun" -a -x "$R/usr/sbin/hardrunctl"
is "$(stat -c '%a %U' "$R/var/log/hardrun")" "750 root" "postinst: /var/log/hardrun, root's (0750)"
is "$(stat -c '%a %U' "$R/var/lib/hardrun")" "700 root" "postinst: /var/lib/hardrun, root's (0700)"
is "$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f '${Conffiles}' hardrun | awk 'NF {print $1}' | sort | tr '\n' ' ')" \
        "/etc/hardrun/policy.json /etc/logrotate.d/hardrun " "dpkg registered the conffiles"
rdpkg -i "$deb"
is "$?" 0 "installing it again works"

# The admin's changes, and a registration left behind.
printf '{"version": 1, "mode": "audit"}\n' >"$R/etc/hardrun/policy.json"
printf '{"decision": "x"}\n' >"$R/var/log/hardrun/audit.log"
mkdir -p "$R/etc/docker"
printf '{"runtimes": {"hardrun": {"path": "/usr/sbin/hardrun"}}}\n' >"$R/etc/docker/daemon.json"
rdpkg -r hardrun
is "$?" 0 "dpkg --root -r removes it"
check "prerm: says Docker still names hardrun" \
        grep -q "still registered in /etc/docker/daemon.json: run 'hardrunctl uninstall docker'" "$work/dpkg.out"
check "remove: the binaries are gone" test ! -e "$R/usr/sbin/hardrun" -a ! -e "$R/usr/sbin/hardrunctl"
check "remove: the admin's policy stays" grep -q audit "$R/etc/hardrun/policy.json"
check "remove: the audit log stays" test -s "$R/var/log/hardrun/audit.log"
check "remove: /var/lib/hardrun stays" test -d "$R/var/lib/hardrun"
is "$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f '${Status}' hardrun)" "deinstall ok config-files" \
        "dpkg: config-files left"
rdpkg --purge hardrun
is "$?" 0 "dpkg --root --purge purges it"
check "purge: /etc/hardrun, the logs and the state are gone" \
        test ! -e "$R/etc/hardrun" -a ! -e "$R/var/log/hardrun" -a ! -e "$R/var/lib/hardrun"
check "purge: the logrotate file is gone" test ! -e "$R/etc/logrotate.d/hardrun"
left=$(cd "$R" && find . -path ./var/lib/dpkg -prune -o -path ./bin -prune -o -path ./dev -prune -o \
        -type f -print | grep -v '^\./etc/docker/daemon.json$')
is "$left" "" "purge: no file of the package is left"
check "purge: the engine's file is not the package's to touch" test -s "$R/etc/docker/daemon.json"
is "$(host_state)" "$host_before" "this system's /usr/sbin, /etc/hardrun and dpkg database are untouched"

echo "1..$n"
[ "$failed" = 0 ]
