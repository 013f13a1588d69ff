#!/bin/sh
# The postgres-direct workload: what an image with USER postgres runs without the official
# entrypoint: initialise PGDATA when empty, then the server. It creates no directories, so it
# relies on the image's /var/run/postgresql.
set -e
export PATH=/usr/lib/postgresql/15/bin:$PATH
[ -s "$PGDATA/PG_VERSION" ] || initdb --username=postgres --auth=trust --no-sync -D "$PGDATA"
exec postgres
