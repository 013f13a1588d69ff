#!/bin/sh
# The redis workload's entrypoint, behaving as the Docker Official Image's does: started as
# root, it hands the data directory (the working directory, /data) to redis and steps down with
# gosu; started as anyone else, it runs the server as that user.
set -e
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
        find . \! -user redis -exec chown redis '{}' +
        exec gosu redis "$0" "$@"
fi
# The image's umask for the server's files, when none stricter is set.
[ "$(umask)" != 0022 ] || umask 0077
exec "$@"
