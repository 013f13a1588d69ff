/* Rule 'resources': not written yet (issue 12). */
#include "rules/rules.h"

static int resources_apply(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        (void)ctx;
        (void)doc;
        (void)err;
        return 0;
}

const struct rule rule_resources = {
        .id = RULE_RESOURCES,
        .apply = resources_apply,
};
