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
                .summary = "a spec that looks like --privileged is reported (report only)",
                .enforce = "nothing is rewritten here: one 'detected' record lists the marks "
                           "found (all capabilities or CAP_SYS_ADMIN in the bounding set, no "
                           "capabilities object, no seccomp filter or one that allows every "
                           "syscall, AppArmor unconfined, no masked or read-only paths, /sys "
                           "or a cgroup filesystem mounted read-write, an allow-all device "
                           "cgroup rule, host devices beyond the standard set) when there are "
                           "two or more; the other rules then remove them. It runs first, so "
                           "it sees the spec as the engine wrote it. An exec process file is "
                           "reported when it holds CAP_SYS_ADMIN or every capability (exec "
                           "--privileged).",
                .deny = "such a spec or exec process (audit mode: 'detected' records only)",
                .spec = "process.capabilities.bounding, process.apparmorProfile, "
                        "linux.seccomp, linux.maskedPaths, linux.readonlyPaths, mounts[], "
                        "linux.resources.devices[], linux.devices[]",
                .cis = "5.5 (privileged containers are not used), 5.23 (docker exec commands "
                       "are not used with the privileged option)",
                .pss = "baseline: Privileged Containers",
                .fields = {{NULL, NULL, NULL}},
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
                .summary = "TODO",
        },
        /* ---- resources: slot ---- */
        {
                .rule = "resources",
                .summary = "TODO",
        },
        /* ---- rlimits: slot ---- */
        {
                .rule = "rlimits",
                .summary = "TODO",
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
                .summary = "credentials in the environment are reported (report only)",
                .enforce = "nothing is rewritten (removing a variable breaks the workload): "
                           "a 'detected' record per variable whose value holds a known token "
                           "format (AWS access key ids, GitHub, GitLab, Slack, Stripe, Google, "
                           "OpenAI, Anthropic, npm, PyPI, Vault, DigitalOcean, SendGrid and "
                           "age keys, private keys, JSON web tokens, URLs with a password) or "
                           "whose name contains PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, "
                           "CREDENTIAL and the like with a value that is set and is no "
                           "reference (a path, $VAR, a template, a flag, a number). Names "
                           "ending in _FILE, _PATH, _URL, _ID, _NAME and similar are no "
                           "secrets. Records name the variable, never the value. Exec process "
                           "files too.",
                .deny = "any such variable",
                .spec = "process.env[]",
                .cis = "4.10 (secrets are not stored in Dockerfiles)",
                .pss = "none (the standards do not look at environment variables; Kyverno's "
                       "disallow-secrets-from-env-vars policy does)",
                .fields = {
                        {"allow_names", "array of strings",
                         "variable names (exact, case-sensitive) never reported"},
                },
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
