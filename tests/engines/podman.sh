#!/bin/bash
# podman end to end (rootful, no daemon): every podman command runs in the sandbox mount
# namespace of lib.sh with private storage (vfs), run root, containers.conf and registries.conf
# in a temp dir, so nothing touches the host's containers or the network. containers.conf is
# contrib/podman/containers.conf (hardrun the default runtime, hardrun in runtime_supports_json)
# with the wrapper in place of /usr/local/sbin/hardrun, plus the private paths.
#
# Cases: `podman --runtime <hardrun> run --privileged -u 0` hardened, the configured default
# runtime, --log passed because the runtime is named hardrun, `podman exec -u 0 --privileged`,
# deny's message in podman's error, and logs/pause/unpause/stop/rm passing through (podman runs
# kill and delete with no PATH at all).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

eng_setup podman conmon

IMG=localhost/hrtest/busybox:latest
PM_DIR="$E_TMP/podman"
mkdir -p "$E_TMP/policy" "$E_TMP/audit" "$E_TMP/out" "$PM_DIR"
eng_policy "$E_TMP/policy/enforce.json" enforce "$E_TMP/audit/enforce.log"
eng_policy "$E_TMP/policy/deny.json" deny "$E_TMP/audit/deny.log"
# Both named "hardrun": podman keys runtime_supports_json by the runtime's name (basename).
eng_wrapper "$E_TMP/rt/enforce/hardrun" "$E_TMP/policy/enforce.json" "$E_TMP/argv-enforce.log"
eng_wrapper "$E_TMP/rt/deny/hardrun" "$E_TMP/policy/deny.json" "$E_TMP/argv-deny.log"

# The contrib containers.conf, with the wrapper's path and private state added to [engine].
sed -e "s#/usr/local/sbin/hardrun#$E_TMP/rt/enforce/hardrun#" \
        -e "/^\\[engine\\]\$/a\\
cgroup_manager = \"cgroupfs\"\\
events_logger = \"file\"\\
events_logfile_path = \"$PM_DIR/events.log\"\\
tmp_dir = \"$PM_DIR/tmp\"\\
static_dir = \"$PM_DIR/static\"\\
volume_path = \"$PM_DIR/volumes\"" \
        "$HARDRUN_SRCDIR/contrib/podman/containers.conf" >"$PM_DIR/containers.conf" ||
        hr_bail "cannot read contrib/podman/containers.conf"
cat >>"$PM_DIR/containers.conf" <<EOF

[containers]
netns = "none"

[network]
network_config_dir = "$PM_DIR/net"
EOF
eng_podman_storage "$PM_DIR" vfs

# Without these limits podman's default rlimits cannot be set on this kind of host.
RUN=(run --pull never --network none --cgroup-parent "/$E_TAG"
        --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

podman_cleanup() {
        timeout 60 nsenter -t "$E_NS" -m -- "${PM_ENV[@]}" podman --root "$PM_DIR/root" \
                --runroot "$PM_DIR/runroot" --storage-driver vfs rm -f -a -t 0
}
E_CLEANUP_HOOKS+=(podman_cleanup)

eng_sandbox

eng_image_archive "$E_TMP/image.tar" hrtest/busybox:latest || hr_bail "cannot build the image archive"
eng_run "$E_TMP/out/load" P load -i "$E_TMP/image.tar"
hr_is "$(cat "$E_TMP/out/load.rc")" 0 "podman load of the busybox archive succeeds" ||
        hr_bail "no image: $(cat "$E_TMP/out/load.stderr")"

# podman info runs the configured runtime's --version, which hardrun passes through to runc.
eng_run "$E_TMP/out/info" P info --format json
hr_ctx "$E_TMP/out/info.stdout" "$E_TMP/out/info.stderr"
hr_is "$(jq -r '.host.ociRuntime | [.name, .path] | join(" ")' "$E_TMP/out/info.stdout")" \
        "hardrun $E_TMP/rt/enforce/hardrun" "podman info: the OCI runtime is hardrun (containers.conf)"
hr_is "$(jq -r '.host.ociRuntime.version' "$E_TMP/out/info.stdout")" "$(runc --version)" \
        "podman info: the runtime version is runc's own --version (passed through)"
hr_diag "observed podman info: ociRuntime $(jq -c '.host.ociRuntime | {name, version}' "$E_TMP/out/info.stdout")"

# ---------------------------------------------------------------- podman --runtime <hardrun> run

out="$E_TMP/out/hardened"
hr_ctx "$out.stdout" "$out.stderr"
eng_run "$out" P --runtime "$E_TMP/rt/enforce/hardrun" "${RUN[@]}" --rm --privileged -u 0 "$IMG" \
        sh -c "$ENG_PROBE"
hr_is "$(cat "$out.rc")" 0 "podman --runtime <hardrun> run --privileged -u 0 exits 0"
hr_expect_hardened "$out.stdout" "podman --runtime <hardrun> run --privileged -u 0"
eng_observed podman "--runtime <hardrun> run --privileged -u 0" "$out.stdout"
hr_is "$(jq -r 'select(.subcommand == "create" and .action == "changed") | .rule' "$E_TMP/audit/enforce.log" | sort -u | tr '\n' ' ')" \
        "capabilities devices masked_paths mount_options no_new_privileges rootfs seccomp user " \
        "podman run: 'changed' records of create for every rule with something to change (podman sets a pids limit itself)"
hr_like "$(grep -m1 ' create ' "$E_TMP/argv-enforce.log")" \
        "^--log-format=json --log $PM_DIR/runroot/vfs-containers/[0-9a-f]{64}/userdata/oci-log create --bundle " \
        "podman passes --log-format=json --log to a runtime named hardrun (runtime_supports_json)"

out="$E_TMP/out/default"
hr_ctx "$out.stdout" "$out.stderr"
eng_run "$out" P "${RUN[@]}" --rm "$IMG" sh -c "$ENG_PROBE"
hr_is "$(hr_val "$out.stdout" uid)/$(hr_val "$out.stdout" CapEff)/$(hr_val "$out.stdout" Seccomp)" \
        65534/0000000000000000/2 "podman run without --runtime uses hardrun (containers.conf runtime): uid 65534, CapEff 0, Seccomp 2"

out="$E_TMP/out/tty"
hr_ctx "$out.stdout" "$out.stderr"
eng_run "$out" P "${RUN[@]}" --rm -t "$IMG" sh -c 'tty; id -u'
hr_is "$(tr -d '\r' <"$out.stdout" | tr '\n' ' ')" "/dev/pts/0 65534 " \
        "podman run -t (conmon's console socket): /dev/pts/0, uid 65534"

# ---------------------------------------------------------------- exec, pass-through

out="$E_TMP/out/sleeper"
hr_ctx "$out.stdout" "$out.stderr"
eng_run "$out" P --runtime "$E_TMP/rt/enforce/hardrun" "${RUN[@]}" -d --name hrexec --privileged "$IMG" \
        sh -c 'echo hello-from-hardrun; trap "exit 0" TERM; while :; do sleep 1; done'
hr_is "$(cat "$out.rc")" 0 "podman run -d --privileged exits 0"
cid=$(cat "$out.stdout")

out="$E_TMP/out/exec"
hr_ctx "$out.stdout" "$out.stderr"
eng_run "$out" P exec -u 0 --privileged hrexec sh -c "$ENG_PROBE"
hr_is "$(cat "$out.rc")" 0 "podman exec -u 0 --privileged exits 0"
eng_hardened "$out.stdout" "podman exec -u 0 --privileged"
eng_observed podman "exec -u 0 --privileged" "$out.stdout"
hr_is "$(jq -r --arg c "$cid" 'select(.container == $c and .subcommand == "exec" and .rule == "capabilities"
                and (.before | index("CAP_SYS_ADMIN"))) | .path' "$E_TMP/audit/enforce.log" | sort | tr '\n' ' ')" \
        "/capabilities/bounding /capabilities/effective /capabilities/permitted " \
        "podman exec --privileged: hardrun emptied the exec process's privileged capability sets"

hr_is "$(P logs hrexec 2>&1)" hello-from-hardrun "podman logs shows the container's output"
eng_run "$E_TMP/out/pause" P pause hrexec
hr_is "$(cat "$E_TMP/out/pause.rc")/$(P inspect -f '{{.State.Status}}' hrexec)" 0/paused "podman pause: paused"
eng_run "$E_TMP/out/unpause" P unpause hrexec
hr_is "$(cat "$E_TMP/out/unpause.rc")/$(P inspect -f '{{.State.Status}}' hrexec)" 0/running "podman unpause: running"
eng_run "$E_TMP/out/stop" P stop -t 20 hrexec
hr_is "$(cat "$E_TMP/out/stop.rc")" 0 "podman stop exits 0"
hr_is "$(P inspect -f '{{.State.Status}} {{.State.ExitCode}}' hrexec)" "exited 0" \
        "podman stop: the container exited 0 on SIGTERM"
eng_run "$E_TMP/out/rm" P rm hrexec
hr_is "$(cat "$E_TMP/out/rm.rc")" 0 "podman rm exits 0"
hr_like "$(cat "$E_TMP/argv-enforce.log")" "(^|$'\n')delete --force $cid" \
        "podman ran 'delete --force' through hardrun (no PATH in its environment)"

# ---------------------------------------------------------------- deny

out="$E_TMP/out/deny"
hr_ctx "$out.stdout" "$out.stderr"
eng_run "$out" P --runtime "$E_TMP/rt/deny/hardrun" "${RUN[@]}" --rm --name hrdeny "$IMG" true
hr_is "$(cat "$out.rc")" 126 "podman --runtime <deny> run fails with 126"
hr_like "$(cat "$out.stderr")" \
        "^Error: OCI runtime error: $E_TMP/rt/deny/hardrun: hardrun: $PM_DIR/root/vfs-containers/[0-9a-f]{64}/userdata/config.json: '/process/user/uid': 0 is not allowed by rule 'user' \\(policy needs 65534\\); refusing the container" \
        "podman deny: hardrun's refusal (file, JSON path, rule) is in podman's error"
hr_diag "observed podman deny: $(head -n 1 "$out.stderr")"
hr_is "$(P ps -a -q --filter name=hrdeny)" "" "podman deny: no container left"
hr_is "$(hr_audit_rules "$E_TMP/audit/deny.log" denied)" \
        "capabilities masked_paths mount_options no_new_privileges rootfs seccomp user" \
        "podman deny: 'denied' records for every rule with something to change"

hr_done
