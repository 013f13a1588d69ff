/* What each rule does, its policy fields and the baselines it comes from: the one table behind
 * `hardrunctl policy explain` (hardrun-policy(5) says the same in prose). */
#pragma once

#include "rules/rule.h"

/* The documentation of a rule by name: its descriptor's, else the entry of the table in
 * ruledoc.c; NULL when neither has one. */
const struct ruledoc *ruledoc_get(const char *rule);
