/* masked_paths: linux.maskedPaths and linux.readonlyPaths hold at least the policy's lists
 * (Docker's by default), which an engine drops for privileged containers and the kubelet for
 * procMount Unmasked: /proc/kcore, /proc/keys, /sys/firmware hidden, /proc/sys read-only. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rules/rules.h"
#include "util/cleanup.h"

#define CPU_DIR "/sys/devices/system/cpu"

static void json_freep(struct json **p)
{
        json_free(*p);
}

static void closedirp(DIR **d)
{
        if (*d)
                closedir(*d);
}

/* a and b name the same path once repeated and trailing slashes are ignored. */
static bool same_path(const char *a, const char *b)
{
        for (;;) {
                while (a[0] == '/' && (a[1] == '/' || a[1] == '\0'))
                        a++;
                while (b[0] == '/' && (b[1] == '/' || b[1] == '\0'))
                        b++;
                if (*a != *b)
                        return false;
                if (!*a)
                        return true;
                a++;
                b++;
        }
}

static bool has_path(const struct json *list, const char *path)
{
        for (size_t i = 0; i < list->array.n; i++)
                if (same_path(list->array.items[i]->scalar.text, path))
                        return true;
        return false;
}

static int add_missing(struct json *after, const char *path, struct hr_error *err)
{
        int r;

        if (has_path(after, path))
                return 0;
        r = json_array_append(after, json_new_string(path));
        return r < 0 ? error_set(err, r, "out of memory") : 0;
}

/* Per-CPU thermal throttling counters leak what other tenants run (GHSA-6fw5-f8r9-fgfm); Docker
 * masks the directory of every CPU that has one, in CPU order. */
static int add_thermal_throttle(struct json *after, struct hr_error *err)
{
        _cleanup_(closedirp) DIR *d = opendir(CPU_DIR);
        unsigned long max = 0;
        bool any = false;
        struct dirent *e;
        int r;

        if (!d)
                return 0;
        while ((e = readdir(d))) {
                if (strncmp(e->d_name, "cpu", 3) != 0 || !isdigit((unsigned char)e->d_name[3]))
                        continue;
                unsigned long n = strtoul(e->d_name + 3, NULL, 10);
                if (!any || n > max)
                        max = n;
                any = true;
        }
        for (unsigned long n = 0; any && n <= max; n++) {
                char path[128];
                struct stat st;
                snprintf(path, sizeof(path), CPU_DIR "/cpu%lu/thermal_throttle", n);
                if (stat(path, &st) == 0 && (r = add_missing(after, path, err)) < 0)
                        return r;
        }
        return 0;
}

static int union_list(struct rule_ctx *ctx, struct json *linux, const char *key,
                      const char *const *want, bool thermal, struct hr_error *err)
{
        _cleanup_(json_freep) struct json *after = NULL;
        char path[RULE_PATH_MAX];
        struct json *list;
        int r;

        r = rule_field(ctx, linux, "/linux", key, JSON_ARRAY, false, &list, err);
        if (r < 0)
                return r;
        snprintf(path, sizeof(path), "/linux/%s", key);
        for (size_t i = 0; list && i < list->array.n; i++) {
                const struct json *item = list->array.items[i];
                char item_path[RULE_PATH_MAX];
                if (item->type == JSON_STRING)
                        continue;
                snprintf(item_path, sizeof(item_path), "%s/%zu", path, i);
                return rule_fail(ctx, item_path, err, "expected string, got %s",
                                 json_type_name(item->type));
        }
        if (!(after = list ? json_clone(list) : json_new_array()))
                return error_set(err, -ENOMEM, "out of memory");
        for (size_t i = 0; want[i]; i++)
                if ((r = add_missing(after, want[i], err)) < 0)
                        return r;
        if (thermal && (r = add_thermal_throttle(after, err)) < 0)
                return r;
        if (list ? after->array.n == list->array.n : after->array.n == 0)
                return 0;
        return rule_set(ctx, linux, "/linux", key, TAKE_PTR(after), err);
}

static int apply_masked_paths(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct json *linux;
        int r;

        /* Without a linux object the runtime masks nothing: add one. */
        r = rule_field(ctx, doc, "", "linux", JSON_OBJECT, true, &linux, err);
        if (r < 0)
                return r;
        r = union_list(ctx, linux, "maskedPaths", policy_masked_paths(ctx->policy), true, err);
        if (r < 0)
                return r;
        return union_list(ctx, linux, "readonlyPaths", policy_readonly_paths(ctx->policy), false,
                          err);
}

const struct rule rule_masked_paths = {
        .id = RULE_MASKED_PATHS,
        .for_process = false,
        .apply = apply_masked_paths,
};
