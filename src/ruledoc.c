/* The rule documentation table. Keyed by rule name, so a rule added to the enum compiles without
 * an entry; tests/unit/test-policy.c fails until it has one whose fields match policy show. */
#include "ruledoc.h"

#include <string.h>

#include "rules/registry.h"
#include "util/cleanup.h"

/* Prose in string literals, laid out by hand. */
/* clang-format off */
static const struct ruledoc docs[] = {
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
                .summary = "the process runs under an AppArmor profile and an SELinux type, "
                           "never unconfined",
                .enforce = "apparmorProfile \"unconfined\" becomes the policy's profile, and "
                           "a selinuxLabel whose type is not in selinux_types the policy's "
                           "label; without a policy profile or label, and for the type spc_t "
                           "always, the spec is refused, in enforce mode too. An absent "
                           "profile or label is set only on hosts that run AppArmor or SELinux "
                           "(elsewhere runc would fail to apply it), and never in exec process "
                           "files, which inherit the container's. linux.mountLabel is left to "
                           "the engine.",
                .deny = "apparmorProfile \"unconfined\", a selinuxLabel type outside "
                        "selinux_types or spc_t, or (on a host with the LSM) no profile or "
                        "label where the policy names one",
                .spec = "process.apparmorProfile, process.selinuxLabel",
                .cis = "5.2 (an AppArmor profile is enabled, if applicable), 5.3 (SELinux "
                       "security options are set, if applicable)",
                .pss = "baseline: AppArmor (not Unconfined), SELinux (type container_t, "
                       "container_init_t, container_kvm_t or container_engine_t)",
                .fields = {
                        {"apparmor_profile", "string or null",
                         "profile that replaces unconfined and is set where none is (on "
                         "AppArmor hosts); null: unconfined is refused, nothing is set"},
                        {"selinux_label", "string or null",
                         "user:role:type:level label that replaces a disallowed one and is set "
                         "where none is (on SELinux hosts); its type must be allowed; null: "
                         "disallowed labels are refused"},
                        {"selinux_types", "array of strings",
                         "the allowed SELinux types; spc_t is refused even when listed"},
                },
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
                           "files too. The patterns read at most 256 KiB of values per spec: a "
                           "value with a token's fixed part past that is reported as not "
                           "checked in full.",
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
                .summary = "only images under allowed name prefixes run",
                .enforce = "nothing can be rewritten: a container whose image name, as "
                           "containerd's CRI plugin (io.kubernetes.cri.image-name) or CRI-O "
                           "(io.kubernetes.cri-o.ImageName) wrote it, is under no allowed "
                           "prefix is refused, in enforce mode too; so is one without an image "
                           "name when require_name is true.",
                .deny = "an image name under no allowed prefix, or with require_name none",
                .spec = "annotations[\"io.kubernetes.cri.image-name\"], "
                        "annotations[\"io.kubernetes.cri-o.ImageName\"]",
                .cis = "4.2 (containers use only trusted base images)",
                .pss = "none (the Pod Security Standards do not restrict images)",
                .fields = {
                        {"allow", "array of strings",
                         "image name prefixes, fully qualified (docker.io/library/busybox, "
                         "registry.example.com/team/); a prefix matches at a '/', or at the "
                         "':' of a tag or '@' of a digest; []: any image"},
                        {"require_name", "boolean",
                         "refuse a container whose engine names no image (Docker, ctr, "
                         "podman)"},
                },
        },
        {
                .rule = "annotations",
                .summary = "no annotation changes what the runtime does",
                .enforce = "annotations runc or crun read are removed unless allowed: crun's "
                           "run.oci.* (a raw seccomp filter, the filter's listener sent to a "
                           "socket, plugins and handlers loaded as host root, hook output "
                           "files, the runtime's own groups kept, cgroup layout), the systemd "
                           "drivers' org.systemd.property.* (TasksMax=infinity lifts the pids "
                           "limit) and runc's org.criu.config. The engines' own keys pass.",
                .deny = "any such annotation",
                .spec = "annotations",
                .cis = "none",
                .pss = "none",
                .fields = {
                        {"allow", "array of strings",
                         "annotation keys (shell patterns) kept although a runtime reads them"},
                },
        },
        {
                .rule = "mount_types",
                .summary = "only the filesystem types containers need are mounted",
                .enforce = "nothing can be rewritten: a mount of a type other than tmpfs, "
                           "proc, sysfs, devpts, mqueue, cgroup, cgroup2 and overlay (bind "
                           "mounts are rule mounts') is refused: a filesystem from a host "
                           "device, devtmpfs (every host device node), kernel interfaces "
                           "(debugfs, bpf, securityfs, configfs, efivarfs, ...). overlay's "
                           "lowerdir, upperdir and workdir are host paths judged like bind "
                           "sources.",
                .deny = "such a mount",
                .spec = "mounts[].type, overlay's mounts[].options",
                .cis = "5.6 (sensitive host system directories are not mounted on "
                       "containers)",
                .pss = "restricted: Volume Types",
                .fields = {
                        {"allow", "array of strings", "further filesystem types allowed"},
                },
        },
        {
                .rule = "groups",
                .summary = "no process holds a privileged host group",
                .enforce = "supplementary groups on the deny list (names resolved in the "
                           "host's /etc/group, numbers as they are, and the group of any "
                           "engine API socket found on the host) are removed; such a primary "
                           "gid is refused. Without a user namespace a container's gid is the "
                           "host's.",
                .deny = "such a group",
                .spec = "process.user.additionalGids, process.user.gid",
                .cis = "5.24 (exec is not run as root)",
                .pss = "none",
                .fields = {
                        {"deny", "array of strings",
                         "group names or numbers; the list replaces the built-in one"},
                        {"engine_sockets", "boolean",
                         "also deny the groups that may use an engine's API socket"},
                },
        },
        {
                .rule = "cgroups_path",
                .summary = "the container gets a new cgroup of its own",
                .enforce = "nothing can be rewritten: a linux.cgroupsPath that is the root, "
                           "has '.' or '..' components, lies at or above an engine's parent "
                           "(/docker, kubepods.slice, machine.slice, ...), is outside the "
                           "policy's parents, or names an existing cgroup with processes in it "
                           "or below it (runc and crun kill and remove what they find there on "
                           "delete) is refused; the systemd form slice:prefix:name is judged "
                           "as that driver expands it.",
                .deny = "such a path",
                .spec = "linux.cgroupsPath",
                .cis = "5.25 (the container is restricted from acquiring additional "
                       "privileges: cgroup usage is confirmed)",
                .pss = "none",
                .fields = {
                        {"parents", "array of strings",
                         "allowed cgroup prefixes ('*' one component, trailing '/' below); "
                         "[]: any new cgroup"},
                },
        },
};
/* clang-format on */

const struct ruledoc *ruledoc_get(const char *rule)
{
        enum rule_id id = rule_id_from_string(rule);

        if (id >= 0 && rule_get(id)->doc)
                return rule_get(id)->doc;
        for (size_t i = 0; i < ELEMENTSOF(docs); i++)
                if (strcmp(docs[i].rule, rule) == 0)
                        return &docs[i];
        return NULL;
}
