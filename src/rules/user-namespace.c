/* Rule 'user_namespace': not written yet (issue 12). */
#include "rules/rules.h"

static int user_namespace_apply(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        (void)ctx;
        (void)doc;
        (void)err;
        return 0;
}

const struct rule rule_user_namespace = {
        .id = RULE_USER_NAMESPACE,
        .apply = user_namespace_apply,
};
