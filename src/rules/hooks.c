/* Rule 'hooks': not written yet (issue 12). */
#include "rules/rules.h"

static int hooks_apply(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        (void)ctx;
        (void)doc;
        (void)err;
        return 0;
}

const struct rule rule_hooks = {
        .id = RULE_HOOKS,
        .apply = hooks_apply,
};
