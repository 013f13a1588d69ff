#!/bin/bash
# Rule image on real runtimes: bundles named by containerd's CRI annotation (and CRI-O's).
# Plain runc and crun run any image; hardrun runs an allowed one, refuses a disallowed one in
# enforce and deny (exit 1, the annotation named, no container) and records it in audit mode,
# where the container runs. Prefixes match at path boundaries only.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hr_setup

CRI=io.kubernetes.cri.image-name
CRIO=io.kubernetes.cri-o.ImageName
ALLOW='["docker.io/library/busybox", "registry.example.com/team/"]'

# run_image RT NAME KEY IMAGE MODE [EXTRA-RULE-FILTER]: hardrun with rule image in MODE (the
# other rules enforce), results in $HR_TMP/image-RT-NAME/{run.*,bundle}.
run_image() {
        local rt=$1 name=$2 key=$3 image=$4 mode=$5 extra=${6:-.} dir="$HR_TMP/image-$1-$2"
        hr_bundle "$dir/bundle" ".annotations = {\"$key\": \"$image\"}"
        hr_run_mode "$rt" "$dir/state" "$dir/bundle" "$dir/run" enforce \
                ".rules.image = {mode: \"$mode\", allow: $ALLOW} | $extra"
}

allowed() {
        local rt=$1 name=$2 dir="$HR_TMP/image-$1-$2"
        run_image "$@"
        hr_is "$(cat "$dir/run.rc")" 0 "$rt $name ($4): runs"
        hr_is "$(hr_val "$dir/run.stdout" uid)" 65534 "$rt $name: the container ran, hardened"
        hr_is "$(hr_audit_count "$HR_RUN_AUDIT" '.rule == "image"')" 0 "$rt $name: no image records"
}

refused() {
        run_image "$@"
        hr_expect_refused "$1 $2 ($4, $5)" image \
                "^hardrun: .*: '/annotations/$3': \"$4\" is not allowed by rule 'image'" "/annotations/$3"
}

image_rule() {
        local rt=$1 dir="$HR_TMP/image-$1-plain"

        # Nothing in the runtime looks at the image name.
        hr_bundle "$dir/bundle" ".annotations = {\"$CRI\": \"docker.io/evil/miner:latest\"}"
        hr_plain_run "$rt" "$dir/state" "$dir/bundle" "$dir/run"
        hr_is "$(cat "$dir/run.rc")" 0 "$rt plain: a disallowed image runs"

        allowed "$rt" bare "$CRI" busybox:latest enforce
        allowed "$rt" qualified "$CRI" docker.io/library/busybox@sha256:0123 enforce
        allowed "$rt" team "$CRI" registry.example.com/team/app:1 enforce
        allowed "$rt" crio "$CRIO" docker.io/library/busybox deny
        refused "$rt" evil-enforce "$CRI" docker.io/evil/miner:latest enforce
        refused "$rt" evil-deny "$CRI" docker.io/evil/miner:latest deny
        refused "$rt" boundary "$CRI" registry.example.com/teamevil/app:1 enforce
        refused "$rt" lookalike "$CRI" busyboxevil enforce
        refused "$rt" crio-evil "$CRIO" quay.io/evil/app deny

        # Audit: the disallowed container runs, the finding is recorded.
        dir="$HR_TMP/image-$rt-audit"
        run_image "$rt" audit "$CRI" docker.io/evil/miner:latest audit
        hr_is "$(cat "$dir/run.rc")" 0 "$rt audit: the disallowed image runs"
        hr_is "$(hr_val "$dir/run.stdout" uid)" 65534 "$rt audit: the container ran"
        hr_is "$(jq -c 'select(.rule == "image") | [.action, .path, .before]' "$HR_RUN_AUDIT")" \
                "[\"would_deny\",\"/annotations/$CRI\",\"docker.io/evil/miner:latest\"]" \
                "$rt audit: the finding is recorded as would_deny (enforce refuses the image)"
        hr_expect_audit_records "$HR_RUN_AUDIT" "$HR_RUN_ID" run "$rt audit"

        # require_name: a container whose engine names no image is refused.
        dir="$HR_TMP/image-$rt-unnamed"
        run_image "$rt" unnamed other.annotation x enforce '.rules.image.require_name = true'
        hr_is "$(cat "$dir/run.rc")" 1 "$rt require_name: a spec without an image name is refused"
        hr_like "$(cat "$dir/run.stderr")" "'/annotations': .*rule 'image'" \
                "$rt require_name: the message names /annotations and rule 'image'"
        dir="$HR_TMP/image-$rt-unnamed-ok"
        run_image "$rt" unnamed-ok other.annotation x enforce
        hr_is "$(cat "$dir/run.rc")" 0 "$rt without require_name: a spec without an image name runs"
}

hr_for_each_runtime "rule image" image_rule
hr_done
