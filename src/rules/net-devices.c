/* net_devices: no host network interface moves into the container unless the admins allow it
 * by name. linux.netDevices (runtime-spec 1.2) maps a host interface name to {name: the name
 * inside}; a runtime that supports it takes the interface away from the host. */
#include <stdio.h>
#include <string.h>

#include "rules/helpers.h"

static bool is_allowed(const struct policy *p, const char *name)
{
        for (char *const *a = p->net_devices.allow; a && *a; a++)
                if (strcmp(*a, name) == 0)
                        return true;
        return false;
}

static int apply_net_devices(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct json *linux_obj, *devices, *name;
        char path[RULE_PATH_MAX];
        int r;

        r = rule_field(ctx, doc, "", "linux", JSON_OBJECT, false, &linux_obj, err);
        if (r <= 0)
                return r;
        r = rule_field(ctx, linux_obj, "/linux", "netDevices", JSON_OBJECT, false, &devices, err);
        if (r <= 0)
                return r;
        for (size_t i = devices->object.n; i-- > 0;) {
                const struct json_member *m = &devices->object.members[i];

                rule_member_path("/linux/netDevices", m->key, path, sizeof(path));
                /* null decodes to an empty entry in Go: the interface keeps its name. */
                if (m->value->type != JSON_OBJECT && m->value->type != JSON_NULL)
                        return rule_fail(ctx, path, err, "expected object, got %s",
                                         json_type_name(m->value->type));
                if (m->value->type == JSON_OBJECT &&
                    (r = rule_field(ctx, m->value, path, "name", JSON_STRING, false, &name, err)) <
                            0)
                        return r;
                if (is_allowed(ctx->policy, m->key))
                        continue;
                if ((r = rule_record(ctx, path, m->value, NULL, err)) < 0)
                        return r;
                if ((r = json_object_remove_at(devices, i)) < 0)
                        return error_set(err, r, "out of memory");
        }
        return 0;
}

static const char *const owns[] = {"/linux/netDevices", NULL};

const struct rule rule_net_devices = {
        .id = RULE_NET_DEVICES,
        .name = "net_devices",
        .owns = owns,
        .for_process = false,
        .apply = apply_net_devices,
};
