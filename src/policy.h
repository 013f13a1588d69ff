/* The admins' policy: a strictly validated JSON file, or the built-in restricted default. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "rules/ids.h"
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
#define HR_CONTACT_MAX 512u /* messages.contact: one line under every refusal */

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

/* The policy document's top level as a settings table over struct policy, in document order:
 * version, mode, runtime, audit, rules, exemptions, command_line, messages (policy-top.h has
 * the sections; "rules" is read rule by rule and shown by hardrunctl's policy show). */
extern const struct setting policy_settings[];
extern const size_t policy_n_settings;
