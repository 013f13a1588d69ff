/* The rule documentation table. Keyed by rule name, so a rule added to the enum compiles without
 * an entry; tests/unit/test-policy.c fails until it has one whose fields match policy show. */
#include "ruledoc.h"

#include "rules/registry.h"

const struct ruledoc *ruledoc_get(const char *rule)
{
        enum rule_id id = rule_id_from_string(rule);

        return id >= 0 ? rule_get(id)->doc : NULL;
}
