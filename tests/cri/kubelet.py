#!/usr/bin/python3
"""A minimal kubelet for the CRI tests: turns a Pod (a subset of the Kubernetes v1 Pod, as JSON)
into the CRI v1 calls the kubelet makes, against a containerd CRI socket.

It does what the kubelet does on the node before and around those calls: the pod directory
/var/lib/kubelet/pods/<uid>/ with emptyDir volumes, the projected service-account token (a
tmpfs written the way the kubelet's atomic writer writes it: a timestamped directory, a
"..data" link to it and one link per file), etc-hosts and the termination-log file; the pod's
log directory; the sandbox and container configs (labels, annotations, namespace options,
security contexts, masked paths, environment) built as the kubelet builds them.

    kubelet.py [--socket S] [--state DIR] [--log-root DIR] [--cgroup-root P] COMMAND
      run [--running] [--timeout S] [--out DIR] POD.json...
                                  start the pods (each in a thread of its own, as the kubelet's
                                  pod workers do); wait until their containers exited (or run,
                                  with --running); the result of pod NAME in DIR/NAME.json
      exec POD CONTAINER [--timeout S] -- CMD  ExecSync in a container of a pod that ran
      delete POD...                            stop and remove the containers and the sandbox
      spec POD [CONTAINER]                     the OCI spec containerd generated (verbose status)
      list                                     pod sandboxes and containers containerd still has
      version                                  the runtime's name and versions

Results are JSON on stdout. A failed CRI call is {"code": GRPC-CODE, "message": DETAILS}: the
message is what the kubelet would put into the pod's events. The generated Python modules for
tests/cri/api.proto come from --pb-dir (protoc --python_out).
"""
import argparse
import base64
import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
import uuid

KUBELET_ROOT = "/var/lib/kubelet"
TOKEN_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"
# securitycontext.DefaultProcMountMaskedPaths / ReadonlyPaths of the kubelet.
MASKED_PATHS = ["/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
                "/sys/firmware", "/sys/devices/virtual/powercap"]
READONLY_PATHS = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
SERVICE_ENV = {"KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443",
               "KUBERNETES_SERVICE_PORT_HTTPS": "443", "KUBERNETES_PORT": "tcp://10.96.0.1:443",
               "KUBERNETES_PORT_443_TCP": "tcp://10.96.0.1:443",
               "KUBERNETES_PORT_443_TCP_PROTO": "tcp", "KUBERNETES_PORT_443_TCP_PORT": "443",
               "KUBERNETES_PORT_443_TCP_ADDR": "10.96.0.1"}

pb = None  # api_pb2, imported in main() from --pb-dir


class Cri:
    """Unary calls of runtime.v1.RuntimeService and ImageService."""

    def __init__(self, socket, timeout):
        import grpc
        self.grpc = grpc
        self.channel = grpc.insecure_channel("unix://" + socket)
        self.timeout = timeout

    def call(self, service, method, request, response_type):
        stub = self.channel.unary_unary("/runtime.v1.%s/%s" % (service, method),
                                        request_serializer=type(request).SerializeToString,
                                        response_deserializer=response_type.FromString)
        return stub(request, timeout=self.timeout)

    def rt(self, method, request):
        return self.call("RuntimeService", method, request, getattr(pb, method + "Response"))

    def image(self, method, request):
        return self.call("ImageService", method, request, getattr(pb, method + "Response"))


def rpc_error(e):
    return {"code": e.code().name, "message": e.details()}


def attempt(fn):
    """(result, None) or (None, error dict) for one CRI call."""
    import grpc
    try:
        return fn(), None
    except grpc.RpcError as e:
        return None, rpc_error(e)


# ---------------------------------------------------------------- the pod's directories

def pod_dir(uid):
    return os.path.join(KUBELET_ROOT, "pods", uid)


def write_file(path, data, mode):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(data)
    os.chmod(path, mode)


def atomic_writer(directory, files, mode):
    """The layout of the kubelet's AtomicWriter: ..<timestamp>/FILE, ..data -> ..<timestamp>,
    FILE -> ..data/FILE."""
    stamp = time.strftime("..%Y_%m_%d_%H_%M_%S.") + str(time.time_ns() % 1000000000)
    os.makedirs(os.path.join(directory, stamp), mode=0o755)
    for name, data in files.items():
        write_file(os.path.join(directory, stamp, name), data, mode)
    os.symlink(stamp, os.path.join(directory, "..data"))
    for name in files:
        os.symlink(os.path.join("..data", name), os.path.join(directory, name))


def prepare_volumes(pod):
    """Host paths of the pod's volumes, as the kubelet sets them up before the sandbox."""
    meta, spec = pod["metadata"], pod["spec"]
    base = pod_dir(meta["uid"])
    os.makedirs(base, mode=0o750, exist_ok=True)
    paths = {}
    for v in spec.get("volumes", []):
        if "emptyDir" in v:
            p = os.path.join(base, "volumes", "kubernetes.io~empty-dir", v["name"])
            os.makedirs(p, exist_ok=True)
            os.chmod(p, 0o777)
        elif "hostPath" in v:
            p = v["hostPath"]["path"]
        elif "projected" in v or "configMap" in v:
            kind = "kubernetes.io~projected" if "projected" in v else "kubernetes.io~configmap"
            p = os.path.join(base, "volumes", kind, v["name"])
            os.makedirs(p, exist_ok=True)
            # Secrets and projected tokens live on a tmpfs of their own.
            if "projected" in v:
                subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", p], check=True)
            atomic_writer(p, v.get("_files", {}), 0o644)
        else:
            raise SystemExit("volume %s: unsupported source" % v["name"])
        paths[v["name"]] = p
    return paths


def add_token_volume(pod):
    spec = pod["spec"]
    if spec.get("automountServiceAccountToken", True) is False:
        return
    name = "kube-api-access-" + secrets.token_hex(3)[:5]
    claims = base64.urlsafe_b64encode(json.dumps({
        "sub": "system:serviceaccount:%s:default" % pod["metadata"]["namespace"],
        "kubernetes.io": {"pod": {"uid": pod["metadata"]["uid"]}}}).encode()).decode().rstrip("=")
    spec.setdefault("volumes", []).append({"name": name, "projected": {}, "_files": {
        "token": "eyJhbGciOiJSUzI1NiJ9.%s.c2lnbmF0dXJl" % claims,
        "ca.crt": "-----BEGIN CERTIFICATE-----\nhrtest\n-----END CERTIFICATE-----\n",
        "namespace": pod["metadata"]["namespace"]}})
    for c in spec["containers"]:
        c.setdefault("volumeMounts", []).append(
            {"name": name, "mountPath": TOKEN_MOUNT, "readOnly": True})


def remove_pod_dir(uid):
    base = pod_dir(uid)
    if not os.path.isdir(base):
        return
    with open("/proc/self/mountinfo") as f:
        mounts = [line.split()[4] for line in f]
    for m in sorted((m for m in mounts if m.startswith(base + "/")), reverse=True):
        subprocess.run(["umount", "-l", m], check=False)
    shutil.rmtree(base, ignore_errors=True)


# ---------------------------------------------------------------- CRI configs

def security_profile(sc):
    """Seccomp as the kubelet sends it when the SeccompDefault feature is off."""
    prof = (sc or {}).get("seccompProfile")
    t = (prof or {}).get("type", "Unconfined")
    p = pb.SecurityProfile(profile_type=getattr(pb.SecurityProfile, t))
    if t == "Localhost":
        p.localhost_ref = prof["localhostProfile"]
    return p


def namespace_options(spec):
    return pb.NamespaceOption(
        network=pb.NODE if spec.get("hostNetwork") else pb.POD,
        pid=pb.NODE if spec.get("hostPID") else
        (pb.POD if spec.get("shareProcessNamespace") else pb.CONTAINER),
        ipc=pb.NODE if spec.get("hostIPC") else pb.POD)


def sandbox_config(pod, args):
    meta, spec = pod["metadata"], pod["spec"]
    psc = spec.get("securityContext", {})
    sc = pb.LinuxSandboxSecurityContext(
        namespace_options=namespace_options(spec),
        privileged=any(c.get("securityContext", {}).get("privileged") for c in spec["containers"]),
        seccomp=security_profile(psc))
    if "runAsUser" in psc:
        sc.run_as_user.value = psc["runAsUser"]
    if "runAsGroup" in psc:
        sc.run_as_group.value = psc["runAsGroup"]
    sc.supplemental_groups.extend(psc.get("supplementalGroups", []) +
                                  ([psc["fsGroup"]] if "fsGroup" in psc else []))
    labels = dict(meta.get("labels", {}))
    labels.update({"io.kubernetes.pod.name": meta["name"],
                   "io.kubernetes.pod.namespace": meta["namespace"],
                   "io.kubernetes.pod.uid": meta["uid"]})
    annotations = dict(meta.get("annotations", {}))
    annotations.update({"kubernetes.io/config.source": "api", "kubernetes.io/config.seen":
                        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
    return pb.PodSandboxConfig(
        metadata=pb.PodSandboxMetadata(name=meta["name"], uid=meta["uid"],
                                       namespace=meta["namespace"], attempt=0),
        hostname="" if spec.get("hostNetwork") else meta["name"],
        log_directory=os.path.join(args.log_root, "%s_%s_%s" % (meta["namespace"], meta["name"],
                                                                meta["uid"])),
        dns_config=pb.DNSConfig(servers=["10.96.0.10"],
                                searches=["%s.svc.cluster.local" % meta["namespace"],
                                          "svc.cluster.local", "cluster.local"],
                                options=["ndots:5"]),
        labels=labels, annotations=annotations,
        linux=pb.LinuxPodSandboxConfig(
            cgroup_parent="%s/pod%s" % (args.cgroup_root, meta["uid"]), security_context=sc,
            sysctls={s["name"]: s["value"] for s in psc.get("sysctls", [])}))


def container_config(pod, c, image_id, volume_paths):
    meta, spec = pod["metadata"], pod["spec"]
    psc, csc = spec.get("securityContext", {}), c.get("securityContext", {})
    base = pod_dir(meta["uid"])
    mounts = []
    for m in c.get("volumeMounts", []):
        mounts.append(pb.Mount(container_path=m["mountPath"], host_path=volume_paths[m["name"]],
                               readonly=bool(m.get("readOnly"))))
    mounts.append(pb.Mount(container_path="/etc/hosts", host_path=os.path.join(base, "etc-hosts")))
    term = os.path.join(base, "containers", c["name"], secrets.token_hex(4))
    write_file(term, "", 0o666)
    mounts.append(pb.Mount(container_path="/dev/termination-log", host_path=term))

    privileged = bool(csc.get("privileged"))
    sc = pb.LinuxContainerSecurityContext(
        capabilities=pb.Capability(add_capabilities=csc.get("capabilities", {}).get("add", []),
                                   drop_capabilities=csc.get("capabilities", {}).get("drop", [])),
        privileged=privileged,
        namespace_options=namespace_options(spec),
        readonly_rootfs=bool(csc.get("readOnlyRootFilesystem")),
        # The kubelet sets no_new_privs only from an explicit allowPrivilegeEscalation: false.
        no_new_privs=csc.get("allowPrivilegeEscalation") is False,
        masked_paths=[] if privileged else MASKED_PATHS,
        readonly_paths=[] if privileged else READONLY_PATHS,
        seccomp=security_profile(csc if "seccompProfile" in csc else psc))
    user = csc.get("runAsUser", psc.get("runAsUser"))
    if user is not None:
        sc.run_as_user.value = user
    group = csc.get("runAsGroup", psc.get("runAsGroup"))
    if group is not None:
        sc.run_as_group.value = group
    sc.supplemental_groups.extend(psc.get("supplementalGroups", []) +
                                  ([psc["fsGroup"]] if "fsGroup" in psc else []))

    env = [pb.KeyValue(key=e["name"], value=e.get("value", "")) for e in c.get("env", [])]
    env += [pb.KeyValue(key=k, value=v) for k, v in SERVICE_ENV.items()]
    return pb.ContainerConfig(
        metadata=pb.ContainerMetadata(name=c["name"], attempt=0),
        image=pb.ImageSpec(image=image_id),
        command=c.get("command", []), args=c.get("args", []),
        working_dir=c.get("workingDir", ""), envs=env, mounts=mounts,
        labels={"io.kubernetes.container.name": c["name"],
                "io.kubernetes.pod.name": meta["name"],
                "io.kubernetes.pod.namespace": meta["namespace"],
                "io.kubernetes.pod.uid": meta["uid"]},
        annotations={"io.kubernetes.container.hash": secrets.token_hex(4),
                     "io.kubernetes.container.restartCount": "0",
                     "io.kubernetes.container.terminationMessagePath": "/dev/termination-log",
                     "io.kubernetes.container.terminationMessagePolicy": "File",
                     "io.kubernetes.pod.terminationGracePeriod": "30"},
        log_path="%s/0.log" % c["name"],
        linux=pb.LinuxContainerConfig(
            resources=pb.LinuxContainerResources(cpu_period=100000, cpu_shares=2,
                                                 oom_score_adj=1000),
            security_context=sc))


# ---------------------------------------------------------------- commands

def read_log(path):
    """The CRI log file: "TIME STREAM P|F TEXT" lines, partial lines joined."""
    out, part = [], ""
    try:
        with open(path, errors="replace") as f:
            for line in f:
                fields = line.rstrip("\n").split(" ", 3)
                if len(fields) < 4:
                    continue
                part += fields[3]
                if fields[2] == "F":
                    out.append(part)
                    part = ""
    except FileNotFoundError:
        return None
    return "\n".join(out + ([part] if part else []))


def state_path(args, name):
    return os.path.join(args.state, name + ".json")


def load_state(args, name):
    with open(state_path(args, name)) as f:
        return json.load(f)


def cmd_run(cri, args):
    results = {}
    threads = [threading.Thread(target=run_pod, args=(cri, args, f, results)) for f in args.pods]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    failed = [f for f in args.pods if f not in results]
    if failed:
        raise SystemExit("could not run: %s" % " ".join(failed))


def run_pod(cri, args, pod_file, results):
    with open(pod_file) as f:
        pod = json.load(f)
    meta, spec = pod["metadata"], pod["spec"]
    meta.setdefault("namespace", "default")
    meta.setdefault("uid", str(uuid.uuid4()))
    add_token_volume(pod)
    volume_paths = prepare_volumes(pod)
    config = sandbox_config(pod, args)
    os.makedirs(config.log_directory, mode=0o755, exist_ok=True)
    handler = spec.get("runtimeClassName") or ""
    result = {"name": meta["name"], "namespace": meta["namespace"], "uid": meta["uid"],
              "handler": handler, "sandbox_id": None, "containers": []}

    def save():
        with open(state_path(args, meta["name"]), "w") as f:
            json.dump(result, f)

    resp, err = attempt(lambda: cri.rt("RunPodSandbox", pb.RunPodSandboxRequest(
        config=config, runtime_handler=handler)))
    result["sandbox_error"] = err
    if resp:
        result["sandbox_id"] = resp.pod_sandbox_id
        st = cri.rt("PodSandboxStatus", pb.PodSandboxStatusRequest(
            pod_sandbox_id=resp.pod_sandbox_id, verbose=True))
        result["sandbox_ip"] = st.status.network.ip
        info = json.loads(st.info.get("info", "{}"))
        result["sandbox_pid"] = info.get("pid")
        hosts = "127.0.0.1\tlocalhost\n%s\t%s\n" % (st.status.network.ip or "127.0.1.1",
                                                   meta["name"])
        write_file(os.path.join(pod_dir(meta["uid"]), "etc-hosts"), hosts, 0o644)
    save()  # from here on, delete finds what there is to tear down
    if resp:
        for c in spec["containers"]:
            result["containers"].append(run_container(cri, args, pod, c, resp.pod_sandbox_id,
                                                      config, volume_paths))
            save()
        wait_containers(cri, args, result)
    save()
    with open(os.path.join(args.out, meta["name"] + ".json"), "w") as f:
        json.dump(result, f, indent=1)
    results[pod_file] = result


def run_container(cri, args, pod, c, sandbox_id, config, volume_paths):
    out = {"name": c["name"], "id": None, "create_error": None, "start_error": None}
    img = cri.image("ImageStatus", pb.ImageStatusRequest(image=pb.ImageSpec(image=c["image"])))
    if not img.image.id:
        out["create_error"] = {"code": "NOT_FOUND", "message": "image %s not found" % c["image"]}
        return out
    # The kubelet creates containers from the image id it resolved.
    cc = container_config(pod, c, img.image.id, volume_paths)
    resp, out["create_error"] = attempt(lambda: cri.rt("CreateContainer", pb.CreateContainerRequest(
        pod_sandbox_id=sandbox_id, config=cc, sandbox_config=config)))
    if not resp:
        return out
    out["id"] = resp.container_id
    out["log_path"] = os.path.join(config.log_directory, cc.log_path)
    _, out["start_error"] = attempt(lambda: cri.rt("StartContainer", pb.StartContainerRequest(
        container_id=resp.container_id)))
    return out


def wait_containers(cri, args, result):
    want = pb.CONTAINER_RUNNING if args.running else pb.CONTAINER_EXITED
    deadline = time.monotonic() + args.timeout
    for c in result["containers"]:
        if not c["id"]:
            continue
        while True:
            st = cri.rt("ContainerStatus", pb.ContainerStatusRequest(container_id=c["id"])).status
            done = st.state == want or st.state == pb.CONTAINER_EXITED
            if done or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        c["state"] = pb.ContainerState.Name(st.state)
        c["exit_code"] = st.exit_code
        c["reason"] = st.reason
        c["message"] = st.message
        c["log"] = read_log(c["log_path"])


def find_container(args, pod_name, name):
    st = load_state(args, pod_name)
    for c in st["containers"]:
        if c["name"] == name and c["id"]:
            return c
    raise SystemExit("pod %s has no container %s" % (pod_name, name))


def cmd_exec(cri, args):
    c = find_container(args, args.pod_name, args.container)
    resp, err = attempt(lambda: cri.rt("ExecSync", pb.ExecSyncRequest(
        container_id=c["id"], cmd=args.cmd, timeout=args.timeout)))
    if err:
        json.dump({"error": err}, sys.stdout)
    else:
        json.dump({"error": None, "exit_code": resp.exit_code,
                   "stdout": resp.stdout.decode(errors="replace"),
                   "stderr": resp.stderr.decode(errors="replace")}, sys.stdout)
    print()


def delete_pod(cri, args, name, out):
    """The kubelet's teardown: containers first, then the sandbox, then the pod directory."""
    st = load_state(args, name)
    errors = []
    calls = []
    for c in st["containers"]:
        if c["id"]:
            calls += [("StopContainer", pb.StopContainerRequest(container_id=c["id"], timeout=10)),
                      ("RemoveContainer", pb.RemoveContainerRequest(container_id=c["id"]))]
    if st["sandbox_id"]:
        calls += [("StopPodSandbox", pb.StopPodSandboxRequest(pod_sandbox_id=st["sandbox_id"])),
                  ("RemovePodSandbox", pb.RemovePodSandboxRequest(pod_sandbox_id=st["sandbox_id"]))]
    for method, req in calls:
        _, err = attempt(lambda: cri.rt(method, req))
        if err:
            errors.append({"call": method, **err})
    remove_pod_dir(st["uid"])
    os.unlink(state_path(args, name))
    out[name] = errors


def cmd_delete(cri, args):
    out = {}
    threads = [threading.Thread(target=delete_pod, args=(cri, args, n, out))
               for n in args.pod_names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    missing = [n for n in args.pod_names if n not in out]
    json.dump(out, sys.stdout)
    print()
    if missing:
        raise SystemExit("could not delete: %s" % " ".join(missing))


def cmd_spec(cri, args):
    st = load_state(args, args.pod_name)
    if args.container:
        cid = find_container(args, args.pod_name, args.container)["id"]
        resp = cri.rt("ContainerStatus", pb.ContainerStatusRequest(container_id=cid,
                                                                    verbose=True))
    else:
        resp = cri.rt("PodSandboxStatus", pb.PodSandboxStatusRequest(
            pod_sandbox_id=st["sandbox_id"], verbose=True))
    json.dump(json.loads(resp.info["info"])["runtimeSpec"], sys.stdout, indent=1)
    print()


def cmd_list(cri, args):
    pods = cri.rt("ListPodSandbox", pb.ListPodSandboxRequest()).items
    ctrs = cri.rt("ListContainers", pb.ListContainersRequest()).containers
    json.dump({"sandboxes": [p.id for p in pods], "containers": [c.id for c in ctrs]}, sys.stdout)
    print()


def cmd_version(cri, args):
    v = cri.rt("Version", pb.VersionRequest(version="v1"))
    st = cri.rt("Status", pb.StatusRequest())
    json.dump({"runtime_name": v.runtime_name, "runtime_version": v.runtime_version,
               "runtime_api_version": v.runtime_api_version,
               "conditions": {c.type: c.status for c in st.status.conditions}}, sys.stdout)
    print()


def main():
    global pb
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--socket", default="/run/containerd/containerd.sock")
    ap.add_argument("--pb-dir", required=True, help="where protoc wrote api_pb2.py")
    ap.add_argument("--state", required=True, help="the pods this kubelet ran (JSON files)")
    ap.add_argument("--log-root", default="/var/log/pods")
    ap.add_argument("--cgroup-root", default="/kubepods")
    ap.add_argument("--call-timeout", type=float, default=60)
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run")
    p.add_argument("pods", nargs="+")
    p.add_argument("--running", action="store_true")
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--out", required=True)
    p = sub.add_parser("exec")
    p.add_argument("pod_name")
    p.add_argument("container")
    p.add_argument("--timeout", type=int, default=30)
    p.add_argument("cmd", nargs="+")
    p = sub.add_parser("delete")
    p.add_argument("pod_names", nargs="+")
    p = sub.add_parser("spec")
    p.add_argument("pod_name")
    p.add_argument("container", nargs="?")
    sub.add_parser("list")
    sub.add_parser("version")
    args = ap.parse_args()

    sys.path.insert(0, args.pb_dir)
    import api_pb2
    pb = api_pb2
    os.makedirs(args.state, exist_ok=True)
    cri = Cri(args.socket, args.call_timeout)
    {"run": cmd_run, "exec": cmd_exec, "delete": cmd_delete, "spec": cmd_spec,
     "list": cmd_list, "version": cmd_version}[args.command](cri, args)


if __name__ == "__main__":
    main()
