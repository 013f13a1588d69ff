#!/bin/bash
# The do-it-yourself alternative admins use today: a shell wrapper that rewrites config.json
# with jq (the same core rules as hardrun's default policy) and execs the runtime.
# JQ_WRAPPER_RUNTIME names the runtime, JQ_WRAPPER_PROFILE the seccomp profile file.
set -e
bundle=.
prev=
for arg in "$@"; do
        case $prev in --bundle | -b) bundle=$arg ;; esac
        case $arg in --bundle=*) bundle=${arg#--bundle=} ;; esac
        prev=$arg
done
case " $* " in
*" create "* | *" run "*)
        jq --slurpfile profile "$JQ_WRAPPER_PROFILE" '
          .process.user.uid |= (if . == 0 or . == null then 65534 else . end) |
          .process.user.gid |= (if . == 0 or . == null then 65534 else . end) |
          .process.user |= (if .additionalGids then .additionalGids |= map(select(. != 0)) else . end) |
          .process.capabilities = {bounding: [], effective: [], permitted: [], inheritable: [], ambient: []} |
          .process.noNewPrivileges = true |
          .root.readonly = true |
          .linux.seccomp = $profile[0] |
          .mounts = (.mounts // []) | .mounts as $m |
          .mounts += (["/tmp", "/var/tmp", "/run"]
            | map(select(. as $d | ($m | map(.destination) | index($d)) == null))
            | map({destination: ., type: "tmpfs", source: "tmpfs",
                   options: ["mode=1777", "size=64m", "nosuid", "nodev", "noexec"]}))
        ' "$bundle/config.json" >"$bundle/.config.json.jq"
        mv "$bundle/.config.json.jq" "$bundle/config.json"
        ;;
esac
exec "$JQ_WRAPPER_RUNTIME" "$@"
