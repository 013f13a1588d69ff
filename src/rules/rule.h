/* The rule interface: each rule inspects a spec, changes it where the policy says, and records
 * every change as a finding. Modes are the caller's business (harden.c). */
#pragma once

#include <stdbool.h>

#include "findings.h"
#include "json.h"
#include "policy.h"
#include "util/error.h"

enum spec_kind {
        SPEC_CONFIG,  /* a bundle's config.json */
        SPEC_PROCESS, /* an `exec --process` file: a bare process object */
};

struct rule_ctx {
        struct policy *policy;
        enum spec_kind kind;
        const char *file;         /* shown in messages */
        const char *container_id; /* for exemptions; may be NULL */
        const char *bundle;       /* the bundle directory relative paths are resolved from */
        bool container_remapped;  /* exec: the container runs in a user namespace of hardrun's */
        enum rule_id rule;
        struct findings *findings;
};

struct rule {
        enum rule_id id;
        bool for_process; /* also applies to exec process files */
        bool report_only; /* records facts only (rule_report): nothing to rewrite */
        /* The spec members this rule judges, as JSON pointers with '*' for any array index or
         * map key (rules/spec-model.c's table must name the rule for each, and no other rule
         * may claim one); NULL-terminated. */
        const char *const *owns;
        /* Must be idempotent: applied to its own output it changes nothing. */
        int (*apply)(struct rule_ctx *ctx, struct json *doc, struct hr_error *err);
};
