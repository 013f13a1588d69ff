/* `hardrunctl policy show`: a policy as the document it stands for. Admin-only: the runtime
 * never shows a policy. */
#pragma once

#include "json.h"
#include "policy.h"
#include "util/error.h"

/* The policy as a document policy_parse() reads back into the same settings, every default
 * written out: version, mode, runtime (path and argv0 only when set: none means runc, else
 * crun), audit, every rule in rule order with its resolved mode and its fields, exemptions,
 * command_line and messages. */
int policy_to_json(const struct policy *p, struct json **ret, struct hr_error *err);
