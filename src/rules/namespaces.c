/* namespaces: the container gets its own network, pid, ipc, uts and mount namespaces. An entry
 * that joins a namespace by path is kept when it is another container's (Kubernetes pods join
 * their pause container, `docker run --network container:X`) and refused when the path is the
 * host's own namespace (hostNetwork pods join /proc/<pid>/ns/net of a host process): compare
 * the namespace files' device and inode with PID 1's, never just "has a path". */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rules/rules.h"
#include "util/cleanup.h"

/* OCI type → /proc/1/ns name. The user and cgroup namespaces are not required (rootful
 * engines run without a user namespace), but one that is the host's is still refused. */
static const struct {
        const char *type;
        const char *proc_name;
        bool required;
} kinds[] = {
        {"network", "net", true},    {"pid", "pid", true},   {"ipc", "ipc", true},
        {"uts", "uts", true},        {"mount", "mnt", true}, {"user", "user", false},
        {"cgroup", "cgroup", false},
};

bool is_host_namespace(const char *proc_name, const char *path)
{
        static const char *const owners[] = {"1", "self"};
        struct stat st;

        if (stat(path, &st) < 0)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(owners); i++) {
                char host_path[64];
                struct stat host;
                snprintf(host_path, sizeof(host_path), "/proc/%s/ns/%s", owners[i], proc_name);
                if (stat(host_path, &host) == 0 && host.st_dev == st.st_dev &&
                    host.st_ino == st.st_ino)
                        return true;
        }
        return false;
}

static int apply_namespaces(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct json *linux_obj, *list;
        bool present[ELEMENTSOF(kinds)] = {false};
        int r;

        r = rule_field(ctx, doc, "", "linux", JSON_OBJECT, true, &linux_obj, err);
        if (r < 0)
                return r;
        r = rule_field(ctx, linux_obj, "/linux", "namespaces", JSON_ARRAY, true, &list, err);
        if (r < 0)
                return r;

        for (size_t i = 0; i < list->array.n; i++) {
                struct json *ns = list->array.items[i], *type, *path;
                char item_path[RULE_PATH_MAX];
                size_t k;

                if ((r = rule_namespace_type(ctx, ns, i, item_path, &type, err)) < 0)
                        return r;
                for (k = 0; k < ELEMENTSOF(kinds); k++)
                        if (strcmp(type->scalar.text, kinds[k].type) == 0)
                                break;
                if (k == ELEMENTSOF(kinds))
                        continue; /* time, or a type a newer spec adds: not ours to judge */
                present[k] = true;
                if ((r = rule_field(ctx, ns, item_path, "path", JSON_STRING, false, &path, err)) <
                    0)
                        return r;
                if (r == 1 && is_host_namespace(kinds[k].proc_name, path->scalar.text)) {
                        char wanted[96];
                        snprintf(item_path, sizeof(item_path), "/linux/namespaces/%zu/path", i);
                        snprintf(wanted, sizeof(wanted), "a %s namespace of the container's own",
                                 kinds[k].type);
                        /* Dropping the path would cut the workload off what it asked to join
                         * (a hostNetwork pod's network): refuse instead. */
                        if ((r = rule_refuse(ctx, item_path, path, wanted, err)) < 0)
                                return r;
                }
        }

        /* A missing entry means the host's namespace: add a private one. */
        for (size_t k = 0; k < ELEMENTSOF(kinds); k++) {
                if (present[k] || !kinds[k].required)
                        continue;
                if ((r = rule_namespace_append(ctx, list, kinds[k].type, err)) < 0)
                        return r;
        }
        return 0;
}

int rule_namespace_type(struct rule_ctx *ctx, struct json *ns, size_t i,
                        char item_path[static RULE_PATH_MAX], struct json **ret,
                        struct hr_error *err)
{
        int r;

        snprintf(item_path, RULE_PATH_MAX, "/linux/namespaces/%zu", i);
        if (ns->type != JSON_OBJECT)
                return rule_fail(ctx, item_path, err, "expected object, got %s",
                                 json_type_name(ns->type));
        r = rule_field(ctx, ns, item_path, "type", JSON_STRING, false, ret, err);
        if (r < 0)
                return r;
        if (r == 0)
                return rule_fail(ctx, item_path, err, "namespace without a type");
        return 0;
}

int rule_namespace_append(struct rule_ctx *ctx, struct json *list, const char *type,
                          struct hr_error *err)
{
        struct json *ns = json_new_object();
        char path[RULE_PATH_MAX];
        int r;

        if (!ns || json_object_set(ns, "type", json_new_string(type)) < 0) {
                json_free(ns);
                return error_set(err, -ENOMEM, "out of memory");
        }
        snprintf(path, sizeof(path), "/linux/namespaces/%zu", list->array.n);
        if ((r = rule_record(ctx, path, NULL, ns, err)) < 0) {
                json_free(ns);
                return r;
        }
        if ((r = json_array_append(list, ns)) < 0)
                return error_set(err, r, "out of memory");
        return 0;
}

static const char *const owns[] = {"/linux/namespaces", NULL};

const struct rule rule_namespaces = {
        .id = RULE_NAMESPACES,
        .owns = owns,
        .for_process = false,
        .apply = apply_namespaces,
};
