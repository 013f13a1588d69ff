/* Matching the policy's exemptions: every criterion an exemption gives must match the container,
 * its id against one of the id patterns, each annotation against its value pattern. */
#pragma once

#include "json.h"
#include "policy.h"

/* The index of the first exemption that takes rule out for this container, or -1. container_id
 * may be NULL (then only annotations can match), annotations too; an id that is not a plain
 * name (runc's rule: letters, digits and _+,-. only, not "." or "..") matches no id pattern. */
int exemption_find(const struct policy *p, enum rule_id rule, const char *container_id,
                   const struct json *annotations);
