/* id_mappings: no user-namespace mapping reaches host id 0, in every policy, whether or not rule
 * user_namespace adds a namespace. Root in a user namespace can become any id mapped into it,
 * so one mapping onto host uid 0 (or gid 0) makes the container's root host root; an idmapped
 * mount (crun's "idmap") whose host range holds 0 lets the container create files owned by
 * host root. A namespace joined by path comes with its creator's mappings: those are read from
 * /proc and judged the same way. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rules/helpers.h"
#include "util/cleanup.h"

/* An id field of a mapping; absent is 0, as Go decodes it. */
static int read_id(struct rule_ctx *ctx, struct json *m, const char *item_path, const char *key,
                   uint32_t *ret, struct json **ret_value, struct hr_error *err)
{
        char path[RULE_PATH_MAX];
        struct json *v;
        int r;

        *ret = 0;
        *ret_value = NULL;
        snprintf(path, sizeof(path), "%s/%s", item_path, key);
        r = rule_field(ctx, m, item_path, key, JSON_NUMBER, false, &v, err);
        if (r < 0 || (r == 1 && (r = rule_uint32(ctx, v, path, ret, err)) < 0))
                return r;
        *ret_value = v;
        return 0;
}

int id_mappings_check(struct rule_ctx *ctx, struct json *list, const char *list_path,
                      struct hr_error *err)
{
        int r;

        for (size_t i = 0; i < list->array.n; i++) {
                struct json *m = list->array.items[i], *v;
                char item_path[RULE_PATH_MAX], path[RULE_PATH_MAX];
                uint32_t container_id, host_id, size;

                snprintf(item_path, sizeof(item_path), "%s/%zu", list_path, i);
                if (m->type != JSON_OBJECT)
                        return rule_fail(ctx, item_path, err, "expected object, got %s",
                                         json_type_name(m->type));
                if ((r = read_id(ctx, m, item_path, "containerID", &container_id, &v, err)) < 0 ||
                    (r = read_id(ctx, m, item_path, "size", &size, &v, err)) < 0 ||
                    (r = read_id(ctx, m, item_path, "hostID", &host_id, &v, err)) < 0)
                        return r;
                snprintf(path, sizeof(path), "%s/hostID", item_path);
                if (host_id == 0 &&
                    (r = rule_refuse(ctx, path, v, "a host id other than 0 (host root)", err)) < 0)
                        return r;
        }
        return 0;
}

static int check_list(struct rule_ctx *ctx, struct json *parent, const char *parent_path,
                      const char *key, struct hr_error *err)
{
        char path[RULE_PATH_MAX];
        struct json *list;
        int r;

        r = rule_field(ctx, parent, parent_path, key, JSON_ARRAY, false, &list, err);
        if (r <= 0)
                return r;
        snprintf(path, sizeof(path), "%s/%s", parent_path, key);
        return id_mappings_check(ctx, list, path, err);
}

/* A /proc/PID/{uid,gid}_map: whether some line maps onto host id 0. -errno when unreadable. */
static int map_file_has_host_root(int pid, const char *name)
{
        char file[64], line[128];
        _cleanup_fclose_ FILE *f = NULL;
        bool found = false;

        snprintf(file, sizeof(file), "/proc/%d/%s", pid, name);
        if (!(f = fopen(file, "re")))
                return -errno;
        while (fgets(line, sizeof(line), f)) {
                unsigned long long inside, outside, count;
                if (sscanf(line, "%llu %llu %llu", &inside, &outside, &count) == 3 &&
                    outside == 0 && count > 0)
                        found = true;
        }
        return found;
}

/* A process in the user namespace at path: PID in /proc/PID/ns/user when that is the same file,
 * else the first process found in it. 0 when none. */
static int process_in_namespace(const char *path)
{
        struct stat want, st;
        struct dirent *e;
        char file[64];
        int pid = 0;
        DIR *d;

        if (stat(path, &want) < 0)
                return 0;
        if (sscanf(path, "/proc/%d/ns/user", &pid) == 1 && pid > 0) {
                snprintf(file, sizeof(file), "/proc/%d/ns/user", pid);
                if (stat(file, &st) == 0 && st.st_dev == want.st_dev && st.st_ino == want.st_ino)
                        return pid;
        }
        if (!(d = opendir("/proc")))
                return 0;
        pid = 0;
        while (!pid && (e = readdir(d))) {
                int n = atoi(e->d_name);
                snprintf(file, sizeof(file), "/proc/%d/ns/user", n);
                if (n > 0 && stat(file, &st) == 0 && st.st_dev == want.st_dev &&
                    st.st_ino == want.st_ino)
                        pid = n;
        }
        closedir(d);
        return pid;
}

static int check_joined(struct rule_ctx *ctx, struct json *linux_obj, struct hr_error *err)
{
        struct json *list;
        int r;

        r = rule_field(ctx, linux_obj, "/linux", "namespaces", JSON_ARRAY, false, &list, err);
        if (r <= 0)
                return r;
        for (size_t i = 0; i < list->array.n; i++) {
                struct json *ns = list->array.items[i], *type, *path;
                char item_path[RULE_PATH_MAX], path_path[RULE_PATH_MAX];
                int pid, uid_root, gid_root;

                if ((r = rule_namespace_type(ctx, ns, i, item_path, &type, err)) < 0)
                        return r;
                if (strcmp(type->scalar.text, "user") != 0)
                        continue;
                if ((r = rule_field(ctx, ns, item_path, "path", JSON_STRING, false, &path, err)) <=
                    0) {
                        if (r < 0)
                                return r;
                        continue;
                }
                snprintf(path_path, sizeof(path_path), "%s/path", item_path);
                pid = process_in_namespace(path->scalar.text);
                uid_root = pid > 0 ? map_file_has_host_root(pid, "uid_map") : -ENOENT;
                gid_root = pid > 0 ? map_file_has_host_root(pid, "gid_map") : -ENOENT;
                if (uid_root < 0 || gid_root < 0)
                        r = rule_refuse(ctx, path_path, path,
                                        "a user namespace whose mappings hardrun can read "
                                        "(no process found in it)",
                                        err);
                else if (uid_root || gid_root)
                        r = rule_refuse(ctx, path_path, path,
                                        "a user namespace that maps no id onto host id 0", err);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int apply_id_mappings(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct json *linux_obj, *mounts;
        int r;

        r = rule_field(ctx, doc, "", "linux", JSON_OBJECT, false, &linux_obj, err);
        if (r < 0)
                return r;
        if (r == 1 && ((r = check_list(ctx, linux_obj, "/linux", "uidMappings", err)) < 0 ||
                       (r = check_list(ctx, linux_obj, "/linux", "gidMappings", err)) < 0 ||
                       (r = check_joined(ctx, linux_obj, err)) < 0))
                return r;
        r = rule_field(ctx, doc, "", "mounts", JSON_ARRAY, false, &mounts, err);
        for (size_t i = 0; r == 1 && i < mounts->array.n; i++) {
                struct json *m = mounts->array.items[i];
                char path[RULE_PATH_MAX];
                rule_index_path(path, "/mounts", i);
                if (m->type != JSON_OBJECT)
                        return rule_fail(ctx, path, err, "expected object, got %s",
                                         json_type_name(m->type));
                if ((r = check_list(ctx, m, path, "uidMappings", err)) < 0 ||
                    (r = check_list(ctx, m, path, "gidMappings", err)) < 0)
                        return r;
                r = 1;
        }
        return r < 0 ? r : 0;
}

static const char *const owns[] = {"/linux/uidMappings", "/linux/gidMappings",
                                   "/mounts/*/uidMappings", "/mounts/*/gidMappings", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "id_mappings",
        .summary = "no user-namespace mapping reaches host id 0",
        .enforce = "nothing can be rewritten: a uid or gid mapping whose host range "
                   "holds 0, for the container or an idmapped mount, and a user "
                   "namespace joined by path whose mappings (read from /proc) do, are "
                   "refused in every policy, whether or not rule user_namespace is on.",
        .deny = "such a mapping",
        .spec = "linux.uidMappings, linux.gidMappings, mounts[].uidMappings, "
                "mounts[].gidMappings, the path of a user namespace",
        .cis = "5.31 (the host's user namespace is not shared)",
        .pss = "none",
};

const struct rule rule_id_mappings = {
        .id = RULE_ID_MAPPINGS,
        .name = "id_mappings",
        .for_process = false,
        .owns = owns,
        .apply = apply_id_mappings,
        .doc = &doc,
};
