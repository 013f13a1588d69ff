/* Rule 'net_devices': not written yet (issue 12). */
#include "rules/rules.h"

static int net_devices_apply(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        (void)ctx;
        (void)doc;
        (void)err;
        return 0;
}

const struct rule rule_net_devices = {
        .id = RULE_NET_DEVICES,
        .apply = net_devices_apply,
};
