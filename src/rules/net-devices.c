/* net_devices: no host network interface moves into the container unless the admins allow it
 * by name. linux.netDevices (runtime-spec 1.2) maps a host interface name to {name: the name
 * inside}; a runtime that supports it takes the interface away from the host. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "rules/helpers.h"
#include "util/cleanup.h"

struct net_devices_settings {
        char **allow; /* host interface names that may be moved in; NULL: none */
};

static const struct setting settings[] = {
        {"allow", &setting_strv, offsetof(struct net_devices_settings, allow),
         .description = "host interface names that may be moved in, exactly; default none"},
};

static const struct net_devices_settings defaults = {0};

static bool is_allowed(const struct net_devices_settings *s, const char *name)
{
        for (char *const *a = s->allow; a && *a; a++)
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
                if (is_allowed(ctx->settings, m->key))
                        continue;
                if ((r = rule_record(ctx, path, m->value, NULL, err)) < 0)
                        return r;
                if ((r = json_object_remove_at(devices, i)) < 0)
                        return error_set(err, r, "out of memory");
        }
        return 0;
}

static const char *const owns[] = {"/linux/netDevices", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "net_devices",
        .summary = "no host network interface moves into a container unless allowed",
        .enforce = "entries of linux.netDevices whose host interface name is not in "
                   "allow are removed",
        .deny = "any linux.netDevices entry not in allow",
        .spec = "linux.netDevices (runtime-spec 1.2; a map of host interface name to "
                "{name})",
        .cis = "none (5.10, host network namespace, is the nearest)",
        .pss = "none (Kubernetes has no such field)",
};

const struct rule rule_net_devices = {
        .id = RULE_NET_DEVICES,
        .name = "net_devices",
        .owns = owns,
        .for_process = false,
        .settings = settings,
        .n_settings = ELEMENTSOF(settings),
        .settings_size = sizeof(struct net_devices_settings),
        .defaults = &defaults,
        .apply = apply_net_devices,
        .doc = &doc,
};
