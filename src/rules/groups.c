/* groups: no process holds a privileged host group. Without a user namespace a container's gid
 * IS the host's: the disk group reads every block device, kmem the kernel's memory, shadow the
 * password hashes, docker (and whichever group owns an engine's API socket) commands the engine.
 * Supplementary groups on the policy's list are removed; a privileged primary gid cannot be
 * replaced with certainty and is refused. Names are read from the host's /etc/group when the
 * rule runs (no NSS: a directory lookup must not block a container start); engine sockets are
 * found by what they are, their group read from the socket itself. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "rules/helpers.h"
#include "util/cleanup.h"

/* Bigger group files (a directory synced to the host) are read as a stream. */
#define GROUP_FILE_MAX (16u * 1024u * 1024u)

/* Groups that own the host's disks, memory, password hashes, terminals, logs, the Docker socket
 * and the ways to root (sudo, lxd, libvirt). */
static const char *const default_groups_deny[] = {
        "0",    "root", "disk", "kmem",    "shadow", "tty", "docker",
        "sudo", "adm",  "lxd",  "libvirt", "wheel",  NULL,
};

struct groups_settings {
        char **deny;         /* names or numbers; NULL: the built-in list */
        bool engine_sockets; /* also the groups that own engine API sockets */
};

static const struct setting settings[] = {
        {"deny", &setting_strv, offsetof(struct groups_settings, deny),
         .builtin = default_groups_deny,
         .description = "group names or numbers; the list replaces the built-in one"},
        {"engine_sockets", &setting_bool, offsetof(struct groups_settings, engine_sockets),
         .description = "also deny the groups that may use an engine's API socket"},
};

static const struct groups_settings defaults = {.deny = NULL, .engine_sockets = true};

#define GROUPS_MAX 64

/* Where engines put their API sockets (the socket's group may use them). */
static const char *const engine_sockets[] = {
        "/run/docker.sock",
        "/var/run/docker.sock",
        "/run/containerd/containerd.sock",
        "/run/podman/podman.sock",
        "/run/crio/crio.sock",
        "/run/buildkit/buildkitd.sock",
        "/run/user/0/podman/podman.sock",
        NULL,
};

struct gid_set {
        gid_t ids[GROUPS_MAX];
        const char *names[GROUPS_MAX]; /* for the message; may be NULL */
        size_t n;
        bool collected; /* filled in: read when a first gid is judged, not before */
};

static void gid_set_add(struct gid_set *s, gid_t id, const char *name)
{
        for (size_t i = 0; i < s->n; i++)
                if (s->ids[i] == id)
                        return;
        if (s->n < GROUPS_MAX) {
                s->ids[s->n] = id;
                s->names[s->n++] = name;
        }
}

static const char *gid_set_find(const struct gid_set *s, gid_t id, bool *found)
{
        for (size_t i = 0; i < s->n; i++)
                if (s->ids[i] == id) {
                        *found = true;
                        return s->names[i];
                }
        *found = false;
        return NULL;
}

/* /etc/group for fgetgrent(): read in one go and parsed from memory, since fgetgrent() on a
 * file asks the kernel for the offset at every entry. A file that cannot be read so (or is
 * empty) is opened as a stream, as before. */
static FILE *open_group_file(char **ret_buf)
{
        _cleanup_close_ int fd = open("/etc/group", O_RDONLY | O_CLOEXEC | O_NOCTTY);
        size_t len;

        *ret_buf = NULL;
        if (fd >= 0 && fileio_read_all(fd, GROUP_FILE_MAX, ret_buf, &len, NULL) == 0 && len > 0) {
                FILE *f = fmemopen(*ret_buf, len, "r");
                if (f)
                        return f;
        }
        free(*ret_buf);
        *ret_buf = NULL;
        return fopen("/etc/group", "re");
}

/* The policy's list: numbers as they are, names through /etc/group (a name the host lacks
 * denies nothing). Names point into the policy. */
static void collect_denied(const struct groups_settings *own, struct gid_set *s)
{
        const char *const *deny = settings_strv_or(own->deny, default_groups_deny);
        _cleanup_free_ char *text = NULL;
        _cleanup_fclose_ FILE *f = open_group_file(&text);
        struct group *g;

        for (const char *const *d = deny; *d; d++) {
                char *end;
                unsigned long n = strtoul(*d, &end, 10);
                if (**d && !*end && n < UINT32_MAX)
                        gid_set_add(s, (gid_t)n, *d);
        }
        while (f && (g = fgetgrent(f)))
                for (const char *const *d = deny; *d; d++)
                        if (strcmp(g->gr_name, *d) == 0)
                                gid_set_add(s, g->gr_gid, *d);
        if (!own->engine_sockets)
                return;
        for (const char *const *sock = engine_sockets; *sock; sock++) {
                struct stat st;
                if (stat(*sock, &st) == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & S_IWGRP))
                        gid_set_add(s, st.st_gid, "an engine socket's group");
        }
}

/* The host's groups are read for the first gid judged: a spec with none but gid 0 (rule user's)
 * costs no read of /etc/group and no look at the engine sockets. */
static int judge_gid(struct rule_ctx *ctx, struct gid_set *denied, const struct json *v,
                     const char *path, bool *ret_denied, const char **ret_name,
                     struct hr_error *err)
{
        uint32_t gid;
        int r;

        if ((r = rule_uint32(ctx, v, path, &gid, err)) < 0)
                return r;
        if (!denied->collected) {
                collect_denied(ctx->settings, denied);
                denied->collected = true;
        }
        *ret_name = gid_set_find(denied, (gid_t)gid, ret_denied);
        return 0;
}

static int apply_groups(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct gid_set denied = {.n = 0, .collected = false};
        struct json *process, *user, *gid, *list;
        const char *prefix, *name;
        char path[RULE_PATH_MAX], wanted[160];
        bool hit;
        int r;

        if ((r = rule_process(ctx, doc, &process, &prefix, err)) <= 0)
                return r;
        snprintf(path, sizeof(path), "%s/user", prefix);
        if ((r = rule_field(ctx, process, prefix, "user", JSON_OBJECT, false, &user, err)) <= 0)
                return r;
        /* In a user namespace of its own the ids are not the host's: rule user_namespace and
         * id_mappings judge what they map to. */
        if (user_namespace_remaps_root(ctx, doc))
                return 0;

        if ((r = rule_field(ctx, user, path, "gid", JSON_NUMBER, false, &gid, err)) < 0)
                return r;
        /* gid 0 is rule user's to replace. */
        if (r == 1 && strcmp(gid->scalar.text, "0") != 0) {
                char gid_path[RULE_PATH_MAX];
                snprintf(gid_path, sizeof(gid_path), "%s/gid", path);
                if ((r = judge_gid(ctx, &denied, gid, gid_path, &hit, &name, err)) < 0)
                        return r;
                snprintf(wanted, sizeof(wanted), "a primary group other than '%s'",
                         name ? name : "?");
                if (hit && (r = rule_refuse(ctx, gid_path, gid, wanted, err)) < 0)
                        return r;
        }

        if ((r = rule_field(ctx, user, path, "additionalGids", JSON_ARRAY, false, &list, err)) <= 0)
                return r;
        for (size_t i = 0; i < list->array.n;) {
                const struct json *item = list->array.items[i];
                char item_path[RULE_PATH_MAX];
                snprintf(item_path, sizeof(item_path), "%s/additionalGids/%zu", path, i);
                /* Group 0 is rule user's to remove, when it runs: one record, not two. */
                if (item->type == JSON_NUMBER && strcmp(item->scalar.text, "0") == 0 &&
                    ctx->policy->rule_mode[RULE_USER] != HR_MODE_OFF) {
                        i++;
                        continue;
                }
                if ((r = judge_gid(ctx, &denied, item, item_path, &hit, &name, err)) < 0)
                        return r;
                if (!hit) {
                        i++;
                        continue;
                }
                if ((r = rule_record(ctx, item_path, list->array.items[i], NULL, err)) < 0)
                        return r;
                /* The item stays when its removal fails: the loop must not meet it again. */
                if ((r = json_array_remove(list, i)) < 0)
                        return error_set(err, r, "out of memory");
        }
        return 0;
}

static const char *const owns[] = {"/process/user/additionalGids", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "groups",
        .summary = "no process holds a privileged host group",
        .enforce = "supplementary groups on the deny list (names resolved in the "
                   "host's /etc/group, numbers as they are, and the group of any "
                   "engine API socket found on the host) are removed; such a primary "
                   "gid is refused. Without a user namespace a container's gid is the "
                   "host's.",
        .deny = "such a group",
        .spec = "process.user.additionalGids, process.user.gid",
        .cis = "5.24 (exec is not run as root)",
        .pss = "none",
};

const struct rule rule_groups = {
        .id = RULE_GROUPS,
        .name = "groups",
        .for_process = true,
        .owns = owns,
        .settings = settings,
        .n_settings = ELEMENTSOF(settings),
        .settings_size = sizeof(struct groups_settings),
        .defaults = &defaults,
        .apply = apply_groups,
        .doc = &doc,
};
