/* hooks: every OCI hook must be on the admins' allowlist. prestart, createRuntime, poststart
 * and poststop run on the host as the runtime's user (root), so a bundle that brings its own
 * hook runs any host command it likes; createContainer and startContainer run in the
 * container. Enforce drops the hooks no allow entry matches. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rules/helpers.h"
#include "util/cleanup.h"

static const char *const kinds[] = {
        "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
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

static bool is_allowed(const struct policy *p, const char *kind, const char *path,
                       const struct json *args)
{
        if (has_dot_component(path))
                return false;
        for (size_t i = 0; i < p->hooks.n_allow; i++) {
                const struct policy_hook *h = &p->hooks.allow[i];
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
        return is_allowed(ctx->policy, kind, path->scalar.text, args);
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

const struct rule rule_hooks = {
        .id = RULE_HOOKS,
        .name = "hooks",
        .owns = owns,
        .for_process = false,
        .apply = apply_hooks,
};
