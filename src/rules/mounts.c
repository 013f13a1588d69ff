/* mounts: no mount hands the container a host path on the policy's deny list. A bind source, and
 * the root filesystem (root.path), is resolved as runc and crun resolve it (relative to the
 * bundle, symbolic links followed, ".." as the kernel and as runc's lexical cleaning take it) and
 * refused at, under or above a denied path (mounting /run exposes /run/docker.sock), unless it is
 * an engine-managed source. A bind source is also judged by what it is: a UNIX socket (an engine
 * API wherever it lives) or a device node is refused unless the policy allows special files.
 * Rewriting cannot make such a mount safe, so it is refused. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rules/paths.h"
#include "rules/rules.h"

static bool is_bind(struct rule_ctx *ctx, struct json *m, const char *path, struct hr_error *err,
                    int *ret_r)
{
        struct json *type, *options;
        int r;

        *ret_r = 0;
        r = rule_field(ctx, m, path, "type", JSON_STRING, false, &type, err);
        if (r < 0)
                return *ret_r = r, false;
        if (is_bind_mount(type, NULL))
                return true;
        r = rule_field(ctx, m, path, "options", JSON_ARRAY, false, &options, err);
        if (r < 0)
                return *ret_r = r, false;
        return is_bind_mount(NULL, options);
}

/* A socket answers whoever connects (the Docker API is root on the host), a device node is the
 * hardware behind it: neither is a file the container should get by a bind mount. */
static int judge_special_file(struct rule_ctx *ctx, const char *path, const struct json *source,
                              const struct host_path *hp, struct hr_error *err)
{
        char wanted[PATH_MAX + 128];
        const char *kind = S_ISSOCK(hp->mode)  ? "UNIX socket"
                           : S_ISBLK(hp->mode) ? "block device"
                           : S_ISCHR(hp->mode) ? "character device"
                                               : NULL;

        if (!hp->exists || !kind || ctx->policy->mounts.special_files)
                return 0;
        snprintf(wanted, sizeof(wanted), "no bind mount of the %s '%s'", kind, hp->resolved);
        return rule_refuse(ctx, path, source, wanted, err);
}

static int judge_bind_sources(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        const char *const *allow = policy_mounts_allow(ctx->policy);
        struct json *mounts;
        int r;

        r = rule_field(ctx, doc, "", "mounts", JSON_ARRAY, false, &mounts, err);
        if (r <= 0)
                return r;
        for (size_t i = 0; i < mounts->array.n; i++) {
                struct json *m = mounts->array.items[i], *source;
                char path[RULE_PATH_MAX];
                struct host_path hp;
                bool refused;

                snprintf(path, sizeof(path), "/mounts/%zu", i);
                if (m->type != JSON_OBJECT)
                        return rule_fail(ctx, path, err, "expected object, got %s",
                                         json_type_name(m->type));
                if (!is_bind(ctx, m, path, err, &r)) {
                        if (r < 0)
                                return r;
                        continue;
                }
                r = rule_field(ctx, m, path, "source", JSON_STRING, false, &source, err);
                if (r <= 0)
                        return r;
                snprintf(path, sizeof(path), "/mounts/%zu/source", i);
                /* runc joins a relative source to the bundle and cleans it as text; crun walks
                 * it from the bundle: both readings are judged. */
                r = host_path_judge(ctx, path, source, source->scalar.text, "bind mount of", true,
                                    allow, &hp, &refused, err);
                if (r < 0)
                        return r;
                if (!refused && (r = judge_special_file(ctx, path, source, &hp, err)) < 0)
                        return r;
        }
        return 0;
}

/* root.path: a host directory as the container's root (/, /etc) is a host mount too. Engines
 * keep root filesystems under their state directories: those match policy_mounts_rootfs. */
static int judge_root_path(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct json *root, *path;
        struct host_path hp;
        bool refused;
        int r;

        r = rule_field(ctx, doc, "", "root", JSON_OBJECT, false, &root, err);
        if (r <= 0)
                return r;
        r = rule_field(ctx, root, "/root", "path", JSON_STRING, false, &path, err);
        if (r <= 0)
                return r;
        if (!json_is_clean_string(path))
                return rule_fail(ctx, "/root/path", err, "contains a NUL byte");
        return host_path_judge(ctx, "/root/path", path, path->scalar.text, "root filesystem at",
                               true, policy_mounts_rootfs(ctx->policy), &hp, &refused, err);
}

static int apply_mounts(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        int r = judge_bind_sources(ctx, doc, err);

        return r < 0 ? r : judge_root_path(ctx, doc, err);
}

static const char *const owns[] = {"/mounts/*/source", "/root/path", NULL};

const struct rule rule_mounts = {
        .id = RULE_MOUNTS,
        .for_process = false,
        .owns = owns,
        .apply = apply_mounts,
};
