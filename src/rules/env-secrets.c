/* Rule 'env_secrets': not written yet (issue 12). */
#include "rules/rules.h"

static int env_secrets_apply(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        (void)ctx;
        (void)doc;
        (void)err;
        return 0;
}

const struct rule rule_env_secrets = {
        .id = RULE_ENV_SECRETS,
        .apply = env_secrets_apply,
};
