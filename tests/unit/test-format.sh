#!/usr/bin/env bash
# Every C file git tracks is formatted as .clang-format says (clang-format 14, Debian 12).
set -u
top=${HARDRUN_SRCDIR:?}
if ! command -v clang-format >/dev/null || ! git -C "$top" rev-parse >/dev/null 2>&1; then
        if [ "${HARDRUN_TEST_STRICT:-0}" = 1 ]; then
                echo "not ok 1 - clang-format or a git checkout is missing (strict mode)"
                echo "1..1"
                exit 1
        fi
        echo "1..0 # SKIP clang-format or a git checkout is missing"
        exit 0
fi
n=0
failed=0
while IFS= read -r f; do
        n=$((n + 1))
        if out=$(cd "$top" && clang-format --dry-run --Werror "$f" 2>&1); then
                echo "ok $n - $f"
        else
                failed=$((failed + 1))
                echo "not ok $n - $f"
                printf '%s\n' "$out" | head -n 6 | sed 's/^/#   /'
        fi
done < <(git -C "$top" ls-files '*.[ch]')
echo "1..$n"
[ "$failed" = 0 ]
