/* "Did you mean ...?" for a misspelt name: the closest of a list of known names. */
#pragma once

#include <stddef.h>

/* Words longer than this get no suggestion: the distance costs O(len²), and no name is that long.
 */
#define SUGGEST_WORD_MAX 64

/* The candidate nearest to word by edit distance (insertions, deletions, substitutions and
 * swaps of two neighbours, ASCII case ignored), or NULL when none is near enough to be a typo
 * of it: at most a third of the longer word's letters may differ. The first of equally near
 * candidates wins; NULL entries among the n candidates are skipped. */
const char *suggest_closest(const char *word, const char *const *candidates, size_t n);

/* " (did you mean 'NAME'?)" into buf for the nearest candidate, "" when there is none: ready to
 * append to an "unknown ..." message. Returns buf. */
const char *suggest_hint(const char *word, const char *const *candidates, size_t n, char *buf,
                         size_t size);
