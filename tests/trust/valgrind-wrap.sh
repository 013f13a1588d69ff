#!/bin/sh
# exe_wrapper of the 'valgrind' test setup: C test binaries run under memcheck (any error or
# definite leak fails the test); the bash-driven tests run as they are (valgrind on bash would
# test bash).
case $(basename "$1") in
bash | sh | python3) exec "$@" ;;
esac
exec valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --track-fds=no "$@"
