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
