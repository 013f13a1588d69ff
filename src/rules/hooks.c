/* hooks: every OCI hook must be on the admins' allowlist. prestart, createRuntime, poststart
 * and poststop run on the host as the runtime's user (root), so a bundle that brings its own
 * hook runs any host command it likes; createContainer and startContainer run in the
 * container. Enforce drops the hooks no allow entry matches. */
#include <errno.h>
#include <fnmatch.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rules/helpers.h"
#include "util/cleanup.h"

static const char *const kinds[] = {
        "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

/* A hook the admins allow: shell-style patterns (fnmatch, FNM_PATHNAME for path) for its path
 * and, when args is set, for each argument (args[0] included), one to one. */
struct hook_allowed {
        char *path;
        char **args; /* NULL-terminated; NULL: any arguments */
        char **exe;  /* the hook must be the same file (device, inode) as one of these; NULL: any */
};

struct hooks_allowed {
        struct hook_allowed *items;
        size_t n;
};

struct hooks_settings {
        struct hooks_allowed allow;
};

static int check_absolute(struct settings_parser *sp, const char *path, const void *field)
{
        const char *value = *(char *const *)field;

        return value[0] == '/' ? 0 : settings_fail(sp, path, "'%s' is not an absolute path", value);
}

/* One entry of allow. */
static const struct setting entry_settings[] = {
        {"path", &setting_string, offsetof(struct hook_allowed, path), SETTING_REQUIRED,
         .check = check_absolute},
        {"args", &setting_strv, offsetof(struct hook_allowed, args), SETTING_SHOW_IF_SET},
        {"exe", &setting_strv, offsetof(struct hook_allowed, exe),
         SETTING_ABSOLUTE | SETTING_SHOW_IF_SET},
};

static void hooks_allowed_done(struct hooks_allowed *list)
{
        for (size_t i = 0; i < list->n; i++)
                settings_free(entry_settings, ELEMENTSOF(entry_settings), &list->items[i]);
        free(list->items);
        *list = (struct hooks_allowed){0};
}

/* The list replaces what was there (the built-in entries included). In collect mode an entry
 * with a problem is left out. */
static int hooks_parse(struct settings_parser *sp, const struct setting *s, const struct json *v,
                       const char *path, void *field)
{
        _cleanup_(hooks_allowed_done) struct hooks_allowed list = {0};
        int r;

        (void)s;
        if ((r = settings_expect(sp, v, JSON_ARRAY, path)) < 0)
                return r;
        list.items = calloc(v->array.n + 1, sizeof(*list.items));
        if (!list.items)
                return error_set(sp->err, -ENOMEM, "out of memory");
        for (size_t i = 0; i < v->array.n; i++) {
                struct hook_allowed *h = &list.items[list.n++];
                size_t problems = settings_problems(sp);
                char item_path[256];

                snprintf(item_path, sizeof(item_path), "%s/%zu", path, i);
                r = settings_parse(sp, entry_settings, ELEMENTSOF(entry_settings),
                                   v->array.items[i], item_path, h, NULL);
                if ((r = settings_collect(sp, r)) < 0)
                        return r;
                if (settings_problems(sp) != problems) {
                        settings_free(entry_settings, ELEMENTSOF(entry_settings), h);
                        list.n--;
                }
        }
        hooks_allowed_done(field);
        *(struct hooks_allowed *)field = list;
        list = (struct hooks_allowed){0};
        return 0;
}

static int hooks_show(const struct setting *s, const void *field, struct json **ret)
{
        const struct hooks_allowed *list = field;
        _cleanup_(json_freep) struct json *array = json_new_array();
        int r;

        (void)s;
        if (!array)
                return -ENOMEM;
        for (size_t i = 0; i < list->n; i++) {
                struct json *item = json_new_object();
                if (!item || (r = json_array_append(array, item)) < 0) {
                        json_free(item);
                        return -ENOMEM;
                }
                if ((r = settings_show(entry_settings, ELEMENTSOF(entry_settings), &list->items[i],
                                       item)) < 0)
                        return r;
        }
        *ret = TAKE_PTR(array);
        return 0;
}

static int hooks_copy(const struct setting *s, void *dst, const void *src)
{
        const struct hooks_allowed *from = src;
        struct hooks_allowed *to = dst;

        (void)s;
        if (from->n == 0)
                return 0;
        to->items = calloc(from->n, sizeof(*to->items));
        if (!to->items)
                return -ENOMEM;
        /* A half-copied entry is freeable: it is counted for the free. */
        for (; to->n < from->n; to->n++)
                if (settings_copy(entry_settings, ELEMENTSOF(entry_settings), &to->items[to->n],
                                  &from->items[to->n]) < 0) {
                        to->n++;
                        return -ENOMEM;
                }
        return 0;
}

static void hooks_free(const struct setting *s, void *field)
{
        (void)s;
        hooks_allowed_done(field);
}

/* A list of objects, each read, shown, copied and freed through entry_settings. */
static const struct setting_type setting_hooks = {
        .doc = "array of objects",
        .parse = hooks_parse,
        .show = hooks_show,
        .copy = hooks_copy,
        .free = hooks_free,
        .size = sizeof(struct hooks_allowed),
};

static const struct setting settings[] = {
        {"allow", &setting_hooks, offsetof(struct hooks_settings, allow),
         .description = "allowed hooks: path (pattern, '*' stops at '/'), args (patterns, "
                        "args[0] included; absent: any), exe (absolute paths the hook's path "
                        "must be the same file as; absent: no check). The built-in list "
                        "holds Docker's libnetwork-setkey hook (/proc/<dockerd pid>/exe) and "
                        "the NVIDIA prestart hook"},
};

/* The hooks engines add themselves, which enforce mode must keep working: Docker's (≤ 27)
 * libnetwork-setkey prestart hook, run as dockerd's own executable through /proc/<pid>/exe, and
 * the NVIDIA container hook `docker run --gpus` adds. */
static const char *const setkey_args[] = {"libnetwork-setkey", "-exec-root=/*", "*", "*", NULL};
static const char *const dockerd_exe[] = {"/usr/bin/dockerd", "/usr/sbin/dockerd",
                                          "/usr/local/bin/dockerd", NULL};
static const char *const nvidia_args[] = {"nvidia-container-runtime-hook", "prestart", NULL};
static const struct hook_allowed default_hooks[] = {
        {(char *)"/proc/[0-9]*/exe", (char **)setkey_args, (char **)dockerd_exe},
        {(char *)"/usr/bin/nvidia-container-runtime-hook", (char **)nvidia_args, NULL},
};

static const struct hooks_settings defaults = {
        .allow = {(struct hook_allowed *)default_hooks, ELEMENTSOF(default_hooks)},
};

/* startContainer paths resolve in the container's namespaces: a host file identity says
 * nothing about them. */
#define KIND_IN_CONTAINER "startContainer"

/* The hook's path names the same file as one of exe: stat follows /proc/<pid>/exe to the
 * process's executable. readlink would not do: for a process in another mount namespace it
 * gives the path inside that namespace, which anyone can make "/usr/sbin/dockerd". */
static bool is_same_file_as_one_of(const char *path, char *const *exe)
{
        struct stat st, want;

        if (stat(path, &st) < 0)
                return false;
        for (char *const *e = exe; *e; e++)
                if (stat(*e, &want) == 0 && want.st_dev == st.st_dev && want.st_ino == st.st_ino)
                        return true;
        return false;
}

/* A "." or ".." component: fnmatch's "*" matches "..", so a pattern with a wildcard component
 * between /opt/hooks and bin/x would pass /opt/hooks/../bin/x, a file outside /opt/hooks. The
 * runtime executes the path as given, so no engine needs one. */
static bool has_dot_component(const char *path)
{
        for (const char *p = path; *p;) {
                size_t len = strcspn(p, "/");
                if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
                        return true;
                p += len;
                p += *p == '/';
        }
        return false;
}

static bool is_allowed(const struct hooks_settings *own, const char *kind, const char *path,
                       const struct json *args)
{
        if (has_dot_component(path))
                return false;
        for (size_t i = 0; i < own->allow.n; i++) {
                const struct hook_allowed *h = &own->allow.items[i];
                size_t n = 0;

                if (fnmatch(h->path, path, FNM_PATHNAME) != 0)
                        continue;
                if (h->args) {
                        while (h->args[n])
                                n++;
                        if (n != (args ? args->array.n : 0))
                                continue;
                        for (n = 0; h->args[n]; n++)
                                if (fnmatch(h->args[n], args->array.items[n]->scalar.text, 0) != 0)
                                        break;
                        if (h->args[n])
                                continue;
                }
                if (h->exe &&
                    (strcmp(kind, KIND_IN_CONTAINER) == 0 || !is_same_file_as_one_of(path, h->exe)))
                        continue;
                return true;
        }
        return false;
}

static int check_strings(struct rule_ctx *ctx, const struct json *list, const char *path,
                         struct hr_error *err)
{
        for (size_t i = 0; i < list->array.n; i++) {
                const struct json *v = list->array.items[i];
                if (!json_is_clean_string(v)) {
                        char item[RULE_PATH_MAX];
                        snprintf(item, sizeof(item), "%s/%zu", path, i);
                        return rule_fail(ctx, item, err, "expected string%s, got %s",
                                         v->type == JSON_STRING ? " without NUL bytes" : "",
                                         json_type_name(v->type));
                }
        }
        return 0;
}

/* Reads one hook as runc does; returns 1 when it may stay. */
static int check_hook(struct rule_ctx *ctx, const char *kind, struct json *hook, const char *hpath,
                      struct hr_error *err)
{
        struct json *path, *args, *env;
        int r;

        if (hook->type != JSON_OBJECT)
                return rule_fail(ctx, hpath, err, "expected object, got %s",
                                 json_type_name(hook->type));
        r = rule_field(ctx, hook, hpath, "path", JSON_STRING, false, &path, err);
        if (r < 0)
                return r;
        if (r == 0 || path->scalar.len == 0 || !json_is_clean_string(path)) {
                char p[RULE_PATH_MAX];
                snprintf(p, sizeof(p), "%s/path", hpath);
                return rule_fail(ctx, p, err, "a hook needs a path without NUL bytes");
        }
        r = rule_field(ctx, hook, hpath, "args", JSON_ARRAY, false, &args, err);
        if (r < 0)
                return r;
        if (r == 1) {
                char p[RULE_PATH_MAX];
                snprintf(p, sizeof(p), "%s/args", hpath);
                if ((r = check_strings(ctx, args, p, err)) < 0)
                        return r;
        }
        r = rule_field(ctx, hook, hpath, "env", JSON_ARRAY, false, &env, err);
        if (r < 0)
                return r;
        if (r == 1) {
                char p[RULE_PATH_MAX];
                snprintf(p, sizeof(p), "%s/env", hpath);
                if ((r = check_strings(ctx, env, p, err)) < 0)
                        return r;
        }
        /* The allowlist names path and arguments only: an environment (LD_PRELOAD=...) would
         * turn an allowed root hook into any code the bundle brings. */
        if (env && env->array.n > 0)
                return 0;
        return is_allowed(ctx->settings, kind, path->scalar.text, args);
}

static bool is_kind(const char *key)
{
        for (size_t i = 0; i < ELEMENTSOF(kinds); i++)
                if (strcmp(key, kinds[i]) == 0)
                        return true;
        return false;
}

static int apply_hooks(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        char path[RULE_PATH_MAX];
        struct json *hooks, *list;
        int r;

        r = rule_field(ctx, doc, "", "hooks", JSON_OBJECT, false, &hooks, err);
        if (r <= 0)
                return r;

        for (size_t k = 0; k < ELEMENTSOF(kinds); k++) {
                r = rule_field(ctx, hooks, "/hooks", kinds[k], JSON_ARRAY, false, &list, err);
                if (r < 0)
                        return r;
                for (size_t i = list ? list->array.n : 0; i-- > 0;) {
                        snprintf(path, sizeof(path), "/hooks/%s/%zu", kinds[k], i);
                        r = check_hook(ctx, kinds[k], list->array.items[i], path, err);
                        if (r < 0)
                                return r;
                        if (r == 1)
                                continue;
                        if ((r = rule_record(ctx, path, list->array.items[i], NULL, err)) < 0)
                                return r;
                        if ((r = json_array_remove(list, i)) < 0)
                                return error_set(err, r, "out of memory");
                }
        }

        /* Kinds runc and crun do not know are ignored by them today; a newer runtime may run
         * them, and no allow entry can vouch for them. */
        for (size_t i = hooks->object.n; i-- > 0;) {
                const struct json_member *m = &hooks->object.members[i];
                if (is_kind(m->key))
                        continue;
                rule_member_path("/hooks", m->key, path, sizeof(path));
                if ((r = rule_record(ctx, path, m->value, NULL, err)) < 0)
                        return r;
                if ((r = json_object_remove_at(hooks, i)) < 0)
                        return error_set(err, r, "out of memory");
        }
        return 0;
}

static const char *const owns[] = {"/hooks", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "hooks",
        .summary = "only the hooks the admins allow run",
        .enforce = "a hook that no allow entry matches is removed from its list, and "
                   "hook kinds the runtime does not know are removed whole. An entry "
                   "matches when its path pattern matches the hook's path, its args "
                   "patterns match the hook's arguments one to one (same count), the "
                   "hook sets no environment, and, when exe is given, the hook's path "
                   "is the same file (device and inode, after /proc/<pid>/exe) as one "
                   "of exe. Entries with exe never match startContainer hooks, whose "
                   "path resolves in the container.",
        .deny = "any hook that no allow entry matches; a hook kind the runtime does "
                "not know",
        .spec = "hooks.{prestart,createRuntime,createContainer,startContainer,"
                "poststart,poststop}[].{path,args,env}",
        .cis = "none (hooks run host commands as the runtime's user: root)",
        .pss = "none (Kubernetes has no hook field; engines add hooks themselves)",
};

const struct rule rule_hooks = {
        .id = RULE_HOOKS,
        .name = "hooks",
        .owns = owns,
        .for_process = false,
        .settings = settings,
        .n_settings = ELEMENTSOF(settings),
        .settings_size = sizeof(struct hooks_settings),
        .defaults = &defaults,
        .apply = apply_hooks,
        .doc = &doc,
};
