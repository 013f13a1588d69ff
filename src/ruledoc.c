/* The rule documentation table. Keyed by rule name, so a rule added to the enum compiles without
 * an entry; tests/unit/test-policy.c fails until it has one whose fields match policy show. */
#include "ruledoc.h"

#include <string.h>

#include "util/cleanup.h"

/* Prose in string literals, laid out by hand. */
/* clang-format off */
static const struct ruledoc docs[] = {
        {
                .rule = "user",
                .summary = "no process runs as uid or gid 0",
                .enforce = "uid 0 and gid 0 (and 4294967295, which crun reads as 'unchanged') "
                           "become the policy's uid and gid; group 0 is removed from "
                           "additionalGids. A non-root image user is kept unless keep_non_root "
                           "is false.",
                .deny = "a process whose uid, gid or any additional gid is 0 (with "
                        "keep_non_root false: any other id than the policy's)",
                .spec = "process.user.uid, process.user.gid, process.user.additionalGids",
                .cis = "4.1 (a user for the container has been created), 5.24 (exec is not "
                       "run as root)",
                .pss = "restricted: Running as Non-root (runAsNonRoot), Running as Non-root user "
                       "(runAsUser != 0)",
                .fields = {
                        {"uid", "integer", "uid that replaces 0 (1 to 4294967294)"},
                        {"gid", "integer", "gid that replaces 0 (1 to 4294967294)"},
                        {"keep_non_root", "boolean",
                         "keep an image's own non-root uid and gid; false forces the policy's "
                         "ids on every process"},
                },
        },
        {
                .rule = "capabilities",
                .summary = "every capability set is reduced to an allowlist",
                .enforce = "bounding, effective and permitted are intersected with allow; "
                           "inheritable and ambient are emptied unless inheritable is true "
                           "(CVE-2022-24769). A process without a capabilities object, which "
                           "runc would leave with every capability, gets one with the allowed "
                           "sets.",
                .deny = "a capability outside the allowlist in any set",
                .spec = "process.capabilities.{bounding,effective,permitted,inheritable,ambient}",
                .cis = "5.4 (Linux kernel capabilities are restricted within containers)",
                .pss = "baseline: Capabilities (only Docker's defaults minus NET_RAW may be "
                       "added); restricted: Capabilities (drop ALL, add back only "
                       "NET_BIND_SERVICE)",
                .fields = {
                        {"allow", "array of strings",
                         "capabilities kept, as \"NET_BIND_SERVICE\", \"CAP_NET_BIND_SERVICE\" or "
                         "\"net_bind_service\"; shown as CAP_ names"},
                        {"inheritable", "boolean",
                         "also allow them in the inheritable and ambient sets"},
                },
        },
        {
                .rule = "seccomp",
                .summary = "the policy's seccomp profile is installed",
                .enforce = "linux.seccomp is replaced by the policy's profile (for the host's "
                           "architectures), or with merge keep_if_stricter the spec's own "
                           "profile stays when it allows nothing more.",
                .deny = "no profile, or one that differs from the policy's (and, with "
                        "keep_if_stricter, allows more)",
                .spec = "linux.seccomp",
                .cis = "5.22 (the default seccomp profile is not disabled)",
                .pss = "baseline: Seccomp (not Unconfined); restricted: Seccomp (RuntimeDefault "
                       "or Localhost)",
                .fields = {
                        {"profile", "string",
                         "built-in \"default\" or \"strict\", or the absolute path of a "
                         "root-owned profile file (an OCI linux.seccomp object)"},
                        {"merge", "string",
                         "\"replace\": always install the policy's profile; "
                         "\"keep_if_stricter\": keep the spec's profile when it allows no "
                         "syscall (or argument value) the policy's does not"},
                        {"unknown_syscalls", "string",
                         "\"error\": a syscall name libseccomp does not know (except newer "
                         "syscalls) makes a profile invalid; \"ignore\": skip it as runc and "
                         "crun do"},
                },
        },
        {
                .rule = "rootfs",
                .summary = "the root filesystem is read-only, with tmpfs scratch space",
                .enforce = "root.readonly becomes true; a tmpfs with nosuid,nodev,noexec is "
                           "mounted at each tmpfs path the spec does not already mount "
                           "something at.",
                .deny = "root.readonly absent or false, or a tmpfs path without a mount",
                .spec = "root.readonly, mounts[].destination",
                .cis = "5.13 (the container's root filesystem is mounted as read only)",
                .pss = "none (read-only root filesystems are not part of the Pod Security "
                       "Standards)",
                .fields = {
                        {"tmpfs", "array of objects",
                         "scratch mounts: {\"path\": absolute path, \"options\": tmpfs options "
                         "such as \"mode=1777,size=64m\"}; nosuid, nodev and noexec are always "
                         "added, suid, dev, exec, bind, rbind and remount refused. A list "
                         "replaces the default one; [] adds none"},
                },
        },
        {
                .rule = "no_new_privileges",
                .summary = "execve cannot gain privileges",
                .enforce = "process.noNewPrivileges becomes true, so setuid binaries and file "
                           "capabilities grant nothing.",
                .deny = "process.noNewPrivileges absent or false",
                .spec = "process.noNewPrivileges",
                .cis = "5.26 (the container is restricted from acquiring additional "
                       "privileges)",
                .pss = "restricted: Privilege Escalation (allowPrivilegeEscalation: false)",
                .fields = {{NULL, NULL, NULL}},
        },
        {
                .rule = "namespaces",
                .summary = "the container has its own network, pid, ipc, uts and mount "
                           "namespaces",
                .enforce = "a missing network, pid, ipc, uts or mount namespace is added (a "
                           "private one). An entry whose path is the host's own namespace (the "
                           "device and inode of PID 1's namespace file) cannot be fixed by a "
                           "rewrite and is refused, in enforce mode too; joining another "
                           "container's namespace by path (pods, --network container:X) stays "
                           "allowed.",
                .deny = "a required namespace missing, or any namespace path that is the "
                        "host's",
                .spec = "linux.namespaces[].type, linux.namespaces[].path",
                .cis = "5.10 (the host's network namespace is not shared), 5.16 (the host's "
                       "process namespace is not shared), 5.17 (the host's IPC namespace is not "
                       "shared), 5.21 (the host's UTS namespace is not shared), 5.31 (the "
                       "Docker host user namespace is not shared)",
                .pss = "baseline: Host Namespaces (hostNetwork, hostPID, hostIPC)",
                .fields = {{NULL, NULL, NULL}},
        },
        {
                .rule = "mounts",
                .summary = "no bind mount exposes a sensitive host path",
                .enforce = "a bind mount whose source, after symbolic links, is at, under or "
                           "above a path on the deny list (mounting /run would expose "
                           "/run/docker.sock) cannot be made safe by a rewrite and is refused, "
                           "in enforce mode too, unless the source matches the allow list of "
                           "engine-managed sources.",
                .deny = "such a bind mount",
                .spec = "mounts[].type, mounts[].options (bind, rbind), mounts[].source",
                .cis = "5.6 (sensitive host system directories are not mounted on "
                       "containers), 5.32 (the Docker socket is not mounted inside any "
                       "containers)",
                .pss = "baseline: HostPath Volumes; restricted: Volume Types",
                .fields = {
                        {"deny", "array of strings",
                         "absolute host paths no bind mount may expose; the list replaces the "
                         "built-in one"},
                        {"allow", "array of strings",
                         "engine-managed sources allowed although under a denied path; '*' "
                         "matches one path component, a trailing '/' everything below; the "
                         "list replaces the built-in one"},
                },
        },
        {
                .rule = "devices",
                .summary = "no host devices beyond the standard set",
                .enforce = "device nodes other than null, zero, full, random, urandom, tty, "
                           "console and ptmx are dropped from linux.devices; the device cgroup "
                           "gets a deny-all first rule, and allow rules for all devices, "
                           "wildcard majors or minors (pseudo-terminals aside) and block "
                           "devices are removed.",
                .deny = "any such device node or device cgroup rule",
                .spec = "linux.devices[], linux.resources.devices[]",
                .cis = "5.18 (host devices are not directly exposed to containers)",
                .pss = "baseline: Privileged Containers (privileged is what exposes every host "
                       "device; the standards have no device control of their own)",
                .fields = {{NULL, NULL, NULL}},
        },
        /* ---- privileged: slot ---- */
        {
                .rule = "privileged",
                .summary = "TODO",
        },
        /* ---- user_namespace: slot ---- */
        {
                .rule = "user_namespace",
                .summary = "TODO",
        },
        /* ---- mount_options: slot ---- */
        {
                .rule = "mount_options",
                .summary = "TODO",
        },
        /* ---- masked_paths: slot ---- */
        {
                .rule = "masked_paths",
                .summary = "TODO",
        },
        /* ---- hooks: slot ---- */
        {
                .rule = "hooks",
                .summary = "TODO",
        },
        /* ---- sysctls: slot ---- */
        {
                .rule = "sysctls",
                .summary = "only the sysctls Pod Security calls safe, with plain values",
                .enforce = "linux.sysctl keys outside the allow list are dropped, and so is any "
                           "value containing '+' or '=', which CRI-O's pinns split into a second "
                           "write (cr8escape, CVE-2022-0811). Names compare exactly, with '/' "
                           "separators read as runc reads them (net/ipv4/ip_forward is "
                           "net.ipv4.ip_forward). A value that is not a string is an error.",
                .deny = "a sysctl outside the allow list, or a value containing '+' or '='",
                .spec = "linux.sysctl",
                .cis = "none (the benchmark has no sysctl control)",
                .pss = "baseline: Sysctls (kernel.shm_rmid_forced and the net.ipv4 "
                       "port range, unprivileged port start, syncookies, ping group range, "
                       "reserved ports, keepalive, fin timeout, rmem/wmem, slow start after idle "
                       "and notsent_lowat sysctls)",
                .fields = {
                        {"allow", "array of strings",
                         "sysctl names kept, exact; the list replaces the PSS baseline set "
                         "(which includes the two Docker sets in a private network namespace)"},
                },
        },
        /* ---- resources: slot ---- */
        {
                .rule = "resources",
                .summary = "a pids limit, a memory limit if the policy has one, and an OOM "
                           "score floor",
                .enforce = "linux.resources.pids.limit absent, 0 or negative (no limit in runc) "
                           "becomes pids_limit; linux.resources.memory.limit absent, 0 or "
                           "negative becomes memory_limit when that is set; process.oomScoreAdj "
                           "below oom_score_adj_min is raised to it. A limit the spec sets is "
                           "kept, also above the policy's value: the rule fills in defaults. "
                           "Exec processes are left alone: runc and crun set the OOM score "
                           "only at create.",
                .deny = "no pids limit; no memory limit (when memory_limit is set); "
                        "oomScoreAdj below the floor",
                .spec = "linux.resources.pids.limit, linux.resources.memory.limit, "
                        "process.oomScoreAdj",
                .cis = "5.11 (memory usage for containers is limited), 5.29 (the PIDs cgroup "
                       "limit is used); 5.12 (CPU priority) is not set: shares are relative "
                       "weights with no default that fits every host",
                .pss = "none (Kubernetes leaves limits to LimitRange and ResourceQuota)",
                .fields = {
                        {"pids_limit", "integer",
                         "pids limit added where the spec has none; 0 adds none"},
                        {"memory_limit", "integer",
                         "memory limit in bytes added where the spec has none; 0 adds none, "
                         "else at least 6 MiB"},
                        {"oom_score_adj_min", "integer",
                         "lowest oomScoreAdj kept, -1000 to 1000"},
                },
        },
        /* ---- rlimits: slot ---- */
        {
                .rule = "rlimits",
                .summary = "no resource limit above the policy's maximum, one entry per type",
                .enforce = "hard and soft limits above the type's maximum are lowered to it "
                           "(a soft limit at or below hard stays so); types without a maximum "
                           "are left alone, and so is a process without rlimits (it keeps the "
                           "runtime's own). A type given twice is refused, in enforce mode too: "
                           "the runtime-spec says the runtime MUST refuse it, runc keeps the "
                           "last. An unknown type or a non-integer limit is an error.",
                .deny = "a limit above the maximum; a type given twice",
                .spec = "process.rlimits[].{type,hard,soft}",
                .cis = "5.19 (the default ulimit is overwritten at runtime if needed)",
                .pss = "none",
                .fields = {
                        {"max", "object",
                         "highest hard and soft limit per type, as {\"RLIMIT_NOFILE\": "
                         "1048576}; the object replaces the default"},
                },
        },
        /* ---- lsm: slot ---- */
        {
                .rule = "lsm",
                .summary = "TODO",
        },
        /* ---- net_devices: slot ---- */
        {
                .rule = "net_devices",
                .summary = "TODO",
        },
        /* ---- env_secrets: slot ---- */
        {
                .rule = "env_secrets",
                .summary = "TODO",
        },
        /* ---- image: slot ---- */
        {
                .rule = "image",
                .summary = "TODO",
        },
};
/* clang-format on */

const struct ruledoc *ruledoc_get(const char *rule)
{
        for (size_t i = 0; i < ELEMENTSOF(docs); i++)
                if (strcmp(docs[i].rule, rule) == 0)
                        return &docs[i];
        return NULL;
}
