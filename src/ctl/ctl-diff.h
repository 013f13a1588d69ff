/* hardrunctl diff's report: the unified diff from a spec to what enforce would make of it. */
#pragma once

#include <stdio.h>

#include "lint.h"
#include "util/error.h"

/* Pretty-prints the original and the hardened document the same way and writes their unified
 * diff (3 lines of context) to out, labelled "FILE" and "FILE (enforced)". Findings no rewrite
 * can fix are listed on notes, one line each. Returns 1 when enforce would change or refuse the
 * spec, 0 when not, a negative errno on failure. */
int ctl_diff_print(FILE *out, FILE *notes, const struct lint_spec *s, struct hr_error *err);
