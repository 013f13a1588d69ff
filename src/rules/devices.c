/* devices: no host device nodes beyond the standard set runtimes create anyway, and a device
 * cgroup that starts from "deny all" with no wildcard or block-device allow rule (what
 * `docker run --privileged` adds: every host device and an allow-all rule). CIS 5.18. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rules/helpers.h"
#include "rules/terms.h"
#include "util/cleanup.h"

static bool number_of(const struct json *v, long long *ret)
{
        unsigned long long u;

        if (!v)
                return false;
        if (json_get_uint(v, (unsigned long long)INT64_MAX, &u) == 0) {
                *ret = (long long)u;
                return true;
        }
        /* -1 is the spec's "any" for cgroup rules */
        if (v->type == JSON_NUMBER && strcmp(v->scalar.text, "-1") == 0) {
                *ret = -1;
                return true;
        }
        return false;
}

/* An allow rule that reads or writes more than named character devices: any type but "c" (runc
 * reads "" as "a", all types), a block device, or a wildcard major or minor (the
 * pseudo-terminals, c 136:*, aside). Rules that only allow mknod ("m", as Docker's defaults
 * have) open nothing without CAP_MKNOD; an empty access string counts as "rwm". */
static bool is_broad_allow(const struct json *rule)
{
        const struct json *allow = json_object_get(rule, "allow");
        const struct json *type = json_object_get(rule, "type");
        const struct json *access = json_object_get(rule, "access");
        bool has_major, has_minor;
        long long major = -1, minor = -1;

        if (!allow || allow->type != JSON_TRUE)
                return false;
        if (access && access->type == JSON_STRING && access->scalar.len > 0 &&
            !strchr(access->scalar.text, 'r') && !strchr(access->scalar.text, 'w'))
                return false;
        if (!type || type->type != JSON_STRING || strcmp(type->scalar.text, "c") != 0)
                return true;
        has_major = number_of(json_object_get(rule, "major"), &major) && major >= 0;
        has_minor = number_of(json_object_get(rule, "minor"), &minor) && minor >= 0;
        if (has_major && major == 136 && strcmp(type->scalar.text, "c") == 0)
                return false;
        return !has_major || !has_minor;
}

static bool is_deny_all(const struct json *rule)
{
        const struct json *allow = json_object_get(rule, "allow");
        const struct json *type = json_object_get(rule, "type");
        const struct json *access = json_object_get(rule, "access");

        return allow && allow->type == JSON_FALSE && !json_object_get(rule, "major") &&
               !json_object_get(rule, "minor") &&
               (!type || (type->type == JSON_STRING &&
                          (strcmp(type->scalar.text, "a") == 0 || type->scalar.len == 0))) &&
               access && access->type == JSON_STRING && strcmp(access->scalar.text, "rwm") == 0;
}

/* {"allow": allow, "type": "c", "major": 1, "minor": 3, "access": "rwm"}; type 0 and -1 for
 * major or minor leave the member out (all). */
static struct json *device_rule(bool allow, char type, long long major, long long minor)
{
        struct json *r = json_new_object();
        char t[2] = {type, '\0'};

        if (!r || json_object_set(r, "allow", json_new_bool(allow)) < 0 ||
            (type && json_object_set(r, "type", json_new_string(t)) < 0) ||
            (major >= 0 &&
             json_object_set(r, "major", json_new_uint((unsigned long long)major)) < 0) ||
            (minor >= 0 &&
             json_object_set(r, "minor", json_new_uint((unsigned long long)minor)) < 0) ||
            json_object_set(r, "access", json_new_string("rwm")) < 0)
                return json_free(r);
        return r;
}

/* An allow rule for exactly this device (minor -1: any minor) is in the list already. */
static bool has_allow(const struct json *rules, char type, long long major, long long minor)
{
        for (size_t i = 0; i < rules->array.n; i++) {
                const struct json *rule = rules->array.items[i];
                const struct json *a = json_object_get(rule, "allow");
                const struct json *t = json_object_get(rule, "type");
                long long ma = -1, mi = -1;

                if (!a || a->type != JSON_TRUE || !t || t->type != JSON_STRING ||
                    t->scalar.len != 1 || t->scalar.text[0] != type)
                        continue;
                if (!number_of(json_object_get(rule, "major"), &ma) || ma != major)
                        continue;
                if (!number_of(json_object_get(rule, "minor"), &mi))
                        mi = -1;
                if (mi == minor)
                        return true;
        }
        return false;
}

static int apply_devices(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct json *linux_obj, *devices, *resources, *rules, *deny_all;
        bool removed_broad = false, need_deny_all;
        char path[RULE_PATH_MAX];
        int r;

        r = rule_field(ctx, doc, "", "linux", JSON_OBJECT, true, &linux_obj, err);
        if (r < 0)
                return r;

        /* Host device nodes created inside the container. */
        r = rule_field(ctx, linux_obj, "/linux", "devices", JSON_ARRAY, false, &devices, err);
        if (r < 0 || (r == 1 &&
                      (r = rule_check_items(ctx, devices, "/linux/devices", JSON_OBJECT, err)) < 0))
                return r;
        for (size_t i = devices ? devices->array.n : 0; i-- > 0;) {
                if (is_standard_device(devices->array.items[i]))
                        continue;
                snprintf(path, sizeof(path), "/linux/devices/%zu", i);
                if ((r = rule_record(ctx, path, devices->array.items[i], NULL, err)) < 0)
                        return r;
                if ((r = json_array_remove(devices, i)) < 0)
                        return error_set(err, r, "out of memory");
        }

        /* The device cgroup: deny all first, then only specific character devices. */
        r = rule_field(ctx, linux_obj, "/linux", "resources", JSON_OBJECT, true, &resources, err);
        if (r < 0)
                return r;
        r = rule_field(ctx, resources, "/linux/resources", "devices", JSON_ARRAY, true, &rules,
                       err);
        if (r < 0 ||
            (r = rule_check_items(ctx, rules, "/linux/resources/devices", JSON_OBJECT, err)) < 0)
                return r;
        for (size_t i = rules->array.n; i-- > 0;) {
                if (!is_broad_allow(rules->array.items[i]))
                        continue;
                snprintf(path, sizeof(path), "/linux/resources/devices/%zu", i);
                if ((r = rule_record(ctx, path, rules->array.items[i], NULL, err)) < 0)
                        return r;
                if ((r = json_array_remove(rules, i)) < 0)
                        return error_set(err, r, "out of memory");
                removed_broad = true;
        }
        need_deny_all = rules->array.n == 0 || !is_deny_all(rules->array.items[0]);
        if (need_deny_all) {
                /* It must come first. */
                if (json_array_insert(rules, 0, device_rule(false, 0, -1, -1)) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
                deny_all = rules->array.items[0];
                if ((r = rule_record(ctx, "/linux/resources/devices/0", NULL, deny_all, err)) < 0)
                        return r;
        }
        /* runc and crun add no cgroup rule of their own for /dev/null and friends: a container
         * that lost "allow everything", or had no "deny all", gets the standard set. */
        if (removed_broad || need_deny_all)
                for (size_t k = 0; k <= ELEMENTSOF(rule_standard_devices); k++) {
                        /* The standard nodes, then the pseudo-terminals, c 136:*. */
                        static const struct rule_device pts = {'c', 136, -1};
                        const struct rule_device *d = k < ELEMENTSOF(rule_standard_devices)
                                                              ? &rule_standard_devices[k]
                                                              : &pts;
                        struct json *allow;

                        if (has_allow(rules, d->type, d->major, d->minor))
                                continue;
                        allow = device_rule(true, d->type, d->major, d->minor);
                        snprintf(path, sizeof(path), "/linux/resources/devices/%zu",
                                 rules->array.n);
                        if (!allow || (r = rule_record(ctx, path, NULL, allow, err)) < 0) {
                                json_free(allow);
                                return allow ? r : error_set(err, -ENOMEM, "out of memory");
                        }
                        if (json_array_append(rules, allow) < 0)
                                return error_set(err, -ENOMEM, "out of memory");
                }
        return 0;
}

bool devices_allow_is_broad(const struct json *rule)
{
        return is_broad_allow(rule);
}

static const char *const owns[] = {"/linux/devices", "/linux/resources/devices", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "devices",
        .summary = "no host devices beyond the standard set",
        .enforce = "device nodes other than null, zero, full, random, urandom, tty, "
                   "console and ptmx are dropped from linux.devices; the device cgroup "
                   "gets a deny-all first rule, and allow rules for all devices, "
                   "wildcard majors or minors (pseudo-terminals aside) and block "
                   "devices are removed.",
        .deny = "any such device node or device cgroup rule",
        .spec = "linux.devices[], linux.resources.devices[]",
        .cis = "5.18 (host devices are not directly exposed to containers)",
        .pss = "baseline: Privileged Containers (privileged is what exposes every host "
               "device; the standards have no device control of their own)",
};

/* A pod spec has no field for a device: a device plugin adds it. */
static bool engine_term_devices(const struct finding *f, const struct json *spec, bool cli,
                                char *buf, size_t size)
{
        (void)f;
        (void)spec;
        return term_words(cli, "--device", NULL, buf, size);
}

const struct rule rule_devices = {
        .id = RULE_DEVICES,
        .name = "devices",
        .owns = owns,
        .for_process = false,
        .apply = apply_devices,
        .engine_term = engine_term_devices,
        .doc = &doc,
};
