/* mount_options: bind mounts get the policy's options (nosuid, nodev, ...); /proc, /sys and cgroup
 * mounts get Docker's (the last two read-only); no mount, and not the root, shares mount events
 * with the host. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mountopt.h"
#include "rules/helpers.h"
#include "util/cleanup.h"

struct mount_options_settings {
        char **bind;       /* options every bind mount gets; NULL: nosuid, nodev */
        char *propagation; /* replaces shared/rshared: rprivate, rslave, ... */
};

/* Options the policy may force on bind mounts: none of them weakens a mount. */
static const char *const forcible[] = {"nosuid",  "nodev",  "noexec",  "ro", "rro",
                                       "rnosuid", "rnodev", "rnoexec", NULL};
static const char *const default_bind[] = {"nosuid", "nodev", NULL};

static const struct setting settings[] = {
        {"bind", &setting_strv, offsetof(struct mount_options_settings, bind), .values = forcible,
         .builtin = default_bind,
         .description = "options every bind mount gets: nosuid, nodev, noexec, ro, and the "
                        "recursive rnosuid, rnodev, rnoexec, rro (Linux 5.12 or later)"},
        {"propagation", &setting_string, offsetof(struct mount_options_settings, propagation),
         .values = (const char *const[]){"rprivate", "private", "rslave", "slave", NULL},
         .description = "what replaces shared and rshared: rprivate, private, rslave or "
                        "slave"},
};

static const struct mount_options_settings defaults = {.propagation = (char *)"rprivate"};

/* The options that clear what a forced one sets. runc applies a mount's flags in order (the last
 * of "ro" and "rw" wins) and the recursive ones after them with mount_setattr(), so "rsuid"
 * undoes "nosuid" as well as "rnosuid". */
#define OPTION(s)                \
        {                        \
                s, sizeof(s) - 1 \
        }
static const struct {
        const char *forced;
        struct {
                const char *name;
                size_t len;
        } undo[2];
} undoers[] = {
        {"nosuid", {OPTION("suid"), OPTION("rsuid")}},
        {"rnosuid", {OPTION("suid"), OPTION("rsuid")}},
        {"nodev", {OPTION("dev"), OPTION("rdev")}},
        {"rnodev", {OPTION("dev"), OPTION("rdev")}},
        {"noexec", {OPTION("exec"), OPTION("rexec")}},
        {"rnoexec", {OPTION("exec"), OPTION("rexec")}},
        {"ro", {OPTION("rw"), OPTION("rrw")}},
        {"rro", {OPTION("rw"), OPTION("rrw")}},
};

/* Docker's options for the kernel's own filesystems (moby daemon/pkg/oci/defaults.go). */
static const char *const proc_forced[] = {"nosuid", "noexec", "nodev", NULL};
static const char *const sys_forced[] = {"ro", "nosuid", "noexec", "nodev", NULL};
/* The other types rule mount_types allows: tmpfs keeps device nodes (/dev is one), devpts its
 * terminals. */
static const char *const tmpfs_forced[] = {"nosuid", NULL};
static const char *const devpts_forced[] = {"nosuid", "noexec", NULL};
static const char *const mqueue_forced[] = {"nosuid", "noexec", "nodev", NULL};
static const char *const overlay_forced[] = {"nosuid", "nodev", NULL};

static bool is_shared(const char *name, size_t len)
{
        return (len == 6 && strncmp(name, "shared", 6) == 0) ||
               (len == 7 && strncmp(name, "rshared", 7) == 0);
}

/* Most options undo nothing: the name is looked up among the undoers first (per option of
 * every mount, so this runs thousands of times on a spec with many volumes). */
static bool undoes(const char *const *forced, const char *name, size_t len)
{
        for (size_t u = 0; u < ELEMENTSOF(undoers); u++)
                for (size_t k = 0; k < ELEMENTSOF(undoers[u].undo); k++) {
                        if (undoers[u].undo[k].len != len ||
                            memcmp(undoers[u].undo[k].name, name, len) != 0)
                                continue;
                        for (size_t f = 0; forced && forced[f]; f++)
                                if (strcmp(undoers[u].forced, forced[f]) == 0)
                                        return true;
                }
        return false;
}

/* Whether one options[] element must go: it undoes a forced option or shares propagation. runc
 * takes an element with a comma as one piece of mount data and crun reads it as a C string, so
 * such elements are split with libmount (which knows quoting: context="a,b") and go as a whole
 * when any part is bad. */
static int is_bad_element(const char *text, const char *const *forced, bool *ret_shared,
                          bool *ret_bad, struct hr_error *err)
{
        const struct mountopt_api *mnt;
        char *it = (char *)text, *name, *value;
        size_t name_len, value_len;
        int r;

        *ret_shared = *ret_bad = false;
        if (!strchr(text, ',')) {
                *ret_shared = is_shared(text, strlen(text));
                *ret_bad = *ret_shared || undoes(forced, text, strlen(text));
                return 0;
        }
        if ((r = mountopt_api(&mnt, err)) < 0)
                return r;
        while (mnt->next_option(&it, &name, &name_len, &value, &value_len) == 0) {
                if (value)
                        continue; /* "name=value" is data to every runtime, never a flag */
                *ret_shared |= is_shared(name, name_len);
                *ret_bad |= is_shared(name, name_len) || undoes(forced, name, name_len);
        }
        return 0;
}

static bool has_element(const struct json *options, const char *want)
{
        for (size_t i = 0; i < options->array.n; i++) {
                const struct json *o = options->array.items[i];
                if (o->type == JSON_STRING && strcmp(o->scalar.text, want) == 0)
                        return true;
        }
        return false;
}

/* The options every mount of this kind must carry (NULL: none). */
static const char *const *forced_for(const struct mount_options_settings *own,
                                     const struct json *type, const struct json *options)
{
        const char *t = type ? type->scalar.text : "";

        if (is_bind_mount(type, options))
                return settings_strv_or(own->bind, default_bind);
        if (strcmp(t, "proc") == 0)
                return proc_forced;
        if (strcmp(t, "sysfs") == 0 || strcmp(t, "cgroup") == 0 || strcmp(t, "cgroup2") == 0)
                return sys_forced;
        if (strcmp(t, "tmpfs") == 0)
                return tmpfs_forced;
        if (strcmp(t, "devpts") == 0)
                return devpts_forced;
        if (strcmp(t, "mqueue") == 0)
                return mqueue_forced;
        if (strcmp(t, "overlay") == 0)
                return overlay_forced;
        return NULL;
}

/* A new options list in m's document holding the first n elements of options (may be NULL),
 * with room for cap. */
static int start_list(struct json *m, struct json *options, size_t n, size_t cap, struct json **ret)
{
        int r;

        if (!(*ret = json_new_array_in(m, cap)))
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                if ((r = json_array_append(*ret, options->array.items[i])) < 0)
                        return r;
        return 0;
}

static int append_string(struct json *array, const char *s, struct hr_error *err)
{
        int r = json_array_append(array, json_new_string_in(array, s));

        return r < 0 ? error_set(err, r, "out of memory") : 0;
}

static int harden_mount(struct rule_ctx *ctx, struct json *m, const char *path,
                        struct hr_error *err)
{
        const struct mount_options_settings *own = ctx->settings;
        const char *const *forced;
        struct json *type, *options, *after = NULL;
        bool dropped_shared = false;
        char opts_path[RULE_PATH_MAX];
        size_t n_forced = 0, n;
        int r;

        if ((r = rule_field(ctx, m, path, "type", JSON_STRING, false, &type, err)) < 0)
                return r;
        if ((r = rule_field(ctx, m, path, "options", JSON_ARRAY, false, &options, err)) < 0)
                return r;
        rule_key_path(opts_path, path, "options");
        if (options && (r = rule_check_items(ctx, options, opts_path, JSON_STRING, err)) < 0)
                return r;
        forced = forced_for(own, type, options);
        while (forced && forced[n_forced])
                n_forced++;
        n = options ? options->array.n : 0;

        /* The new list is made only when the mount needs one, in the spec's document: the
         * elements kept are linked, not copied (texts never change in place). */
        for (size_t i = 0; i < n; i++) {
                struct json *o = options->array.items[i];
                bool shared, bad;
                if ((r = is_bad_element(o->scalar.text, forced, &shared, &bad, err)) < 0)
                        return r;
                dropped_shared |= shared;
                if (bad && !after && (r = start_list(m, options, i, n + n_forced + 1, &after)) < 0)
                        return error_set(err, r, "out of memory");
                if (!bad && after && (r = json_array_append(after, o)) < 0)
                        return error_set(err, r, "out of memory");
        }
        if (!after) {
                size_t f = 0;
                while (f < n_forced && options && has_element(options, forced[f]))
                        f++;
                if (f == n_forced)
                        return 0; /* nothing to drop, nothing missing */
                if ((r = start_list(m, options, n, n + n_forced + 1, &after)) < 0)
                        return error_set(err, r, "out of memory");
        }
        for (size_t f = 0; f < n_forced; f++)
                if (!has_element(after, forced[f]) &&
                    (r = append_string(after, forced[f], err)) < 0)
                        return r;
        /* Last, so it wins over any propagation option left before it. */
        if (dropped_shared && !has_element(after, own->propagation) &&
            (r = append_string(after, own->propagation, err)) < 0)
                return r;
        if (options ? json_equal(options, after) : after->array.n == 0)
                return 0;
        return rule_set(ctx, m, path, "options", after, err);
}

/* runc makes the whole mount tree of the container rshared with this, so mounts made inside
 * reach the host through every bind mount. */
static int harden_root_propagation(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        const struct mount_options_settings *own = ctx->settings;
        struct json *linux, *prop;
        int r;

        r = rule_field(ctx, doc, "", "linux", JSON_OBJECT, false, &linux, err);
        if (r <= 0)
                return r;
        r = rule_field(ctx, linux, "/linux", "rootfsPropagation", JSON_STRING, false, &prop, err);
        if (r <= 0)
                return r;
        if (!is_shared(prop->scalar.text, strlen(prop->scalar.text)))
                return 0;
        return rule_set(ctx, linux, "/linux", "rootfsPropagation",
                        json_new_string(own->propagation), err);
}

static int apply_mount_options(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct json *mounts;
        int r;

        r = rule_field(ctx, doc, "", "mounts", JSON_ARRAY, false, &mounts, err);
        if (r < 0)
                return r;
        for (size_t i = 0; r == 1 && i < mounts->array.n; i++) {
                struct json *m = mounts->array.items[i];
                char path[RULE_PATH_MAX];
                int k;

                rule_index_path(path, "/mounts", i);
                if (m->type != JSON_OBJECT)
                        return rule_fail(ctx, path, err, "expected object, got %s",
                                         json_type_name(m->type));
                if ((k = harden_mount(ctx, m, path, err)) < 0)
                        return k;
        }
        return harden_root_propagation(ctx, doc, err);
}

static const char *const owns[] = {"/mounts/*/options", "/linux/rootfsPropagation", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "mount_options",
        .summary = "bind mounts are nosuid,nodev, /sys and cgroups read-only, no "
                   "propagation is shared",
        .enforce = "every bind mount (type bind, or a bind or rbind option) gets the "
                   "options in bind, and options that undo them (suid, dev, exec, rw "
                   "and their recursive forms) are dropped; proc mounts get "
                   "nosuid,noexec,nodev, sysfs and cgroup mounts ro,nosuid,noexec,nodev "
                   "(what Docker gives a non-privileged container); shared or rshared "
                   "on a mount or as the root's propagation becomes propagation. Other "
                   "options the engine set are kept in their order. An element holding "
                   "several options ('a,b') goes as a whole when one of them is dropped.",
        .deny = "a bind mount missing a forced option or carrying one that undoes it, "
                "a proc, sysfs or cgroup mount lacking Docker's options (a writable "
                "sysfs or cgroup among them), shared propagation",
        .spec = "mounts[].type, mounts[].options, linux.rootfsPropagation",
        .cis = "5.6 (sensitive host system directories are not mounted on "
               "containers), 5.20 (the host's mount propagation mode is not shared)",
        .pss = "baseline: Privileged Containers (a privileged pod gets a writable /sys "
               "and cgroups); bind mount options and propagation are not in the Pod "
               "Security Standards",
};

const struct rule rule_mount_options = {
        .id = RULE_MOUNT_OPTIONS,
        .name = "mount_options",
        .for_process = false,
        .owns = owns,
        .settings = settings,
        .n_settings = ELEMENTSOF(settings),
        .settings_size = sizeof(struct mount_options_settings),
        .defaults = &defaults,
        .apply = apply_mount_options,
        .doc = &doc,
};
