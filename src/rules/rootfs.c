/* rootfs: the root filesystem is mounted read-only; tmpfs scratch mounts (nosuid,nodev,noexec,
 * size-limited) keep ordinary programs that write to /tmp working. A scratch tmpfs goes before
 * the engine's mounts below it (runc mounts in list order), so they stay visible: the
 * kubelet's service-account token below /var/run -> /run, a volume at /tmp/cache. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mountopt.h"
#include "rootpath.h"
#include "rules/helpers.h"
#include "rules/rootfs.h"
#include "rules/terms.h"
#include "util/cleanup.h"
#include "util/pathpattern.h"
#include "util/strv.h"

/* ---- the tmpfs list setting ---- */

/* Splits a tmpfs option string with libmount, refusing options that would undo nosuid, nodev
 * or noexec, and appends whichever of those three is missing. */
static int tmpfs_options_split(const char *in, char ***ret, struct hr_error *err)
{
        static const char *const forced[] = {"nosuid", "nodev", "noexec"};
        static const char *const refused[] = {"suid", "dev", "exec", "bind", "rbind", "remount"};
        _cleanup_free_ char *opts = NULL;
        const struct mountopt_api *mnt;
        char **v = NULL;
        char *name, *value, *it;
        size_t name_len, value_len, n = 0;
        int r;

        if ((r = mountopt_api(&mnt, err)) < 0)
                return r;
        if (in && *in && !(opts = strdup(in)))
                return error_set(err, -ENOMEM, "out of memory");
        it = opts;
        while (it && mnt->next_option(&it, &name, &name_len, &value, &value_len) == 0)
                for (size_t i = 0; i < ELEMENTSOF(refused); i++)
                        if (name_len == strlen(refused[i]) &&
                            strncmp(name, refused[i], name_len) == 0)
                                return error_set(err, -EINVAL, "option '%s' is not allowed",
                                                 refused[i]);
        for (size_t i = 0; i < ELEMENTSOF(forced); i++)
                if ((!opts || mnt->get_option(opts, forced[i], NULL, NULL) != 0) &&
                    mnt->append_option(&opts, forced[i], NULL) != 0)
                        return error_set(err, -ENOMEM, "out of memory");
        /* One array entry per option, as config.json's mounts[].options wants them. */
        it = opts;
        while (mnt->next_option(&it, &name, &name_len, &value, &value_len) == 0) {
                size_t len = value ? (size_t)(value + value_len - name) : name_len;
                char **grown = realloc(v, (n + 2) * sizeof(*v));
                if (!grown || !(grown[n] = strndup(name, len))) {
                        if (grown)
                                grown[n] = NULL;
                        strv_free(grown ? grown : v);
                        return error_set(err, -ENOMEM, "out of memory");
                }
                v = grown;
                v[++n] = NULL;
        }
        *ret = v;
        return 0;
}

static void tmpfs_list_free(const struct setting *s, void *field)
{
        struct rootfs_tmpfs_list *l = field;

        (void)s;
        for (size_t i = 0; i < l->n; i++) {
                free(l->items[i].path);
                strv_free(l->items[i].options);
        }
        free(l->items);
        *l = (struct rootfs_tmpfs_list){0};
}

/* One entry of the list as the policy file writes it. */
struct tmpfs_entry {
        char *path;
        char *options;
};

static int check_tmpfs_path(struct settings_parser *sp, const char *path, const void *field)
{
        const char *p = *(char *const *)field;

        if (!path_is_clean_absolute(p))
                return settings_fail(sp, path, "'%s' is not a clean absolute path below /", p);
        return 0;
}

static const struct setting tmpfs_entry_settings[] = {
        {"path", &setting_string, offsetof(struct tmpfs_entry, path), .flags = SETTING_REQUIRED,
         .check = check_tmpfs_path},
        {"options", &setting_string, offsetof(struct tmpfs_entry, options)},
};

static void tmpfs_entry_done(struct tmpfs_entry *e)
{
        free(e->path);
        free(e->options);
}

/* Reads entry i of the list v (at path) and appends it to l. In collect mode an entry with a
 * problem is recorded and left out. */
static int tmpfs_entry_parse(struct settings_parser *sp, const struct json *v, size_t i,
                             const char *path, struct rootfs_tmpfs_list *l)
{
        _cleanup_(tmpfs_entry_done) struct tmpfs_entry e = {0};
        size_t problems = settings_problems(sp);
        char item_path[96];
        char **opts = NULL;
        int r;

        snprintf(item_path, sizeof(item_path), "%s/%zu", path, i);
        r = settings_collect(sp, settings_parse(sp, tmpfs_entry_settings,
                                                ELEMENTSOF(tmpfs_entry_settings), v->array.items[i],
                                                item_path, &e, NULL));
        if (r < 0 || settings_problems(sp) > problems)
                return r;
        snprintf(item_path, sizeof(item_path), "%s/%zu/options", path, i);
        if ((r = tmpfs_options_split(e.options, &opts, sp->err)) < 0)
                return settings_collect(sp,
                                        error_prefix(sp->err, "%s: '%s': ", sp->source, item_path));
        l->items[l->n++] = (struct rootfs_tmpfs){TAKE_PTR(e.path), opts};
        return 0;
}

/* The list replaces the one there (the default). */
static int tmpfs_list_parse(struct settings_parser *sp, const struct setting *s,
                            const struct json *v, const char *path, void *field)
{
        struct rootfs_tmpfs_list l = {0};
        int r;

        if ((r = settings_expect(sp, v, JSON_ARRAY, path)) < 0)
                return r;
        if (v->array.n && !(l.items = calloc(v->array.n, sizeof(*l.items))))
                return error_set(sp->err, -ENOMEM, "out of memory");
        for (size_t i = 0; i < v->array.n; i++)
                if ((r = tmpfs_entry_parse(sp, v, i, path, &l)) < 0) {
                        tmpfs_list_free(s, &l);
                        return r;
                }
        tmpfs_list_free(s, field);
        *(struct rootfs_tmpfs_list *)field = l;
        return 0;
}

/* Each entry with its options joined again: the parser splits the string into the same list. */
static struct json *tmpfs_entry_show(const struct rootfs_tmpfs *t)
{
        _cleanup_free_ char *opts = NULL;
        struct json *item = json_new_object();
        size_t len = 0, o = 0;

        for (size_t k = 0; t->options[k]; k++)
                len += strlen(t->options[k]) + 1;
        opts = calloc(1, len + 1);
        for (size_t k = 0; opts && t->options[k]; k++)
                o += (size_t)sprintf(opts + o, "%s%s", k ? "," : "", t->options[k]);
        if (!item || !opts || json_object_set(item, "path", json_new_string(t->path)) < 0 ||
            json_object_set(item, "options", json_new_string(opts)) < 0)
                return json_free(item);
        return item;
}

static int tmpfs_list_show(const struct setting *s, const void *field, struct json **ret)
{
        const struct rootfs_tmpfs_list *l = field;
        struct json *list = json_new_array();
        int r;

        (void)s;
        if (!list)
                return -ENOMEM;
        for (size_t i = 0; i < l->n; i++)
                if ((r = json_array_append(list, tmpfs_entry_show(&l->items[i]))) < 0) {
                        json_free(list);
                        return r;
                }
        *ret = list;
        return 0;
}

static int tmpfs_list_copy(const struct setting *s, void *dst, const void *src)
{
        const struct rootfs_tmpfs_list *from = src;
        struct rootfs_tmpfs_list *to = dst;

        (void)s;
        if (from->n && !(to->items = calloc(from->n, sizeof(*to->items))))
                return -ENOMEM;
        for (; to->n < from->n; to->n++) {
                struct rootfs_tmpfs *t = &to->items[to->n];
                t->path = strdup(from->items[to->n].path);
                t->options = strv_new((const char *const *)from->items[to->n].options);
                if (!t->path || !t->options)
                        return -ENOMEM;
        }
        return 0;
}

static const struct setting_type setting_tmpfs_list = {
        .doc = "array of objects",
        .parse = tmpfs_list_parse,
        .show = tmpfs_list_show,
        .copy = tmpfs_list_copy,
        .free = tmpfs_list_free,
        .size = sizeof(struct rootfs_tmpfs_list),
};

static const struct setting settings[] = {
        {"tmpfs", &setting_tmpfs_list, offsetof(struct rootfs_settings, tmpfs),
         .description = "scratch mounts: {\"path\": absolute path, \"options\": tmpfs options "
                        "such as \"mode=1777,size=64m\"}; nosuid, nodev and noexec are always "
                        "added, suid, dev, exec, bind, rbind and remount refused. A list "
                        "replaces the default one; [] adds none. Default: /tmp, /var/tmp and "
                        "/run with mode=1777,size=64m, /run also with tmpcopyup (the image's "
                        "/run, such as /run/postgresql, copied in; left out for a process rule "
                        "user moved off root, which could not write the copies)"},
};

/* Scratch space for programs on a read-only root: /tmp, /var/tmp and /run, with what
 * tmpfs_options_split makes of "mode=1777,size=64m" (and ",tmpcopyup" for /run; a unit test
 * checks they agree), so the default needs no libmount at run time. /run keeps what the image
 * ships there (tmpcopyup, which runc and crun implement): runtime directories such as
 * /run/postgresql or /run/mysqld, owned and moded for their server, which would otherwise
 * vanish under the tmpfs. */
static const char *const scratch_options[] = {"mode=1777", "size=64m", "nosuid",
                                              "nodev",     "noexec",   NULL};
static const char *const run_options[] = {"mode=1777", "size=64m", "tmpcopyup", "nosuid",
                                          "nodev",     "noexec",   NULL};
static const struct rootfs_tmpfs default_tmpfs[] = {
        {(char *)"/tmp", (char **)scratch_options},
        {(char *)"/var/tmp", (char **)scratch_options},
        {(char *)"/run", (char **)run_options},
};

static const struct rootfs_settings defaults = {
        .tmpfs = {(struct rootfs_tmpfs *)default_tmpfs, ELEMENTSOF(default_tmpfs)},
};

/* ---- the rule ---- */

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
static struct json *tmpfs_mount(const struct rootfs_tmpfs *t, const struct owner *o, bool moved)
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
        const struct rootfs_tmpfs_list *tmpfs =
                &((const struct rootfs_settings *)ctx->settings)->tmpfs;
        _cleanup_(resolved_list_done) struct resolved_list dests = {0};
        _cleanup_close_ int root_fd = -1;
        struct json *root = json_object_get(doc, "root");
        const struct json *root_path = root ? json_object_get(root, "path") : NULL;
        int r;

        if (json_is_clean_string(root_path))
                root_fd = rootpath_open(ctx->file, root_path->scalar.text);
        dests.items = calloc(mounts->array.n + tmpfs->n, sizeof(*dests.items));
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
        for (size_t t = 0; t < tmpfs->n; t++) {
                const struct rootfs_tmpfs *want = &tmpfs->items[t];
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
        const struct rootfs_settings *own = ctx->settings;
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
        if (own->tmpfs.n == 0 && !non_root)
                return 0;

        /* Created only for scratch mounts to add. */
        r = rule_field(ctx, doc, "", "mounts", JSON_ARRAY, own->tmpfs.n > 0, &mounts, err);
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
        if (own->tmpfs.n == 0)
                return 0;
        return add_scratch_mounts(ctx, doc, mounts, non_root ? &owner : NULL, err);
}

static const char *const owns[] = {"/root/readonly", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "rootfs",
        .summary = "the root filesystem is read-only, with tmpfs scratch space",
        .enforce = "root.readonly becomes true; a tmpfs with nosuid,nodev,noexec is "
                   "mounted at each tmpfs path the spec does not already mount "
                   "something at, right before the first mount below it (runc mounts "
                   "in list order: the engine's mounts below stay visible). "
                   "Destinations are compared as runc resolves them inside the root "
                   "filesystem (/var/run linking to /run counts as /run). "

                   "When the process runs as a uid other than 0 (the "
                   "image's user, or the one rule user put there), these tmpfs mounts "
                   "and the spec's own (outside /dev) get uid= and gid= of that user "
                   "unless they name one: runc turns a tmpfs into the mode of the "
                   "directory it covers, root-owned 0755 for most, which only root "
                   "could write.",
        .deny = "root.readonly absent or false, or a tmpfs path without a mount",
        .spec = "root.readonly, mounts[].destination, mounts[].type, mounts[].options, "
                "process.user.uid, process.user.gid",
        .cis = "5.13 (the container's root filesystem is mounted as read only)",
        .pss = "none (read-only root filesystems are not part of the Pod Security "
               "Standards)",
};

/* A writable root: the rule's other changes (mounts over it) are nothing the user asked for. */
static bool engine_term_rootfs(const struct finding *f, const struct json *spec, bool cli,
                               char *buf, size_t size)
{
        (void)spec;
        if (strcmp(f->path, "/root/readonly") != 0)
                return false;
        return term_words(cli, "no --read-only", "readOnlyRootFilesystem not true", buf, size);
}

const struct rule rule_rootfs = {
        .id = RULE_ROOTFS,
        .name = "rootfs",
        .owns = owns,
        .for_process = false,
        .settings = settings,
        .n_settings = ELEMENTSOF(settings),
        .settings_size = sizeof(struct rootfs_settings),
        .defaults = &defaults,
        .apply = apply_rootfs,
        .engine_term = engine_term_rootfs,
        .doc = &doc,
};
