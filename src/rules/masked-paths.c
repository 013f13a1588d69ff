/* masked_paths: linux.maskedPaths and linux.readonlyPaths hold at least the policy's lists
 * (Docker's by default), which an engine drops for privileged containers and the kubelet for
 * procMount Unmasked: /proc/kcore, /proc/keys, /sys/firmware hidden, /proc/sys read-only. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rules/helpers.h"
#include "util/cleanup.h"

/* Docker's masked paths (moby daemon/pkg/oci/defaults.go); the rule adds each CPU's
 * thermal_throttle directory found on the host, as Docker does. */
static const char *const default_masked_paths[] = {
        "/proc/acpi",
        "/proc/asound",
        "/proc/interrupts",
        "/proc/kcore",
        "/proc/keys",
        "/proc/latency_stats",
        "/proc/sched_debug",
        "/proc/scsi",
        "/proc/timer_list",
        "/proc/timer_stats",
        "/sys/devices/virtual/powercap",
        "/sys/firmware",
        NULL,
};

static const char *const default_readonly_paths[] = {
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

struct masked_paths_settings {
        char **masked;   /* NULL: Docker's list */
        char **readonly; /* NULL: Docker's list */
};

static const struct setting settings[] = {
        {"masked", &setting_strv, offsetof(struct masked_paths_settings, masked), SETTING_ABSOLUTE,
         .builtin = default_masked_paths,
         .description = "paths to mask (a file behind /dev/null, a directory behind an empty "
                        "read-only tmpfs); the list replaces Docker's"},
        {"readonly", &setting_strv, offsetof(struct masked_paths_settings, readonly),
         SETTING_ABSOLUTE, .builtin = default_readonly_paths,
         .description = "paths mounted read-only; the list replaces Docker's"},
};

static const struct masked_paths_settings defaults = {0};

#define CPU_DIR "/sys/devices/system/cpu"

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

/* Where else the container mounts procfs or sysfs: the lists name paths under /proc and /sys,
 * and a second procfs mount (at /mnt/p, say) would show /mnt/p/kcore and a writable
 * /mnt/p/sys. Each such mount gets the lists rebased onto its destination. */
struct other_root {
        const char *dest;
        const char *fs_root; /* "/proc" or "/sys": the prefix it stands in for */
};

struct other_roots {
        struct other_root *items;
        size_t n;
};

static void other_roots_done(struct other_roots *o)
{
        free(o->items);
}

static int add_one(struct json *after, const char *path, struct hr_error *err)
{
        int r;

        if (has_path(after, path))
                return 0;
        r = json_array_append(after, json_new_string(path));
        return r < 0 ? error_set(err, r, "out of memory") : 0;
}

static int add_missing(struct json *after, const char *path, const struct other_roots *others,
                       struct hr_error *err)
{
        int r;

        if ((r = add_one(after, path, err)) < 0)
                return r;
        for (size_t i = 0; others && i < others->n; i++) {
                const struct other_root *o = &others->items[i];
                size_t len = strlen(o->fs_root), dlen = strlen(o->dest);
                _cleanup_free_ char *rebased = NULL;

                if (strncmp(path, o->fs_root, len) != 0 || (path[len] != '/' && path[len]))
                        continue;
                while (dlen > 0 && o->dest[dlen - 1] == '/')
                        dlen--;
                /* runc and crun take a relative destination from the container's root. */
                if (asprintf(&rebased, "%s%.*s%s", o->dest[0] == '/' ? "" : "/", (int)dlen, o->dest,
                             path + len) < 0) {
                        rebased = NULL;
                        return error_set(err, -ENOMEM, "out of memory");
                }
                if ((r = add_one(after, rebased, err)) < 0)
                        return r;
        }
        return 0;
}

static int find_other_roots(struct rule_ctx *ctx, struct json *doc, struct other_roots *ret,
                            struct hr_error *err)
{
        struct json *mounts;
        int r;

        r = rule_field(ctx, doc, "", "mounts", JSON_ARRAY, false, &mounts, err);
        if (r <= 0)
                return r;
        if (!(ret->items = calloc(mounts->array.n + 1, sizeof(*ret->items))))
                return error_set(err, -ENOMEM, "out of memory");
        for (size_t i = 0; i < mounts->array.n; i++) {
                struct json *m = mounts->array.items[i], *type, *dest, *options;
                char path[RULE_PATH_MAX];
                const char *fs_root;

                rule_index_path(path, "/mounts", i);
                if (m->type != JSON_OBJECT)
                        return rule_fail(ctx, path, err, "expected object, got %s",
                                         json_type_name(m->type));
                if ((r = rule_field(ctx, m, path, "type", JSON_STRING, false, &type, err)) < 0 ||
                    (r == 1 && (r = rule_field(ctx, m, path, "destination", JSON_STRING, false,
                                               &dest, err)) < 0) ||
                    (r == 1 && (r = rule_field(ctx, m, path, "options", JSON_ARRAY, false, &options,
                                               err)) < 0))
                        return r;
                if (!type || !dest)
                        continue;
                if (strcmp(type->scalar.text, "proc") == 0)
                        fs_root = "/proc";
                else if (strcmp(type->scalar.text, "sysfs") == 0)
                        fs_root = "/sys";
                else
                        continue;
                if (is_bind_mount(type, options) || same_path(dest->scalar.text, fs_root))
                        continue;
                ret->items[ret->n++] = (struct other_root){dest->scalar.text, fs_root};
        }
        return 0;
}

/* Per-CPU thermal throttling counters leak what other tenants run (GHSA-6fw5-f8r9-fgfm); Docker
 * masks the directory of every CPU that has one, in CPU order. */
static int add_thermal_throttle(struct json *after, const struct other_roots *others,
                                struct hr_error *err)
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
                if (stat(path, &st) == 0 && (r = add_missing(after, path, others, err)) < 0)
                        return r;
        }
        return 0;
}

static int union_list(struct rule_ctx *ctx, struct json *linux, const char *key,
                      const char *const *want, bool thermal, const struct other_roots *others,
                      struct hr_error *err)
{
        _cleanup_(json_freep) struct json *after = NULL;
        char path[RULE_PATH_MAX];
        struct json *list;
        int r;

        r = rule_field(ctx, linux, "/linux", key, JSON_ARRAY, false, &list, err);
        if (r < 0)
                return r;
        snprintf(path, sizeof(path), "/linux/%s", key);
        if (list && (r = rule_check_items(ctx, list, path, JSON_STRING, err)) < 0)
                return r;
        if (!(after = list ? json_clone(list) : json_new_array()))
                return error_set(err, -ENOMEM, "out of memory");
        for (size_t i = 0; want[i]; i++)
                if ((r = add_missing(after, want[i], others, err)) < 0)
                        return r;
        if (thermal && (r = add_thermal_throttle(after, others, err)) < 0)
                return r;
        if (list ? after->array.n == list->array.n : after->array.n == 0)
                return 0;
        return rule_set(ctx, linux, "/linux", key, TAKE_PTR(after), err);
}

static int apply_masked_paths(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        const struct masked_paths_settings *own = ctx->settings;
        _cleanup_(other_roots_done) struct other_roots others = {0};
        struct json *linux;
        int r;

        if ((r = find_other_roots(ctx, doc, &others, err)) < 0)
                return r;
        /* Without a linux object the runtime masks nothing: add one. */
        r = rule_field(ctx, doc, "", "linux", JSON_OBJECT, true, &linux, err);
        if (r < 0)
                return r;
        r = union_list(ctx, linux, "maskedPaths",
                       settings_strv_or(own->masked, default_masked_paths), true, &others, err);
        if (r < 0)
                return r;
        return union_list(ctx, linux, "readonlyPaths",
                          settings_strv_or(own->readonly, default_readonly_paths), false, &others,
                          err);
}

static const char *const owns[] = {"/linux/maskedPaths", "/linux/readonlyPaths", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "masked_paths",
        .summary = "/proc and /sys files that leak host data are masked, /proc/sys "
                   "read-only",
        .enforce = "linux.maskedPaths gets every path of masked it lacks, plus "
                   "/sys/devices/system/cpu/cpu<N>/thermal_throttle for each CPU of the "
                   "host that has one (as Docker does); linux.readonlyPaths every path "
                   "of readonly. The spec's own entries stay. This restores what Docker "
                   "drops for --privileged and the kubelet for procMount Unmasked.",
        .deny = "a path of either list missing from the spec",
        .spec = "linux.maskedPaths, linux.readonlyPaths",
        .cis = "5.5 (privileged containers are not used: --privileged drops both "
               "lists)",
        .pss = "baseline: /proc Mount Type (procMount Default); restricted: the same",
};

const struct rule rule_masked_paths = {
        .id = RULE_MASKED_PATHS,
        .name = "masked_paths",
        .owns = owns,
        .for_process = false,
        .settings = settings,
        .n_settings = ELEMENTSOF(settings),
        .settings_size = sizeof(struct masked_paths_settings),
        .defaults = &defaults,
        .apply = apply_masked_paths,
        .doc = &doc,
};
