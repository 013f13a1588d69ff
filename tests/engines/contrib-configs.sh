#!/bin/bash
# The engine and Kubernetes files in contrib/: yamllint and a structure check of the manifests
# (kinds, names, the handler name shared with the containerd and CRI-O configs, the hostPath
# mounts), the TOML and JSON configs, containerd 1.x's own parser on contrib/containerd/config.toml,
# the ConfigMap's policy through hardrun's parser, and the node installer (install.sh) against
# fake host roots with containerd configs of each supported kind, and against policies
# hardrunctl accepts and refuses (the node keeps its policy, the status file says why).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PY=/usr/bin/python3 # Debian's, with python3-yaml (yamllint's dependency) and tomllib
eng_setup yamllint containerd "$PY"
"$PY" -c 'import yaml, tomllib' 2>/dev/null || hr_skip_all "$PY lacks yaml or tomllib (install yamllint)"

S=$HARDRUN_SRCDIR
K8S="$S/contrib/kubernetes"
INSTALL="$K8S/installer/install.sh"
mkdir -p "$E_TMP/out"

# ---------------------------------------------------------------- YAML

out="$E_TMP/out/yamllint"
hr_ctx "$out.stdout" "$out.stderr"
eng_run "$out" yamllint -s -f parsable -c "$K8S/.yamllint" "$K8S"
hr_is "$(cat "$out.rc")" 0 "yamllint -s (contrib/kubernetes/.yamllint) passes on contrib/kubernetes"

# Structure: one "PASS|FAIL<tab>description<tab>detail" line per check.
"$PY" - "$S" >"$E_TMP/out/structure" 2>&1 <<'PY'
import json, sys, tomllib, yaml

src = sys.argv[1]
k8s = src + "/contrib/kubernetes"

def check(ok, desc, detail=""):
    print("%s\t%s\t%s" % ("PASS" if ok else "FAIL", desc, detail))

def load(name):
    with open(k8s + "/" + name) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]

docs = {}
for name in ["runtimeclass.yaml", "installer.yaml", "admission-policy.yaml", "example-pod.yaml"]:
    docs[name] = load(name)
kinds = {n: [(d["apiVersion"], d["kind"], d["metadata"]["name"]) for d in ds] for n, ds in docs.items()}
check(kinds["runtimeclass.yaml"] == [("node.k8s.io/v1", "RuntimeClass", "hardrun")],
      "runtimeclass.yaml is one node.k8s.io/v1 RuntimeClass named hardrun", kinds["runtimeclass.yaml"])
check(kinds["installer.yaml"] == [("v1", "Namespace", "hardrun-system"),
                                  ("v1", "ServiceAccount", "hardrun-installer"),
                                  ("v1", "ConfigMap", "hardrun-policy"),
                                  ("apps/v1", "DaemonSet", "hardrun-installer")],
      "installer.yaml: Namespace, ServiceAccount, ConfigMap hardrun-policy, DaemonSet hardrun-installer",
      kinds["installer.yaml"])
check(kinds["admission-policy.yaml"] == [
          ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", "hardrun-runtimeclass-required"),
          ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding", "hardrun-runtimeclass-required")],
      "admission-policy.yaml: a ValidatingAdmissionPolicy and its binding", kinds["admission-policy.yaml"])

rc = docs["runtimeclass.yaml"][0]
handler = rc["handler"]
check(handler == "hardrun", "RuntimeClass handler is 'hardrun'", handler)
ready = rc.get("scheduling", {}).get("nodeSelector", {})
check(ready == {"hardrun.io/runtime": "ready"}, "RuntimeClass schedules on hardrun.io/runtime=ready", ready)
install_sh = open(k8s + "/installer/install.sh").read()
check("READY_LABEL=hardrun.io/runtime=ready" in install_sh,
      "install.sh tells the admin the label the RuntimeClass selects")

with open(src + "/contrib/containerd/config.toml", "rb") as f:
    c1 = tomllib.load(f)
with open(src + "/contrib/containerd/hardrun-containerd2.toml", "rb") as f:
    c2 = tomllib.load(f)
r1 = c1["plugins"]["io.containerd.grpc.v1.cri"]["containerd"]["runtimes"]
r2 = c2["plugins"]["io.containerd.cri.v1.runtime"]["containerd"]["runtimes"]
check(c1.get("version") == 2 and handler in r1, "containerd 1.x config (version 2) has the RuntimeClass's handler", list(r1))
check(c2.get("version") == 3 and handler in r2, "containerd 2.x drop-in (version 3) has the RuntimeClass's handler", list(r2))
for name, r in (("1.x", r1), ("2.x", r2)):
    h = r[handler]
    check(h.get("runtime_type") == "io.containerd.runc.v2" and
          h.get("options", {}).get("BinaryName") == "/usr/local/sbin/hardrun",
          "containerd %s handler: runc v2 shim with BinaryName /usr/local/sbin/hardrun" % name, h)
check("default_runtime_name" not in c1["plugins"]["io.containerd.grpc.v1.cri"].get("containerd", {}) and
      "default_runtime_name" not in c2["plugins"]["io.containerd.cri.v1.runtime"].get("containerd", {}),
      "the containerd snippets do not make hardrun the default handler (system pods need root)")

with open(src + "/contrib/cri-o/10-hardrun.conf", "rb") as f:
    crio = tomllib.load(f)
h = crio["crio"]["runtime"]["runtimes"].get(handler, {})
check(h == {"runtime_path": "/usr/local/sbin/hardrun", "runtime_type": "oci", "runtime_root": "/run/runc-hardrun"},
      "CRI-O drop-in: [crio.runtime.runtimes.hardrun] runtime_path, runtime_type oci, runtime_root", h)
check(list(crio["crio"]["runtime"]) == ["runtimes"], "CRI-O drop-in changes nothing but the runtime list",
      list(crio["crio"]["runtime"]))

with open(src + "/contrib/podman/containers.conf", "rb") as f:
    pm = tomllib.load(f)
sj = pm["engine"]["runtime_supports_json"]
check("hardrun" in sj and all(r in sj for r in ["crun", "runc", "kata", "runsc", "youki", "krun"]),
      "containers.conf: runtime_supports_json has hardrun and podman's own entries", sj)
check(pm["engine"]["runtimes"].get("hardrun") == ["/usr/local/sbin/hardrun"] and pm["engine"]["runtime"] == "hardrun",
      "containers.conf: runtime hardrun at /usr/local/sbin/hardrun", pm["engine"])

with open(src + "/contrib/docker/daemon.json") as f:
    dj = json.load(f)
check(dj == {"runtimes": {"hardrun": {"path": "/usr/local/sbin/hardrun"}}, "default-runtime": "hardrun"},
      "daemon.json: runtime hardrun at /usr/local/sbin/hardrun, the default runtime", dj)

ns, sa, cm, ds = docs["installer.yaml"]
check(ns["metadata"]["labels"].get("pod-security.kubernetes.io/enforce") == "privileged",
      "the installer namespace allows hostPath (Pod Security level privileged)")
try:
    policy = json.loads(cm["data"]["policy.json"])
    check(policy.get("version") == 1 and policy.get("mode") == "audit",
          "the ConfigMap's policy.json is a version 1 policy in audit mode (rollout)", policy.get("mode"))
except (KeyError, ValueError) as e:
    check(False, "the ConfigMap's policy.json is JSON", e)
for d in docs["installer.yaml"][1:]:
    check(d["metadata"].get("namespace") == "hardrun-system", "%s %s is in hardrun-system" % (d["kind"], d["metadata"]["name"]))
spec = ds["spec"]["template"]["spec"]
check(ds["spec"]["selector"]["matchLabels"].items() <= ds["spec"]["template"]["metadata"]["labels"].items(),
      "DaemonSet selector matches its pod labels")
check("runtimeClassName" not in spec, "the installer pod does not run under hardrun (it writes host files as root)")
check(spec.get("hostPID") is not True and spec.get("hostNetwork") is not True and spec.get("hostIPC") is not True,
      "the installer pod uses no host namespace")
check(spec.get("nodeSelector", {}).get("hardrun.io/install") == "true", "nodes opt in with hardrun.io/install=true")
host_paths = {v["name"]: (v["hostPath"]["path"], v["hostPath"].get("type")) for v in spec["volumes"] if "hostPath" in v}
want = {"host-sbin": ("/usr/local/sbin", "DirectoryOrCreate"),
        "host-share": ("/usr/local/share/hardrun", "DirectoryOrCreate"),
        "host-etc-hardrun": ("/etc/hardrun", "DirectoryOrCreate"),
        "host-etc-containerd": ("/etc/containerd", "Directory"),
        "host-audit-log": ("/var/log/hardrun", "DirectoryOrCreate")}
check(host_paths == want, "hostPath volumes are exactly the five hardrun and containerd paths", host_paths)
cms = [v for v in spec["volumes"] if "configMap" in v]
check([v["configMap"]["name"] for v in cms] == [cm["metadata"]["name"]], "the policy volume is the ConfigMap")
init, main = spec["initContainers"], spec["containers"]
check([c["name"] for c in init] == ["install"] and [c["name"] for c in main] == ["policy-sync"],
      "init container 'install', main container 'policy-sync'")
check(init[0]["image"] == main[0]["image"], "both containers use the installer image", init[0]["image"])
check(init[0]["command"] == ["/opt/hardrun/install.sh"] and main[0]["command"] == ["/opt/hardrun/install.sh", "--watch"],
      "install.sh once, then install.sh --watch")
for c in init + main:
    sc = c.get("securityContext", {})
    check(sc.get("privileged") is not True and sc.get("allowPrivilegeEscalation") is False and
          sc.get("readOnlyRootFilesystem") is True and sc.get("capabilities", {}).get("drop") == ["ALL"],
          "container %s: not privileged, no privilege escalation, read-only root, all capabilities dropped" % c["name"], sc)
    for m in c["volumeMounts"]:
        vol = next(v for v in spec["volumes"] if v["name"] == m["name"])
        if "hostPath" in vol:
            check(m["mountPath"] == "/host" + vol["hostPath"]["path"],
                  "container %s mounts %s at /host%s" % (c["name"], vol["hostPath"]["path"], vol["hostPath"]["path"]),
                  m["mountPath"])
mounts = {c["name"]: sorted((m["name"], bool(m.get("readOnly"))) for m in c["volumeMounts"]) for c in init + main}
check(mounts["install"] == [("host-etc-containerd", False), ("host-etc-hardrun", False), ("host-sbin", False),
                            ("host-share", False), ("policy", True)],
      "install mounts the binary, profile, policy and containerd dirs writable, the ConfigMap read-only", mounts["install"])
check(mounts["policy-sync"] == [("host-audit-log", True), ("host-etc-hardrun", False), ("policy", True)],
      "policy-sync writes only /etc/hardrun (the audit log is read-only, for kubectl exec)", mounts["policy-sync"])
probe = main[0].get("readinessProbe", {}).get("exec", {}).get("command", [])
check(probe[:1] == ["jq"] and "/host/etc/hardrun/installer-status.json" in probe and '.state == "ok"' in probe,
      "policy-sync is ready only while the status file says the ConfigMap's policy is installed", probe)
check('"$HARDRUNCTL" policy validate' in install_sh and "HARDRUNCTL=$SRC/sbin/hardrunctl" in install_sh,
      "install.sh validates the policy with the image's hardrunctl")
dockerfile = open(k8s + "/installer/Dockerfile").read()
check("/out/usr/local/sbin/hardrunctl /opt/hardrun/sbin/hardrunctl" in dockerfile,
      "the installer image ships hardrunctl at /opt/hardrun/sbin/hardrunctl")

vap, binding = docs["admission-policy.yaml"]
check(binding["spec"]["policyName"] == vap["metadata"]["name"], "the binding names the policy")
check("'%s'" % rc["metadata"]["name"] in vap["spec"]["validations"][0]["expression"],
      "the admission policy requires the RuntimeClass by name")
pod = docs["example-pod.yaml"][0]
check(pod["kind"] == "Pod" and pod["spec"]["runtimeClassName"] == rc["metadata"]["name"],
      "the example pod uses the RuntimeClass")
PY
while IFS=$'\t' read -r verdict desc detail; do
        case $verdict in
        PASS) hr_ok 0 "$desc" ;;
        FAIL)
                HR_DETAIL="#   $detail"
                hr_ok 1 "$desc"
                ;;
        *) hr_ok 1 "structure check output: $verdict $desc $detail" ;;
        esac
done <"$E_TMP/out/structure"
hr_ok "$([ "$(grep -c '^PASS' "$E_TMP/out/structure")" -ge 40 ]; echo $?)" \
        "the structure check ran all its checks ($(grep -c '^PASS' "$E_TMP/out/structure") passed)"

# ---------------------------------------------------------------- containerd's own parser

# cdump CONFIG OUT: `containerd config dump` of CONFIG (it starts nothing), as JSON facts.
cdump() {
        containerd --config "$1" config dump >"$2.toml" 2>"$2.err" || return 1
        "$PY" -c '
import json, sys, tomllib
d = tomllib.load(open(sys.argv[1], "rb"))
c = d["plugins"]["io.containerd.grpc.v1.cri"]["containerd"]
print(json.dumps({"default": c["default_runtime_name"],
                  "runtimes": {k: {"type": v["runtime_type"],
                                   "BinaryName": v.get("options", {}).get("BinaryName", ""),
                                   "SystemdCgroup": v.get("options", {}).get("SystemdCgroup", False)}
                               for k, v in c["runtimes"].items()}}, sort_keys=True))' "$2.toml"
}

containerd config default >"$E_TMP/default.toml" 2>/dev/null
sed -i 's/SystemdCgroup = false/SystemdCgroup = true/' "$E_TMP/default.toml"
{
        cat "$E_TMP/default.toml"
        grep -v '^version' "$S/contrib/containerd/config.toml"
} >"$E_TMP/with-contrib.toml"
facts=$(cdump "$E_TMP/with-contrib.toml" "$E_TMP/out/dump-contrib")
hr_ctx "$E_TMP/out/dump-contrib.err"
hr_is "$facts" \
        '{"default": "runc", "runtimes": {"hardrun": {"BinaryName": "/usr/local/sbin/hardrun", "SystemdCgroup": false, "type": "io.containerd.runc.v2"}, "runc": {"BinaryName": "", "SystemdCgroup": true, "type": "io.containerd.runc.v2"}}}' \
        "containerd $(containerd --version | awk '{print $3}') loads contrib/containerd/config.toml pasted into its default config: handlers hardrun and runc, default runc"

# ---------------------------------------------------------------- the ConfigMap's policy

"$PY" -c '
import json, sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
cm = next(d for d in docs if d and d["kind"] == "ConfigMap")
sys.stdout.write(cm["data"]["policy.json"])' "$K8S/installer.yaml" >"$E_TMP/cm-policy.json"
jq --arg log "$E_TMP/cm-audit.log" '.audit.file = $log | .runtime = {path: "/bin/true"}' \
        "$E_TMP/cm-policy.json" >"$E_TMP/cm-policy-test.json"
chmod 0644 "$E_TMP/cm-policy-test.json"
mkdir -p "$E_TMP/bundle/rootfs"
(cd "$E_TMP/bundle" && runc spec) && jq '.process.terminal = false | .process.noNewPrivileges = false' "$E_TMP/bundle/config.json" >"$E_TMP/bundle/c.json" &&
        mv "$E_TMP/bundle/c.json" "$E_TMP/bundle/config.json"
out="$E_TMP/out/cm-policy"
hr_ctx "$out.stdout" "$out.stderr"
eng_run "$out" env HARDRUN_POLICY="$E_TMP/cm-policy-test.json" "$HARDRUN_TEST" create --bundle "$E_TMP/bundle" cmcheck
hr_is "$(cat "$out.rc")" 0 "hardrun accepts the ConfigMap's policy (create with it runs the runtime)"
hr_is "$(hr_audit_rules "$E_TMP/cm-audit.log" would_change)" \
        "capabilities masked_paths mount_options no_new_privileges resources rootfs seccomp user" \
        "the ConfigMap's policy audits every rule (would_change records, nothing changed)"

# ---------------------------------------------------------------- install.sh

IMAGE="$E_TMP/image"
mkdir -p "$IMAGE/sbin" "$IMAGE/share/hardrun/profiles/seccomp" "$IMAGE/share/hardrun/profiles/policy" "$IMAGE/containerd"
cp "$HARDRUN" "$IMAGE/sbin/hardrun"
cp "$HARDRUNCTL" "$IMAGE/sbin/hardrunctl"
cp "$S/profiles/seccomp/default.json" "$IMAGE/share/hardrun/profiles/seccomp/"
cp "$S/profiles/policy/audit-all.json" "$IMAGE/share/hardrun/profiles/policy/"
cp "$S/contrib/containerd/hardrun-containerd2.toml" "$IMAGE/containerd/"
mkdir -p "$E_TMP/cm"
cp "$E_TMP/cm-policy.json" "$E_TMP/cm/policy.json"

# installer NAME ARGS...: install.sh against the host root $E_TMP/hosts/NAME.
installer() {
        local name=$1
        shift
        eng_run "$E_TMP/out/install-$name" env HOST_ROOT="$E_TMP/hosts/$name" HARDRUN_SOURCE="$IMAGE" \
                POLICY_FILE="$E_TMP/cm/policy.json" NODE_NAME=test-node SYNC_INTERVAL=1 sh "$INSTALL" "$@"
}
host() {
        mkdir -p "$E_TMP/hosts/$1/etc/containerd" "$E_TMP/hosts/$1/usr/local/sbin"
        [ $# -lt 2 ] || cat >"$E_TMP/hosts/$1/etc/containerd/config.toml"
}

# 1. containerd 1.x default config (version 2) with SystemdCgroup = true for runc.
h="$E_TMP/hosts/v2-default"
host v2-default x <"$E_TMP/default.toml"
installer v2-default
hr_ctx "$E_TMP/out/install-v2-default.stderr"
hr_is "$(cat "$E_TMP/out/install-v2-default.rc")" 0 "install.sh on a version 2 default config exits 0"
hr_check "install.sh: /usr/local/sbin/hardrun is the image's binary" cmp "$IMAGE/sbin/hardrun" "$h/usr/local/sbin/hardrun"
hr_is "$(stat -c '%a %u %g' "$h/usr/local/sbin/hardrun")" "755 0 0" "install.sh: the binary is 0755 root:root"
hr_check "install.sh: the seccomp profile is installed" \
        cmp "$S/profiles/seccomp/default.json" "$h/usr/local/share/hardrun/profiles/seccomp/default.json"
hr_check "install.sh: /etc/hardrun/policy.json is the ConfigMap's" cmp "$E_TMP/cm/policy.json" "$h/etc/hardrun/policy.json"
hr_is "$(stat -c '%a %u %g' "$h/etc/hardrun/policy.json") $(stat -c '%a %u' "$h/etc/hardrun")" "644 0 0 755 0" \
        "install.sh: the policy is 0644 root:root in a 0755 root dir (hardrun trusts it)"
hr_is "$(jq -r '"\(.state) \(.node) \(.installed_sha256 == .source_sha256) \(.installed_sha256)"' "$h/etc/hardrun/installer-status.json")" \
        "ok test-node true $(sha256sum <"$E_TMP/cm/policy.json" | cut -d' ' -f1)" \
        "install.sh: /etc/hardrun/installer-status.json says the ConfigMap's policy (its sha256) is installed"
hr_like "$(tr '\n' ' ' <"$E_TMP/out/install-v2-default.stderr")" \
        "restart containerd on test-node.*kubectl label node test-node hardrun.io/runtime=ready" \
        "install.sh says to restart containerd and label the node"
facts=$(cdump "$h/etc/containerd/config.toml" "$E_TMP/out/dump-v2-default")
hr_ctx "$E_TMP/out/dump-v2-default.err" "$h/etc/containerd/config.toml"
hr_is "$facts" \
        '{"default": "runc", "runtimes": {"hardrun": {"BinaryName": "/usr/local/sbin/hardrun", "SystemdCgroup": true, "type": "io.containerd.runc.v2"}, "runc": {"BinaryName": "", "SystemdCgroup": true, "type": "io.containerd.runc.v2"}}}' \
        "install.sh (version 2): containerd loads the result: hardrun with runc's SystemdCgroup = true, runc kept, default runc"
hr_check "install.sh (version 2): the original config is kept as config.toml.hardrun-backup" \
        cmp "$E_TMP/default.toml" "$h/etc/containerd/config.toml.hardrun-backup"
hr_is "$(grep -c '^# BEGIN hardrun\|^# END hardrun' "$h/etc/containerd/config.toml")" 2 \
        "install.sh (version 2): the handler is between BEGIN/END hardrun markers"
cp "$h/etc/containerd/config.toml" "$E_TMP/v2-first.toml"
installer v2-default
hr_is "$(cat "$E_TMP/out/install-v2-default.rc")" 0 "install.sh run again exits 0"
hr_check "install.sh run again leaves config.toml as it was (idempotent)" cmp "$E_TMP/v2-first.toml" "$h/etc/containerd/config.toml"

# 2. A minimal version 2 config with no runtimes: runc must be declared with hardrun.
host v2-minimal x <<'EOF'
version = 2
[grpc]
  address = "/run/containerd/containerd.sock"
EOF
installer v2-minimal
hr_is "$(cat "$E_TMP/out/install-v2-minimal.rc")" 0 "install.sh on a minimal version 2 config exits 0"
facts=$(cdump "$E_TMP/hosts/v2-minimal/etc/containerd/config.toml" "$E_TMP/out/dump-v2-minimal")
hr_is "$facts" \
        '{"default": "runc", "runtimes": {"hardrun": {"BinaryName": "/usr/local/sbin/hardrun", "SystemdCgroup": false, "type": "io.containerd.runc.v2"}, "runc": {"BinaryName": "", "SystemdCgroup": false, "type": "io.containerd.runc.v2"}}}' \
        "install.sh (minimal version 2): containerd keeps the runc handler next to hardrun"

# 3. containerd 2.x (version 3) without imports: drop-in plus an imports line.
host v3 x <<'EOF'
version = 3
[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
  SystemdCgroup = true
EOF
installer v3
hr_is "$(cat "$E_TMP/out/install-v3.rc")" 0 "install.sh on a version 3 config exits 0"
"$PY" - "$E_TMP/hosts/v3/etc/containerd" >"$E_TMP/out/v3-facts" 2>&1 <<'PY'
import json, sys, tomllib
d = sys.argv[1]
main = tomllib.load(open(d + "/config.toml", "rb"))
drop = tomllib.load(open(d + "/conf.d/hardrun.toml", "rb"))
h = drop["plugins"]["io.containerd.cri.v1.runtime"]["containerd"]["runtimes"]["hardrun"]
print(json.dumps({"imports": main.get("imports"), "version": main.get("version"),
                  "dropin_version": drop.get("version"), "hardrun": h}, sort_keys=True))
PY
hr_is "$(cat "$E_TMP/out/v3-facts")" \
        '{"dropin_version": 3, "hardrun": {"options": {"BinaryName": "/usr/local/sbin/hardrun", "SystemdCgroup": true}, "runtime_type": "io.containerd.runc.v2"}, "imports": ["/etc/containerd/conf.d/*.toml"], "version": 3}' \
        "install.sh (version 3): conf.d/hardrun.toml with SystemdCgroup = true, imported by config.toml (both valid TOML)"
cp "$E_TMP/hosts/v3/etc/containerd/config.toml" "$E_TMP/v3-first.toml"
installer v3
hr_check "install.sh (version 3) run again changes nothing" cmp "$E_TMP/v3-first.toml" "$E_TMP/hosts/v3/etc/containerd/config.toml"

# 4. version 3 whose imports do not cover conf.d: refused, nothing changed.
host v3-imports x <<'EOF'
version = 3
imports = ["/etc/containerd/other/*.toml"]
EOF
cp "$E_TMP/hosts/v3-imports/etc/containerd/config.toml" "$E_TMP/v3-imports.toml"
installer v3-imports
hr_is "$(cat "$E_TMP/out/install-v3-imports.rc")" 1 "install.sh refuses a version 3 config whose imports miss conf.d"
hr_like "$(cat "$E_TMP/out/install-v3-imports.stderr")" "imports' line without /etc/containerd/conf.d/\\*.toml" \
        "install.sh says which imports path to add"
hr_check "install.sh (refused): config.toml unchanged" cmp "$E_TMP/v3-imports.toml" "$E_TMP/hosts/v3-imports/etc/containerd/config.toml"

# 5. No config.toml: containerd on built-in defaults; refused.
host none
installer none
hr_is "$(cat "$E_TMP/out/install-none.rc")" 1 "install.sh refuses a node without config.toml"
hr_like "$(cat "$E_TMP/out/install-none.stderr")" "containerd config default" "install.sh says how to write the defaults first"
hr_is "$(ls -A "$E_TMP/hosts/none/etc/containerd")" "" "install.sh (refused): nothing written to /etc/containerd"

# 6. A policy hardrunctl refuses is not installed; the node keeps what it has and says why.
# policy_file NAME JQ: a ConfigMap policy in $E_TMP/cms/NAME.json, from the ConfigMap's.
policy_file() {
        mkdir -p "$E_TMP/cms"
        jq "$2" "$E_TMP/cm-policy.json" >"$E_TMP/cms/$1.json"
}
policy_file badcap '.rules.capabilities.allow = ["CAP_FOO"]'
policy_file badmode '.mode = "strict"'
policy_file good '.mode = "enforce"'
printf '{"version": 1, "mode": "audit"' >"$E_TMP/cms/truncated.json"
# installer_with NAME POLICY ARGS...: install.sh against host NAME with that ConfigMap policy.
installer_with() {
        local name=$1 policy=$2
        shift 2
        eng_run "$E_TMP/out/install-$name" env HOST_ROOT="$E_TMP/hosts/$name" HARDRUN_SOURCE="$IMAGE" \
                POLICY_FILE="$policy" NODE_NAME=test-node SYNC_INTERVAL=1 sh "$INSTALL" "$@"
}

# a. A fresh node and a policy naming an unknown capability: everything else is installed, the
#    policy is not, the init container fails.
h="$E_TMP/hosts/fresh-bad"
host fresh-bad x <"$E_TMP/default.toml"
installer_with fresh-bad "$E_TMP/cms/badcap.json"
hr_ctx "$E_TMP/out/install-fresh-bad.stderr" "$h/etc/hardrun/installer-status.json"
hr_is "$(cat "$E_TMP/out/install-fresh-bad.rc")" 1 "refused policy, fresh node: install.sh exits 1 (the pod does not start)"
hr_ok "$([ ! -e "$h/etc/hardrun/policy.json" ]; echo $?)" \
        "refused policy, fresh node: no /etc/hardrun/policy.json (hardrun keeps its built-in default)"
hr_check "refused policy, fresh node: the binary is installed anyway" cmp "$IMAGE/sbin/hardrun" "$h/usr/local/sbin/hardrun"
hr_is "$(grep -c '^# BEGIN hardrun' "$h/etc/containerd/config.toml")" 1 "refused policy, fresh node: containerd is configured anyway"
hr_like "$(tr '\n' ' ' <"$E_TMP/out/install-fresh-bad.stderr")" \
        "policy .*is refused: policy.json: '/rules/capabilities/allow/0': unknown capability 'CAP_FOO'.*built-in default" \
        "refused policy, fresh node: the container log says which field and why, and what hardrun uses instead"
hr_is "$(jq -r '"\(.state)|\(.reason)|\(.installed_sha256)"' "$h/etc/hardrun/installer-status.json")" \
        "refused|policy.json: '/rules/capabilities/allow/0': unknown capability 'CAP_FOO'|" \
        "refused policy, fresh node: the status file on the node says refused, and why"
hr_is "$(ls -A "$h/etc/hardrun")" "installer-status.json" "refused policy, fresh node: no temporary file left in /etc/hardrun"

# b. A node with a policy: each refused ConfigMap policy leaves it byte for byte, inode too.
h="$E_TMP/hosts/v2-default"
before=$(stat -c %i "$h/etc/hardrun/policy.json")
cp "$h/etc/hardrun/policy.json" "$E_TMP/installed-before.json"
for bad in badcap badmode truncated; do
        installer_with v2-default "$E_TMP/cms/$bad.json"
        hr_ctx "$E_TMP/out/install-v2-default.stderr"
        hr_is "$(cat "$E_TMP/out/install-v2-default.rc")/$(stat -c %i "$h/etc/hardrun/policy.json")" "1/$before" \
                "refused policy ($bad): install.sh exits 1, /etc/hardrun/policy.json is the same file"
        hr_check "refused policy ($bad): its content is unchanged" cmp "$E_TMP/installed-before.json" "$h/etc/hardrun/policy.json"
        hr_like "$(tr '\n' ' ' <"$E_TMP/out/install-v2-default.stderr")" \
                "is refused: .*keeping the installed /etc/hardrun/policy.json" "refused policy ($bad): the log says the installed one stays"
        hr_is "$(jq -r .state "$h/etc/hardrun/installer-status.json")" refused "refused policy ($bad): status refused"
done
hr_like "$(jq -r .reason "$h/etc/hardrun/installer-status.json")" "invalid JSON" \
        "refused policy (truncated): the status names the parse error"
installer_with v2-default "$E_TMP/cms/good.json"
hr_is "$(cat "$E_TMP/out/install-v2-default.rc")/$(jq -r .mode "$h/etc/hardrun/policy.json")/$(jq -r .state "$h/etc/hardrun/installer-status.json")" \
        "0/enforce/ok" "a valid policy again: installed, status ok"
hr_ok "$([ "$(stat -c %i "$h/etc/hardrun/policy.json")" != "$before" ]; echo $?)" \
        "a valid policy again: renamed over the old one (a new inode), not written into it"

# c. An image without hardrunctl cannot vouch for a policy: none is installed.
mkdir -p "$E_TMP/image-noctl"
cp -a "$IMAGE/." "$E_TMP/image-noctl/"
rm "$E_TMP/image-noctl/sbin/hardrunctl"
host noctl x <"$E_TMP/default.toml"
eng_run "$E_TMP/out/install-noctl" env HOST_ROOT="$E_TMP/hosts/noctl" HARDRUN_SOURCE="$E_TMP/image-noctl" \
        POLICY_FILE="$E_TMP/cms/good.json" NODE_NAME=test-node sh "$INSTALL"
hr_is "$(cat "$E_TMP/out/install-noctl.rc")/$(jq -r .reason "$E_TMP/hosts/noctl/etc/hardrun/installer-status.json")" \
        "1/cannot validate it: $E_TMP/image-noctl/sbin/hardrunctl is missing from the image" \
        "an image without hardrunctl: no policy installed, the status says why"

# 7. --watch: ConfigMap changes reach /etc/hardrun/policy.json, refused ones do not.
cp "$E_TMP/cm-policy.json" "$E_TMP/cm/policy.json"
installer v2-default
HOST_ROOT="$E_TMP/hosts/v2-default" HARDRUN_SOURCE="$IMAGE" POLICY_FILE="$E_TMP/cm/policy.json" \
        NODE_NAME=test-node SYNC_INTERVAL=1 sh "$INSTALL" --watch >"$E_TMP/out/watch.log" 2>&1 </dev/null &
watch_pid=$!
# set_cm FILE: the ConfigMap's new content, as the kubelet swaps it (rename).
set_cm() {
        cp "$1" "$E_TMP/cm/policy.new" && mv "$E_TMP/cm/policy.new" "$E_TMP/cm/policy.json"
}
status_is() {
        [ "$(jq -r '"\(.state) \(.source_sha256)"' "$E_TMP/hosts/v2-default/etc/hardrun/installer-status.json" 2>/dev/null)" = \
                "$1 $(sha256sum <"$E_TMP/cm/policy.json" | cut -d' ' -f1)" ]
}
hr_ctx "$E_TMP/out/watch.log"
set_cm "$E_TMP/cms/good.json"
eng_wait 20 status_is ok
hr_is "$(jq -r .mode "$E_TMP/hosts/v2-default/etc/hardrun/policy.json")" enforce \
        "install.sh --watch copies the changed ConfigMap policy (mode enforce) to /etc/hardrun/policy.json"
cp "$E_TMP/hosts/v2-default/etc/hardrun/policy.json" "$E_TMP/watch-installed.json"
set_cm "$E_TMP/cms/badcap.json"
eng_wait 20 status_is refused
sleep 2.5
hr_check "install.sh --watch keeps the installed policy when hardrunctl refuses the ConfigMap's" \
        cmp "$E_TMP/watch-installed.json" "$E_TMP/hosts/v2-default/etc/hardrun/policy.json"
hr_is "$(jq -r .state "$E_TMP/hosts/v2-default/etc/hardrun/installer-status.json")" refused \
        "install.sh --watch: the status file says refused (the readiness probe fails)"
hr_is "$(grep -c "is refused: policy.json: '/rules/capabilities/allow/0'" "$E_TMP/out/watch.log")" 1 \
        "install.sh --watch: the reason is logged once, not at every interval"
set_cm "$E_TMP/cms/good.json"
eng_wait 20 status_is ok
hr_is "$(jq -r .state "$E_TMP/hosts/v2-default/etc/hardrun/installer-status.json")" ok \
        "install.sh --watch: fixed in the ConfigMap, the status is ok again"
kill -TERM "$watch_pid" 2>/dev/null
wait "$watch_pid" 2>/dev/null
hr_ok $? "install.sh --watch exits 0 on SIGTERM"

hr_done
