# The real-image suite's shared part: the images, the matrix of presets and runtimes, one cell
# per workload and column, the TAP verdicts and the table. Each engine script (docker.sh,
# containerd.sh, podman.sh) sources this file, defines the drv_* functions below for its engine
# and calls compat_main.
#
# Images: the Debian 12 root filesystem of tests/images/build-rootfs.sh (cached) plus a small
# layer built here (files/, the static binary, the ownership and modes the official images give
# their directories), one image per workload (tests/compat/workloads.json: entrypoint, command,
# USER, WORKDIR, ENV) in one `docker save` archive every engine loads.
#
# Columns: plain runc (control: does the workload itself run on this engine?), and hardrun
# with profiles/policy/baseline.json, restricted.json and restricted-userns.json as they ship,
# over runc and crun (HARDRUN_COMPAT_COLUMNS also takes control/crun). Every cell is one TAP
# assertion against the table: a workload works unless its "expect" names the preset, and then
# it must break with that error line. restricted-userns gets idmap_sources for the engine's
# data root in the sandbox (C_IDMAP_SOURCES, set by the engine script) and its cells are also
# judged from the host (compat_userns_*): the container's range, every process's ids, its
# mounts after delete; and once per engine, the state collected and the image layers' owners.
#
# Engine drivers define, for a container NAME of workload WL (index into the table) in column
# COL ("restricted/runc", ...):
#   drv_start NAME COL WL OUT   start a server detached (OUT.stderr holds the engine's error)
#   drv_job NAME COL WL OUT     run a job to completion: OUT.stdout, OUT.stderr, OUT.rc
#   drv_pid NAME                the host pid of its first process, if running
#   drv_logs NAME               its output so far (it may stop it to get all of it)
#   drv_rm NAME                 remove it and its volumes
#   drv_id NAME                 the id the runtime knows it by (before drv_rm)
# and before compat_setup: C_IDMAP_SOURCES (the engine-managed bind sources, relative to the
# temp dir, as idmap_sources patterns) and after it C_LAYERS and C_LAYER_FILES (the image
# store's directory, and where a layer keeps its files).
#
# Environment: HARDRUN_COMPAT_ONLY (an ERE of workload names), HARDRUN_COMPAT_COLUMNS (columns
# to run, space-separated), HARDRUN_COMPAT_JOBS (cells at once, default 4); and those of
# tests/engines/lib.sh (HARDRUN_TEST_KEEP=1 keeps every cell's output).
. "$(dirname "${BASH_SOURCE[0]}")/../engines/lib.sh"

C_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
C_TABLE="$C_DIR/workloads.json"
C_JOBS=${HARDRUN_COMPAT_JOBS:-4}
C_READY_TIMEOUT=90 # seconds for a server to answer (initdb on a busy 2-core machine)
C_COLUMNS=(${HARDRUN_COMPAT_COLUMNS:-control/runc baseline/runc baseline/crun restricted/runc
        restricted/crun restricted-userns/runc restricted-userns/crun})
C_USERNS_STATE=/run/hardrun/userns # in the sandbox: its own /run
C_WL=()        # indexes into the table, in table order, after HARDRUN_COMPAT_ONLY
C_ENGINE=

# wl FIELD... : jq on workload $wl of the table (raw output).
wl_get() {
        jq -r --argjson i "$1" ".[\$i] | $2" "$C_TABLE"
}

# ---------------------------------------------------------------- setup

# compat_setup ENGINE BINARY...: the engine's tools (or a skip), the base image, the archive,
# a policy and a wrapper per hardrun column.
compat_setup() {
        local rt col preset bin i
        C_ENGINE=$1
        shift
        eng_setup "$@" mmdebstrap crun
        [ -n "${COMPAT_STATIC_APP:-}" ] && [ -x "$COMPAT_STATIC_APP" ] ||
                hr_skip_all "COMPAT_STATIC_APP is not built (no static linking on this host)"
        for ((i = 0; i < $(jq length "$C_TABLE"); i++)); do
                [[ $(wl_get "$i" .name) =~ ${HARDRUN_COMPAT_ONLY:-.} ]] && C_WL+=("$i")
        done
        [ "${#C_WL[@]}" -gt 0 ] || hr_bail "HARDRUN_COMPAT_ONLY matches no workload"

        C_BASE=$("$C_DIR/../images/build-rootfs.sh") || hr_bail "cannot build the Debian 12 root filesystem"
        compat_archive "$E_TMP/images.tar" || hr_bail "cannot build the image archive"

        mkdir -p "$E_TMP/policy" "$E_TMP/audit" "$E_TMP/cells"
        for col in "${C_COLUMNS[@]}"; do
                preset=${col%/*} rt=${col#*/}
                [ "$preset" = control ] && continue
                jq --arg rt "$rt" --arg audit "$E_TMP/audit/${preset}-$rt.log" --arg t "$E_TMP/" \
                        --args '.runtime = {path: $rt} | .audit.file = $audit | .audit.on_error = "fail"
                        | if .rules.user_namespace.idmap then
                                .rules.user_namespace.idmap_sources = [$ARGS.positional[] | $t + .]
                          else . end' \
                        "${C_IDMAP_SOURCES[@]}" <"$HARDRUN_SRCDIR/profiles/policy/$preset.json" \
                        >"$E_TMP/policy/$preset-$rt.json" || hr_bail "cannot write the $col policy"
                chmod 0644 "$E_TMP/policy/$preset-$rt.json"
                # Named hardrun: podman passes --log only to runtimes it knows by name.
                eng_wrapper "$E_TMP/rt/$preset-$rt/hardrun" "$E_TMP/policy/$preset-$rt.json"
        done
        for bin in runc crun; do
                command -v "$bin" >/dev/null || hr_skip_all "$bin is not installed"
        done
}

# compat_runtime COL: the binary the engine runs for that column.
compat_runtime() {
        case ${1%/*} in
        control) command -v "${1#*/}" ;;
        *) echo "$E_TMP/rt/${1%/*}-${1#*/}/hardrun" ;;
        esac
}

# compat_layer DIR: the image's own files over the Debian layer, laid out as the Dockerfiles of
# the official images lay them out (owners by the base's numeric ids).
compat_layer() {
        local dir=$1 f
        local -A uid=() gid=()
        while IFS=: read -r name _ u g _; do
                uid[$name]=$u gid[$name]=$g
        done < <(tar -xOf "$C_BASE" ./etc/passwd)
        for f in redis postgres www-data memcache; do
                [ -n "${uid[$f]:-}" ] || return 1
        done
        # /work: what a Dockerfile's WORKDIR makes (root, 0755).
        mkdir -p "$dir/compat" "$dir/etc/nginx" "$dir/var/log/nginx" "$dir/run" "$dir/var/lib/app" \
                "$dir/srv/backup" "$dir/app" "$dir/home/node" "$dir/work" || return 1
        install -m 0755 "$C_DIR"/files/*.sh "$COMPAT_STATIC_APP" "$dir/compat/" &&
                install -m 0644 "$C_DIR"/files/*.py "$dir/compat/" &&
                install -m 0644 "$C_DIR/files/server.js" "$dir/app/server.js" &&
                install -m 0644 "$C_DIR/files/nginx-unprivileged.conf" "$dir/etc/nginx/unprivileged.conf" ||
                return 1
        # nginx: logs to the container's output.
        ln -s /dev/stdout "$dir/var/log/nginx/access.log"
        ln -s /dev/stderr "$dir/var/log/nginx/error.log"
        # redis: /data belongs to redis.
        install -d -m 0755 -o "${uid[redis]}" -g "${gid[redis]}" "$dir/data"
        # postgres: PGDATA open to any --user until the entrypoint makes it 0700; the socket
        # directory writable by all (3777), as the official image ships it.
        install -d -m 1777 -o "${uid[postgres]}" -g "${gid[postgres]}" "$dir/var/lib/postgresql/data"
        install -d -m 3777 -o "${uid[postgres]}" -g "${gid[postgres]}" "$dir/run/postgresql"
        # node: the official images' user node (1000), owning its home and the app.
        { tar -xOf "$C_BASE" ./etc/passwd && echo 'node:x:1000:1000::/home/node:/bin/sh'; } >"$dir/etc/passwd.new"
        { tar -xOf "$C_BASE" ./etc/group && echo 'node:x:1000:'; } >"$dir/etc/group.new"
        mv "$dir/etc/passwd.new" "$dir/etc/passwd" && mv "$dir/etc/group.new" "$dir/etc/group" || return 1
        chmod 0644 "$dir/etc/passwd" "$dir/etc/group"
        chown -R 1000:1000 "$dir/home/node" "$dir/app"
        chmod 0755 "$dir/var/lib/app" "$dir/srv/backup" "$dir/compat" "$dir/run" "$dir/work"
}

# compat_archive OUT: a `docker save` archive with the base layer, compat_layer's, and one
# image per workload (plus NAME-user, with the run's -u as USER, for engines without --user).
compat_archive() {
        local out=$1 dir="$E_TMP/archive" arch base_id top_id i name cfg cfgid manifest='[]'
        case $(uname -m) in
        x86_64) arch=amd64 ;;
        aarch64) arch=arm64 ;;
        *) arch=$(uname -m) ;;
        esac
        rm -rf "$dir" && mkdir -p "$dir/layer" || return 1
        compat_layer "$E_TMP/layer" || return 1
        tar --numeric-owner -C "$E_TMP/layer" -cf "$dir/layer/layer.tar" . || return 1
        base_id=$(cat "${C_BASE%.tar}.sha256" 2>/dev/null) ||
                base_id=$(sha256sum "$C_BASE" | cut -d' ' -f1)
        top_id=$(sha256sum "$dir/layer/layer.tar" | cut -d' ' -f1)
        mkdir -p "$dir/$base_id"
        ln "$C_BASE" "$dir/$base_id/layer.tar" 2>/dev/null || cp "$C_BASE" "$dir/$base_id/layer.tar" || return 1
        mv "$dir/layer" "$dir/$top_id"
        for i in "${C_WL[@]}"; do
                for name in "$(wl_get "$i" .name)" "$(wl_get "$i" .name)-user"; do
                        cfg=$(jq -c --argjson i "$i" --arg name "$name" --arg arch "$arch" \
                                --arg b "sha256:$base_id" --arg t "sha256:$top_id" '.[$i] as $w | {
                                architecture: $arch, os: "linux", created: "2024-01-01T00:00:00Z",
                                config: {
                                        Env: (["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
                                              + ($w.image.env // [])),
                                        Entrypoint: $w.image.entrypoint, Cmd: $w.image.cmd,
                                        User: (if ($name | endswith("-user")) then ($w.run.user // "")
                                               else ($w.image.user // "") end),
                                        WorkingDir: ($w.image.workdir // "")},
                                rootfs: {type: "layers", diff_ids: [$b, $t]},
                                history: [{created: "2024-01-01T00:00:00Z", created_by: "hardrun real-image suite"}]}' \
                                "$C_TABLE") || return 1
                        cfgid=$(printf '%s' "$cfg" | sha256sum | cut -d' ' -f1)
                        printf '%s' "$cfg" >"$dir/$cfgid.json"
                        manifest=$(jq -c --arg c "$cfgid.json" --arg r "hrcompat/$name:latest" \
                                --arg b "$base_id/layer.tar" --arg t "$top_id/layer.tar" \
                                '. + [{Config: $c, RepoTags: [$r], Layers: [$b, $t]}]' <<<"$manifest")
                done
        done
        printf '%s' "$manifest" >"$dir/manifest.json"
        tar -C "$dir" -cf "$out" .
}

# compat_cli_args NAME WL: appends the run options of workload WL to C_ARGS as the docker and
# podman command lines take them: -u, --read-only, --tmpfs, named volumes NAME-vN, -e.
compat_cli_args() {
        local name=$1 wl=$2 v j=0
        v=$(wl_get "$wl" '.run.user // empty')
        [ -z "$v" ] || C_ARGS+=(--user "$v")
        [ "$(wl_get "$wl" '.run.read_only // false')" = false ] || C_ARGS+=(--read-only)
        while read -r v; do
                [ -z "$v" ] || C_ARGS+=(--tmpfs "$v")
        done < <(wl_get "$wl" '.run.tmpfs // [] | .[]')
        while read -r v; do
                [ -z "$v" ] || C_ARGS+=(-v "$name-v$((j++)):$v")
        done < <(wl_get "$wl" '.run.volumes // [] | .[]')
        while read -r v; do
                [ -z "$v" ] || C_ARGS+=(-e "$v")
        done < <(wl_get "$wl" '.run.env // [] | .[]')
}

# ---------------------------------------------------------------- one cell

# compat_error_line FILE: the line of a workload's output that says why it failed: the last one
# that reads like an error, else the last one.
compat_error_line() {
        local line
        line=$(tr -d '\r' <"$1" | grep -aiE 'error|fatal|emerg|denied|fail|cannot|can.t|not permitted|read-only|refus|exception|no such' | tail -n 1)
        [ -n "$line" ] || line=$(tr -d '\r' <"$1" | grep -av '^[[:space:]]*$' | tail -n 1)
        printf '%s' "${line:0:300}"
}

# compat_in_container PID CMD: CMD run by the container's /bin/sh in its network and mount
# namespaces (the client programs come from the image; nothing goes through the runtime).
# `http PORT PATH` prints the response to a GET (Debian's static busybox wget crashes).
compat_in_container() {
        timeout -k 2 15 nsenter -t "$1" -n -m -- /bin/sh -c '
                http() {
                        printf "GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n" "$2" | busybox nc 127.0.0.1 "$1"
                }
                '"$2" </dev/null
}

# ---------------------------------------------------------------- restricted-userns, from the host

# compat_userns_dir COL NAME: what hardrun gave the container, from the column's audit log
# (written before the runtime runs, so it outlives an early delete): its directory in the
# state and its ranges, as "DIR UID_HOST GID_HOST". The rule sets the pool's first range, the
# preparation moves hostID to the range it took (no record when that is the first one); the
# last create of the id wins. Lines another create is still appending are skipped.
compat_userns_dir() {
        local id
        id=$(drv_id "$2") && [ -n "$id" ] || return 1
        grep -F "\"$id\"" "$E_TMP/audit/restricted-userns-${1#*/}.log" 2>/dev/null |
                jq -rRn --arg id "$id" '[inputs | fromjson? | select(.container == $id
                        and .rule == "user_namespace" and .action == "changed")]
                | reduce .[] as $r ({};
                        if $r.path == "/root/path" then .root = ($r.after | sub("/rootfs$"; ""))
                        elif $r.path == "/linux/uidMappings" then .u = $r.after[0].hostID
                        elif $r.path == "/linux/gidMappings" then .g = $r.after[0].hostID
                        elif $r.path == "/linux/uidMappings/0/hostID" then .u = $r.after
                        elif $r.path == "/linux/gidMappings/0/hostID" then .g = $r.after
                        else . end)
                | select(.root and .u and .g) | "\(.root) \(.u) \(.g)"' | grep .
}

# compat_userns_probe COL NAME DIR [PID]: while the container exists (a server running, a job
# exited but not deleted): its directory and ranges into DIR/userns (the range must be the
# pool's, never holding id 0), and with PID, every process in its pid namespace checked from
# the host: real, effective, saved and filesystem uid and gid inside the range, in a user
# namespace mapping 0 onto the range's start (DIR/userns.procs: "ok N" or the offenders).
compat_userns_probe() {
        local col=$1 name=$2 dir=$3 pid=${4:-} cdir uh gh ns p n=0 bad=
        read -r cdir uh gh < <(compat_userns_dir "$col" "$name") || {
                echo "no audit record gives this container a range of hardrun's" >"$dir/userns"
                return
        }
        echo "$cdir" >"$dir/userns.cdir"
        # The preset's pool: 1024 ranges of 65536 from 100000.
        if [ "$uh" -ge 100000 ] && [ "$gh" -ge 100000 ] && [ $(((uh - 100000) % 65536)) = 0 ] &&
                [ "$uh" -lt $((100000 + 1024 * 65536)) ]; then
                echo "ok uids $uh+65536, gids $gh+65536" >"$dir/userns"
        else
                echo "not a range of the pool: uids $uh, gids $gh" >"$dir/userns"
        fi
        [ -n "$pid" ] || return
        ns=$(readlink "/proc/$pid/ns/pid") || return
        for p in /proc/[0-9]*; do
                [ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ns" ] || continue
                n=$((n + 1))
                awk -v u="$uh" -v g="$gh" '
                        /^Uid:/ { for (i = 2; i <= 5; i++) if ($i == 0 || $i < u || $i >= u + 65536) bad = 1 }
                        /^Gid:/ { for (i = 2; i <= 5; i++) if ($i == 0 || $i < g || $i >= g + 65536) bad = 1 }
                        END { exit bad }' "$p/status" 2>/dev/null &&
                        [ "$(awk '{print $1, $2, $3}' "$p/uid_map" 2>/dev/null)" = "0 $uh 65536" ] &&
                        [ "$(awk '{print $1, $2, $3}' "$p/gid_map" 2>/dev/null)" = "0 $gh 65536" ] ||
                        bad+=" ${p#/proc/}($(awk '/^[UG]id:/ {printf "%s%s ", $1, $2}' "$p/status" 2>/dev/null))"
        done
        if [ -z "$bad" ] && [ "$n" -gt 0 ]; then
                echo "ok $n" >"$dir/userns.procs"
        else
                echo "outside the range ($uh, $gh):$bad" >"$dir/userns.procs"
        fi
}

# compat_userns_after DIR: after the engine removed the container: its mounts left, counted.
compat_userns_after() {
        local cdir
        cdir=$(cat "$1/userns.cdir" 2>/dev/null) || return
        eng_in grep -c " $cdir/" /proc/self/mountinfo >"$1/userns.mounts"
}

# compat_userns_layers: owner, mode and path of every file of the image layers, the contents
# ($C_LAYERS/*/$C_LAYER_FILES) of those there before the first cell (C_LAYERS_BEFORE):
# containers' layers come and go beside them, and the engine's own bookkeeping files too.
compat_userns_layers() {
        local e
        for e in $C_LAYERS_BEFORE; do
                [ -d "$C_LAYERS/$e/$C_LAYER_FILES" ] && find "$C_LAYERS/$e/$C_LAYER_FILES" -printf '%U:%G %m %p\n'
        done 2>/dev/null | sort
}

# compat_userns_verdicts: the host-side assertions of every restricted-userns cell, then the
# engine-wide ones: the next delete collects every directory, no mount of hardrun's is left,
# no file on the engine's disk has a host id of the pool, the image layers keep their owners.
compat_userns_verdicts() {
        local col wl name out v any=
        for col in "${C_COLUMNS[@]}"; do
                [ "${col%/*}" = restricted-userns ] || continue
                any=1
                for wl in "${C_WL[@]}"; do
                        name=$(wl_get "$wl" .name)
                        out="$E_TMP/cells/${col//\//-}/$name"
                        hr_like "$(cat "$out/userns" 2>/dev/null)" '^ok ' \
                                "$C_ENGINE $col $name: a range of its own from the pool, never id 0 ($(cat "$out/userns" 2>/dev/null))"
                        if [ -e "$out/userns.procs" ]; then
                                v=$(cat "$out/userns.procs")
                                hr_like "$v" '^ok ' "$C_ENGINE $col $name: from the host, every process's uids and gids in its range (${v//#/})"
                        fi
                        hr_is "$(cat "$out/userns.mounts" 2>/dev/null)" 0 \
                                "$C_ENGINE $col $name: none of its ID-mapped mounts left after the engine removed it"
                done
        done
        [ -n "$any" ] || return 0
        eng_in env HARDRUN_POLICY="$E_TMP/policy/restricted-userns-runc.json" "$HARDRUN_TEST" \
                --root "$E_TMP/gc" delete none >/dev/null 2>&1
        hr_is "$(eng_in sh -c 'ls -A "$1" 2>/dev/null | grep -c -e "^c-" -e "^\.new-"' sh "$C_USERNS_STATE")" 0 \
                "$C_ENGINE restricted-userns: the next delete collects every container's state"
        hr_is "$(eng_in grep -c " $C_USERNS_STATE/" /proc/self/mountinfo)" 0 \
                "$C_ENGINE restricted-userns: no ID-mapped mount of hardrun's is left"
        hr_is "$(find "$E_TMP" -xdev \( -uid +99999 -o -gid +99999 \) ! -uid 4294967294 ! -gid 4294967294 \
                -print 2>/dev/null | head -n 3)" "" \
                "$C_ENGINE restricted-userns: no file on the engine's disk got a host id of the pool"
        [ -z "${C_LAYERS:-}" ] ||
                hr_is "$(diff <(printf '%s\n' "$C_LAYERS_OWNERS") <(compat_userns_layers) | head -n 6)" "" \
                        "$C_ENGINE restricted-userns: the image layers keep every owner and mode"
}

# compat_userns_column COL: true for a column of the user-namespace preset.
compat_userns_column() {
        [ "${1%/*}" = restricted-userns ]
}

# compat_cell COL WL: runs workload WL in column COL and writes DIR/outcome (works or breaks)
# and DIR/error (the workload's own error line, or the engine's).
compat_cell() {
        local col=$1 wl=$2 name dir pid ready check deadline outcome=breaks
        name="hrc-$(wl_get "$wl" .name)-${col//\//-}"
        dir="$E_TMP/cells/${col//\//-}/$(wl_get "$wl" .name)"
        rm -rf "$dir" && mkdir -p "$dir"
        if [ "$(wl_get "$wl" '.output // empty')" ]; then
                drv_job "$name" "$col" "$wl" "$dir/run"
                cat "$dir/run.stderr" "$dir/run.stdout" >"$dir/log"
                if [ "$(cat "$dir/run.rc")" = 0 ] &&
                        grep -Eq "$(wl_get "$wl" .output)" "$dir/run.stdout"; then
                        outcome=works
                fi
                ! compat_userns_column "$col" || compat_userns_probe "$col" "$name" "$dir"
        elif drv_start "$name" "$col" "$wl" "$dir/run"; then
                ready=$(wl_get "$wl" .ready)
                check=$(wl_get "$wl" '.check // empty')
                deadline=$(($(date +%s) + C_READY_TIMEOUT))
                while [ "$(date +%s)" -lt "$deadline" ]; do
                        pid=$(drv_pid "$name")
                        [ -n "$pid" ] && [ "$pid" != 0 ] || break
                        if compat_in_container "$pid" "$ready" >>"$dir/check.log" 2>&1; then
                                if [ -z "$check" ] || compat_in_container "$pid" "$check" >>"$dir/check.log" 2>&1; then
                                        outcome=works
                                fi
                                ! compat_userns_column "$col" || compat_userns_probe "$col" "$name" "$dir" "$pid"
                                break
                        fi
                        sleep 0.5
                done
                # A server that died before it answered: its state, without processes.
                if compat_userns_column "$col" && ! [ -e "$dir/userns" ]; then
                        compat_userns_probe "$col" "$name" "$dir"
                fi
                drv_logs "$name" >"$dir/log" 2>&1
        else
                cat "$dir/run.stderr" >"$dir/log"
        fi
        drv_rm "$name" >/dev/null 2>&1
        ! compat_userns_column "$col" || compat_userns_after "$dir"
        compat_error_line "$dir/log" >"$dir/error"
        echo "$outcome" >"$dir/outcome"
}

# ---------------------------------------------------------------- the matrix

# compat_expect COL WL [FIELD]: the table's expected break for this engine and column, most
# specific key first (ENGINE:PRESET/RUNTIME, ENGINE:PRESET, ENGINE, PRESET/RUNTIME, PRESET):
# its FIELD (default error, the ERE the error line must match), or "works" when none applies.
compat_expect() {
        jq -r --argjson i "$2" --arg col "$1" --arg preset "${1%/*}" --arg e "$C_ENGINE" \
                --arg field "${3:-error}" '.[$i].expect // {}
                | (.["\($e):\($col)"] // .["\($e):\($preset)"] // .[$e] // .[$col] // .[$preset])
                | if . == null then "works" else .[$field] end' "$C_TABLE"
}

compat_main() {
        local col wl out name expect err started
        started=$(date +%s)
        if [ -n "${C_LAYERS:-}" ]; then
                C_LAYERS_BEFORE=$(ls -A "$C_LAYERS" 2>/dev/null)
                C_LAYERS_OWNERS=$(compat_userns_layers)
        fi
        for col in "${C_COLUMNS[@]}"; do
                for wl in "${C_WL[@]}"; do
                        while [ "$(jobs -rp | wc -l)" -ge "$C_JOBS" ]; do
                                wait -n
                        done
                        compat_cell "$col" "$wl" &
                done
        done
        wait
        hr_diag "$C_ENGINE: ${#C_COLUMNS[@]} columns x ${#C_WL[@]} workloads in $(($(date +%s) - started)) s ($C_JOBS at a time)"

        for col in "${C_COLUMNS[@]}"; do
                for wl in "${C_WL[@]}"; do
                        name=$(wl_get "$wl" .name)
                        out="$E_TMP/cells/${col//\//-}/$name"
                        expect=$(compat_expect "$col" "$wl")
                        # '#' would start a TAP directive in a description.
                        err=$(cat "$out/error" 2>/dev/null)
                        # An engine can lose a dying server's last lines (containerd's shim, on
                        # a loaded machine): a break without its error is run once more.
                        if [ "$expect" != works ] && ! [[ $err =~ $expect ]]; then
                                hr_diag "$C_ENGINE $col $name: no '$expect' in the log; once more"
                                compat_cell "$col" "$wl"
                                err=$(cat "$out/error" 2>/dev/null)
                        fi
                        err=${err//#/\\#}
                        hr_ctx "$out/log" "$out/run.stderr" "$out/check.log"
                        if [ "$expect" = works ]; then
                                hr_is "$(cat "$out/outcome" 2>/dev/null)" works "$C_ENGINE $col $name: works" ||
                                        hr_diag "error: $err"
                        else
                                hr_is "$(cat "$out/outcome" 2>/dev/null)" breaks \
                                        "$C_ENGINE $col $name: breaks as documented ($(compat_expect "$col" "$wl" price))"
                                hr_like "$err" "$expect" "$C_ENGINE $col $name: the server's own error: $err"
                        fi
                done
        done
        compat_userns_verdicts
        compat_table
}

# The table: one row per workload, one column per preset/runtime, then each break's error.
compat_table() {
        local col wl name row line out
        line=$(printf '%-20s' workload)
        for col in "${C_COLUMNS[@]}"; do
                line+=$(printf ' %-16s' "$col")
        done
        hr_diag "$C_ENGINE: works/BREAKS per workload and column"
        hr_diag "$line"
        for wl in "${C_WL[@]}"; do
                name=$(wl_get "$wl" .name)
                row=$(printf '%-20s' "$name")
                for col in "${C_COLUMNS[@]}"; do
                        out=$(cat "$E_TMP/cells/${col//\//-}/$name/outcome" 2>/dev/null)
                        [ "$out" = breaks ] && out=BREAKS
                        row+=$(printf ' %-16s' "${out:-?}")
                done
                hr_diag "$row"
        done
        for col in "${C_COLUMNS[@]}"; do
                for wl in "${C_WL[@]}"; do
                        name=$(wl_get "$wl" .name)
                        out="$E_TMP/cells/${col//\//-}/$name"
                        [ "$(cat "$out/outcome" 2>/dev/null)" = works ] && continue
                        hr_diag "break: $C_ENGINE $col $name: $(cat "$out/error" 2>/dev/null)"
                done
        done
}
