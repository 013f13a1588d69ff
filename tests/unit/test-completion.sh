#!/usr/bin/env bash
# bash completion (contrib/bash-completion/hardrunctl): completes commands, subcommands, options
# and their values, and knows every command and option hardrunctl's help lists.
set -u

: "${HARDRUNCTL:?}" "${HARDRUN_SRCDIR:?}"
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
is() { if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3" "got '$1', want '$2'"; fi; }

# shellcheck source=/dev/null
source "$HARDRUN_SRCDIR/contrib/bash-completion/hardrunctl"
hardrunctl() { "$HARDRUNCTL" "$@"; } # the script runs the hardrunctl on PATH
work=$(mktemp -d /tmp/hardrun-completion.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
touch policy.json profile.json

# completes WORD... : what completing the last word offers, sorted, space-separated.
completes() {
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        _hardrunctl
        printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

is "$(completes hardrunctl '')" "check diff help install log policy seccomp uninstall version" "commands"
is "$(completes hardrunctl un)" "uninstall" "a command's prefix"
is "$(completes hardrunctl policy '')" "explain install show validate" "policy's subcommands"
is "$(completes hardrunctl seccomp e)" "export" "seccomp's subcommands"
is "$(completes hardrunctl install '')" "containerd docker podman" "install: the engines"
is "$(completes hardrunctl uninstall --dry-run p)" "podman" "uninstall after an option: the engines"
is "$(completes hardrunctl install --)" "--config --dry-run --help --no-default --runtime" "install's options"
is "$(completes hardrunctl seccomp export --format '')" "bpf json pfc" "--format's values"
is "$(completes hardrunctl seccomp diff --arch a)" "amd64 arm arm64" "--arch's values"
is "$(completes hardrunctl seccomp check --unknown-syscalls '')" "error ignore" "--unknown-syscalls' values"
is "$(completes hardrunctl policy explain capa)" "capabilities" "policy explain: rule names from hardrunctl"
is "$(completes hardrunctl log --rule user)" "user user_namespace" "log --rule: rule names"
is "$(completes hardrunctl check --policy pol)" "policy.json" "--policy: files"
is "$(completes hardrunctl seccomp check d)" "default" "seccomp: built-in profiles"
is "$(completes hardrunctl seccomp check pro)" "profile.json" "seccomp: files"
is "$(completes hardrunctl help s)" "seccomp" "help: commands"

# In step with hardrunctl: every command of the overview and every option of its page.
while read -r cmd; do
        # shellcheck disable=SC2086
        want=$("$HARDRUNCTL" help $cmd | sed -n 's/^  \(--[a-z-]*\).*/\1/p' | sort | tr '\n' ' ' | sed 's/ $//')
        got=$(_hardrunctl_options "$cmd" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
        is "$got" "$want" "the options of '$cmd' match its help page"
        first=${cmd%% *}
        is "$(completes hardrunctl "$first")" "$first" "'$first' completes"
done < <("$HARDRUNCTL" --help | sed -n 's/^\(Usage:\| \) *hardrunctl \([a-z]\+\( [a-z]\+\)\?\).*/\2/p' |
         sed 's/ \(\[\|--\|FILE\|PROFILE\|BUNDLE\|docker\).*//')

echo "1..$n"
[ "$failed" = 0 ]
