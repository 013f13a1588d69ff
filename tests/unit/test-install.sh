#!/usr/bin/env bash
# meson install into a DESTDIR: binaries, profiles, man pages and the sample policy land where
# the README says, the installed tools run, and a second install keeps a policy the admin
# changed. The build directory's own install log (what `ninja uninstall` removes) is left alone.
set -u

: "${HARDRUN_SRCDIR:?}" "${HARDRUN_BUILDDIR:?}" "${HARDRUN_PREFIX:?}" "${HARDRUN_SBINDIR:?}"
: "${HARDRUN_DATADIR:?}" "${HARDRUN_MANDIR:?}" "${HARDRUN_POLICY_PATH:?}"
: "${HARDRUN_BASH_COMPLETION_DIR:?}"
: "${HARDRUN_LOGROTATE_DIR:?}"
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
check() { local desc=$1; shift; if "$@"; then ok "$desc"; else not_ok "$desc" "command: $*"; fi; }

if ! command -v meson >/dev/null; then
        echo "1..0 # SKIP meson not on PATH"
        exit 0
fi

work=$(mktemp -d /tmp/hardrun-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
D="$work/root"

# meson install writes meson-logs/install-log.txt beside meson-private/ (the list `ninja
# uninstall` removes): install from a shadow of the build directory whose meson-logs and
# meson-private are real directories, so that list keeps naming the admin's real install.
shadow="$work/build"
mkdir -p "$shadow/meson-logs" "$shadow/meson-private"
for e in "$HARDRUN_BUILDDIR"/* "$HARDRUN_BUILDDIR"/.[!.]*; do
        [ -e "$e" ] || continue
        case ${e##*/} in meson-logs | meson-private) ;; *) ln -s "$e" "$shadow/" ;; esac
done
for e in "$HARDRUN_BUILDDIR"/meson-private/*; do ln -s "$e" "$shadow/meson-private/"; done
real_log="$HARDRUN_BUILDDIR/meson-logs/install-log.txt"
log_before=$(cat "$real_log" 2>/dev/null | md5sum)

install_tree() { meson install -C "$shadow" --no-rebuild --destdir "$D" >"$work/install.out" 2>&1; }

install_tree
rc=$?
check "meson install --destdir succeeds" test "$rc" = 0
[ "$rc" = 0 ] || sed 's/^/#   /' "$work/install.out"
check "the build directory's install log is untouched" \
        test "$(cat "$real_log" 2>/dev/null | md5sum)" = "$log_before"
check "meson's own log of this install names the DESTDIR files" \
        grep -q "^$D$HARDRUN_SBINDIR/hardrun$" "$shadow/meson-logs/install-log.txt"

for bin in hardrun hardrunctl; do
        check "$HARDRUN_SBINDIR/$bin installed, executable" test -x "$D$HARDRUN_SBINDIR/$bin"
done
for f in seccomp/default.json seccomp/default.md seccomp/strict.json seccomp/strict.md \
         policy/restricted.json policy/baseline.json policy/audit-all.json; do
        check "$HARDRUN_DATADIR/profiles/$f installed, the same as the source" \
                cmp -s "$D$HARDRUN_DATADIR/profiles/$f" "$HARDRUN_SRCDIR/profiles/$f"
done
if [ "${HARDRUN_MAN_PAGES:-1}" = 1 ]; then
        for page in man8/hardrun.8 man8/hardrunctl.8 man5/hardrun-policy.5; do
                check "$HARDRUN_MANDIR/$page installed" test -s "$D$HARDRUN_MANDIR/$page"
        done
        check "the installed hardrunctl(8) is a man page" \
                grep -q '^\.TH "hardrunctl" "8"' "$D$HARDRUN_MANDIR/man8/hardrunctl.8"
else
        ok "man pages installed # SKIP the man-pages feature is off"
fi
policy="$D$HARDRUN_POLICY_PATH"
check "sample policy at $HARDRUN_POLICY_PATH, equal to profiles/policy/restricted.json" \
        cmp -s "$policy" "$HARDRUN_SRCDIR/profiles/policy/restricted.json"
check "sample policy mode 0644 (hardrun refuses a group- or world-writable one)" \
        test "$(stat -c %a "$policy")" = 644
completion="$HARDRUN_BASH_COMPLETION_DIR/hardrunctl"
check "bash completion at $completion, the same as contrib/" \
        cmp -s "$D$completion" "$HARDRUN_SRCDIR/contrib/bash-completion/hardrunctl"
logrotate_conf="$D$HARDRUN_LOGROTATE_DIR/hardrun"
check "logrotate file at $HARDRUN_LOGROTATE_DIR/hardrun, equal to contrib/logrotate/hardrun" \
        cmp -s "$logrotate_conf" "$HARDRUN_SRCDIR/contrib/logrotate/hardrun"
check "logrotate file mode 0644 (logrotate ignores group- or world-writable ones)" \
        test "$(stat -c %a "$logrotate_conf")" = 644
check "nothing else in the DESTDIR" test -z "$(cd "$D" && find . -type f |
        grep -v -e "^\.$HARDRUN_SBINDIR/hardrun\(ctl\)\?$" -e "^\.$HARDRUN_DATADIR/profiles/" \
                -e "^\.$HARDRUN_MANDIR/man[58]/" -e "^\.$HARDRUN_POLICY_PATH$" -e "^\.$completion$" \
                -e "^\.$HARDRUN_LOGROTATE_DIR/hardrun$")"

# The installed tools run (libseccomp, libcap and yajl linked in, libmount loaded on demand).
out=$("$D$HARDRUN_SBINDIR/hardrunctl" policy validate "$policy" 2>&1)
check "the installed hardrunctl validates the installed policy ($out)" \
        test "$out" = "$policy: ok"
check "the installed policy is what hardrun uses without one" \
        cmp -s <("$D$HARDRUN_SBINDIR/hardrunctl" policy show --policy "$policy") \
        <("$D$HARDRUN_SBINDIR/hardrunctl" policy show --policy "$work/none.json")
check "the installed hardrun passes --version through" \
        bash -c "'$D$HARDRUN_SBINDIR/hardrun' --version >/dev/null 2>&1 || [ \$? != 127 ]"

# A second install keeps the admin's policy and logrotate file.
printf '{"version": 1, "mode": "audit"}\n' >"$policy"
echo "# the admin's" >"$logrotate_conf"
install_tree
check "second meson install succeeds" test "$?" = 0
check "second install keeps the changed policy" \
        test "$(cat "$policy")" = '{"version": 1, "mode": "audit"}'
check "second install keeps the changed logrotate file" \
        test "$(cat "$logrotate_conf")" = "# the admin's"
check "second install still lays out the binaries" test -x "$D$HARDRUN_SBINDIR/hardrunctl"

# The shipped logrotate file rotates a log hardrun writes, and hardrun goes on in the new file.
if ! command -v logrotate >/dev/null || [ -z "${HARDRUN_TEST:-}" ]; then
        if [ "${HARDRUN_TEST_STRICT:-0}" = 1 ]; then
                not_ok "logrotate rotates the audit log" "logrotate is not installed (strict mode)"
        else
                ok "logrotate rotates the audit log # SKIP logrotate is not installed"
        fi
else
        log="$work/rot/audit.log"
        # The shipped file, pointed at a scratch log; as non-root, without the root owner.
        sed -e "s|^/var/log/hardrun/audit.log |$log |" \
                -e "$([ "$(id -u)" = 0 ] || echo 's/create 0640 root root/create 0640/')" \
                "$HARDRUN_SRCDIR/contrib/logrotate/hardrun" >"$work/logrotate.conf"
        printf '{"version": 1, "runtime": {"path": "/bin/true"}, "audit": {"file": "%s"}}\n' \
                "$log" >"$work/rot-policy.json"
        chmod 0644 "$work/rot-policy.json"
        mkdir -p "$work/rot/bundle"
        rot_create() {
                printf '{"ociVersion": "1.0.2", "process": {"user": {"uid": 0, "gid": 0}, "args": ["true"], "cwd": "/"}, "root": {"path": "rootfs"}}' \
                        >"$work/rot/bundle/config.json"
                HARDRUN_POLICY="$work/rot-policy.json" "$HARDRUN_TEST" create --bundle "$work/rot/bundle" "$1" \
                        >/dev/null 2>&1
        }
        rot_create before-rotation
        before=$(grep -c '"container":"before-rotation"' "$log" 2>/dev/null)
        out=$(logrotate --force --state "$work/logrotate.state" "$work/logrotate.conf" 2>&1)
        check "logrotate accepts the shipped file and rotates ($out)" test -s "$log.1" -a ! -s "$log"
        check "the new log has mode 0640" test "$(stat -c %a "$log" 2>/dev/null)" = 640
        rot_create after-rotation
        check "hardrun's next records go to the new log" \
                test "$(grep -c '"container":"after-rotation"' "$log")" = "$before"
        check "the rotated log keeps the earlier ones ($before)" \
                test "$(grep -c '"container":"before-rotation"' "$log.1")" = "$before" -a "$before" -gt 0
fi

echo "1..$n"
[ "$failed" = 0 ]
