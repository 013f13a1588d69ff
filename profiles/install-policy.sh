#!/bin/sh
# meson install step: lays out a file the admin owns afterwards (the sample policy, the
# logrotate file) unless one is already there.
set -eu
src=$1
dest="${DESTDIR:-}$2"
if [ -e "$dest" ]; then
        echo "hardrun: keeping the existing $dest"
        exit 0
fi
install -D -m 0644 "$src" "$dest"
