/* mount_types: only the filesystem types containers need are mounted. tmpfs, proc, sysfs, devpts,
 * mqueue, cgroup, cgroup2 and overlay (whose lower, upper and work directories are host paths,
 * judged like bind sources) are allowed, bind mounts are rule mounts' business; a filesystem
 * read from a host block device (ext4 on /dev/sda1), a second devtmpfs (every host device node)
 * or a kernel interface (debugfs, bpf, securityfs, configfs, efivarfs, ...) gives the container
 * the host's data or the kernel's controls, and is refused unless the policy allows the type. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/helpers.h"
#include "rules/mounts.h"
#include "rules/names.h"
#include "rules/paths.h"
#include "util/cleanup.h"

static const char *const builtin_types[] = {"tmpfs",  "proc",    "sysfs",   "devpts", "mqueue",
                                            "cgroup", "cgroup2", "overlay", NULL};

static const struct setting settings[] = {
        NAMES_SETTING("allow", "further filesystem types allowed"),
};

/* For the message only: what a refused type would hand over. */
static const char *const kernel_interfaces[] = {
        "debugfs",  "tracefs",     "securityfs", "bpf",  "configfs",   "fusectl",
        "efivarfs", "binfmt_misc", "hugetlbfs",  "nfsd", "rpc_pipefs", "pstore",
        "autofs",   "selinuxfs",   "nsfs",       NULL,
};

static bool is_in(const char *const *list, const char *s)
{
        for (; list && *list; list++)
                if (strcmp(*list, s) == 0)
                        return true;
        return false;
}

static const char *type_kind(const char *type, const struct json *source)
{
        if (strcmp(type, "devtmpfs") == 0)
                return "the host's device nodes";
        if (is_in(kernel_interfaces, type))
                return "a kernel interface";
        if (json_is_clean_string(source) && strncmp(source->scalar.text, "/dev/", 5) == 0)
                return "a filesystem from a host device";
        return "a type not on the allow list";
}

/* One overlay directory list ("lowerdir=/a:/b", "upperdir=/c", "workdir=/d", "lowerdir+=/e"):
 * each directory, '\:' unescaped, judged as a host path from each directory the runtimes mount
 * from: crun works in the bundle, runc's init in the root filesystem (its cmd.Dir). */
/* The rule's context and the directories relative overlay paths are read from. */
struct overlay_ctx {
        struct rule_ctx *ctx;
        const char *bases[2];
};

static int judge_overlay_dirs(const struct overlay_ctx *ctx, const char *path,
                              const struct json *element, const char *dirs, struct hr_error *err)
{
        const char *const *allow = mounts_allow(ctx->ctx->policy);
        _cleanup_free_ char *copy = strdup(dirs);
        char *out, *start;
        int r;

        if (!copy)
                return error_set(err, -ENOMEM, "out of memory");
        for (start = out = copy;; dirs++) {
                struct host_path hp;
                bool refused, end = *dirs == '\0';
                if (!end && *dirs == '\\' && dirs[1]) {
                        *out++ = *++dirs;
                        continue;
                }
                if (!end && *dirs != ':') {
                        *out++ = *dirs;
                        continue;
                }
                *out = '\0';
                for (size_t b = 0; *start && b < ELEMENTSOF(ctx->bases) && ctx->bases[b]; b++) {
                        struct rule_ctx from = *ctx->ctx;
                        from.bundle = ctx->bases[b];
                        r = host_path_judge(&from, path, element, start, "overlay directory", false,
                                            allow, NULL, &hp, &refused, err);
                        if (r < 0 || refused)
                                return r;
                }
                if (end)
                        return 0;
                start = ++out;
        }
}

static const char *const overlay_keys[] = {
        "lowerdir=", "upperdir=", "workdir=", "lowerdir+=", "datadir+=", NULL};

static int judge_overlay(struct rule_ctx *ctx, struct json *doc, const struct json *m,
                         const char *mount_path, struct hr_error *err)
{
        struct overlay_ctx octx = {ctx, {ctx->bundle, NULL}};
        _cleanup_free_ char *rootfs = NULL;
        struct json *options, *root, *root_path;
        int r;

        /* root.path as runc's init sees it (rule mounts judges the path itself). */
        if (json_object_field(doc, "root", &root) == 1 && root->type == JSON_OBJECT &&
            json_object_field(root, "path", &root_path) == 1 && json_is_clean_string(root_path)) {
                if (root_path->scalar.text[0] == '/')
                        rootfs = strdup(root_path->scalar.text);
                else if (asprintf(&rootfs, "%s/%s", ctx->bundle, root_path->scalar.text) < 0)
                        rootfs = NULL;
                if (!rootfs)
                        return error_set(err, -ENOMEM, "out of memory");
                octx.bases[1] = rootfs;
        }

        r = rule_field(ctx, (struct json *)m, mount_path, "options", JSON_ARRAY, false, &options,
                       err);
        if (r <= 0)
                return r;
        for (size_t i = 0; i < options->array.n; i++) {
                const struct json *o = options->array.items[i];
                _cleanup_free_ char *copy = NULL;
                char path[RULE_PATH_MAX], *save = NULL;

                if (!json_is_clean_string(o))
                        continue; /* rule mount_options fails on it */
                snprintf(path, sizeof(path), "%s/options/%zu", mount_path, i);
                if (!(copy = strdup(o->scalar.text)))
                        return error_set(err, -ENOMEM, "out of memory");
                /* runc and crun pass unknown options on as comma-separated mount data. */
                for (char *opt = strtok_r(copy, ",", &save); opt; opt = strtok_r(NULL, ",", &save))
                        for (const char *const *k = overlay_keys; *k; k++)
                                if (strncmp(opt, *k, strlen(*k)) == 0 &&
                                    (r = judge_overlay_dirs(&octx, path, o, opt + strlen(*k),
                                                            err)) < 0)
                                        return r;
        }
        return 0;
}

static int apply_mount_types(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct json *mounts;
        int r;

        r = rule_field(ctx, doc, "", "mounts", JSON_ARRAY, false, &mounts, err);
        if (r <= 0)
                return r;
        for (size_t i = 0; i < mounts->array.n; i++) {
                struct json *m = mounts->array.items[i], *type, *options, *source;
                char path[RULE_PATH_MAX], wanted[256];

                rule_index_path(path, "/mounts", i);
                if (m->type != JSON_OBJECT)
                        return rule_fail(ctx, path, err, "expected object, got %s",
                                         json_type_name(m->type));
                if ((r = rule_field(ctx, m, path, "type", JSON_STRING, false, &type, err)) < 0 ||
                    (r = rule_field(ctx, m, path, "options", JSON_ARRAY, false, &options, err)) <
                            0 ||
                    (r = rule_field(ctx, m, path, "source", JSON_STRING, false, &source, err)) < 0)
                        return r;
                /* A bind mount ignores its type; without a type nothing is mounted. */
                if (is_bind_mount(type, options) || !type)
                        continue;
                if (json_is_clean_string(type) &&
                    (is_in(builtin_types, type->scalar.text) ||
                     is_in(names_of(ctx->settings), type->scalar.text))) {
                        if (strcmp(type->scalar.text, "overlay") == 0 &&
                            (r = judge_overlay(ctx, doc, m, path, err)) < 0)
                                return r;
                        continue;
                }
                snprintf(path, sizeof(path), "/mounts/%zu/type", i);
                snprintf(wanted, sizeof(wanted), "no '%.64s' mount (%s)", type->scalar.text,
                         type_kind(type->scalar.text, source));
                if ((r = rule_refuse(ctx, path, type, wanted, err)) < 0)
                        return r;
        }
        return 0;
}

static const char *const owns[] = {"/mounts/*/type", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "mount_types",
        .summary = "only the filesystem types containers need are mounted",
        .enforce = "nothing can be rewritten: a mount of a type other than tmpfs, "
                   "proc, sysfs, devpts, mqueue, cgroup, cgroup2 and overlay (bind "
                   "mounts are rule mounts') is refused: a filesystem from a host "
                   "device, devtmpfs (every host device node), kernel interfaces "
                   "(debugfs, bpf, securityfs, configfs, efivarfs, ...). overlay's "
                   "lowerdir, upperdir and workdir are host paths judged like bind "
                   "sources.",
        .deny = "such a mount",
        .spec = "mounts[].type, overlay's mounts[].options",
        .cis = "5.6 (sensitive host system directories are not mounted on "
               "containers)",
        .pss = "restricted: Volume Types",
};

const struct rule rule_mount_types = {
        .id = RULE_MOUNT_TYPES,
        .name = "mount_types",
        .for_process = false,
        .owns = owns,
        NAMES_RULE_SETTINGS(settings),
        .apply = apply_mount_types,
        .doc = &doc,
};
