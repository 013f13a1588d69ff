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
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "exemptions.h"
#include "rules/helpers.h"
#include "rules/paths.h"
#include "rules/user-namespace.h"
#include "util/cleanup.h"

/* setting_choice stores an int index into its values, which list the names in enum order. */
_Static_assert(sizeof(enum userns_allocation) == sizeof(int), "allocation is read as an int");

/* The per-container files and volumes engines make for one container (the mounts rule's
 * allowed sources without the host binaries it also lists: those must never become writable
 * to a container). */
static const char *const default_idmap_sources[] = {
        ENGINE_MANAGED_PATHS,
        NULL,
};

const char *const *user_namespace_idmap_sources(const struct user_namespace_settings *s)
{
        return settings_strv_or(s->idmap_sources, default_idmap_sources);
}

static int check_not_root(struct settings_parser *sp, const char *path, const void *field)
{
        if (*(const uint32_t *)field == 0)
                return settings_fail(sp, path, "must not be 0: container root would be host root");
        return 0;
}

static int check_ranges(struct settings_parser *sp, const char *path, const void *field)
{
        if (*(const uint32_t *)field == 0)
                return settings_fail(sp, path, "must be at least 1");
        return 0;
}

static int check_user_name(struct settings_parser *sp, const char *path, const void *field)
{
        const char *name = *(char *const *)field;

        if (name && (!name[0] || strpbrk(name, ":\n")))
                return settings_fail(sp, path, "'%s' is not a user name", name);
        return 0;
}

static const struct setting settings[] = {
        {"host_uid", &setting_id, offsetof(struct user_namespace_settings, host_uid),
         .check = check_not_root,
         .description = "first host uid of the range container uid 0.. maps onto (1 to "
                        "4294967294; like the first range in /etc/subuid)"},
        {"host_gid", &setting_id, offsetof(struct user_namespace_settings, host_gid),
         .check = check_not_root,
         .description = "first host gid of the range container gid 0.. maps onto (1 to "
                        "4294967294)"},
        {"size", &setting_id, offsetof(struct user_namespace_settings, size),
         .description = "number of ids mapped (at least 1; host id + size within 32 bits)"},
        {"allocation", &setting_choice, offsetof(struct user_namespace_settings, allocation),
         .values = (const char *const[]){"shared", "per_container", NULL},
         .description = "shared: every container maps onto the same range; per_container: "
                        "each container gets a range of its own from a pool of ranges ranges "
                        "(held until it is deleted)"},
        {"ranges", &setting_id, offsetof(struct user_namespace_settings, ranges),
         .check = check_ranges,
         .description = "ranges of size ids in the per_container pool, from host_uid and "
                        "host_gid on (the pool must end below 4294967294)"},
        {"idmap", &setting_bool, offsetof(struct user_namespace_settings, idmap),
         .description = "with a user namespace the rule adds: hardrun makes ID-mapped mounts "
                        "of the rootfs (overlayfs: of its layers) and of bind sources on "
                        "idmap_sources, and points the config at them, so root in the "
                        "container owns the image's root-owned files without any chown"},
        {"idmap_sources", &setting_strv, offsetof(struct user_namespace_settings, idmap_sources),
         .flags = SETTING_ABSOLUTE, .builtin = default_idmap_sources,
         .description = "bind sources ID-mapped with idmap: engine-managed per-container files "
                        "and volumes ('*' one component, trailing '/' everything below); "
                        "other host paths stay as they are and show up as the overflow uid"},
        {"subid_user", &setting_string, offsetof(struct user_namespace_settings, subid_user),
         .flags = SETTING_NULLABLE, .check = check_user_name, .doc_type = "string or null",
         .description = "the user whose /etc/subuid and /etc/subgid ranges must hold every "
                        "range handed out; null: ranges must not overlap any user's there, nor "
                        "an id of /etc/passwd or /etc/group"},
};

static const struct user_namespace_settings defaults = {
        .host_uid = 100000, /* where /etc/subuid's first range starts */
        .host_gid = 100000,
        .size = 65536,
        .allocation = USERNS_ALLOCATION_SHARED,
        .ranges = 1024, /* 67 million ids from 100000: far below 2^32 */
};

/* 4294967294 stays free: ID-mapped overlayfs layers show host root's writes there. */
static int validate(struct settings_parser *sp, const char *path, const void *base)
{
        const struct user_namespace_settings *own = base;
        bool per_container = own->allocation == USERNS_ALLOCATION_PER_CONTAINER;
        uint64_t span = (uint64_t)own->size * (per_container ? own->ranges : 1);
        char sub[64];

        if (own->size != 0 && (uint64_t)own->host_uid + span <= UINT32_MAX - 1 &&
            (uint64_t)own->host_gid + span <= UINT32_MAX - 1)
                return 0;
        snprintf(sub, sizeof(sub), "%s/%s", path, per_container ? "ranges" : "size");
        return settings_fail(sp, sub, "the ids must hold at least one id and end below 4294967294");
}

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
        const struct user_namespace_settings *own = ctx->settings;
        static const char *const keys[] = {"uidMappings", "gidMappings"};
        const uint32_t host_ids[] = {own->host_uid, own->host_gid};
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
                    (r = fit_ping_group_range(ctx, linux_obj, own->size, err)) < 0)
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
                                     policy_mappings(host_ids[k], own->size), err);
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

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "user_namespace",
        .summary = "root in the container is not root on the host (opt-in: off unless "
                   "its own mode is set)",
        .enforce = "a spec without a user namespace gets one, with uid and gid mappings "
                   "of container ids 0.. onto host_uid.. and host_gid.. (size ids), or "
                   "with allocation per_container onto a range of its own from the pool "
                   "(held until the runtime has forgotten the container); "
                   "a net.ipv4.ping_group_range beyond the mapped gids is cut to them. "
                   "Nothing is chowned. Without idmap the rootfs and bind mounts stay "
                   "owned by host root and show up as the overflow uid (65534), "
                   "readable and executable through their 'others' bits only; with "
                   "idmap, hardrun makes ID-mapped mounts of the rootfs (an overlayfs: "
                   "a new one on ID-mapped layers) and of bind sources on "
                   "idmap_sources under /run/hardrun/userns and points the spec at them, "
                   "so container root owns the image's files and its volumes, and what "
                   "it writes keeps the ids it would have without a user namespace; "
                   "delete detaches them. A kernel or filesystem that cannot do it "
                   "makes the create fail with the reason. A spec "
                   "that joins a network, ipc, pid, uts or mount namespace by path, or "
                   "shares the host's, is refused instead: the new user namespace would "
                   "not own it and runc cannot mount sysfs, mqueue or proc or set the "
                   "hostname. A spec's own user namespace is kept, and gets the "
                   "policy's mappings when it has none; a mapping onto host id 0 and a "
                   "path that is the host's user namespace are refused, in enforce mode "
                   "too. Joining another container's user namespace by path stays "
                   "allowed. With this rule in enforce mode, rule user in deny mode "
                   "lets uid and gid 0 pass.",
        .deny = "no user namespace, a uid or gid mapping onto host id 0, or the host's "
                "user namespace",
        .spec = "linux.namespaces[] (type user, path), linux.uidMappings, "
                "linux.gidMappings",
        .cis = "2.9 (user namespace support is enabled), 5.31 (the Docker host user "
               "namespace is not shared)",
        .pss = "none (Kubernetes' hostUsers: false is the pod-level equivalent; with "
               "it, restricted accepts runAsUser 0)",
};

const struct rule rule_user_namespace = {
        .id = RULE_USER_NAMESPACE,
        .name = "user_namespace",
        .opt_in = true, /* remapping root breaks images whose files only root may read */
        .for_process = false,
        .settings = settings,
        .n_settings = ELEMENTSOF(settings),
        .settings_size = sizeof(struct user_namespace_settings),
        .defaults = &defaults,
        .validate = validate,
        .apply = apply_user_namespace,
        .doc = &doc,
};
