/* The model of what runc and crun read from a spec (rules/spec-model.c): one node per member. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "policy.h"

enum model_verdict {
        MODEL_JUDGED,   /* a rule judges it: that rule's owns list names the member's path */
        MODEL_HARMLESS, /* read by a runtime, but it changes nothing the policy cares about */
        MODEL_REFUSED,  /* read by a runtime and judged by no rule: refused when present */
};

struct model_node {
        const char *key; /* member name; "*" any array item or map key */
        enum model_verdict verdict;
        enum rule_id rule;                 /* MODEL_JUDGED */
        const struct model_node *children; /* NULL: taken as a whole; ends at a NULL key */
        const char *why;                   /* MODEL_REFUSED: what it would do */
};

extern const struct model_node spec_model_config;  /* a config.json */
extern const struct model_node spec_model_process; /* an exec process file */

/* key (key_len bytes) equals the ASCII name under Go's encoding/json case folding. */
bool is_go_fold_equal(const char *key, size_t key_len, const char *name);
