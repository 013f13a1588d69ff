/* What enforce would do to a spec, worked out on a copy without running anything: the engine of
 * `hardrunctl check` and `hardrunctl diff`. */
#pragma once

#include <stdbool.h>

#include "findings.h"
#include "json.h"
#include "policy.h"
#include "rules/registry.h"
#include "rules/rule.h"
#include "util/error.h"

enum lint_severity {
        LINT_WARNING, /* the rule audits: it would only be logged */
        LINT_ERROR,   /* the rule enforces: the spec would be rewritten */
        LINT_DENY,    /* the rule denies, or nothing can fix it: the spec would be refused */
        _LINT_SEVERITY_MAX,
};

enum lint_kind {
        LINT_KIND_DETECT = -1, /* from the document: see lint_kind_of() */
        LINT_KIND_CONFIG = SPEC_CONFIG,
        LINT_KIND_PROCESS = SPEC_PROCESS,
};

struct lint_spec {
        char *file; /* what was read: BUNDLE/config.json for a directory */
        enum spec_kind kind;
        struct json *original;
        struct json *hardened;        /* the original with every fix enforce would make */
        struct findings found;        /* one per change, in rule order */
        enum lint_severity *severity; /* one per finding */
        bool refused; /* enforce would refuse the spec (some finding cannot be fixed) */
};

/* A config.json has a "process" object; a file with "args" or "user" at the top and no
 * "process" is an exec process file; anything else is taken as a config.json. */
enum spec_kind lint_kind_of(const struct json *doc);

/* Reads path (a bundle directory means its config.json; symbolic links are followed) with the
 * bounds and strict parsing hardrun applies. */
int lint_spec_read(const char *path, enum lint_kind kind, struct lint_spec *ret,
                   struct hr_error *err);

/* Applies every rule that is not off in enforce mode to a copy of the original; severities come
 * from the rules' own modes. p is left as it was (its modes are restored). */
int lint_spec_run(struct policy *p, struct lint_spec *s, struct hr_error *err);

void lint_spec_done(struct lint_spec *s);

const char *lint_severity_to_string(enum lint_severity s);
