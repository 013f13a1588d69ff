/* rootfs: the root filesystem is mounted read-only; tmpfs scratch mounts (nosuid,nodev,noexec,
 * size-limited) keep ordinary programs that write to /tmp working. A scratch tmpfs goes before
 * the engine's mounts below it (runc mounts in list order), so they stay visible: the
 * kubelet's service-account token below /var/run -> /run, a volume at /tmp/cache. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rootpath.h"
#include "rules/helpers.h"
#include "util/cleanup.h"

/* The ids the container's process ends up with: rule user ran before, so process.user is
 * final. Scratch space must be theirs to write. */
struct owner {
        uint32_t uid, gid;
};

/* False for root, which writes anyway, and for ids that are not plain numbers (rule user, or
 * the runtime, refuses those). */
static bool process_owner(const struct json *doc, struct owner *ret)
{
        const struct json *process = json_object_get(doc, "process");
        const struct json *user = process ? json_object_get(process, "user") : NULL;
        unsigned long long uid, gid = 0;

        if (!user || json_get_uint(json_object_get(user, "uid"), UINT32_MAX - 1, &uid) < 0 ||
            uid == 0)
                return false;
        /* An absent gid is 0, as the runtimes read it. */
        if (json_object_get(user, "gid") &&
            json_get_uint(json_object_get(user, "gid"), UINT32_MAX - 1, &gid) < 0)
                return false;
        *ret = (struct owner){(uint32_t)uid, (uint32_t)gid};
        return true;
}

/* Whether an option named name ("uid") is set: in an options array, an element may hold
 * several options, comma-separated (runc passes it on to mount(2) as it is). */
static bool has_option(const struct json *opts, const char *name)
{
        size_t len = strlen(name);

        for (size_t i = 0; opts && i < opts->array.n; i++) {
                const struct json *o = opts->array.items[i];
                for (const char *c = o->type == JSON_STRING ? o->scalar.text : ""; *c;) {
                        if (strncmp(c, name, len) == 0 && c[len] == '=')
                                return true;
                        c += strcspn(c, ",");
                        c += *c == ',';
                }
        }
        return false;
}

/* Appends uid= and gid= where opts lacks them. */
static int append_owner(struct json *opts, const struct owner *o)
{
        static const char *const names[] = {"uid", "gid"};
        const uint32_t ids[] = {o->uid, o->gid};
        char opt[32];

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                if (has_option(opts, names[i]))
                        continue;
                snprintf(opt, sizeof(opt), "%s=%" PRIu32, names[i], ids[i]);
                if (json_array_append(opts, json_new_string(opt)) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* The spec's own tmpfs mounts (--tmpfs, an engine's /run) without uid= or gid= belong to
 * root, and runc chmods them to the mode of the directory they cover (0755 for most): a
 * process moved off root could not write them. They get its ids. /dev and below (the
 * runtime's device tree, /dev/shm) stay as they are. */
static int own_spec_tmpfs(struct rule_ctx *ctx, struct json *mounts, const struct owner *o,
                          struct hr_error *err)
{
        for (size_t i = 0; i < mounts->array.n; i++) {
                struct json *m = mounts->array.items[i], *opts;
                const struct json *type = json_object_get(m, "type");
                const struct json *dest = json_object_get(m, "destination");
                char path[RULE_PATH_MAX], clean[RULE_PATH_MAX];
                _cleanup_(json_freep) struct json *before = NULL;
                int r;

                if (!json_is_clean_string(type) || strcmp(type->scalar.text, "tmpfs") != 0 ||
                    !json_is_clean_string(dest) ||
                    !rule_clean_path(dest->scalar.text, clean, sizeof(clean)) ||
                    strcmp(clean, "/dev") == 0 || strncmp(clean, "/dev/", 5) == 0)
                        continue;
                snprintf(path, sizeof(path), "/mounts/%zu", i);
                r = rule_field(ctx, m, path, "options", JSON_ARRAY, false, &opts, err);
                if (r < 0)
                        return r;
                snprintf(path, sizeof(path), "/mounts/%zu/options", i);
                if (r == 1 && (r = rule_check_items(ctx, opts, path, JSON_STRING, err)) < 0)
                        return r;
                if (has_option(opts, "uid") && has_option(opts, "gid"))
                        continue;
                if (opts && !(before = json_clone(opts)))
                        return error_set(err, -ENOMEM, "out of memory");
                snprintf(path, sizeof(path), "/mounts/%zu", i);
                if ((r = rule_field(ctx, m, path, "options", JSON_ARRAY, true, &opts, err)) < 0)
                        return r;
                if (append_owner(opts, o) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
                snprintf(path, sizeof(path), "/mounts/%zu/options", i);
                if ((r = rule_record(ctx, path, before, opts, err)) < 0)
                        return r;
        }
        return 0;
}

/* Whether rule user moved the process off root in this run (it ran before and recorded the
 * change it applied). */
static bool moved_off_root(const struct rule_ctx *ctx)
{
        for (size_t i = 0; i < ctx->findings->n; i++) {
                const struct finding *f = &ctx->findings->items[i];
                if (f->rule == RULE_USER && f->action == FINDING_CHANGED &&
                    strcmp(f->path, "/process/user/uid") == 0)
                        return true;
        }
        return false;
}

/* The scratch mount of t. tmpcopyup (the image's own content copied in) is left out for a
 * process moved off root: what an image ships there belongs to its own users, and runc copies
 * directories without their group and other write bits (its umask), so none of it would be
 * writable, while an empty tmpfs the process owns lets its entrypoint make what it needs. */
static struct json *tmpfs_mount(const struct policy_tmpfs *t, const struct owner *o, bool moved)
{
        struct json *m = json_new_object();
        struct json *opts = json_new_array();

        for (size_t i = 0; opts && t->options[i]; i++)
                if (!(moved && strcmp(t->options[i], "tmpcopyup") == 0) &&
                    json_array_append(opts, json_new_string(t->options[i])) < 0)
                        opts = json_free(opts);
        if (opts && o && append_owner(opts, o) < 0)
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
                              const struct owner *owner, struct hr_error *err)
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
                m = tmpfs_mount(want, owner, moved_off_root(ctx));
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
        struct owner owner;
        bool non_root = process_owner(doc, &owner);
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
        if (p->rootfs.n_tmpfs == 0 && !non_root)
                return 0;

        /* Created only for scratch mounts to add. */
        r = rule_field(ctx, doc, "", "mounts", JSON_ARRAY, p->rootfs.n_tmpfs > 0, &mounts, err);
        if (r <= 0)
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
        if (non_root && (r = own_spec_tmpfs(ctx, mounts, &owner, err)) < 0)
                return r;
        if (p->rootfs.n_tmpfs == 0)
                return 0;
        return add_scratch_mounts(ctx, doc, mounts, non_root ? &owner : NULL, err);
}

static const char *const owns[] = {"/root/readonly", NULL};

const struct rule rule_rootfs = {
        .id = RULE_ROOTFS,
        .name = "rootfs",
        .owns = owns,
        .for_process = false,
        .apply = apply_rootfs,
};
