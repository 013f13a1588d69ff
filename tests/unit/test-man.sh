#!/usr/bin/env bash
# Man pages: each scdoc source renders with scdoc and then man (groff) without a single warning,
# the pages meson built are there, and the pages name every command, rule and policy key.
set -u

: "${HARDRUN_SRCDIR:?}" "${HARDRUN_BUILDDIR:?}"
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

if ! command -v scdoc >/dev/null || ! command -v man >/dev/null; then
        if [ "${HARDRUN_TEST_STRICT:-0}" = 1 ]; then
                echo "not ok 1 - scdoc and man are needed (HARDRUN_TEST_STRICT=1)"
                echo "1..1"
                exit 1
        fi
        echo "1..0 # SKIP scdoc or man missing"
        exit 0
fi

undated() { sed -E '/^\.TH /s/"[0-9]{4}-[0-9]{2}-[0-9]{2}"/"DATE"/' "$1"; }

work=$(mktemp -d /tmp/hardrun-man.XXXXXX)
trap 'rm -rf "$work"' EXIT

pages=(hardrun.8 hardrunctl.8 hardrun-policy.5)
for page in "${pages[@]}"; do
        src="$HARDRUN_SRCDIR/man/$page.scd"
        if ! scdoc <"$src" >"$work/$page" 2>"$work/$page.scdoc"; then
                not_ok "$page: scdoc renders it" "$(cat "$work/$page.scdoc")"
                continue
        fi
        ok "$page: scdoc renders it"
        # man --warnings turns on groff's warnings; any line on stderr fails the page.
        MANWIDTH=80 MAN_KEEP_FORMATTING=0 man --warnings -P cat -l "$work/$page" \
                >"$work/$page.txt" 2>"$work/$page.warn"
        if [ -s "$work/$page.warn" ]; then
                not_ok "$page: man --warnings prints no warning" "$(head -n 20 "$work/$page.warn")"
        else
                ok "$page: man --warnings prints no warning"
        fi
        if [ "${HARDRUN_MAN_PAGES:-1}" = 0 ]; then
                ok "$page: built by meson # SKIP the man-pages feature is off"
        elif [ -f "$HARDRUN_BUILDDIR/man/$page" ]; then
                # scdoc dates a page the day it renders it: a build from before midnight is
                # as up to date as one from after.
                if cmp -s <(undated "$HARDRUN_BUILDDIR/man/$page") <(undated "$work/$page"); then
                        ok "$page: built by meson, up to date"
                else
                        not_ok "$page: built by meson, up to date" "rebuild: ninja -C $HARDRUN_BUILDDIR"
                fi
        else
                not_ok "$page: built by meson" "missing $HARDRUN_BUILDDIR/man/$page (man-pages feature off?)"
        fi
done

# Every command hardrunctl --help names has its entry in COMMANDS.
if [ -n "${HARDRUNCTL:-}" ]; then
        while read -r cmd; do
                if grep -q "^\*$cmd\*" "$HARDRUN_SRCDIR/man/hardrunctl.8.scd"; then
                        ok "hardrunctl(8) documents '$cmd'"
                else
                        not_ok "hardrunctl(8) documents '$cmd'"
                fi
        done < <("$HARDRUNCTL" --help | sed -n 's/^\(Usage:\| \) *hardrunctl \([a-z]\+\( [a-z]\+\)\?\).*/\2/p' |
                 sed 's/ \(\[\|--\|FILE\|PROFILE\|BUNDLE\).*//' | sort -u)
        # Every rule has its section in hardrun-policy(5).
        for rule in $("$HARDRUNCTL" policy explain | awk '{print $1}'); do
                if grep -qx "## $rule" "$HARDRUN_SRCDIR/man/hardrun-policy.5.scd"; then
                        ok "hardrun-policy(5) has a section for rule '$rule'"
                else
                        not_ok "hardrun-policy(5) has a section for rule '$rule'"
                fi
        done
        # Every key policy show writes is described there.
        for key in $("$HARDRUNCTL" policy show --policy "$work/none.json" |
                     sed -n 's/^ *"\([a-z_0-9]*\)": .*/\1/p' | sort -u); do
                if grep -q "\*$key\* (" "$HARDRUN_SRCDIR/man/hardrun-policy.5.scd" ||
                   grep -qx "## $key" "$HARDRUN_SRCDIR/man/hardrun-policy.5.scd"; then
                        ok "hardrun-policy(5) describes key '$key'"
                else
                        not_ok "hardrun-policy(5) describes key '$key'"
                fi
        done
fi

echo "1..$n"
[ "$failed" = 0 ]
