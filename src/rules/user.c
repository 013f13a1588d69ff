/* user: no process runs as uid or gid 0; root's place is taken by the policy's ids. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "exemptions.h"
#include "rules/helpers.h"
#include "rules/terms.h"
#include "rules/user.h"
#include "util/cleanup.h"

static const struct setting settings[] = {
        {"uid", &setting_id, offsetof(struct user_settings, uid),
         .description = "uid that replaces 0 (1 to 4294967294)"},
        {"gid", &setting_id, offsetof(struct user_settings, gid),
         .description = "gid that replaces 0 (1 to 4294967294)"},
        {"keep_non_root", &setting_bool, offsetof(struct user_settings, keep_non_root),
         .description = "keep an image's own non-root uid and gid; false forces the policy's ids "
                        "on every process"},
        {"low_ports", &setting_bool, offsetof(struct user_settings, low_ports),
         .description = "let a process moved off uid 0 bind ports below 1024 in a network "
                        "namespace of its own (net.ipv4.ip_unprivileged_port_start=0); false "
                        "leaves the sysctl alone"},
        {"keep_root_in_user_namespace", &setting_bool,
         offsetof(struct user_settings, keep_remapped_root),
         .description = "keep uid and gid 0 in enforce mode too where a user namespace maps them "
                        "onto unprivileged host ids (the config's own, or the one rule "
                        "user_namespace in enforce mode adds): root inside, not outside"},
};

static const struct user_settings defaults = {
        .uid = HR_DEFAULT_NON_ROOT_ID,
        .gid = HR_DEFAULT_NON_ROOT_ID,
        .keep_non_root = true,
        .low_ports = true,
};

static int validate_user(struct settings_parser *sp, const char *path, const void *own)
{
        const struct user_settings *s = own;
        char sub[64];

        if (s->uid != 0 && s->gid != 0)
                return 0;
        snprintf(sub, sizeof(sub), "%s/%s", path, s->uid == 0 ? "uid" : "gid");
        return settings_fail(sp, sub, "must not be 0: the rule replaces root with this id");
}

#define LOW_PORTS_SYSCTL "net.ipv4.ip_unprivileged_port_start"

/* 4294967295 is (uid_t)-1: crun passes it to setresuid(), which reads -1 as "unchanged", so
 * the process would stay root. Id 0 is not host root where a user namespace maps it elsewhere;
 * deny mode lets that pass, enforce moves the process off 0 unless the policy keeps root
 * inside such a namespace (keep_root_in_user_namespace). */
static bool is_root_id(uint32_t id, bool remapped)
{
        return (id == 0 && !remapped) || id == UINT32_MAX;
}

/* Whether the container gets a network namespace of its own: an entry without a path (runc and
 * crun read "" as none), or no entry while rule namespaces, later in the table, will add one.
 * A joined namespace (a pod's) is shared: its sysctls are not one container's to set. */
static bool has_own_network_namespace(const struct rule_ctx *ctx, const struct json *doc)
{
        const struct json *linux_obj = json_object_get(doc, "linux");
        const struct json *list = linux_obj && linux_obj->type == JSON_OBJECT
                                          ? json_object_get(linux_obj, "namespaces")
                                          : NULL;

        for (size_t i = 0; list && list->type == JSON_ARRAY && i < list->array.n; i++) {
                const struct json *ns = list->array.items[i];
                const struct json *type = json_object_get(ns, "type");
                const struct json *path = json_object_get(ns, "path");

                if (!json_is_clean_string(type) || strcmp(type->scalar.text, "network") != 0)
                        continue;
                return !path || json_is_null(path) ||
                       (path->type == JSON_STRING && path->scalar.len == 0);
        }
        return ctx->policy->rule_mode[RULE_NAMESPACES] == HR_MODE_ENFORCE &&
               exemption_find(ctx->policy, RULE_NAMESPACES, ctx->container_id,
                              json_object_get(doc, "annotations")) < 0;
}

/* A process moved off root can no longer bind ports below 1024. In a network namespace of the
 * container's own that protects nothing (Docker sets the same sysctl for every container), so
 * the namespace lets any user bind them, unless the spec says otherwise (in either spelling). */
static int keep_low_ports(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct json *linux_obj, *sysctl;
        int r;

        r = rule_field(ctx, doc, "", "linux", JSON_OBJECT, true, &linux_obj, err);
        if (r < 0)
                return r;
        r = rule_field(ctx, linux_obj, "/linux", "sysctl", JSON_OBJECT, true, &sysctl, err);
        if (r < 0)
                return r;
        if (json_object_get(sysctl, LOW_PORTS_SYSCTL) ||
            json_object_get(sysctl, "net/ipv4/ip_unprivileged_port_start"))
                return 0;
        return rule_set(ctx, sysctl, "/linux/sysctl", LOW_PORTS_SYSCTL, json_new_string("0"), err);
}

static int apply_user(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        const struct policy *p = ctx->policy;
        const struct user_settings *s = ctx->settings;
        char user_path[RULE_PATH_MAX], path[RULE_PATH_MAX];
        struct json *process, *user, *v, *gids;
        const char *prefix;
        uint32_t uid = 0, gid = 0;
        bool remapped, forced_off_root = false;
        int r;

        r = rule_process(ctx, doc, &process, &prefix, err);
        if (r <= 0)
                return r; /* no process, nothing runs */
        remapped = (p->rule_mode[ctx->rule] == HR_MODE_DENY || s->keep_remapped_root) &&
                   user_namespace_remaps_root(ctx, doc);
        snprintf(user_path, sizeof(user_path), "%s/user", prefix);
        /* An absent user, uid or gid means 0 to the runtime. */
        r = rule_field(ctx, process, prefix, "user", JSON_OBJECT, true, &user, err);
        if (r < 0)
                return r;

        snprintf(path, sizeof(path), "%s/uid", user_path);
        r = rule_field(ctx, user, user_path, "uid", JSON_NUMBER, false, &v, err);
        if (r < 0 || (r == 1 && (r = rule_uint32(ctx, v, path, &uid, err)) < 0))
                return r;
        if (is_root_id(uid, remapped) || (!s->keep_non_root && uid != s->uid)) {
                forced_off_root = is_root_id(uid, remapped);
                r = rule_set(ctx, user, user_path, "uid", json_new_uint(s->uid), err);
                if (r < 0)
                        return r;
        }

        snprintf(path, sizeof(path), "%s/gid", user_path);
        r = rule_field(ctx, user, user_path, "gid", JSON_NUMBER, false, &v, err);
        if (r < 0 || (r == 1 && (r = rule_uint32(ctx, v, path, &gid, err)) < 0))
                return r;
        if (is_root_id(gid, remapped) || (!s->keep_non_root && gid != s->gid)) {
                r = rule_set(ctx, user, user_path, "gid", json_new_uint(s->gid), err);
                if (r < 0)
                        return r;
        }

        /* Deny mode forces nothing: the spec is refused for its uid. */
        if (forced_off_root && s->low_ports && ctx->kind == SPEC_CONFIG &&
            p->rule_mode[ctx->rule] != HR_MODE_DENY && has_own_network_namespace(ctx, doc) &&
            (r = keep_low_ports(ctx, doc, err)) < 0)
                return r;

        /* Group 0 as a supplementary group still opens root-group files. */
        r = rule_field(ctx, user, user_path, "additionalGids", JSON_ARRAY, false, &gids, err);
        if (r <= 0)
                return r;
        snprintf(path, sizeof(path), "%s/additionalGids", user_path);
        {
                struct json *before = json_clone(gids);
                bool changed = false;

                if (!before)
                        return error_set(err, -ENOMEM, "out of memory");
                for (size_t i = gids->array.n; i-- > 0;) {
                        char item_path[RULE_PATH_MAX];
                        uint32_t g;
                        snprintf(item_path, sizeof(item_path), "%s/%zu", path, i);
                        r = rule_uint32(ctx, gids->array.items[i], item_path, &g, err);
                        if (r < 0) {
                                json_free(before);
                                return r;
                        }
                        if (is_root_id(g, remapped)) {
                                if ((r = json_array_remove(gids, i)) < 0) {
                                        json_free(before);
                                        return error_set(err, r, "out of memory");
                                }
                                changed = true;
                        }
                }
                if (changed)
                        r = rule_record(ctx, path, before, gids, err);
                json_free(before);
        }
        return r;
}

/* An id of an inline exec flag: runc and crun take only numbers there ("UID[:GID]"), and refuse
 * anything else, as this does. */
static int parse_flag_id(const char *s, size_t len, uint32_t *ret)
{
        unsigned long long v = 0;

        if (len == 0 || len > 10 || (len > 1 && s[0] == '0'))
                return -EINVAL;
        for (size_t i = 0; i < len; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -EINVAL;
                v = v * 10 + (unsigned)(s[i] - '0');
        }
        if (v > UINT32_MAX)
                return -ERANGE;
        *ret = (uint32_t)v;
        return 0;
}

/* --user UID[:GID] as the process fields are judged (the container's user namespace aside); and
 * --additional-gids, of which only group 0 is refused. */
static bool user_flag_allowed(const struct user_settings *s, const char *user)
{
        const char *colon = strchr(user, ':');
        size_t uid_len = colon ? (size_t)(colon - user) : strlen(user);
        uint32_t uid, gid = 0;

        /* Without ":GID" crun runs the process as gid 0 (runc keeps the container's gid). */
        if (parse_flag_id(user, uid_len, &uid) < 0 ||
            (colon && parse_flag_id(colon + 1, strlen(colon + 1), &gid) < 0))
                return false;
        return !is_root_id(uid, false) && !is_root_id(gid, false) &&
               (s->keep_non_root || (uid == s->uid && gid == s->gid));
}

static int check_exec_flags_user(struct rule_ctx *ctx, const struct cli_exec_flags *flags,
                                 struct hr_error *err)
{
        const struct user_settings *s = ctx->settings;
        char want[32];
        int r;

        snprintf(want, sizeof(want), "%u:%u", s->uid, s->gid);
        if (flags->user && !user_flag_allowed(s, flags->user) &&
            (r = rule_refuse_flag(ctx, "--user", flags->user, want, err)) < 0)
                return r;
        for (size_t i = 0; i < flags->n_gids; i++) {
                uint32_t gid;
                if (parse_flag_id(flags->gids[i], strlen(flags->gids[i]), &gid) == 0 && gid != 0)
                        continue;
                if ((r = rule_refuse_flag(ctx, "--additional-gids", flags->gids[i], NULL, err)) < 0)
                        return r;
        }
        return 0;
}

static const char *const owns[] = {"/process/user/uid", "/process/user/gid", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "user",
        .summary = "no process runs as uid or gid 0",
        .enforce = "uid 0 and gid 0 (and 4294967295, which crun reads as 'unchanged') "
                   "become the policy's uid and gid; group 0 is removed from "
                   "additionalGids. A non-root image user is kept unless keep_non_root "
                   "is false. A process moved off uid 0 in a network namespace of its "
                   "own gets linux.sysctl net.ipv4.ip_unprivileged_port_start=0 "
                   "(unless the spec sets it or low_ports is false), so it can still "
                   "bind ports below 1024, as under Docker.",
        .deny = "a process whose uid, gid or any additional gid is 0 (with "
                "keep_non_root false: any other id than the policy's); 0 passes where "
                "the config's own user namespace maps no id onto host id 0, or rule "
                "user_namespace in enforce mode will add one",
        .spec = "process.user.uid, process.user.gid, process.user.additionalGids, "
                "linux.namespaces[] (type network), linux.sysctl",
        .cis = "4.1 (a user for the container has been created), 5.24 (exec is not "
               "run as root)",
        .pss = "restricted: Running as Non-root (runAsNonRoot), Running as Non-root user "
               "(runAsUser != 0)",
};

/* Root by default: the image's user, or none given. */
static bool engine_term_user(const struct finding *f, const struct json *spec, bool cli, char *buf,
                             size_t size)
{
        (void)spec;
        if (strcmp(f->path, "/process/user/uid") != 0)
                return false;
        return term_words(cli, "running as root (give --user UID:GID)",
                          "running as root (set runAsNonRoot: true and runAsUser)", buf, size);
}

const struct rule rule_user = {
        .id = RULE_USER,
        .name = "user",
        .owns = owns,
        .for_process = true,
        .settings = settings,
        .n_settings = ELEMENTSOF(settings),
        .settings_size = sizeof(struct user_settings),
        .defaults = &defaults,
        .validate = validate_user,
        .apply = apply_user,
        .check_exec_flags = check_exec_flags_user,
        .engine_term = engine_term_user,
        .doc = &doc,
};
