/* rootfs: the root filesystem is mounted read-only; tmpfs scratch mounts (nosuid,nodev,noexec,
 * size-limited) keep ordinary programs that write to /tmp working. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"
#include "util/cleanup.h"

/* Compared the way runc cleans a destination before mounting: "//" and "/./" collapse, a
 * trailing "/" or "/." goes. A destination too long to clean matches nothing. */
static bool same_destination(const char *a, const char *b)
{
        char ca[RULE_PATH_MAX], cb[RULE_PATH_MAX];

        return rule_clean_path(a, ca, sizeof(ca)) && rule_clean_path(b, cb, sizeof(cb)) &&
               strcmp(ca, cb) == 0;
}

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
                        snprintf(path, sizeof(path), "/mounts/%zu", i);
                        return rule_fail(ctx, path, err, "expected object, got %s",
                                         json_type_name(m->type));
                }
        }
        for (size_t t = 0; t < p->rootfs.n_tmpfs; t++) {
                const struct policy_tmpfs *want = &p->rootfs.tmpfs[t];
                bool present = false;
                char path[RULE_PATH_MAX];
                struct json *m;

                /* A mount the engine already put there (a volume, a tmpfs) stays as it is. */
                for (size_t i = 0; i < mounts->array.n && !present; i++) {
                        struct json *dest;
                        rule_index_path(path, "/mounts", i);
                        r = rule_field(ctx, mounts->array.items[i], path, "destination",
                                       JSON_STRING, false, &dest, err);
                        if (r < 0)
                                return r;
                        present = r == 1 && same_destination(dest->scalar.text, want->path);
                }
                if (present)
                        continue;
                m = tmpfs_mount(want);
                if (!m)
                        return error_set(err, -ENOMEM, "out of memory");
                snprintf(path, sizeof(path), "/mounts/%zu", mounts->array.n);
                r = rule_record(ctx, path, NULL, m, err);
                if (r < 0) {
                        json_free(m);
                        return r;
                }
                r = json_array_append(mounts, m);
                if (r < 0)
                        return error_set(err, r, "out of memory");
        }
        return 0;
}

const struct rule rule_rootfs = {
        .id = RULE_ROOTFS,
        .for_process = false,
        .apply = apply_rootfs,
};
