#!/bin/bash
# The postgres workload's entrypoint, behaving as the Docker Official Image's does: as root it
# creates and hands PGDATA and /var/run/postgresql to postgres and steps down with gosu; as any
# user it creates what it may, initialises an empty PGDATA (trust authentication, as
# POSTGRES_HOST_AUTH_METHOD=trust) and execs the server.
set -Eeo pipefail
export PATH=/usr/lib/postgresql/15/bin:$PATH
: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA
if [ "${1:-}" = postgres ]; then
        mkdir -p "$PGDATA"
        if [ "$(id -u)" = 0 ]; then
                chown postgres:postgres "$PGDATA"
                chmod 0700 "$PGDATA"
                mkdir -p /var/run/postgresql
                chown postgres:postgres /var/run/postgresql
                chmod 3777 /var/run/postgresql
                exec gosu postgres "${BASH_SOURCE[0]}" "$@"
        fi
        chmod 0700 "$PGDATA" 2>/dev/null || :
        mkdir -p /var/run/postgresql 2>/dev/null || :
        chmod 3775 /var/run/postgresql 2>/dev/null || :
        if [ ! -s "$PGDATA/PG_VERSION" ]; then
                initdb --username=postgres --auth=trust --no-sync -D "$PGDATA"
                echo "host all all all trust" >>"$PGDATA/pg_hba.conf"
        fi
fi
exec "$@"
