/* user_namespace (opt-in): root in the container is not root on the host. A spec without a user
 * namespace gets one that maps container ids 0.. to the policy's unprivileged host range (what
 * Docker's userns-remap and Kubernetes' hostUsers: false do). Nothing is chowned. This rule only
 * writes the spec: the range of its own (allocation per_container) and the ID-mapped mounts
 * (idmap) that let the container own the engine-prepared rootfs and volumes are made after the
 * rules, by idmap-spec.c, which replaces hostID, root.path and the sources. Without idmap those
 * stay owned by host root, and the container sees them as the overflow uid.
 *
 * The new user namespace owns only the namespaces created with it: a network, ipc, pid, uts or
 * mount namespace joined by path (a pod's pause container) or shared with the host cannot be
 * set up from inside it (runc: "mount sysfs: operation not permitted", mqueue, proc,
 * sethostname), so such a spec is refused rather than half-applied. A spec with a user
 * namespace keeps it; a mapping onto host id 0 and the host's own user namespace are refused.
 * Joining another container's user namespace by path stays allowed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "exemptions.h"
#include "rules/helpers.h"
#include "util/cleanup.h"

/* The namespaces an added user namespace must create itself (OCI type names). */
static const char *const owned[] = {"network", "ipc", "pid", "uts", "mount"};

struct userns_scan {
        struct json *list; /* linux.namespaces */
        struct json *user; /* the user entry, or NULL */
        struct json *path; /* its path, or NULL */
        size_t user_index; /* its index in list */
        bool present[ELEMENTSOF(owned)];
        struct json *joined[ELEMENTSOF(owned)]; /* the path of an entry that joins one */
        size_t at[ELEMENTSOF(owned)];
};

static int scan_namespaces(struct rule_ctx *ctx, struct json *linux_obj, struct userns_scan *ret,
                           struct hr_error *err)
{
        struct userns_scan s = {0};
        int r;

        r = rule_field(ctx, linux_obj, "/linux", "namespaces", JSON_ARRAY, true, &s.list, err);
        if (r < 0)
                return r;
        for (size_t i = 0; i < s.list->array.n; i++) {
                struct json *ns = s.list->array.items[i], *type, *path;
                char item_path[RULE_PATH_MAX];

                if ((r = rule_namespace_type(ctx, ns, i, item_path, &type, err)) < 0)
                        return r;
                if ((r = rule_field(ctx, ns, item_path, "path", JSON_STRING, false, &path, err)) <
                    0)
                        return r;
                if (strcmp(type->scalar.text, "user") == 0) {
                        /* runc refuses a duplicated type; which entry crun uses is unclear. */
                        if (s.user)
                                return rule_fail(ctx, item_path, err,
                                                 "a second user namespace entry");
                        s.user = ns;
                        s.path = path;
                        s.user_index = i;
                        continue;
                }
                for (size_t k = 0; k < ELEMENTSOF(owned); k++)
                        if (strcmp(type->scalar.text, owned[k]) == 0) {
                                s.present[k] = true;
                                s.joined[k] = path;
                                s.at[k] = i;
                        }
        }
        *ret = s;
        return 0;
}

static struct json *policy_mappings(uint32_t host_id, uint32_t size)
{
        struct json *list = json_new_array(), *m = json_new_object();

        if (!list || !m || json_object_set(m, "containerID", json_new_uint(0)) < 0 ||
            json_object_set(m, "hostID", json_new_uint(host_id)) < 0 ||
            json_object_set(m, "size", json_new_uint(size)) < 0) {
                json_free(m);
                json_free(list);
                return NULL;
        }
        if (json_array_append(list, m) < 0)
                return json_free(list);
        return list;
}

/* net.ipv4.ping_group_range names gids as the namespace that writes it sees them: the runtime
 * writes it inside the new user namespace, where only gids 0..size-1 exist, and the kernel
 * refuses any other (Docker sets "0 2147483647", all groups). The range is cut to the mapped
 * gids, which keeps its meaning. */
static int fit_ping_group_range(struct rule_ctx *ctx, struct json *linux_obj, uint32_t size,
                                struct hr_error *err)
{
        static const char *const keys[] = {"net.ipv4.ping_group_range",
                                           "net/ipv4/ping_group_range"};
        struct json *sysctl = json_object_get(linux_obj, "sysctl"), *after;
        int r;

        if (!sysctl || sysctl->type != JSON_OBJECT)
                return 0;
        for (size_t k = 0; k < ELEMENTSOF(keys); k++) {
                struct json *v = json_object_get(sysctl, keys[k]);
                unsigned long long lo, hi;
                char path[RULE_PATH_MAX], fitted[48], tail;
                if (!json_is_clean_string(v) ||
                    sscanf(v->scalar.text, "%llu %llu %c", &lo, &hi, &tail) != 2 || hi < size)
                        continue;
                if (lo >= size)
                        snprintf(fitted, sizeof(fitted), "1 0"); /* the kernel's "no group" */
                else
                        snprintf(fitted, sizeof(fitted), "%llu %u", lo, size - 1);
                rule_member_path("/linux/sysctl", keys[k], path, sizeof(path));
                after = json_new_string(fitted);
                if (!after)
                        return error_set(err, -ENOMEM, "out of memory");
                if ((r = rule_record(ctx, path, v, after, err)) < 0) {
                        json_free(after);
                        return r;
                }
                if ((r = json_object_set(sysctl, keys[k], after)) < 0)
                        return error_set(err, r, "out of memory");
        }
        return 0;
}

static int apply_user_namespace(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        const struct policy *p = ctx->policy;
        static const char *const keys[] = {"uidMappings", "gidMappings"};
        const uint32_t host_ids[] = {p->userns.host_uid, p->userns.host_gid};
        struct json *linux_obj;
        struct userns_scan s = {0};
        bool add;
        int r;

        r = rule_field(ctx, doc, "", "linux", JSON_OBJECT, true, &linux_obj, err);
        if (r < 0 || (r = scan_namespaces(ctx, linux_obj, &s, err)) < 0)
                return r;

        if (s.path && is_host_namespace("user", s.path->scalar.text)) {
                char path[RULE_PATH_MAX];
                snprintf(path, sizeof(path), "/linux/namespaces/%zu/path", s.user_index);
                return rule_refuse(ctx, path, s.path, "a user namespace of the container's own",
                                   err);
        }

        add = s.user == NULL;
        if (add) {
                bool refused = false;
                for (size_t k = 0; k < ELEMENTSOF(owned); k++) {
                        char wanted[128], path[RULE_PATH_MAX] = "/linux/namespaces";
                        if (s.present[k] && !s.joined[k])
                                continue;
                        if (s.joined[k])
                                snprintf(path, sizeof(path), "/linux/namespaces/%zu/path", s.at[k]);
                        snprintf(wanted, sizeof(wanted),
                                 "a new %s namespace, which an added user namespace would own",
                                 owned[k]);
                        r = rule_refuse(ctx, path, s.joined[k] ? s.joined[k] : s.list, wanted, err);
                        if (r < 0)
                                return r;
                        refused = true;
                }
                if (refused)
                        return 0;
                if ((r = rule_namespace_append(ctx, s.list, "user", err)) < 0 ||
                    (r = fit_ping_group_range(ctx, linux_obj, p->userns.size, err)) < 0)
                        return r;
        }

        for (size_t k = 0; k < ELEMENTSOF(keys); k++) {
                char path[RULE_PATH_MAX];
                struct json *list;

                snprintf(path, sizeof(path), "/linux/%s", keys[k]);
                r = rule_field(ctx, linux_obj, "/linux", keys[k], JSON_ARRAY, false, &list, err);
                if (r < 0)
                        return r;
                /* Mappings without a user namespace are an error to runc; ours replace them.
                 * A namespace joined by path comes with its own. */
                if (add || (!s.path && (r == 0 || list->array.n == 0))) {
                        r = rule_set(ctx, linux_obj, "/linux", keys[k],
                                     policy_mappings(host_ids[k], p->userns.size), err);
                        if (r < 0)
                                return r;
                } else if (r == 1 && (r = id_mappings_check(ctx, list, path, err)) < 0)
                        return r;
        }
        return 0;
}

/* Read-only: any odd type or a key in another letter case is "not certain". */
static bool mappings_avoid_host_root(const struct json *linux_obj, const char *key)
{
        struct json *list, *v;
        unsigned long long id;

        if (json_object_field(linux_obj, key, &list) != 1 || list->type != JSON_ARRAY ||
            list->array.n == 0)
                return false;
        for (size_t i = 0; i < list->array.n; i++) {
                const struct json *m = list->array.items[i];
                if (m->type != JSON_OBJECT || json_object_field(m, "hostID", &v) != 1 ||
                    v->type != JSON_NUMBER || json_get_uint(v, UINT32_MAX, &id) < 0 || id == 0)
                        return false;
        }
        return true;
}

bool user_namespace_remaps_root(const struct rule_ctx *ctx, const struct json *doc)
{
        struct json *linux_obj, *list, *type, *path, *user = NULL;
        int r;

        if (ctx->kind == SPEC_PROCESS)
                return ctx->container_remapped;
        if (json_object_field(doc, "linux", &linux_obj) != 1 || linux_obj->type != JSON_OBJECT)
                return false;
        if (json_object_field(linux_obj, "namespaces", &list) == 1) {
                if (list->type != JSON_ARRAY)
                        return false;
                for (size_t i = 0; i < list->array.n; i++) {
                        const struct json *ns = list->array.items[i];
                        if (ns->type != JSON_OBJECT || json_object_field(ns, "type", &type) != 1 ||
                            type->type != JSON_STRING)
                                return false;
                        if (strcmp(type->scalar.text, "user") != 0)
                                continue;
                        if (user)
                                return false;
                        user = list->array.items[i];
                }
        }
        /* Another namespace's mappings are its creator's: the spec's copy may not match. */
        if (user &&
            ((r = json_object_field(user, "path", &path)) < 0 || (r == 1 && !json_is_null(path))))
                return false;
        /* This rule, running later, adds a safe user namespace or refuses the spec, unless an
         * exemption keeps it from running. */
        if (ctx->policy->rule_mode[RULE_USER_NAMESPACE] == HR_MODE_ENFORCE &&
            exemption_find(ctx->policy, RULE_USER_NAMESPACE, ctx->container_id,
                           json_object_get(doc, "annotations")) < 0)
                return true;
        return user && mappings_avoid_host_root(linux_obj, "uidMappings") &&
               mappings_avoid_host_root(linux_obj, "gidMappings");
}

const struct rule rule_user_namespace = {
        .id = RULE_USER_NAMESPACE,
        .name = "user_namespace",
        .opt_in = true, /* remapping root breaks images whose files only root may read */
        .for_process = false,
        .apply = apply_user_namespace,
};
