/* The admins' policy: a strictly validated JSON file, or the built-in restricted default. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "rules/ids.h"
#include "seccomp-profile.h"
#include "settings.h"
#include "util/error.h"
#include "util/sha256.h"

enum hr_mode {
        HR_MODE_OFF,     /* rule skipped; as the global mode, the kill switch: nothing judged */
        HR_MODE_AUDIT,   /* change nothing, log what enforce would change */
        HR_MODE_DENY,    /* refuse a spec that needs any change */
        HR_MODE_ENFORCE, /* rewrite the spec */
        _HR_MODE_MAX,
        _HR_MODE_INVALID = -22,
};

struct policy_tmpfs {
        char *path;
        char **options; /* NULL-terminated, one option each, always nosuid, nodev, noexec */
};

/* A hook the admins allow: shell-style patterns (fnmatch, FNM_PATHNAME for path) for its path
 * and, when args is set, for each argument (args[0] included), one to one. */
struct policy_hook {
        char *path;
        char **args; /* NULL-terminated; NULL: any arguments */
        char **exe;  /* the hook must be the same file (device, inode) as one of these; NULL: any */
};

/* Workloads taken out of some rules. Every criterion given must match: the container id
 * against one of ids (fnmatch), each annotation against its value pattern. */
struct policy_exemption {
        uint64_t rules;     /* bit n = enum rule_id n */
        char **ids;         /* NULL-terminated, or NULL */
        char **annotations; /* key, value pattern, key, value pattern, ..., NULL; or NULL */
        char *reason;       /* shown in the audit record; may be NULL */
};

/* Which audit records a decision writes. */
enum audit_records {
        AUDIT_RECORDS_ALL,      /* one per finding */
        AUDIT_RECORDS_SUMMARY,  /* one per decision: the rules per action */
        AUDIT_RECORDS_REFUSALS, /* one per finding enforce refuses or would refuse */
        _AUDIT_RECORDS_MAX,
        _AUDIT_RECORDS_INVALID = -22,
};

#define HR_RLIMIT_TYPES 16 /* RLIMIT_CPU .. RLIMIT_RTTIME, the ones runc knows */

struct policy {
        char *source; /* file it came from, or "built-in default" */
        /* SHA-256 of the policy file's bytes; for the built-in default, of restricted.json */
        char digest[SHA256_TEXT_SIZE];
        enum hr_mode mode;
        enum hr_mode rule_mode[_RULE_MAX]; /* resolved: a rule without "mode" takes the global */
        /* Each rule's own settings, the struct its descriptor's table describes (rules/rule.h);
         * NULL for a rule without a table, and for every rule when only the runtime part was
         * read. */
        void *rule_settings[_RULE_MAX];
        struct {
                char *path; /* name (looked up in trusted dirs) or absolute path; NULL = default */
                char *argv0;
        } runtime;
        struct {
                char *file; /* NULL: no audit file */
                bool syslog;
                bool fail_on_error;
                enum audit_records records;
        } audit;
        struct {
                char *profile;                      /* built-in name or absolute path */
                enum seccomp_merge_strategy merge;  /* when the spec brings its own profile */
                enum seccomp_unknown_names unknown; /* syscall names libseccomp does not know */
                struct json *loaded;                /* cache, filled by policy_seccomp_profile() */
        } seccomp;
        struct {
                char **deny;        /* NULL: the built-in list (policy_mounts_deny) */
                char **allow;       /* NULL: the built-in list (policy_mounts_allow) */
                char **rootfs;      /* NULL: the built-in list (policy_mounts_rootfs) */
                bool special_files; /* sockets and device nodes may be bind sources */
                bool racy_sources;  /* sources in directories non-root users can change */
        } mounts;
        struct {
                char **allow; /* filesystem types beyond the built-in ones (mount_types.c) */
        } mount_types;
        struct {
                char **allow; /* annotation keys (fnmatch) a runtime may read; NULL: none */
        } annotations;
        struct {
                char **deny;         /* privileged host groups, names or numbers; NULL: built-in */
                bool engine_sockets; /* also the groups that own engine API sockets */
        } groups;
        struct {
                char **parents; /* allowed cgroupsPath prefixes; NULL: the engines' (built-in) */
        } cgroups_path;
        struct {
                struct policy_tmpfs *tmpfs;
                size_t n_tmpfs;
                bool tmpfs_set; /* the policy file gave the list */
        } rootfs;
        struct {
                uint32_t host_uid, host_gid, size; /* container 0.. → host host_uid.. */
                bool per_container;                /* each container its own range from the pool */
                uint32_t ranges;      /* the pool: ranges of size ids from host_uid/host_gid */
                bool idmap;           /* rootfs and engine volumes become ID-mapped mounts */
                char **idmap_sources; /* NULL: the built-in list (policy_idmap_sources) */
                char *subid_user;     /* owner of the pool in /etc/subuid, /etc/subgid; or NULL */
        } userns;
        struct {
                char **bind;       /* options every bind mount gets (nosuid, nodev, ...) */
                char *propagation; /* replaces shared/rshared: rprivate, rslave, ... */
        } mount_options;
        struct {
                char **masked;   /* NULL: Docker's list (policy_masked_paths) */
                char **readonly; /* NULL: Docker's list (policy_readonly_paths) */
        } masked_paths;
        struct {
                struct policy_hook *allow;
                size_t n_allow;
        } hooks;
        struct {
                char **allow; /* NULL: the PSS safe set (policy_sysctls_allow) */
        } sysctls;
        struct {
                int64_t pids_limit;   /* added when absent, 0 or negative; 0: no default */
                int64_t memory_limit; /* bytes, added when absent; 0: no default */
                int32_t oom_score_adj_min;
        } resources;
        struct {
                uint64_t max[HR_RLIMIT_TYPES];
                uint32_t set; /* bit n: max[n] applies */
        } rlimits;
        struct {
                char *apparmor_profile; /* set where none is (on AppArmor hosts); NULL: none */
                char *selinux_label;    /* set where none is (on SELinux hosts); NULL: none */
                char **selinux_types;   /* allowed types; NULL: the PSS list */
        } lsm;
        struct {
                char **allow_names; /* variable names never flagged (exact) */
        } env_secrets;
        struct {
                char **allow;      /* image name prefixes; empty: any image */
                bool require_name; /* refuse a container whose engine names no image */
        } image;
        struct policy_exemption *exemptions;
        size_t n_exemptions;
        struct {
                char *contact; /* a line appended to every refusal; NULL: none */
        } messages;
        /* Command-line entries no rule owns: unknown options and subcommands, restore, the
         * runtime's internal entry points; and the refused flags the admins allow anyway. */
        struct {
                enum hr_mode mode; /* resolved: absent takes the global mode */
                char **allow;      /* "--no-pivot", "restore", ...; NULL-terminated or NULL */
        } command_line;
};

#define HR_DEFAULT_NON_ROOT_ID 65534u
#define HR_DEFAULT_AUDIT_FILE "/var/log/hardrun/audit.log"
#define HR_DEFAULT_USERNS_HOST_ID 100000u /* where /etc/subuid's first range starts */
#define HR_DEFAULT_USERNS_SIZE 65536u
#define HR_DEFAULT_USERNS_RANGES 1024u      /* 67 million ids from 100000: far below 2^32 */
#define HR_DEFAULT_PIDS_LIMIT 4096          /* twice containers.conf's 2048 */
#define HR_DEFAULT_OOM_SCORE_ADJ_MIN (-998) /* kubelet gives pods -997 at the lowest */
#define HR_DEFAULT_NOFILE_MAX 1048576u      /* the kernel's default fs.nr_open */
#define HR_CONTACT_MAX 512u                 /* messages.contact: one line under every refusal */

/* Reads the policy at path. A missing file yields the built-in default; a file not owned by
 * root (or by the caller) or writable by group/others, also through a parent directory, is
 * refused. */
int policy_load(const char *path, struct policy **ret, struct hr_error *err);

/* The same checks of the file, but only the parts a pass-through call needs (the runtime) are
 * read: rules are neither validated nor built. Keeps `kill` and `delete` working while a rule
 * section is broken, and never loads libmount. */
int policy_load_runtime(const char *path, struct policy **ret, struct hr_error *err);

/* policy_load() (full) or policy_load_runtime() that also hands back the bytes it parsed:
 * *ret_buf is NULL when there is no file and the built-in default was returned. */
int policy_load_bytes(const char *path, bool full, struct policy **ret, char **ret_buf,
                      size_t *ret_len, struct hr_error *err);

/* policy_parse() of only what a pass-through needs (see policy_load_runtime()). */
int policy_parse_runtime(const char *buf, size_t len, const char *source, struct policy **ret,
                         struct hr_error *err);

/* Validates a policy document: unknown keys, wrong types and unknown capabilities are errors. */
int policy_parse(const char *buf, size_t len, const char *source, struct policy **ret,
                 struct hr_error *err);

struct policy *policy_new_default(void);
/* The built-in default as policy_load_runtime() reads it: what a pass-through needs. */
struct policy *policy_new_default_runtime(void);
struct policy *policy_free(struct policy *p);
/* _cleanup_(policy_freep): frees a policy its scope owns. */
static inline void policy_freep(struct policy **p)
{
        policy_free(*p);
}

const char *hr_mode_to_string(enum hr_mode mode);
const char *audit_records_to_string(enum audit_records records);
enum hr_mode hr_mode_from_string(const char *s);
const char *rule_id_to_string(enum rule_id id);
enum rule_id rule_id_from_string(const char *s);
/* Indexed by enum rule_id. */
extern const char *const rule_id_names[_RULE_MAX];

/* ---- defined by the rules that use them (src/rules/), until their settings move there too ---- */

/* The seccomp profile the policy installs, loaded on first use (never on pass-through) with
 * seccomp_profile_load(); a built-in one is validated by the test suite instead
 * (tests/unit/test-seccomp.c), which keeps libseccomp's cost off the default start path. */
int policy_seccomp_profile(struct policy *p, const struct json **ret, struct hr_error *err);

/* Hands the loaded profile over to the caller (a later policy_seccomp_profile() loads it again);
 * NULL when none is loaded. */
struct json *policy_seccomp_profile_take(struct policy *p);

/* The host paths no bind mount may expose (a source at, under or above one of them), and the
 * engine-managed sources that stay allowed although they lie under one ('*' matches one path
 * component; a trailing '/' matches everything below). NULL-terminated. */
const char *const *policy_mounts_deny(const struct policy *p);
const char *const *policy_mounts_allow(const struct policy *p);
/* Where engines keep container root filesystems: a root.path under a denied directory is allowed
 * when it matches one. Same pattern syntax. */
const char *const *policy_mounts_rootfs(const struct policy *p);
/* The host groups no process may hold (names or numbers), and the cgroupsPath prefixes engines
 * use. NULL-terminated. */
const char *const *policy_groups_deny(const struct policy *p);
const char *const *policy_cgroups_parents(const struct policy *p);

/* The bind sources rule user_namespace ID-maps for a container it gives a user namespace: the
 * per-container files and volumes engines manage ('*' one component, trailing '/' below). */
const char *const *policy_idmap_sources(const struct policy *p);

/* Docker's masked and read-only paths, the PSS safe sysctls: the built-in lists a policy
 * without its own uses. NULL-terminated. */
const char *const *policy_masked_paths(const struct policy *p);
const char *const *policy_readonly_paths(const struct policy *p);
const char *const *policy_sysctls_allow(const struct policy *p);

/* "RLIMIT_NOFILE" → 7 (RLIMIT_NOFILE's value); -EINVAL for a name runc does not know. */
int rlimit_from_name(const char *name);
const char *rlimit_to_name(int type);

/* The policy document's top level as a settings table over struct policy, in document order:
 * version, mode, runtime, audit, rules, exemptions, command_line, messages (policy-top.h has
 * the sections; "rules" is read rule by rule and shown by hardrunctl's policy show). */
extern const struct setting policy_settings[];
extern const size_t policy_n_settings;

/* The fields of a rule whose settings are not yet on its descriptor's table, as policy show
 * writes them into obj: 1 when shown, 0 for a rule on the table (shown from it). */
int policy_show_rule_fields(const struct policy *p, enum rule_id id, struct json *obj);
