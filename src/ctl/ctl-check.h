/* hardrunctl check's report: one line per finding for people, or JSON for machines. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "json.h"
#include "lint.h"
#include "policy.h"
#include "util/error.h"

/* Writes "FILE: SEVERITY: RULE: PATH: CURRENT -> ENFORCED" per finding (values as compact
 * JSON, long ones cut at 60 characters), then "FILE: N findings: D deny, E error, W warning"
 * or "FILE: compliant". color adds ANSI colours to the severities. */
void ctl_check_print_text(FILE *out, const struct lint_spec *s, bool color);

/* Appends one object per finding to array: file, kind, rule, mode (the rule's own), severity,
 * path, before and after (null when absent). */
int ctl_check_append_json(struct json *array, const struct policy *p, const struct lint_spec *s,
                          struct hr_error *err);
