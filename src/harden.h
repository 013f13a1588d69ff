/* Runs every rule over a spec in its policy mode: enforce edits the document, audit and deny
 * only record what enforce would change. */
#pragma once

#include <stdbool.h>

#include "findings.h"
#include "json.h"
#include "policy.h"
#include "rules/rules.h"

struct harden_result {
        struct findings findings;
        bool changed; /* the document was edited (some rule enforces) */
        bool denied;  /* some rule in deny mode found something */
};

/* How strictly a spec of this kind is parsed: size bound (config.json or exec process file),
 * depth and member limits, and the objects runc decodes into Go maps (exact keys). */
const struct json_limits *harden_spec_limits(enum spec_kind kind);

/* file names the spec in messages. On success the caller owns result->findings. */
int harden_spec(struct policy *p, enum spec_kind kind, const char *file, struct json *doc,
                struct harden_result *result, struct hr_error *err);

void harden_result_done(struct harden_result *result);
