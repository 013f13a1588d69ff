/* Unified line diffs, as `diff -u` prints them, computed with Myers' O(ND) algorithm. */
#pragma once

#include <stddef.h>
#include <stdio.h>

#include "util/error.h"

/* Inputs above this many lines are refused; hardrun's largest spec pretty-prints to far less. */
#define LINEDIFF_MAX_LINES (8u * 1024u * 1024u)

struct linediff_text {
        const char *label; /* the "---" / "+++" line */
        const char *data;
        size_t len;
};

/* Writes the unified diff of a and b with context lines of context to out: nothing when they
 * are equal. A shortest edit script is used up to a bound on the differing lines (and the work
 * spent); beyond it the differing middle is printed as removed, then added, which is still a
 * correct diff. Returns 1 when the texts differ, 0 when equal, a negative errno on failure. */
int linediff_unified(const struct linediff_text *a, const struct linediff_text *b, unsigned context,
                     FILE *out, struct hr_error *err);
