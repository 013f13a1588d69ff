#!/bin/sh
# hardrun node installer, run by the DaemonSet in installer.yaml (POSIX sh; the image is
# described in Dockerfile beside this file).
#
#   install.sh           install the binary, the profiles, the policy and the containerd
#                        handler on the host, then exit (the DaemonSet's init container); exit
#                        status 1 when the ConfigMap's policy was refused (everything else is
#                        installed), so the pod does not start until the policy is fixed
#   install.sh --watch   keep /etc/hardrun/policy.json equal to the ConfigMap's, checking every
#                        SYNC_INTERVAL seconds (the DaemonSet's main container)
#
# A policy is installed only when hardrunctl (from the image) accepts it: the ConfigMap's file
# is copied next to /etc/hardrun/policy.json, that copy is validated and then renamed over the
# policy, so hardrun reads the old policy or the new one, never an invalid or half-written one.
# A refused policy leaves the node's current policy in place (none: hardrun's built-in
# restricted default); the reason goes to the container log and, with the outcome of every
# sync, to /etc/hardrun/installer-status.json on the node (the readiness probe reads it).
#
# It restarts nothing: containerd reads its configuration only when it starts, so the node's
# admin restarts containerd once the handler is in (running containers survive that) and then
# labels the node hardrun.io/runtime=ready, which the RuntimeClass schedules on.
#
# Environment (defaults in brackets):
#   HOST_ROOT [/host]                  where the host's / is reached (hostPath mounts below it)
#   HARDRUN_SOURCE [/opt/hardrun]      the image's files: sbin/hardrun, sbin/hardrunctl,
#                                      share/hardrun/profiles/, containerd/hardrun-containerd2.toml
#   POLICY_FILE [/etc/hardrun-policy/policy.json]   the ConfigMap's policy
#   CONTAINERD_CONFIG [/etc/containerd/config.toml] the host's containerd configuration
#   CONFIGURE_CONTAINERD [true]        false: leave containerd's configuration alone
#   SYSTEMD_CGROUP [auto]              true, false, or auto: as the host's config sets it for runc
#   SYNC_INTERVAL [30]
#   NODE_NAME                          for the messages (Downward API spec.nodeName)
set -eu

HOST_ROOT=${HOST_ROOT:-/host}
SRC=${HARDRUN_SOURCE:-/opt/hardrun}
POLICY_FILE=${POLICY_FILE:-/etc/hardrun-policy/policy.json}
CONTAINERD_CONFIG=${CONTAINERD_CONFIG:-/etc/containerd/config.toml}
CONFIGURE_CONTAINERD=${CONFIGURE_CONTAINERD:-true}
SYSTEMD_CGROUP=${SYSTEMD_CGROUP:-auto}
SYNC_INTERVAL=${SYNC_INTERVAL:-30}
NODE_NAME=${NODE_NAME:-$(hostname)}
HANDLER=hardrun
BINARY=/usr/local/sbin/hardrun
READY_LABEL=hardrun.io/runtime=ready
HARDRUNCTL=$SRC/sbin/hardrunctl
STATUS_FILE=/etc/hardrun/installer-status.json

log() {
        printf 'hardrun-installer: %s\n' "$*" >&2
}

die() {
        log "error: $*"
        exit 1
}

# put SRC DST MODE: DST gets SRC's content atomically (temp file in DST's directory, then
# rename), so a runtime call never sees half a binary or half a policy. Unchanged: untouched.
put() {
        if [ -f "$2" ] && cmp -s "$1" "$2"; then
                chmod "$3" "$2"
                return 1
        fi
        tmp="$(dirname "$2")/.$(basename "$2").hardrun-installer.$$"
        if ! { cp "$1" "$tmp" && chmod "$3" "$tmp" && mv -f "$tmp" "$2"; }; then
                rm -f "$tmp"
                die "cannot write $2"
        fi
        return 0
}

install_files() {
        [ -x "$SRC/sbin/hardrun" ] || die "$SRC/sbin/hardrun is missing from the image"
        mkdir -p "$HOST_ROOT/usr/local/sbin"
        if put "$SRC/sbin/hardrun" "$HOST_ROOT$BINARY" 0755; then
                log "installed $BINARY"
        fi
        if [ -d "$SRC/share/hardrun/profiles" ]; then
                (cd "$SRC/share/hardrun/profiles" && find . -type f) | while read -r f; do
                        mkdir -p "$(dirname "$HOST_ROOT/usr/local/share/hardrun/profiles/$f")"
                        put "$SRC/share/hardrun/profiles/$f" \
                                "$HOST_ROOT/usr/local/share/hardrun/profiles/$f" 0644 || true
                done
        fi
}

# write_status STATE REASON SOURCE-SHA256 INSTALLED-SHA256: the outcome of the last policy sync
# in $STATUS_FILE on the node, one JSON object, replaced atomically. STATE: ok or refused.
write_status() {
        f="$HOST_ROOT$STATUS_FILE"
        tmp="$(dirname "$f")/.$(basename "$f").hardrun-installer.$$"
        if jq -n --arg time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg node "$NODE_NAME" \
                --arg state "$1" --arg reason "$2" --arg source "$POLICY_FILE" \
                --arg source_sha256 "$3" --arg installed_sha256 "$4" \
                '{time: $time, node: $node, state: $state, reason: $reason, source: $source,
                  source_sha256: $source_sha256, installed_sha256: $installed_sha256}' \
                >"$tmp" && chmod 0644 "$tmp" && mv -f "$tmp" "$f"; then
                return 0
        fi
        rm -f "$tmp"
        log "error: cannot write $STATUS_FILE"
}

# The state and source hash of the last sync, "STATE SHA256", or "" when there is none.
last_status() {
        jq -r '"\(.state) \(.source_sha256)"' "$HOST_ROOT$STATUS_FILE" 2>/dev/null || true
}

sha256() {
        if [ -f "$1" ]; then sha256sum <"$1" | cut -d' ' -f1; fi
}

# refuse_policy REASON SOURCE-SHA256: keeps the installed policy; says why, once per ConfigMap
# content (the watch loop retries every SYNC_INTERVAL).
refuse_policy() {
        installed=$(sha256 "$HOST_ROOT/etc/hardrun/policy.json")
        if [ "$(last_status)" != "refused $2" ]; then
                log "error: the ConfigMap's policy ($POLICY_FILE) is refused: $1"
                if [ -n "$installed" ]; then
                        log "  keeping the installed /etc/hardrun/policy.json (sha256 $installed)"
                else
                        log "  no policy is installed: hardrun uses its built-in default (restricted, enforce)"
                fi
        fi
        write_status refused "$1" "$2" "$installed"
        return 1
}

# The ConfigMap's policy becomes /etc/hardrun/policy.json if hardrunctl accepts it. Policy and
# directory must be root-owned and not group/other-writable, or hardrun refuses them.
sync_policy() {
        dir="$HOST_ROOT/etc/hardrun"
        mkdir -p "$dir"
        chmod 0755 "$dir"
        [ -f "$POLICY_FILE" ] || {
                refuse_policy "no policy at $POLICY_FILE (the ConfigMap's policy.json)" ""
                return 1
        }
        # The very bytes that will be installed are validated: a copy beside the target.
        tmp="$dir/.policy.json.hardrun-installer.$$"
        if ! { cp "$POLICY_FILE" "$tmp" && chmod 0644 "$tmp"; }; then
                rm -f "$tmp"
                refuse_policy "cannot copy it to /etc/hardrun" "$(sha256 "$POLICY_FILE")"
                return 1
        fi
        want=$(sha256 "$tmp")
        if [ "$want" = "$(sha256 "$dir/policy.json")" ]; then
                rm -f "$tmp"
                [ "$(last_status)" = "ok $want" ] ||
                        write_status ok "the installed policy is the ConfigMap's" "$want" "$want"
                return 0
        fi
        if [ ! -x "$HARDRUNCTL" ]; then
                rm -f "$tmp"
                refuse_policy "cannot validate it: $HARDRUNCTL is missing from the image" "$want"
                return 1
        fi
        if ! out=$("$HARDRUNCTL" policy validate "$tmp" 2>&1); then
                rm -f "$tmp"
                # hardrunctl names the file it read: the copy; say which file that is.
                reason=$(printf '%s\n' "$out" | grep -v ': ok$' | head -n 5 | tr '\n' ' ' |
                        sed -e "s|$tmp|policy.json|g" -e 's/ *$//')
                refuse_policy "${reason:-hardrunctl policy validate failed}" "$want"
                return 1
        fi
        if ! mv -f "$tmp" "$dir/policy.json"; then
                rm -f "$tmp"
                refuse_policy "cannot rename it over /etc/hardrun/policy.json" "$want"
                return 1
        fi
        log "installed /etc/hardrun/policy.json (mode $(jq -r '.mode // "enforce"' "$dir/policy.json" \
                2>/dev/null || echo '?'), sha256 $want)"
        write_status ok "installed" "$want" "$want"
        return 0
}

# "true" or "false": the cgroup driver the host's runc handler uses.
systemd_cgroup() {
        case $SYSTEMD_CGROUP in
        true | false)
                echo "$SYSTEMD_CGROUP"
                return
                ;;
        esac
        if grep -Eqs '^[[:space:]]*SystemdCgroup[[:space:]]*=[[:space:]]*true' \
                "$HOST_ROOT$CONTAINERD_CONFIG" "$HOST_ROOT"/etc/containerd/conf.d/*.toml; then
                echo true
        else
                echo false
        fi
}

# replace_config FILE NEW-CONTENT-FILE: keeps one backup of the original, then renames.
replace_config() {
        [ -e "$1.hardrun-backup" ] || cp -p "$1" "$1.hardrun-backup"
        chmod --reference="$1" "$2" 2>/dev/null || chmod 0644 "$2"
        mv -f "$2" "$1"
}

configure_containerd() {
        cfg="$HOST_ROOT$CONTAINERD_CONFIG"
        if [ ! -f "$cfg" ]; then
                log "error: no $CONTAINERD_CONFIG: containerd runs on its built-in defaults, and a"
                log "  config that declares only the hardrun handler would replace their runtime list."
                die "write the defaults first ('containerd config default > $CONTAINERD_CONFIG'), then restart this pod"
        fi
        if grep -Eq "\\.containerd\\.runtimes\\.[\"']?${HANDLER}[\"']?\\]" "$cfg" ||
                grep -Eqs "\\.containerd\\.runtimes\\.[\"']?${HANDLER}[\"']?\\]" \
                        "$HOST_ROOT/etc/containerd/conf.d/$HANDLER.toml"; then
                log "containerd handler '$HANDLER' is already configured"
                return 0
        fi
        version=$(sed -n 's/^[[:space:]]*version[[:space:]]*=[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$cfg" | head -n 1)
        sc=$(systemd_cgroup)
        case $version in
        2)
                # containerd 1.x replaces a plugin's whole section with an imported file's:
                # the handler goes into the main config, between markers.
                new="$(dirname "$cfg")/.config.toml.hardrun-installer.$$"
                {
                        cat "$cfg"
                        echo
                        echo "# BEGIN hardrun (added by the hardrun node installer; delete through END to remove)"
                        # As contrib/containerd/config.toml.
                        echo '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hardrun]'
                        echo '  runtime_type = "io.containerd.runc.v2"'
                        echo '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hardrun.options]'
                        echo "  BinaryName = \"$BINARY\""
                        echo "  SystemdCgroup = $sc"
                        if ! grep -Eq '\.containerd\.runtimes\.["'"'"']?runc["'"'"']?\]' "$cfg"; then
                                # Declaring a runtime replaces the built-in list: keep runc.
                                echo '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]'
                                echo '  runtime_type = "io.containerd.runc.v2"'
                                echo '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]'
                                echo "  SystemdCgroup = $sc"
                        fi
                        echo "# END hardrun"
                } >"$new" || die "cannot write $new"
                replace_config "$cfg" "$new"
                log "added the '$HANDLER' handler to $CONTAINERD_CONFIG (SystemdCgroup = $sc; backup: $CONTAINERD_CONFIG.hardrun-backup)"
                ;;
        3)
                # containerd 2.x merges imports key by key: a drop-in, imported by the main config.
                mkdir -p "$HOST_ROOT/etc/containerd/conf.d"
                dropin="$HOST_ROOT/etc/containerd/conf.d/$HANDLER.toml"
                sed "s/SystemdCgroup = false/SystemdCgroup = $sc/" "$SRC/containerd/hardrun-containerd2.toml" \
                        >"$dropin.hardrun-installer.$$" && mv -f "$dropin.hardrun-installer.$$" "$dropin"
                log "wrote /etc/containerd/conf.d/$HANDLER.toml (SystemdCgroup = $sc)"
                if grep -Eq '^[[:space:]]*imports[[:space:]]*=' "$cfg"; then
                        if ! grep -Eq "^[[:space:]]*imports[[:space:]]*=.*[\"']/etc/containerd/conf\\.d/(\\*|$HANDLER)\\.toml[\"']" "$cfg"; then
                                die "$CONTAINERD_CONFIG has an 'imports' line without /etc/containerd/conf.d/*.toml: add that path to it, then restart this pod"
                        fi
                else
                        new="$(dirname "$cfg")/.config.toml.hardrun-installer.$$"
                        {
                                echo 'imports = ["/etc/containerd/conf.d/*.toml"] # added by the hardrun node installer'
                                cat "$cfg"
                        } >"$new" || die "cannot write $new"
                        replace_config "$cfg" "$new"
                        log "added imports = [\"/etc/containerd/conf.d/*.toml\"] to $CONTAINERD_CONFIG (backup: $CONTAINERD_CONFIG.hardrun-backup)"
                fi
                ;;
        *)
                die "$CONTAINERD_CONFIG has config version '${version:-1}'; only versions 2 (containerd 1.x, 2.x) and 3 (2.x) are supported"
                ;;
        esac
        log "containerd reads its configuration only when it starts: restart containerd on $NODE_NAME"
        log "  (running containers keep running), then: kubectl label node $NODE_NAME $READY_LABEL"
}

command -v jq >/dev/null 2>&1 || die "jq is missing from the image (the status file needs it)"
case ${1:-} in
"")
        install_files
        policy=ok
        sync_policy || policy=refused
        if [ "$CONFIGURE_CONTAINERD" = true ]; then
                configure_containerd
        fi
        if [ "$policy" != ok ]; then
                die "installed on $NODE_NAME, but the ConfigMap's policy was refused (see above and $STATUS_FILE); fix it and this pod starts over"
        fi
        log "done on $NODE_NAME"
        ;;
--watch)
        trap 'exit 0' TERM INT
        log "keeping /etc/hardrun/policy.json in sync with $POLICY_FILE every ${SYNC_INTERVAL}s"
        while :; do
                sync_policy || true
                sleep "$SYNC_INTERVAL" &
                wait $! || true
        done
        ;;
*)
        die "usage: install.sh [--watch]"
        ;;
esac
