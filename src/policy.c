/* Policy file → typed struct: strict validation, built-in default, trust checks on the file. */
#include "policy.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bounds.h"
#include "builtin-policy-digest.h"
#include "capability.h"
#include "config.h"
#include "fileio.h"
#include "mountopt.h"
#include "policy-top.h"
#include "profiles.h"
#include "trust.h"
#include "rules/lsm.h"
#include "rules/paths.h"
#include "rules/registry.h"
#include "rules/rule.h"
#include "seccomp-load.h"
#include "settings.h"
#include "util/cleanup.h"
#include "util/hash.h"
#include "util/strv.h"
#include "util/suggest.h"

/* The per-container files and volumes engines make for one container (default_mounts_allow
 * without the host binaries it also lists: those must never become writable to a container). */
static const char *const default_idmap_sources[] = {
        ENGINE_MANAGED_PATHS,
        NULL,
};

const char *const *policy_idmap_sources(const struct policy *p)
{
        return p->userns.idmap_sources ? (const char *const *)p->userns.idmap_sources
                                       : default_idmap_sources;
}

static void policy_hooks_clear(struct policy *p)
{
        for (size_t i = 0; i < p->hooks.n_allow; i++) {
                free(p->hooks.allow[i].path);
                strv_free(p->hooks.allow[i].args);
                strv_free(p->hooks.allow[i].exe);
        }
        free(p->hooks.allow);
        p->hooks.allow = NULL;
        p->hooks.n_allow = 0;
}

/* The hooks engines add themselves, which enforce mode must keep working: Docker's (≤ 27)
 * libnetwork-setkey prestart hook, run as dockerd's own executable through /proc/<pid>/exe, and
 * the NVIDIA container hook `docker run --gpus` adds. */
static int policy_add_default_hooks(struct policy *p)
{
        static const char *const setkey[] = {"libnetwork-setkey", "-exec-root=/*", "*", "*", NULL};
        static const char *const dockerd[] = {"/usr/bin/dockerd", "/usr/sbin/dockerd",
                                              "/usr/local/bin/dockerd", NULL};
        static const char *const nvidia[] = {"nvidia-container-runtime-hook", "prestart", NULL};
        static const struct {
                const char *path;
                const char *const *args;
                const char *const *exe;
        } defaults[] = {
                {"/proc/[0-9]*/exe", setkey, dockerd},
                {"/usr/bin/nvidia-container-runtime-hook", nvidia, NULL},
        };

        p->hooks.allow = calloc(ELEMENTSOF(defaults), sizeof(*p->hooks.allow));
        if (!p->hooks.allow)
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(defaults); i++) {
                struct policy_hook *h = &p->hooks.allow[p->hooks.n_allow++];
                h->path = strdup(defaults[i].path);
                h->args = strv_new(defaults[i].args);
                h->exe = defaults[i].exe ? strv_new(defaults[i].exe) : NULL;
                if (!h->path || !h->args || (defaults[i].exe && !h->exe))
                        return -ENOMEM;
        }
        return 0;
}

struct policy *policy_free(struct policy *p)
{
        if (!p)
                return NULL;
        free(p->source);
        for (int i = 0; i < _RULE_MAX; i++) {
                const struct rule *rule = rule_get((enum rule_id)i);
                if (p->rule_settings[i])
                        settings_free(rule->settings, rule->n_settings, p->rule_settings[i]);
                free(p->rule_settings[i]);
        }
        settings_free(policy_settings, policy_n_settings, p);
        free(p->seccomp.profile);
        json_free(p->seccomp.loaded);
        for (size_t i = 0; i < p->rootfs.n_tmpfs; i++) {
                free(p->rootfs.tmpfs[i].path);
                strv_free(p->rootfs.tmpfs[i].options);
        }
        free(p->rootfs.tmpfs);
        strv_free(p->mounts.deny);
        strv_free(p->mounts.allow);
        strv_free(p->mounts.rootfs);
        strv_free(p->mount_types.allow);
        strv_free(p->annotations.allow);
        strv_free(p->groups.deny);
        strv_free(p->cgroups_path.parents);
        strv_free(p->userns.idmap_sources);
        free(p->userns.subid_user);
        strv_free(p->mount_options.bind);
        free(p->mount_options.propagation);
        strv_free(p->masked_paths.masked);
        strv_free(p->masked_paths.readonly);
        policy_hooks_clear(p);
        strv_free(p->sysctls.allow);
        free(p->lsm.apparmor_profile);
        free(p->lsm.selinux_label);
        strv_free(p->lsm.selinux_types);
        strv_free(p->env_secrets.allow_names);
        strv_free(p->image.allow);
        free(p);
        return NULL;
}

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

static int append_tmpfs(struct policy *p, const char *path, char **opts, struct hr_error *err)
{
        struct policy_tmpfs *t = realloc(p->rootfs.tmpfs, (p->rootfs.n_tmpfs + 1) * sizeof(*t));

        if (!t) {
                strv_free(opts);
                return error_set(err, -ENOMEM, "out of memory");
        }
        p->rootfs.tmpfs = t;
        t[p->rootfs.n_tmpfs].path = strdup(path);
        t[p->rootfs.n_tmpfs].options = opts;
        if (!t[p->rootfs.n_tmpfs].path) {
                strv_free(opts);
                return error_set(err, -ENOMEM, "out of memory");
        }
        p->rootfs.n_tmpfs++;
        return 0;
}

static int policy_add_tmpfs(struct policy *p, const char *path, const char *options,
                            struct hr_error *err)
{
        char **opts = NULL;
        int r = tmpfs_options_split(options, &opts, err);

        return r < 0 ? r : append_tmpfs(p, path, opts, err);
}

/* The built-in default is the restricted profile a fresh install enforces. Its text twin is
 * profiles/policy/restricted.json, kept equal by a unit test. */
enum policy_scope {
        POLICY_SCOPE_FULL,
        POLICY_SCOPE_RUNTIME,
};

/* Scratch space for programs on a read-only root: /tmp, /var/tmp and /run, with what
 * tmpfs_options_split makes of "mode=1777,size=64m" (and ",tmpcopyup" for /run; a unit test
 * checks they agree), so the default needs no libmount at run time. /run keeps what the image
 * ships there (tmpcopyup, which runc and crun implement): runtime directories such as
 * /run/postgresql or /run/mysqld, owned and moded for their server, which would otherwise
 * vanish under the tmpfs. */
static int policy_add_default_tmpfs(struct policy *p, struct hr_error *err)
{
        static const char *const scratch[] = {"/tmp", "/var/tmp", "/run"};
        static const char *const options[] = {"mode=1777", "size=64m", "nosuid",
                                              "nodev",     "noexec",   NULL};
        static const char *const run_options[] = {"mode=1777", "size=64m", "tmpcopyup", "nosuid",
                                                  "nodev",     "noexec",   NULL};
        int r;

        for (size_t i = 0; i < ELEMENTSOF(scratch); i++) {
                char **opts = strv_new(strcmp(scratch[i], "/run") == 0 ? run_options : options);
                if (!opts)
                        return error_set(err, -ENOMEM, "out of memory");
                if ((r = append_tmpfs(p, scratch[i], opts, err)) < 0)
                        return r;
        }
        return 0;
}

/* Each rule's settings, a copy of its defaults: only a full policy has them. */
static int policy_new_rules(struct policy *p)
{
        for (int i = 0; i < _RULE_MAX; i++) {
                const struct rule *rule = rule_get((enum rule_id)i);
                if (!rule->settings_size)
                        continue;
                p->rule_settings[i] = calloc(1, rule->settings_size);
                if (!p->rule_settings[i] || settings_copy(rule->settings, rule->n_settings,
                                                          p->rule_settings[i], rule->defaults) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static struct policy *policy_new(enum policy_scope scope)
{
        _cleanup_(policy_freep) struct policy *p = calloc(1, sizeof(*p));

        if (!p)
                return NULL;
        p->source = strdup("built-in default");
        snprintf(p->digest, sizeof(p->digest), "%s", HR_BUILTIN_POLICY_DIGEST);
        if (settings_copy(policy_settings, policy_n_settings, p, &policy_top_defaults) < 0)
                return NULL;
        /* An opt-in rule (user_namespace: remapping root breaks images whose files only root may
         * read) runs only when its own mode says so. */
        for (int i = 0; i < _RULE_MAX; i++)
                p->rule_mode[i] = rule_get((enum rule_id)i)->opt_in ? HR_MODE_OFF : HR_MODE_ENFORCE;
        p->seccomp.profile = strdup("default");
        p->userns.host_uid = HR_DEFAULT_USERNS_HOST_ID;
        p->userns.host_gid = HR_DEFAULT_USERNS_HOST_ID;
        p->userns.size = HR_DEFAULT_USERNS_SIZE;
        p->userns.ranges = HR_DEFAULT_USERNS_RANGES;
        p->mount_options.bind = strv_new((const char *const[]){"nosuid", "nodev", NULL});
        p->mount_options.propagation = strdup("rprivate");
        p->resources.pids_limit = HR_DEFAULT_PIDS_LIMIT;
        p->resources.oom_score_adj_min = HR_DEFAULT_OOM_SCORE_ADJ_MIN;
        p->rlimits.max[RLIMIT_NOFILE] = HR_DEFAULT_NOFILE_MAX;
        p->rlimits.set = UINT32_C(1) << RLIMIT_NOFILE;
        p->image.allow = calloc(1, sizeof(char *));
        p->env_secrets.allow_names = calloc(1, sizeof(char *));
        p->mount_types.allow = calloc(1, sizeof(char *));
        p->annotations.allow = calloc(1, sizeof(char *));
        p->cgroups_path.parents = calloc(1, sizeof(char *));
        p->groups.engine_sockets = true;
        if (!p->mount_types.allow || !p->annotations.allow || !p->cgroups_path.parents)
                return NULL;
        if (!p->source || !p->seccomp.profile || !p->mount_options.bind ||
            !p->mount_options.propagation || !p->image.allow || !p->env_secrets.allow_names ||
            policy_add_default_hooks(p) < 0)
                return NULL;
        if (scope == POLICY_SCOPE_FULL &&
            (policy_add_default_tmpfs(p, NULL) < 0 || policy_new_rules(p) < 0))
                return NULL;
        return TAKE_PTR(p);
}

struct policy *policy_new_default(void)
{
        return policy_new(POLICY_SCOPE_FULL);
}

struct policy *policy_new_default_runtime(void)
{
        return policy_new(POLICY_SCOPE_RUNTIME);
}

/* ---- validation helpers: every message names the JSON path ---- */

struct parse_state {
        const char *source;
        struct hr_error *err;
};

static int fail(struct parse_state *s, const char *path, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int fail(struct parse_state *s, const char *path, const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = error_vset_at(s->err, -EINVAL, s->source, path, fmt, ap);
        va_end(ap);
        return r;
}

/* Every key must be one the policy format knows: a typo must not silently weaken the policy. */
static int check_keys(struct parse_state *s, const struct json *obj, const char *path,
                      const char *const *allowed)
{
        for (size_t i = 0; i < obj->object.n; i++) {
                const char *key = obj->object.members[i].key;
                /* "mode\u0000x" must not pass for "mode". */
                if (strlen(key) != obj->object.members[i].key_len)
                        return fail(s, path, "a key contains a NUL byte");
                if (!strv_contains(allowed, key)) {
                        char hint[96];
                        size_t n = 0;

                        while (allowed[n])
                                n++;
                        return fail(s, path, "unknown key '%s'%s", key,
                                    suggest_hint(key, allowed, n, hint, sizeof(hint)));
                }
        }
        return 0;
}

static int expect(struct parse_state *s, const struct json *v, enum json_type type,
                  const char *path)
{
        bool ok = v->type == type || (type == JSON_TRUE && json_is_bool(v));

        if (!ok)
                return fail(s, path, "expected %s, got %s", json_type_name(type),
                            json_type_name(v->type));
        return 0;
}

static int get_string(struct parse_state *s, const struct json *v, const char *path, char **ret)
{
        char *copy;
        int r = expect(s, v, JSON_STRING, path);

        if (r < 0)
                return r;
        if (!json_is_clean_string(v))
                return fail(s, path, "contains a NUL byte");
        copy = strdup(v->scalar.text);
        if (!copy)
                return error_set(s->err, -ENOMEM, "out of memory");
        free(*ret);
        *ret = copy;
        return 0;
}

static int get_bool(struct parse_state *s, const struct json *v, const char *path, bool *ret)
{
        int r = expect(s, v, JSON_TRUE, path);

        if (r == 0)
                *ret = v->type == JSON_TRUE;
        return r;
}

static int get_mode(struct parse_state *s, const struct json *v, const char *path, bool allow_off,
                    enum hr_mode *ret)
{
        enum hr_mode m;
        int r = expect(s, v, JSON_STRING, path);

        if (r < 0)
                return r;
        m = hr_mode_from_string(v->scalar.text);
        if (m < 0 || (m == HR_MODE_OFF && !allow_off))
                return fail(s, path, "'%s' is not one of %s", v->scalar.text,
                            allow_off ? "enforce, audit, deny, off" : "enforce, audit, deny");
        *ret = m;
        return 0;
}

static int get_id(struct parse_state *s, const struct json *v, const char *path, uint32_t *ret)
{
        unsigned long long n;

        if (v->type != JSON_NUMBER || json_get_uint(v, UINT32_MAX - 1, &n) < 0)
                return fail(s, path, "expected an id from 0 to 4294967294");
        *ret = (uint32_t)n;
        return 0;
}

static int parse_rule_mode(struct parse_state *s, struct policy *p, enum rule_id id,
                           const struct json *obj, const char *path)
{
        char sub[128];
        struct json *v = json_object_get(obj, "mode");

        if (!v)
                return 0;
        snprintf(sub, sizeof(sub), "%s/mode", path);
        return get_mode(s, v, sub, true, &p->rule_mode[id]);
}

/* A list of capability names as a mask; every name must be known to libcap. */
static int parse_seccomp(struct parse_state *s, struct policy *p, const struct json *obj)
{
        static const char *const keys[] = {"mode", "profile", "merge", "unknown_syscalls", NULL};
        struct json *v;
        int r;

        if ((r = check_keys(s, obj, "/rules/seccomp", keys)) < 0)
                return r;
        if ((v = json_object_get(obj, "profile"))) {
                if ((r = get_string(s, v, "/rules/seccomp/profile", &p->seccomp.profile)) < 0)
                        return r;
                if (p->seccomp.profile[0] != '/' && !profile_builtin(p->seccomp.profile, NULL))
                        return fail(s, "/rules/seccomp/profile",
                                    "'%s' is neither an absolute path nor a built-in profile",
                                    p->seccomp.profile);
        }
        if ((v = json_object_get(obj, "merge"))) {
                if ((r = expect(s, v, JSON_STRING, "/rules/seccomp/merge")) < 0)
                        return r;
                p->seccomp.merge = seccomp_merge_strategy_from_string(v->scalar.text);
                if (p->seccomp.merge < 0)
                        return fail(s, "/rules/seccomp/merge",
                                    "'%s' is not one of replace, keep_if_stricter", v->scalar.text);
        }
        if ((v = json_object_get(obj, "unknown_syscalls"))) {
                if ((r = expect(s, v, JSON_STRING, "/rules/seccomp/unknown_syscalls")) < 0)
                        return r;
                p->seccomp.unknown = seccomp_unknown_names_from_string(v->scalar.text);
                if (p->seccomp.unknown < 0)
                        return fail(s, "/rules/seccomp/unknown_syscalls",
                                    "'%s' is not one of error, ignore", v->scalar.text);
        }
        return 0;
}

static bool is_clean_absolute_path(const char *path)
{
        if (path[0] != '/' || strlen(path) >= PATH_MAX)
                return false;
        for (const char *c = path; *c; c++)
                if (c[0] == '/' &&
                    (c[1] == '/' || (c[1] == '.' && (c[2] == '/' || !c[2] ||
                                                     (c[2] == '.' && (c[3] == '/' || !c[3]))))))
                        return false;
        return strcmp(path, "/") != 0 && path[strlen(path) - 1] != '/';
}

static int parse_rootfs(struct parse_state *s, struct policy *p, const struct json *obj)
{
        /* The policy's list replaces the default one, which parse_scoped adds otherwise. */
        static const char *const keys[] = {"mode", "tmpfs", NULL};
        static const char *const tmpfs_keys[] = {"path", "options", NULL};
        struct json *v;
        int r;

        if ((r = check_keys(s, obj, "/rules/rootfs", keys)) < 0)
                return r;
        v = json_object_get(obj, "tmpfs");
        if (!v)
                return 0;
        p->rootfs.tmpfs_set = true;
        if ((r = expect(s, v, JSON_ARRAY, "/rules/rootfs/tmpfs")) < 0)
                return r;
        for (size_t i = 0; i < p->rootfs.n_tmpfs; i++) {
                free(p->rootfs.tmpfs[i].path);
                strv_free(p->rootfs.tmpfs[i].options);
        }
        p->rootfs.n_tmpfs = 0;
        for (size_t i = 0; i < v->array.n; i++) {
                const struct json *item = v->array.items[i];
                _cleanup_free_ char *mpath = NULL;
                _cleanup_free_ char *opts = NULL;
                char path[96];
                struct json *f;

                snprintf(path, sizeof(path), "/rules/rootfs/tmpfs/%zu", i);
                if ((r = expect(s, item, JSON_OBJECT, path)) < 0 ||
                    (r = check_keys(s, item, path, tmpfs_keys)) < 0)
                        return r;
                snprintf(path, sizeof(path), "/rules/rootfs/tmpfs/%zu/path", i);
                if (!(f = json_object_get(item, "path")))
                        return fail(s, path, "missing");
                if ((r = get_string(s, f, path, &mpath)) < 0)
                        return r;
                if (!is_clean_absolute_path(mpath))
                        return fail(s, path, "'%s' is not a clean absolute path below /", mpath);
                snprintf(path, sizeof(path), "/rules/rootfs/tmpfs/%zu/options", i);
                if ((f = json_object_get(item, "options")) &&
                    (r = get_string(s, f, path, &opts)) < 0)
                        return r;
                r = policy_add_tmpfs(p, mpath, opts, s->err);
                if (r < 0)
                        return error_prefix(s->err, "%s: '%s': ", s->source, path);
        }
        return 0;
}

enum list_check {
        LIST_ANY,      /* non-empty strings */
        LIST_ABSOLUTE, /* absolute paths */
};

/* A list of strings, each non-empty (or absolute, for paths); replaces *ret. */
static int parse_list(struct parse_state *s, const struct json *v, const char *path,
                      enum list_check check, char ***ret)
{
        char **list;
        int r;

        if ((r = expect(s, v, JSON_ARRAY, path)) < 0)
                return r;
        list = calloc(v->array.n + 1, sizeof(*list));
        if (!list)
                return error_set(s->err, -ENOMEM, "out of memory");
        for (size_t i = 0; i < v->array.n; i++) {
                char item_path[128];
                snprintf(item_path, sizeof(item_path), "%s/%zu", path, i);
                r = get_string(s, v->array.items[i], item_path, &list[i]);
                if (r == 0 && list[i][0] == '\0')
                        r = fail(s, item_path, "must not be empty");
                if (r == 0 && check == LIST_ABSOLUTE && list[i][0] != '/')
                        r = fail(s, item_path, "'%s' is not an absolute path", list[i]);
                if (r < 0) {
                        strv_free(list);
                        return r;
                }
        }
        strv_free(*ret);
        *ret = list;
        return 0;
}

/* A list of absolute paths (patterns allowed with '*' components and a trailing '/'). */
static int parse_path_list(struct parse_state *s, const struct json *v, const char *path,
                           char ***ret)
{
        return parse_list(s, v, path, LIST_ABSOLUTE, ret);
}

/* An integer in [min, max], as JSON writes it (no fraction, no exponent). */
static int get_int64(struct parse_state *s, const struct json *v, const char *path, int64_t min,
                     int64_t max, int64_t *ret)
{
        char *end;
        long long n;

        if (v->type != JSON_NUMBER)
                return fail(s, path, "expected number, got %s", json_type_name(v->type));
        errno = 0;
        n = strtoll(v->scalar.text, &end, 10);
        if (errno || *end || end == v->scalar.text || n < min || n > max)
                return fail(s, path, "expected an integer from %" PRId64 " to %" PRId64, min, max);
        *ret = n;
        return 0;
}

static int parse_user_namespace(struct parse_state *s, struct policy *p, const struct json *obj)
{
        static const char *const keys[] = {"mode",       "host_uid", "host_gid", "size",
                                           "allocation", "ranges",   "idmap",    "idmap_sources",
                                           "subid_user", NULL};
        struct json *v;
        uint64_t span;
        int r;

        if ((r = check_keys(s, obj, "/rules/user_namespace", keys)) < 0)
                return r;
        if ((v = json_object_get(obj, "host_uid")) &&
            (r = get_id(s, v, "/rules/user_namespace/host_uid", &p->userns.host_uid)) < 0)
                return r;
        if ((v = json_object_get(obj, "host_gid")) &&
            (r = get_id(s, v, "/rules/user_namespace/host_gid", &p->userns.host_gid)) < 0)
                return r;
        if ((v = json_object_get(obj, "size")) &&
            (r = get_id(s, v, "/rules/user_namespace/size", &p->userns.size)) < 0)
                return r;
        if (p->userns.host_uid == 0 || p->userns.host_gid == 0)
                return fail(s,
                            p->userns.host_uid == 0 ? "/rules/user_namespace/host_uid"
                                                    : "/rules/user_namespace/host_gid",
                            "must not be 0: container root would be host root");
        if ((v = json_object_get(obj, "allocation"))) {
                if ((r = expect(s, v, JSON_STRING, "/rules/user_namespace/allocation")) < 0)
                        return r;
                if (strcmp(v->scalar.text, "shared") != 0 &&
                    strcmp(v->scalar.text, "per_container") != 0)
                        return fail(s, "/rules/user_namespace/allocation",
                                    "'%s' is not one of shared, per_container", v->scalar.text);
                p->userns.per_container = strcmp(v->scalar.text, "per_container") == 0;
        }
        if ((v = json_object_get(obj, "ranges"))) {
                if ((r = get_id(s, v, "/rules/user_namespace/ranges", &p->userns.ranges)) < 0)
                        return r;
                if (p->userns.ranges == 0)
                        return fail(s, "/rules/user_namespace/ranges", "must be at least 1");
        }
        if ((v = json_object_get(obj, "idmap")) &&
            (r = get_bool(s, v, "/rules/user_namespace/idmap", &p->userns.idmap)) < 0)
                return r;
        if ((v = json_object_get(obj, "idmap_sources")) &&
            (r = parse_path_list(s, v, "/rules/user_namespace/idmap_sources",
                                 &p->userns.idmap_sources)) < 0)
                return r;
        if ((v = json_object_get(obj, "subid_user")) && v->type != JSON_NULL) {
                if ((r = get_string(s, v, "/rules/user_namespace/subid_user",
                                    &p->userns.subid_user)) < 0)
                        return r;
                if (!p->userns.subid_user[0] || strpbrk(p->userns.subid_user, ":\n"))
                        return fail(s, "/rules/user_namespace/subid_user",
                                    "'%s' is not a user name", p->userns.subid_user);
        }
        /* 4294967294 stays free: ID-mapped overlayfs layers show host root's writes there. */
        span = (uint64_t)p->userns.size * (p->userns.per_container ? p->userns.ranges : 1);
        if (p->userns.size == 0 || (uint64_t)p->userns.host_uid + span > UINT32_MAX - 1 ||
            (uint64_t)p->userns.host_gid + span > UINT32_MAX - 1)
                return fail(s,
                            p->userns.per_container ? "/rules/user_namespace/ranges"
                                                    : "/rules/user_namespace/size",
                            "the ids must hold at least one id and end below 4294967294");
        return 0;
}

/* Bind mount options the policy forces: libmount must know each, and none may weaken a mount. */
static int parse_mount_options(struct parse_state *s, struct policy *p, const struct json *obj)
{
        static const char *const keys[] = {"mode", "bind", "propagation", NULL};
        static const char *const forcible[] = {"nosuid",  "nodev",  "noexec",  "ro", "rro",
                                               "rnosuid", "rnodev", "rnoexec", NULL};
        static const char *const propagations[] = {"rprivate", "private", "rslave", "slave", NULL};
        struct json *v;
        int r;

        if ((r = check_keys(s, obj, "/rules/mount_options", keys)) < 0)
                return r;
        if ((v = json_object_get(obj, "bind"))) {
                if ((r = parse_list(s, v, "/rules/mount_options/bind", LIST_ANY,
                                    &p->mount_options.bind)) < 0)
                        return r;
                for (size_t i = 0; p->mount_options.bind[i]; i++) {
                        char path[96];
                        snprintf(path, sizeof(path), "/rules/mount_options/bind/%zu", i);
                        if (!strv_contains(forcible, p->mount_options.bind[i]))
                                return fail(s, path,
                                            "'%s' is not one of nosuid, nodev, noexec, ro, rro, "
                                            "rnosuid, rnodev, rnoexec",
                                            p->mount_options.bind[i]);
                }
        }
        if ((v = json_object_get(obj, "propagation"))) {
                if ((r = get_string(s, v, "/rules/mount_options/propagation",
                                    &p->mount_options.propagation)) < 0)
                        return r;
                if (!strv_contains(propagations, p->mount_options.propagation))
                        return fail(s, "/rules/mount_options/propagation",
                                    "'%s' is not one of rprivate, private, rslave, slave",
                                    p->mount_options.propagation);
        }
        return 0;
}

static int parse_masked_paths(struct parse_state *s, struct policy *p, const struct json *obj)
{
        static const char *const keys[] = {"mode", "masked", "readonly", NULL};
        struct json *v;
        int r;

        if ((r = check_keys(s, obj, "/rules/masked_paths", keys)) < 0)
                return r;
        if ((v = json_object_get(obj, "masked")) &&
            (r = parse_path_list(s, v, "/rules/masked_paths/masked", &p->masked_paths.masked)) < 0)
                return r;
        if ((v = json_object_get(obj, "readonly")) &&
            (r = parse_path_list(s, v, "/rules/masked_paths/readonly", &p->masked_paths.readonly)) <
                    0)
                return r;
        return 0;
}

static int parse_hooks(struct parse_state *s, struct policy *p, const struct json *obj)
{
        static const char *const keys[] = {"mode", "allow", NULL};
        static const char *const hook_keys[] = {"path", "args", "exe", NULL};
        struct json *v;
        int r;

        if ((r = check_keys(s, obj, "/rules/hooks", keys)) < 0)
                return r;
        if (!(v = json_object_get(obj, "allow")))
                return 0;
        if ((r = expect(s, v, JSON_ARRAY, "/rules/hooks/allow")) < 0)
                return r;
        policy_hooks_clear(p);
        p->hooks.allow = calloc(v->array.n + 1, sizeof(*p->hooks.allow));
        if (!p->hooks.allow)
                return error_set(s->err, -ENOMEM, "out of memory");
        for (size_t i = 0; i < v->array.n; i++) {
                const struct json *item = v->array.items[i];
                struct policy_hook *h = &p->hooks.allow[p->hooks.n_allow++];
                char path[96];
                struct json *f;

                snprintf(path, sizeof(path), "/rules/hooks/allow/%zu", i);
                if ((r = expect(s, item, JSON_OBJECT, path)) < 0 ||
                    (r = check_keys(s, item, path, hook_keys)) < 0)
                        return r;
                snprintf(path, sizeof(path), "/rules/hooks/allow/%zu/path", i);
                if (!(f = json_object_get(item, "path")))
                        return fail(s, path, "missing");
                if ((r = get_string(s, f, path, &h->path)) < 0)
                        return r;
                if (h->path[0] != '/')
                        return fail(s, path, "'%s' is not an absolute path", h->path);
                snprintf(path, sizeof(path), "/rules/hooks/allow/%zu/args", i);
                if ((f = json_object_get(item, "args")) &&
                    (r = parse_list(s, f, path, LIST_ANY, &h->args)) < 0)
                        return r;
                snprintf(path, sizeof(path), "/rules/hooks/allow/%zu/exe", i);
                if ((f = json_object_get(item, "exe")) &&
                    (r = parse_path_list(s, f, path, &h->exe)) < 0)
                        return r;
        }
        return 0;
}

static int parse_sysctls(struct parse_state *s, struct policy *p, const struct json *obj)
{
        static const char *const keys[] = {"mode", "allow", NULL};
        struct json *v;
        int r;

        if ((r = check_keys(s, obj, "/rules/sysctls", keys)) < 0)
                return r;
        if ((v = json_object_get(obj, "allow")) &&
            (r = parse_list(s, v, "/rules/sysctls/allow", LIST_ANY, &p->sysctls.allow)) < 0)
                return r;
        return 0;
}

static int parse_resources(struct parse_state *s, struct policy *p, const struct json *obj)
{
        static const char *const keys[] = {"mode", "pids_limit", "memory_limit",
                                           "oom_score_adj_min", NULL};
        struct json *v;
        int64_t n;
        int r;

        if ((r = check_keys(s, obj, "/rules/resources", keys)) < 0)
                return r;
        if ((v = json_object_get(obj, "pids_limit")) &&
            (r = get_int64(s, v, "/rules/resources/pids_limit", 0, INT64_MAX,
                           &p->resources.pids_limit)) < 0)
                return r;
        /* A limit below 4 MiB kills the runtime's own init (runc refuses below 6 MiB). */
        if ((v = json_object_get(obj, "memory_limit"))) {
                if ((r = get_int64(s, v, "/rules/resources/memory_limit", 0, INT64_MAX,
                                   &p->resources.memory_limit)) < 0)
                        return r;
                if (p->resources.memory_limit > 0 && p->resources.memory_limit < 6 * 1024 * 1024)
                        return fail(s, "/rules/resources/memory_limit",
                                    "%" PRId64 " bytes is below 6 MiB, which runc refuses; 0 "
                                    "adds no limit",
                                    p->resources.memory_limit);
        }
        if ((v = json_object_get(obj, "oom_score_adj_min"))) {
                if ((r = get_int64(s, v, "/rules/resources/oom_score_adj_min", -1000, 1000, &n)) <
                    0)
                        return r;
                p->resources.oom_score_adj_min = (int32_t)n;
        }
        return 0;
}

static int parse_rlimits(struct parse_state *s, struct policy *p, const struct json *obj)
{
        static const char *const keys[] = {"mode", "max", NULL};
        struct json *v;
        int r;

        if ((r = check_keys(s, obj, "/rules/rlimits", keys)) < 0)
                return r;
        if (!(v = json_object_get(obj, "max")))
                return 0;
        if ((r = expect(s, v, JSON_OBJECT, "/rules/rlimits/max")) < 0)
                return r;
        p->rlimits.set = 0;
        for (size_t i = 0; i < v->object.n; i++) {
                const struct json_member *m = &v->object.members[i];
                unsigned long long max;
                char path[96];
                int type = strlen(m->key) == m->key_len ? rlimit_from_name(m->key) : -EINVAL;

                snprintf(path, sizeof(path), "/rules/rlimits/max/%s", m->key);
                if (type < 0)
                        return fail(s, "/rules/rlimits/max",
                                    "'%s' is not an rlimit runc knows (RLIMIT_NOFILE, ...)",
                                    m->key);
                if (m->value->type != JSON_NUMBER || json_get_uint(m->value, UINT64_MAX, &max) < 0)
                        return fail(s, path, "expected an unsigned 64-bit integer");
                p->rlimits.max[type] = max;
                p->rlimits.set |= UINT32_C(1) << type;
        }
        return 0;
}

static bool is_profile_name(const char *name)
{
        size_t n = strlen(name);

        return n > 0 && name[0] != '&' && !isspace((unsigned char)name[0]) &&
               !isspace((unsigned char)name[n - 1]) && !lsm_apparmor_is_unconfined(name);
}

static int parse_lsm(struct parse_state *s, struct policy *p, const struct json *obj)
{
        static const char *const keys[] = {"mode", "apparmor_profile", "selinux_label",
                                           "selinux_types", NULL};
        struct json *v;
        int r;

        if ((r = check_keys(s, obj, "/rules/lsm", keys)) < 0)
                return r;
        if ((v = json_object_get(obj, "apparmor_profile")) && v->type != JSON_NULL) {
                if ((r = get_string(s, v, "/rules/lsm/apparmor_profile",
                                    &p->lsm.apparmor_profile)) < 0)
                        return r;
                /* The kernel trims blanks and reads '&' as "stack": " &unconfined" is
                 * unconfined too. */
                if (!is_profile_name(p->lsm.apparmor_profile))
                        return fail(s, "/rules/lsm/apparmor_profile",
                                    "must name a profile (not empty, not unconfined, no "
                                    "blanks, no leading '&')");
        }
        if ((v = json_object_get(obj, "selinux_label")) && v->type != JSON_NULL) {
                if ((r = get_string(s, v, "/rules/lsm/selinux_label", &p->lsm.selinux_label)) < 0)
                        return r;
                if (strchr(p->lsm.selinux_label, ':') == NULL)
                        return fail(s, "/rules/lsm/selinux_label",
                                    "'%s' is not a user:role:type:level label",
                                    p->lsm.selinux_label);
        }
        if ((v = json_object_get(obj, "selinux_types")) &&
            (r = parse_list(s, v, "/rules/lsm/selinux_types", LIST_ANY, &p->lsm.selinux_types)) < 0)
                return r;
        /* The rule writes this label where a type is refused: it must pass the rule itself. */
        if (p->lsm.selinux_label && !lsm_selinux_label_allowed(p, p->lsm.selinux_label))
                return fail(s, "/rules/lsm/selinux_label",
                            "the type of '%s' is not one of selinux_types (or is spc_t)",
                            p->lsm.selinux_label);
        return 0;
}

static int parse_env_secrets(struct parse_state *s, struct policy *p, const struct json *obj)
{
        static const char *const keys[] = {"mode", "allow_names", NULL};
        struct json *v;
        int r;

        if ((r = check_keys(s, obj, "/rules/env_secrets", keys)) < 0)
                return r;
        if ((v = json_object_get(obj, "allow_names")) &&
            (r = parse_list(s, v, "/rules/env_secrets/allow_names", LIST_ANY,
                            &p->env_secrets.allow_names)) < 0)
                return r;
        return 0;
}

static int parse_image(struct parse_state *s, struct policy *p, const struct json *obj)
{
        static const char *const keys[] = {"mode", "allow", "require_name", NULL};
        struct json *v;
        int r;

        if ((r = check_keys(s, obj, "/rules/image", keys)) < 0)
                return r;
        if ((v = json_object_get(obj, "allow")) &&
            (r = parse_list(s, v, "/rules/image/allow", LIST_ANY, &p->image.allow)) < 0)
                return r;
        if ((v = json_object_get(obj, "require_name")) &&
            (r = get_bool(s, v, "/rules/image/require_name", &p->image.require_name)) < 0)
                return r;
        return 0;
}

static int parse_mounts(struct parse_state *s, struct policy *p, const struct json *obj)
{
        static const char *const keys[] = {"mode",          "deny",         "allow", "rootfs",
                                           "special_files", "racy_sources", NULL};
        struct json *v;
        int r;

        if ((r = check_keys(s, obj, "/rules/mounts", keys)) < 0)
                return r;
        if ((v = json_object_get(obj, "deny")) &&
            (r = parse_path_list(s, v, "/rules/mounts/deny", &p->mounts.deny)) < 0)
                return r;
        if ((v = json_object_get(obj, "allow")) &&
            (r = parse_path_list(s, v, "/rules/mounts/allow", &p->mounts.allow)) < 0)
                return r;
        if ((v = json_object_get(obj, "rootfs")) &&
            (r = parse_path_list(s, v, "/rules/mounts/rootfs", &p->mounts.rootfs)) < 0)
                return r;
        if ((v = json_object_get(obj, "special_files")) &&
            (r = get_bool(s, v, "/rules/mounts/special_files", &p->mounts.special_files)) < 0)
                return r;
        if ((v = json_object_get(obj, "racy_sources")) &&
            (r = get_bool(s, v, "/rules/mounts/racy_sources", &p->mounts.racy_sources)) < 0)
                return r;
        return 0;
}

/* A list of names: a section's "allow" (types, annotation keys) or "parents". */
static int parse_names(struct parse_state *s, const struct json *obj, const char *section,
                       const char *key, char ***ret)
{
        const char *keys[] = {"mode", key, NULL};
        char path[96];
        struct json *v;
        int r;

        snprintf(path, sizeof(path), "/rules/%s", section);
        if ((r = check_keys(s, obj, path, keys)) < 0)
                return r;
        snprintf(path, sizeof(path), "/rules/%s/%s", section, key);
        if ((v = json_object_get(obj, key)) && (r = parse_list(s, v, path, LIST_ANY, ret)) < 0)
                return r;
        return 0;
}

static int parse_mount_types(struct parse_state *s, struct policy *p, const struct json *obj)
{
        return parse_names(s, obj, "mount_types", "allow", &p->mount_types.allow);
}

static int parse_annotations(struct parse_state *s, struct policy *p, const struct json *obj)
{
        return parse_names(s, obj, "annotations", "allow", &p->annotations.allow);
}

static int parse_cgroups_path(struct parse_state *s, struct policy *p, const struct json *obj)
{
        return parse_names(s, obj, "cgroups_path", "parents", &p->cgroups_path.parents);
}

static int parse_groups(struct parse_state *s, struct policy *p, const struct json *obj)
{
        static const char *const keys[] = {"mode", "deny", "engine_sockets", NULL};
        struct json *v;
        int r;

        if ((r = check_keys(s, obj, "/rules/groups", keys)) < 0)
                return r;
        if ((v = json_object_get(obj, "deny")) &&
            (r = parse_list(s, v, "/rules/groups/deny", LIST_ANY, &p->groups.deny)) < 0)
                return r;
        if ((v = json_object_get(obj, "engine_sockets")) &&
            (r = get_bool(s, v, "/rules/groups/engine_sockets", &p->groups.engine_sockets)) < 0)
                return r;
        return 0;
}

/* A rule's own keys through its descriptor's table ("mode" is read before), then its checks
 * across them. A rule without a table takes "mode" only. */
static int parse_rule_settings(struct parse_state *s, struct policy *p, enum rule_id id,
                               const struct json *obj, const char *path)
{
        static const char *const mode[] = {"mode", NULL};
        const struct rule *rule = rule_get(id);
        struct settings_parser sp = {.source = s->source, .err = s->err};
        int r = settings_parse(&sp, rule->settings, rule->n_settings, obj, path,
                               p->rule_settings[id], mode);

        if (r < 0 || !rule->validate)
                return r;
        return rule->validate(&sp, path, p->rule_settings[id]);
}

static int parse_rules(struct parse_state *s, struct policy *p, const struct json *rules)
{
        typedef int (*rule_parser)(struct parse_state *, struct policy *, const struct json *);
        /* A rule missing here is read through its descriptor's settings table. */
        static const rule_parser parsers[_RULE_MAX] = {
                [RULE_SECCOMP] = parse_seccomp,
                [RULE_ROOTFS] = parse_rootfs,
                [RULE_USER_NAMESPACE] = parse_user_namespace,
                [RULE_MOUNTS] = parse_mounts,
                [RULE_MOUNT_OPTIONS] = parse_mount_options,
                [RULE_MASKED_PATHS] = parse_masked_paths,
                [RULE_HOOKS] = parse_hooks,
                [RULE_SYSCTLS] = parse_sysctls,
                [RULE_RESOURCES] = parse_resources,
                [RULE_RLIMITS] = parse_rlimits,
                [RULE_LSM] = parse_lsm,
                [RULE_ENV_SECRETS] = parse_env_secrets,
                [RULE_IMAGE] = parse_image,
                [RULE_ANNOTATIONS] = parse_annotations,
                [RULE_MOUNT_TYPES] = parse_mount_types,
                [RULE_GROUPS] = parse_groups,
                [RULE_CGROUPS_PATH] = parse_cgroups_path,
        };
        int r;

        if ((r = expect(s, rules, JSON_OBJECT, "/rules")) < 0)
                return r;
        for (size_t i = 0; i < rules->object.n; i++) {
                const struct json_member *m = &rules->object.members[i];
                enum rule_id id =
                        strlen(m->key) == m->key_len ? rule_id_from_string(m->key) : _RULE_INVALID;
                char path[128], hint[96];

                if (id < 0)
                        return fail(s, "/rules", "unknown rule '%s'%s", m->key,
                                    suggest_hint(strlen(m->key) == m->key_len ? m->key : "",
                                                 rule_id_names, _RULE_MAX, hint, sizeof(hint)));
                snprintf(path, sizeof(path), "/rules/%s", m->key);
                if ((r = expect(s, m->value, JSON_OBJECT, path)) < 0 ||
                    (r = parse_rule_mode(s, p, id, m->value, path)) < 0 ||
                    (r = parsers[id] ? parsers[id](s, p, m->value)
                                     : parse_rule_settings(s, p, id, m->value, path)) < 0)
                        return r;
        }
        return 0;
}

/* "rules": each rule's "mode" and settings, read by parse_rules(); policy show fills the object
 * rule by rule (src/ctl/policy-show.c). */
static int rules_parse(struct settings_parser *sp, const struct setting *s, const struct json *v,
                       const char *path, void *field)
{
        struct parse_state ps = {.source = sp->source, .err = sp->err};

        (void)s;
        (void)path;
        return parse_rules(&ps, field, v);
}

static int rules_show(const struct setting *s, const void *field, struct json **ret)
{
        (void)s;
        (void)field;
        *ret = json_new_object();
        return *ret ? 0 : -ENOMEM;
}

static const struct setting_type setting_rules = {
        .doc = "object",
        .parse = rules_parse,
        .show = rules_show,
};

/* The document's keys in the order they are read and shown; a pass-through reads only what it
 * needs to find the runtime. */
const struct setting policy_settings[] = {
        {"version", &setting_policy_version, 0, SETTING_PASS_THROUGH},
        {"mode", &setting_policy_mode, offsetof(struct policy, mode), SETTING_PASS_THROUGH,
         .description = "the global mode: every rule without its own, and command_line"},
        {"runtime", &setting_section, 0, SETTING_PASS_THROUGH, .table = policy_runtime_settings,
         .n_table = ELEMENTSOF(policy_runtime_settings)},
        {"audit", &setting_section, 0, .table = policy_audit_settings,
         .n_table = ELEMENTSOF(policy_audit_settings)},
        {"rules", &setting_rules, 0},
        {"exemptions", &setting_policy_exemptions, 0},
        {"command_line", &setting_section, 0, .table = policy_command_line_settings,
         .n_table = ELEMENTSOF(policy_command_line_settings)},
        {"messages", &setting_section, 0, .table = policy_messages_settings,
         .n_table = ELEMENTSOF(policy_messages_settings)},
};
const size_t policy_n_settings = ELEMENTSOF(policy_settings);

static int parse_scoped(const char *buf, size_t len, const char *source, enum policy_scope scope,
                        struct policy **ret, struct hr_error *err)
{
        static const struct json_limits limits = {
                .max_bytes = HR_POLICY_MAX_BYTES,
                .max_depth = 16,
                .max_members = 4096,
        };
        _cleanup_(policy_freep) struct policy *p = NULL;
        struct settings_parser sp = {
                .source = source,
                .err = err,
                .pass_through = scope == POLICY_SCOPE_RUNTIME,
        };
        struct json *doc = NULL;
        int r;

        r = json_parse(buf, len, &limits, &doc, err);
        if (r < 0)
                return error_prefix(err, "%s: ", source);
        /* Without the default tmpfs list: building it needs libmount, and the file may give
         * its own (added below when it does not). */
        p = policy_new(POLICY_SCOPE_RUNTIME);
        if (!p || (scope == POLICY_SCOPE_FULL && policy_new_rules(p) < 0)) {
                json_free(doc);
                return error_set(err, -ENOMEM, "out of memory");
        }
        free(p->source);
        p->source = strdup(source);
        if (!p->source) {
                json_free(doc);
                return error_set(err, -ENOMEM, "out of memory");
        }
        /* Only decisions are recorded: a pass-through never needs the digest. */
        if (scope == POLICY_SCOPE_FULL)
                sha256_text(buf, len, p->digest);

        /* A rule without its own "mode", and command_line without one, follow the global one. */
        for (int i = 0; i < _RULE_MAX && scope == POLICY_SCOPE_FULL; i++)
                p->rule_mode[i] = _HR_MODE_INVALID;
        if (scope == POLICY_SCOPE_FULL)
                p->command_line.mode = _HR_MODE_INVALID;
        if ((r = settings_parse(&sp, policy_settings, policy_n_settings, doc, "", p, NULL)) < 0 ||
            scope == POLICY_SCOPE_RUNTIME)
                goto out;
        /* An opt-in rule runs only when its own mode says so. */
        for (int i = 0; i < _RULE_MAX; i++)
                if (p->rule_mode[i] == _HR_MODE_INVALID)
                        p->rule_mode[i] = rule_get((enum rule_id)i)->opt_in ? HR_MODE_OFF : p->mode;
        if (p->command_line.mode == _HR_MODE_INVALID)
                p->command_line.mode = p->mode;
        if (!p->rootfs.tmpfs_set && (r = policy_add_default_tmpfs(p, err)) < 0)
                goto out;
        r = 0;
out:
        json_free(doc);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(p);
        return 0;
}

int policy_parse(const char *buf, size_t len, const char *source, struct policy **ret,
                 struct hr_error *err)
{
        return parse_scoped(buf, len, source, POLICY_SCOPE_FULL, ret, err);
}

static int load_scoped(const char *path, enum policy_scope scope, struct policy **ret,
                       char **ret_buf, size_t *ret_len, struct hr_error *err)
{
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        struct policy *p;
        size_t len;
        int r;

        fd = fileio_open_regular(AT_FDCWD, path, false, NULL, err);
        if (fd == -ENOENT) {
                /* No file: a fresh install enforces the restricted default. */
                error_release(err);
                p = policy_new(scope);
                if (!p)
                        return error_set(err, -ENOMEM, "out of memory");
                *ret = p;
                if (ret_buf) {
                        *ret_buf = NULL;
                        *ret_len = 0;
                }
                return 0;
        }
        if (fd < 0)
                return error_prefix(err, "%s: ", path);
        if ((r = file_check_trusted(fd, path, err)) < 0)
                return r;
        if ((r = fileio_read_all(fd, HR_POLICY_MAX_BYTES, &buf, &len, err)) < 0)
                return error_prefix(err, "%s: ", path);
        if ((r = parse_scoped(buf, len, path, scope, ret, err)) < 0)
                return r;
        if (ret_buf) {
                *ret_buf = TAKE_PTR(buf);
                *ret_len = len;
        }
        return 0;
}

int policy_load(const char *path, struct policy **ret, struct hr_error *err)
{
        return load_scoped(path, POLICY_SCOPE_FULL, ret, NULL, NULL, err);
}

int policy_load_runtime(const char *path, struct policy **ret, struct hr_error *err)
{
        return load_scoped(path, POLICY_SCOPE_RUNTIME, ret, NULL, NULL, err);
}

int policy_load_bytes(const char *path, bool full, struct policy **ret, char **ret_buf,
                      size_t *ret_len, struct hr_error *err)
{
        return load_scoped(path, full ? POLICY_SCOPE_FULL : POLICY_SCOPE_RUNTIME, ret, ret_buf,
                           ret_len, err);
}

int policy_parse_runtime(const char *buf, size_t len, const char *source, struct policy **ret,
                         struct hr_error *err)
{
        return parse_scoped(buf, len, source, POLICY_SCOPE_RUNTIME, ret, err);
}

/* ---- the policy as a document (hardrunctl policy show) ---- */

static int show_set(struct json *obj, const char *key, struct json *value)
{
        return value ? json_object_set(obj, key, value) : -ENOMEM;
}

static struct json *string_or_null(const char *s)
{
        return s ? json_new_string(s) : json_new_null();
}

static int show_seccomp(const struct policy *p, struct json *obj)
{
        int r;

        if ((r = show_set(obj, "profile", json_new_string(p->seccomp.profile))) < 0 ||
            (r = show_set(obj, "merge",
                          json_new_string(seccomp_merge_strategy_to_string(p->seccomp.merge)))) < 0)
                return r;
        return show_set(obj, "unknown_syscalls",
                        json_new_string(seccomp_unknown_names_to_string(p->seccomp.unknown)));
}

static int show_rootfs(const struct policy *p, struct json *obj)
{
        struct json *list = json_new_array();
        int r;

        if (!list)
                return -ENOMEM;
        for (size_t i = 0; i < p->rootfs.n_tmpfs; i++) {
                const struct policy_tmpfs *t = &p->rootfs.tmpfs[i];
                struct json *item = json_new_object();
                size_t len = 0, o = 0;
                char *opts;

                for (size_t k = 0; t->options[k]; k++)
                        len += strlen(t->options[k]) + 1;
                opts = calloc(1, len + 1);
                /* Joined again: the parser splits the string into the same list. */
                for (size_t k = 0; opts && t->options[k]; k++)
                        o += (size_t)sprintf(opts + o, "%s%s", k ? "," : "", t->options[k]);
                r = !item || !opts ? -ENOMEM : 0;
                if (r == 0 && (r = show_set(item, "path", json_new_string(t->path))) == 0)
                        r = show_set(item, "options", json_new_string(opts));
                free(opts);
                if (r == 0)
                        r = json_array_append(list, item);
                else
                        json_free(item);
                if (r < 0) {
                        json_free(list);
                        return r;
                }
        }
        return json_object_set(obj, "tmpfs", list);
}

static int show_path_list(struct json *obj, const char *key, const char *const *list)
{
        struct json *array = json_new_array();
        int r;

        if (!array)
                return -ENOMEM;
        for (size_t i = 0; list[i]; i++)
                if ((r = json_array_append(array, json_new_string(list[i]))) < 0) {
                        json_free(array);
                        return r;
                }
        return json_object_set(obj, key, array);
}

static int show_mounts(const struct policy *p, struct json *obj)
{
        int r;

        if ((r = show_path_list(obj, "deny", policy_mounts_deny(p))) < 0 ||
            (r = show_path_list(obj, "allow", policy_mounts_allow(p))) < 0 ||
            (r = show_path_list(obj, "rootfs", policy_mounts_rootfs(p))) < 0 ||
            (r = show_set(obj, "special_files", json_new_bool(p->mounts.special_files))) < 0)
                return r;
        return show_set(obj, "racy_sources", json_new_bool(p->mounts.racy_sources));
}

static int show_mount_types(const struct policy *p, struct json *obj)
{
        return show_path_list(obj, "allow", (const char *const *)p->mount_types.allow);
}

static int show_annotations(const struct policy *p, struct json *obj)
{
        return show_path_list(obj, "allow", (const char *const *)p->annotations.allow);
}

static int show_groups(const struct policy *p, struct json *obj)
{
        int r = show_path_list(obj, "deny", policy_groups_deny(p));

        return r < 0 ? r : show_set(obj, "engine_sockets", json_new_bool(p->groups.engine_sockets));
}

static int show_cgroups_path(const struct policy *p, struct json *obj)
{
        return show_path_list(obj, "parents", policy_cgroups_parents(p));
}

static int show_strv(struct json *obj, const char *key, char *const *list)
{
        return show_path_list(obj, key, (const char *const *)list);
}

static int show_user_namespace(const struct policy *p, struct json *obj)
{
        int r;

        if ((r = show_set(obj, "host_uid", json_new_uint(p->userns.host_uid))) < 0 ||
            (r = show_set(obj, "host_gid", json_new_uint(p->userns.host_gid))) < 0 ||
            (r = show_set(obj, "size", json_new_uint(p->userns.size))) < 0 ||
            (r = show_set(obj, "allocation",
                          json_new_string(p->userns.per_container ? "per_container" : "shared"))) <
                    0 ||
            (r = show_set(obj, "ranges", json_new_uint(p->userns.ranges))) < 0 ||
            (r = show_set(obj, "idmap", json_new_bool(p->userns.idmap))) < 0 ||
            (r = show_path_list(obj, "idmap_sources", policy_idmap_sources(p))) < 0)
                return r;
        return show_set(obj, "subid_user", string_or_null(p->userns.subid_user));
}

static int show_mount_options(const struct policy *p, struct json *obj)
{
        int r = show_strv(obj, "bind", p->mount_options.bind);

        return r < 0 ? r
                     : show_set(obj, "propagation", json_new_string(p->mount_options.propagation));
}

static int show_masked_paths(const struct policy *p, struct json *obj)
{
        int r = show_path_list(obj, "masked", policy_masked_paths(p));

        return r < 0 ? r : show_path_list(obj, "readonly", policy_readonly_paths(p));
}

static int show_hooks(const struct policy *p, struct json *obj)
{
        struct json *list = json_new_array();
        int r;

        if (!list || (r = json_object_set(obj, "allow", list)) < 0) {
                json_free(list);
                return -ENOMEM;
        }
        for (size_t i = 0; i < p->hooks.n_allow; i++) {
                const struct policy_hook *h = &p->hooks.allow[i];
                struct json *item = json_new_object();
                if (!item || (r = json_array_append(list, item)) < 0) {
                        json_free(item);
                        return -ENOMEM;
                }
                if ((r = show_set(item, "path", json_new_string(h->path))) < 0 ||
                    (h->args && (r = show_strv(item, "args", h->args)) < 0) ||
                    (h->exe && (r = show_strv(item, "exe", h->exe)) < 0))
                        return r;
        }
        return 0;
}

static int show_sysctls(const struct policy *p, struct json *obj)
{
        return show_path_list(obj, "allow", policy_sysctls_allow(p));
}

static int show_resources(const struct policy *p, struct json *obj)
{
        int r;

        if ((r = show_set(obj, "pids_limit", json_new_int(p->resources.pids_limit))) < 0 ||
            (r = show_set(obj, "memory_limit", json_new_int(p->resources.memory_limit))) < 0)
                return r;
        return show_set(obj, "oom_score_adj_min", json_new_int(p->resources.oom_score_adj_min));
}

static int show_rlimits(const struct policy *p, struct json *obj)
{
        struct json *max = json_new_object();
        int r;

        if (!max || (r = json_object_set(obj, "max", max)) < 0) {
                json_free(max);
                return -ENOMEM;
        }
        for (int i = 0; i < HR_RLIMIT_TYPES; i++)
                if ((p->rlimits.set & (UINT32_C(1) << i)) &&
                    (r = show_set(max, rlimit_to_name(i), json_new_uint(p->rlimits.max[i]))) < 0)
                        return r;
        return 0;
}

static int show_lsm(const struct policy *p, struct json *obj)
{
        int r;

        if ((r = show_set(obj, "apparmor_profile", string_or_null(p->lsm.apparmor_profile))) < 0 ||
            (r = show_set(obj, "selinux_label", string_or_null(p->lsm.selinux_label))) < 0)
                return r;
        return show_path_list(obj, "selinux_types", policy_selinux_types(p));
}

static int show_env_secrets(const struct policy *p, struct json *obj)
{
        return show_strv(obj, "allow_names", p->env_secrets.allow_names);
}

static int show_image(const struct policy *p, struct json *obj)
{
        int r = show_strv(obj, "allow", p->image.allow);

        return r < 0 ? r : show_set(obj, "require_name", json_new_bool(p->image.require_name));
}

/* The fields of a rule whose settings are still read here (not through its descriptor's
 * table): 1 when shown, 0 for a rule on the settings engine. */
int policy_show_rule_fields(const struct policy *p, enum rule_id id, struct json *obj)
{
        typedef int (*rule_show)(const struct policy *, struct json *);
        /* A rule missing here is shown through its descriptor's settings table (or with its mode
         * only); tests/unit/test-policy.c compares each rule's fields with its documented ones. */
        static const rule_show shows[_RULE_MAX] = {
                [RULE_SECCOMP] = show_seccomp,
                [RULE_ROOTFS] = show_rootfs,
                [RULE_USER_NAMESPACE] = show_user_namespace,
                [RULE_MOUNTS] = show_mounts,
                [RULE_MOUNT_OPTIONS] = show_mount_options,
                [RULE_MASKED_PATHS] = show_masked_paths,
                [RULE_HOOKS] = show_hooks,
                [RULE_SYSCTLS] = show_sysctls,
                [RULE_RESOURCES] = show_resources,
                [RULE_RLIMITS] = show_rlimits,
                [RULE_LSM] = show_lsm,
                [RULE_ENV_SECRETS] = show_env_secrets,
                [RULE_IMAGE] = show_image,
                [RULE_ANNOTATIONS] = show_annotations,
                [RULE_MOUNT_TYPES] = show_mount_types,
                [RULE_GROUPS] = show_groups,
                [RULE_CGROUPS_PATH] = show_cgroups_path,
        };
        int r;

        if (!shows[id])
                return 0;
        r = shows[id](p, obj);
        return r < 0 ? r : 1;
}
