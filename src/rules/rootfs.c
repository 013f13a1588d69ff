/* rootfs: the root filesystem is mounted read-only; tmpfs scratch mounts (nosuid,nodev,noexec,
 * size-limited) keep ordinary programs that write to /tmp working. A scratch tmpfs goes before
 * the engine's mounts below it (runc mounts in list order), so they stay visible: the
 * kubelet's service-account token below /var/run -> /run, a volume at /tmp/cache. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rootpath.h"
#include "rules/rules.h"
#include "util/cleanup.h"

static struct json *tmpfs_mount(const struct policy_tmpfs *t)
{
        struct json *m = json_new_object();
        struct json *opts = json_new_array();

        for (size_t i = 0; opts && t->options[i]; i++)
                if (json_array_append(opts, json_new_string(t->options[i])) < 0)
                        opts = json_free(opts);
        if (!m || !opts || json_object_set(m, "destination", json_new_string(t->path)) < 0 ||
            json_object_set(m, "type", json_new_string("tmpfs")) < 0 ||
            json_object_set(m, "source", json_new_string("tmpfs")) < 0) {
                json_free(opts);
                return json_free(m);
        }
        if (json_object_set(m, "options", opts) < 0)
                return json_free(m);
        return m;
}

/* Where runc will mount: the destination resolved inside the container's root, or only
 * cleaned where that root cannot be read (hardrunctl on a lone config.json). */
static char *resolve_destination(int root_fd, const char *dest)
{
        char out[PATH_MAX];

        if (rootpath_resolve(root_fd, dest, out, sizeof(out)) < 0 &&
            rootpath_resolve(-1, dest, out, sizeof(out)) < 0)
                return NULL; /* too long to mount anyway: compares equal to nothing */
        return strdup(out);
}

static bool is_strictly_below(const char *path, const char *dir)
{
        size_t n = strlen(dir);

        if (strcmp(dir, "/") == 0)
                return strcmp(path, "/") != 0;
        return strncmp(path, dir, n) == 0 && path[n] == '/';
}

struct resolved_list {
        char **items; /* one per mount: its destination resolved, NULL when it has none */
        size_t n;
};

static void resolved_list_done(struct resolved_list *l)
{
        for (size_t i = 0; i < l->n; i++)
                free(l->items[i]);
        free(l->items);
}

/* Adds each scratch tmpfs of the policy that no mount already puts at its (resolved) place,
 * right before the first mount below it, or at the end. */
static int add_scratch_mounts(struct rule_ctx *ctx, struct json *doc, struct json *mounts,
                              struct hr_error *err)
{
        const struct policy *p = ctx->policy;
        _cleanup_(resolved_list_done) struct resolved_list dests = {0};
        _cleanup_close_ int root_fd = -1;
        struct json *root = json_object_get(doc, "root");
        const struct json *root_path = root ? json_object_get(root, "path") : NULL;
        int r;

        if (json_is_clean_string(root_path))
                root_fd = rootpath_open(ctx->file, root_path->scalar.text);
        dests.items = calloc(mounts->array.n + p->rootfs.n_tmpfs, sizeof(*dests.items));
        if (!dests.items)
                return error_set(err, -ENOMEM, "out of memory");
        for (; dests.n < mounts->array.n; dests.n++) {
                struct json *dest;
                char path[RULE_PATH_MAX];

                rule_index_path(path, "/mounts", dests.n);
                r = rule_field(ctx, mounts->array.items[dests.n], path, "destination", JSON_STRING,
                               false, &dest, err);
                if (r < 0)
                        return r;
                if (r == 1 && json_is_clean_string(dest) &&
                    !(dests.items[dests.n] = resolve_destination(root_fd, dest->scalar.text)))
                        return error_set(err, -ENOMEM, "out of memory");
        }
        for (size_t t = 0; t < p->rootfs.n_tmpfs; t++) {
                const struct policy_tmpfs *want = &p->rootfs.tmpfs[t];
                _cleanup_free_ char *place = resolve_destination(root_fd, want->path);
                size_t pos = mounts->array.n;
                bool present = false;
                char path[RULE_PATH_MAX];
                struct json *m;

                if (!place)
                        return error_set(err, -ENOMEM, "out of memory");
                /* A mount the engine already put there (a volume, a tmpfs) stays as it is. */
                for (size_t i = 0; i < dests.n && !present; i++)
                        present = dests.items[i] && strcmp(dests.items[i], place) == 0;
                if (present)
                        continue;
                for (size_t i = 0; i < dests.n && pos == mounts->array.n; i++)
                        if (dests.items[i] && is_strictly_below(dests.items[i], place))
                                pos = i;
                m = tmpfs_mount(want);
                if (!m)
                        return error_set(err, -ENOMEM, "out of memory");
                rule_index_path(path, "/mounts", pos);
                if ((r = rule_record(ctx, path, NULL, m, err)) < 0) {
                        json_free(m);
                        return r;
                }
                if ((r = json_array_insert(mounts, pos, m)) < 0)
                        return error_set(err, r, "out of memory");
                memmove(&dests.items[pos + 1], &dests.items[pos],
                        (dests.n - pos) * sizeof(dests.items[0]));
                dests.items[pos] = TAKE_PTR(place);
                dests.n++;
        }
        return 0;
}

static int apply_rootfs(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        const struct policy *p = ctx->policy;
        struct json *root, *readonly, *mounts;
        int r;

        r = rule_field(ctx, doc, "", "root", JSON_OBJECT, false, &root, err);
        if (r < 0)
                return r;
        if (r == 1) {
                r = rule_field(ctx, root, "/root", "readonly", JSON_TRUE, false, &readonly, err);
                if (r < 0)
                        return r;
                if (r == 0 || readonly->type != JSON_TRUE) {
                        r = rule_set(ctx, root, "/root", "readonly", json_new_bool(true), err);
                        if (r < 0)
                                return r;
                }
        }
        if (p->rootfs.n_tmpfs == 0)
                return 0;

        r = rule_field(ctx, doc, "", "mounts", JSON_ARRAY, true, &mounts, err);
        if (r < 0)
                return r;
        for (size_t i = 0; i < mounts->array.n; i++) {
                const struct json *m = mounts->array.items[i];
                char path[RULE_PATH_MAX];
                if (m->type != JSON_OBJECT) {
                        rule_index_path(path, "/mounts", i);
                        return rule_fail(ctx, path, err, "expected object, got %s",
                                         json_type_name(m->type));
                }
        }
        return add_scratch_mounts(ctx, doc, mounts, err);
}

static const char *const owns[] = {"/root/readonly", NULL};

const struct rule rule_rootfs = {
        .id = RULE_ROOTFS,
        .owns = owns,
        .for_process = false,
        .apply = apply_rootfs,
};
