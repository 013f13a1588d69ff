/* What each rule does, its policy fields and the baselines it comes from: the one table behind
 * `hardrunctl policy explain` (hardrun-policy(5) says the same in prose). */
#pragma once

#include <stddef.h>

#define RULEDOC_FIELDS_MAX 10

struct ruledoc_field {
        const char *name; /* key in rules.<rule>, besides "mode" */
        const char *type; /* as the policy file spells it: "integer", "string", ... */
        const char *description;
};

struct ruledoc {
        const char *rule;    /* rule_id_to_string()'s name */
        const char *summary; /* one line */
        const char *enforce; /* what enforce changes */
        const char *deny;    /* what deny (and audit) report */
        const char *spec;    /* the config.json fields read */
        const char *cis;     /* CIS Docker Benchmark v1.6.0 ids and titles */
        const char *pss;     /* Kubernetes Pod Security Standards control */
        struct ruledoc_field fields[RULEDOC_FIELDS_MAX]; /* ends at a NULL name */
};

/* The entry for a rule name; NULL when the table has none. */
const struct ruledoc *ruledoc_get(const char *rule);
