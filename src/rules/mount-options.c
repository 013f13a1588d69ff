/* Rule 'mount_options': not written yet (issue 12). */
#include "rules/rules.h"

static int mount_options_apply(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        (void)ctx;
        (void)doc;
        (void)err;
        return 0;
}

const struct rule rule_mount_options = {
        .id = RULE_MOUNT_OPTIONS,
        .apply = mount_options_apply,
};
