/* Rule 'masked_paths': not written yet (issue 12). */
#include "rules/rules.h"

static int masked_paths_apply(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        (void)ctx;
        (void)doc;
        (void)err;
        return 0;
}

const struct rule rule_masked_paths = {
        .id = RULE_MASKED_PATHS,
        .apply = masked_paths_apply,
};
