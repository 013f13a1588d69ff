/* Rule 'privileged': not written yet (issue 12). */
#include "rules/rules.h"

static int privileged_apply(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        (void)ctx;
        (void)doc;
        (void)err;
        return 0;
}

const struct rule rule_privileged = {
        .id = RULE_PRIVILEGED,
        .apply = privileged_apply,
};
