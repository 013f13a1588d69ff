/* The rule registry: the one table of every rule, in the order they run. */
#pragma once

#include "policy.h"

struct rule;

/* The rule's descriptor; NULL for an id out of range. */
const struct rule *rule_get(enum rule_id id);
