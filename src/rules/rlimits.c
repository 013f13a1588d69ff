/* Rule 'rlimits': not written yet (issue 12). */
#include "rules/rules.h"

static int rlimits_apply(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        (void)ctx;
        (void)doc;
        (void)err;
        return 0;
}

const struct rule rule_rlimits = {
        .id = RULE_RLIMITS,
        .apply = rlimits_apply,
};
