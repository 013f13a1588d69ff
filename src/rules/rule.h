/* The rule interface: each rule inspects a spec, changes it where the policy says, and records
 * every change as a finding. Modes are the caller's business (harden.c). */
#pragma once

#include <stdbool.h>

#include "cli.h"
#include "findings.h"
#include "json.h"
#include "policy.h"
#include "settings.h"
#include "util/error.h"

enum spec_kind {
        SPEC_CONFIG,  /* a bundle's config.json */
        SPEC_PROCESS, /* an `exec --process` file: a bare process object */
};

struct rule_ctx {
        struct policy *policy;
        /* The rule's own settings (policy->rule_settings[rule]); NULL for a rule without. */
        const void *settings;
        enum spec_kind kind;
        const char *file;         /* shown in messages */
        const char *container_id; /* for exemptions; may be NULL */
        const char *bundle;       /* the bundle directory relative paths are resolved from */
        bool container_remapped;  /* exec: the container runs in a user namespace of hardrun's */
        enum rule_id rule;
        struct findings *findings;
};

/* What `hardrunctl policy explain` says about a rule (hardrun-policy(5) says it in prose); its
 * fields are documented in its settings table. */
struct ruledoc {
        const char *rule;    /* the rule's name */
        const char *summary; /* one line */
        const char *enforce; /* what enforce changes */
        const char *deny;    /* what deny (and audit) report */
        const char *spec;    /* the config.json fields read */
        const char *cis;     /* CIS Docker Benchmark v1.6.0 ids and titles */
        const char *pss;     /* Kubernetes Pod Security Standards control */
};

/* One rule: defined in src/rules/<rule>.c, listed in the registry (rules/registry.c). */
struct rule {
        enum rule_id id;
        const char *name; /* its key under "rules" in the policy; rule_id_to_string(id) */
        bool for_process; /* also applies to exec process files */
        bool report_only; /* records facts only (rule_report): nothing to rewrite */
        bool opt_in;      /* off unless its own mode says otherwise: the global mode does not
                             apply */
        /* The spec members this rule judges, as JSON pointers with '*' for any array index or
         * map key (rules/spec-model.c's table must name the rule for each, and no other rule
         * may claim one); NULL-terminated. */
        const char *const *owns;

        /* Its settings: the keys of "rules": {"<name>": {...}} besides "mode", read into a
         * struct of settings_size bytes each full policy owns (policy->rule_settings[id]), which
         * starts as a copy of defaults. No table: the rule takes "mode" only. */
        const struct setting *settings;
        size_t n_settings;
        size_t settings_size;
        const void *defaults;
        /* Checks across its fields once each has been read (NULL: none); problems through
         * settings_fail(), at path "/rules/<name>/<key>". */
        int (*validate)(struct settings_parser *sp, const char *path, const void *settings);

        /* Must be idempotent: applied to its own output it changes nothing. */
        int (*apply)(struct rule_ctx *ctx, struct json *doc, struct hr_error *err);
        /* The runtime's inline exec flags this rule judges (no --process file: the process comes
         * from the flags); NULL: the rule reads none. */
        int (*check_exec_flags)(struct rule_ctx *ctx, const struct cli_exec_flags *flags,
                                struct hr_error *err);
        /* The engine user's words for what caused a refusal of this rule (finding f, in the spec
         * it points into, NULL when unknown): a run option when cli (docker, nerdctl and podman
         * share them), else a pod spec field. Writes buf and returns true, or returns false
         * when nothing the user asked for by name caused it; NULL: never anything. */
        bool (*engine_term)(const struct finding *f, const struct json *spec, bool cli, char *buf,
                            size_t size);
        /* What `hardrunctl policy explain` prints; every rule has one (tests/unit/test-policy.c).
         */
        const struct ruledoc *doc;
};
