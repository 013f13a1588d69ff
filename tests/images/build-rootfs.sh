#!/bin/bash
# Builds (once) and caches the Debian 12 root filesystem of the real-image suite as a tar, the
# bottom layer of every image tests/compat/ runs: mmdebstrap from Debian's packages, the list in
# debian12.packages. Prints the path of the cached tar.
#
#   build-rootfs.sh [PACKAGE-LIST]
#
# The cache (HARDRUN_IMAGE_CACHE, default /var/cache/hardrun-tests) is keyed by the package
# list and this script, so a later run, a second build directory or the ASan stage reuse it and
# a changed list builds anew. Concurrent builds wait on a lock; a build is renamed into place
# only when complete. Entries no run has used for 14 days are removed.
# HARDRUN_DEBIAN_MIRROR picks the mirror (default http://deb.debian.org/debian).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
list=${1:-$here/debian12.packages}
cache=${HARDRUN_IMAGE_CACHE:-/var/cache/hardrun-tests}
mirror=${HARDRUN_DEBIAN_MIRROR:-http://deb.debian.org/debian}

command -v mmdebstrap >/dev/null || {
        echo "build-rootfs: mmdebstrap is not installed (contrib/debian-deps.sh)" >&2
        exit 1
}
packages=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$list" | tr -d ' \t' | sort -u | paste -sd, -)
[ -n "$packages" ] || {
        echo "build-rootfs: $list names no package" >&2
        exit 1
}
# No docs, man pages or locales. No main cluster from the postgresql package (the official
# image does the same): the entrypoint creates the database in the volume.
opts=(--mode=root --variant=essential --format=tar
        --include="$packages"
        --aptopt='Acquire::Check-Valid-Until "false"'
        --aptopt='Acquire::Retries "3"'
        --dpkgopt='path-exclude=/usr/share/doc/*'
        --dpkgopt='path-exclude=/usr/share/man/*'
        --dpkgopt='path-exclude=/usr/share/info/*'
        --dpkgopt='path-exclude=/usr/share/locale/*'
        --setup-hook='mkdir -p "$1/etc/postgresql-common/createcluster.d" && echo "create_main_cluster = false" >"$1/etc/postgresql-common/createcluster.d/no-main-cluster.conf"'
        bookworm)
# The key is what decides the content: the packages and how they are installed (the mirror
# serves the same release either way).
key=$(printf '%s\n' "${opts[@]}" | sha256sum | cut -c1-16)
entry="$cache/debian12-$key"

mkdir -p "$cache"
chmod 0755 "$cache"
exec 9>"$cache/.lock"
flock 9

if [ ! -s "$entry/rootfs.tar" ] || [ ! -s "$entry/rootfs.sha256" ]; then
        work=$(mktemp -d "$cache/.build.XXXXXX")
        trap 'rm -rf "$work"' EXIT
        echo "build-rootfs: building $entry (Debian 12: $packages)" >&2
        mmdebstrap "${opts[@]}" "$work/rootfs.tar" "$mirror" >"$work/build.log" 2>&1 || {
                tail -n 30 "$work/build.log" >&2
                exit 1
        }
        # The layer's digest, for the image archives built from it.
        sha256sum "$work/rootfs.tar" | cut -d' ' -f1 >"$work/rootfs.sha256"
        printf '%s\n' "$packages" >"$work/packages"
        rm -rf "$entry"
        mv "$work" "$entry"
        trap - EXIT
        chmod 0755 "$entry"
fi
touch "$entry/last-used"
# Under the lock every half-built directory is a killed build's.
rm -rf "$cache"/.build.*
for old in "$cache"/debian12-*; do
        [ "$old" != "$entry" ] && [ -e "$old/last-used" ] || continue
        [ -n "$(find "$old/last-used" -mtime -14)" ] || rm -rf "$old"
done
printf '%s\n' "$entry/rootfs.tar"
