/* The process an inline `exec` (no --process) will run, built as runc 1.1 (exec.go getProcess)
 * and crun 1.8 (src/exec.c, libcrun container_exec) build it. */
#include "execproc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bounds.h"
#include "fileio.h"
#include "json.h"
#include "rules/rlimits.h"
#include "util/cleanup.h"

/* The state directory the runtime uses: --root, else its default (the XDG one when not root). */
static int state_dir(const struct cli_args *a, const char *id, char *buf, size_t size,
                     struct hr_error *err)
{
        const char *name = a->dialect == CLI_DIALECT_CRUN ? "crun" : "runc";
        const char *xdg = getenv("XDG_RUNTIME_DIR");
        int n;

        /* runc refuses such ids and crun 1.8 resolves them against its state directory: what
         * would be judged is not surely what the runtime reads. */
        if (!id || !*id || strchr(id, '/') || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
                return error_set(err, -EINVAL, "exec: container id '%s' is not a plain name",
                                 id ? id : "");
        if (a->root && *a->root)
                n = snprintf(buf, size, "%s/%s", a->root, id);
        else if (geteuid() != 0 && xdg && *xdg)
                n = snprintf(buf, size, "%s/%s/%s", xdg, name, id);
        else
                n = snprintf(buf, size, "/run/%s/%s", name, id);
        if (n < 0 || (size_t)n >= size)
                return error_set(err, -ENAMETOOLONG, "exec: state path too long");
        return 0;
}

/* A JSON file opened as the runtime opens it: by path, symlinks followed. */
static int read_json(const char *path, struct json **ret, struct hr_error *err)
{
        const struct json_limits *limits = harden_spec_limits(SPEC_CONFIG);
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t len;
        int r;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0 || fstat(fd, &st) < 0)
                return error_set(err, -errno, "%s: %s", path, strerror(errno));
        if (!S_ISREG(st.st_mode))
                return error_set(err, -EINVAL, "%s: not a regular file", path);
        if ((r = fileio_read_all(fd, limits->max_bytes, &buf, &len, err)) < 0 ||
            (r = json_parse(buf, len, limits, ret, err)) < 0)
                return error_prefix(err, "%s: ", path);
        if (harden_nul_key(*ret))
                return error_set(err, -EINVAL, "%s: a key contains a NUL byte, refusing", path);
        return 0;
}

/* obj[key] as runc's Go decoder finds it: a key equal only case-folded is refused. */
static int get_member(const struct json *obj, const char *file, const char *key, struct json **ret,
                      struct hr_error *err)
{
        int r;

        *ret = NULL;
        if (!obj || obj->type != JSON_OBJECT)
                return 0;
        r = json_object_field(obj, key, ret);
        if (r == -EILSEQ)
                return error_set(err, -EINVAL,
                                 "%s: a key spelt like '%s' in another case, refusing", file, key);
        return r < 0 ? 0 : r;
}

static int set(struct json *obj, const char *key, struct json *value, struct hr_error *err)
{
        if (!value || json_object_set(obj, key, value) < 0)
                return error_set(err, -ENOMEM, "out of memory");
        return 0;
}

static int append_strings(struct json *obj, const char *key, const char *const *v, size_t n,
                          struct hr_error *err)
{
        struct json *list = json_object_get(obj, key);
        int r;

        if (!list || list->type != JSON_ARRAY) {
                if ((r = set(obj, key, json_new_array(), err)) < 0)
                        return r;
                list = json_object_get(obj, key);
        }
        for (size_t i = 0; i < n; i++)
                if (json_array_append(list, json_new_string(v[i])) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
        return 0;
}

/* The capability sets an exec flag list adds (runc) or is (crun). */
static int add_caps(struct json *process, const struct cli_exec_flags *f, bool replace,
                    struct hr_error *err)
{
        static const char *const sets[] = {"bounding", "effective", "permitted", "ambient"};
        struct json *caps = json_object_get(process, "capabilities");
        int r;

        if (replace || !caps || caps->type != JSON_OBJECT) {
                if ((r = set(process, "capabilities", json_new_object(), err)) < 0)
                        return r;
                caps = json_object_get(process, "capabilities");
        }
        for (size_t i = 0; i < ELEMENTSOF(sets); i++)
                if ((r = append_strings(caps, sets[i], f->caps, f->n_caps, err)) < 0)
                        return r;
        return 0;
}

/* "UID[:GID]" as numbers; anything else is execflags.c's to refuse. */
static void parse_user(const char *user, long long *uid, long long *gid)
{
        char *end;

        *uid = strtoll(user, &end, 10);
        if (*end == ':')
                *gid = strtoll(end + 1, NULL, 10);
}

static int set_user(struct json *process, const char *user, bool crun, struct hr_error *err)
{
        struct json *u = json_object_get(process, "user");
        long long uid = 0, gid = 0;
        int r;

        if (!user && !crun)
                return 0;
        if (crun || !u || u->type != JSON_OBJECT) {
                if ((r = set(process, "user", json_new_object(), err)) < 0)
                        return r;
                u = json_object_get(process, "user");
        } else {
                /* runc keeps the container's gid when "UID" has no ":GID" */
                struct json *g = json_object_get(u, "gid");
                unsigned long long v;
                if (g && json_get_uint(g, UINT32_MAX, &v) == 0)
                        gid = (long long)v;
        }
        if (user)
                parse_user(user, &uid, &gid);
        if ((r = set(u, "uid", json_new_int(uid), err)) < 0)
                return r;
        return set(u, "gid", json_new_int(gid), err);
}

/* crun sets no rlimits on an exec: the process keeps the runtime's, which are ours. */
static int own_rlimits(const struct policy *p, struct json *process, struct hr_error *err)
{
        const struct rlimits_settings *own = p->rule_settings[RULE_RLIMITS];
        struct json *list = json_new_array();
        int r;

        if ((r = set(process, "rlimits", list, err)) < 0)
                return r;
        for (int type = 0; type < HR_RLIMIT_TYPES; type++) {
                struct rlimit rl;
                struct json *e;
                if (!(own->max.set & (UINT32_C(1) << type)) || getrlimit(type, &rl) < 0 ||
                    !rlimit_to_name(type))
                        continue;
                e = json_new_object();
                if (!e || json_array_append(list, e) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
                if ((r = set(e, "type", json_new_string(rlimit_to_name(type)), err)) < 0 ||
                    (r = set(e, "hard", json_new_uint(rl.rlim_max), err)) < 0 ||
                    (r = set(e, "soft", json_new_uint(rl.rlim_cur), err)) < 0)
                        return r;
        }
        return 0;
}

static bool flag_given(const struct cli_args *a, enum cli_flag flag, const char **ret_value)
{
        for (size_t i = a->n_seen; i-- > 0;)
                if (a->seen[i].flag == flag) {
                        *ret_value = a->seen[i].value;
                        return true;
                }
        return false;
}

static bool is_go_false(const char *v)
{
        return v && (strcmp(v, "0") == 0 || strcmp(v, "f") == 0 || strcmp(v, "F") == 0 ||
                     strcmp(v, "false") == 0 || strcmp(v, "FALSE") == 0 || strcmp(v, "False") == 0);
}

/* runc: the bundle's config.json now, then the flags (exec.go getProcess). */
static int build_runc(const char *dir, struct json **ret, char **ret_file, struct hr_error *err)
{
        _cleanup_(json_freep) struct json *state = NULL;
        _cleanup_(json_freep) struct json *spec = NULL;
        struct json *config, *labels, *process;
        const char *bundle = NULL;
        char path[PATH_MAX];
        int r;

        snprintf(path, sizeof(path), "%s/state.json", dir);
        if ((r = read_json(path, &state, err)) < 0)
                return error_prefix(err, "exec: cannot tell what runc would run: ");
        config = json_object_get(state, "config");
        labels = config ? json_object_get(config, "labels") : NULL;
        /* utils.SearchLabels: the first "bundle=" label */
        for (size_t i = 0; labels && labels->type == JSON_ARRAY && i < labels->array.n && !bundle;
             i++) {
                const struct json *l = labels->array.items[i];
                if (json_is_clean_string(l) && strncmp(l->scalar.text, "bundle=", 7) == 0)
                        bundle = l->scalar.text + 7;
        }
        if (!bundle)
                return error_set(err, -EINVAL,
                                 "exec: %s names no bundle: cannot tell what runc "
                                 "would run",
                                 path);
        if (snprintf(path, sizeof(path), "%s/config.json", bundle) >= (int)sizeof(path))
                return error_set(err, -ENAMETOOLONG, "exec: bundle path too long");
        if ((r = read_json(path, &spec, err)) < 0)
                return r;
        if ((r = get_member(spec, path, "process", &process, err)) < 0)
                return r;
        if (!process || process->type != JSON_OBJECT)
                return error_set(err, -EINVAL, "%s: no process object", path);
        *ret = json_clone(process);
        *ret_file = strdup(path);
        if (!*ret || !*ret_file)
                return error_set(err, -ENOMEM, "out of memory");
        return 0;
}

/* crun: its defaults, the flags, and the container's own config (its state copy) for what the
 * flags leave out (libcrun_container_exec_with_options, exec_process_entrypoint). */
static int build_crun(const struct policy *p, const struct cli_args *a, const char *dir,
                      struct json **ret, char **ret_file, struct hr_error *err)
{
        _cleanup_(json_freep) struct json *spec = NULL;
        _cleanup_(json_freep) struct json *process = json_new_object();
        struct json *own;
        char path[PATH_MAX];
        int r;

        snprintf(path, sizeof(path), "%s/config.json", dir);
        if ((r = read_json(path, &spec, err)) < 0)
                return error_prefix(err, "exec: cannot tell what crun would run: ");
        own = json_object_get(spec, "process");
        if (!process)
                return error_set(err, -ENOMEM, "out of memory");
        if ((r = set(process, "noNewPrivileges", json_new_bool(false), err)) < 0 ||
            (r = set_user(process, a->exec.user, true, err)) < 0 ||
            (r = own_rlimits(p, process, err)) < 0)
                return r;
        if (a->exec.n_caps == 0 && own && json_object_get(own, "capabilities") &&
            (r = set(process, "capabilities", json_clone(json_object_get(own, "capabilities")),
                     err)) < 0)
                return r;
        if (!a->exec.apparmor && own && json_object_get(own, "apparmorProfile") &&
            (r = set(process, "apparmorProfile",
                     json_clone(json_object_get(own, "apparmorProfile")), err)) < 0)
                return r;
        if (!a->exec.process_label && own && json_object_get(own, "selinuxLabel") &&
            (r = set(process, "selinuxLabel", json_clone(json_object_get(own, "selinuxLabel")),
                     err)) < 0)
                return r;
        if (!cli_last_value(a, CLI_FLAG_ENV) && own && json_object_get(own, "env") &&
            (r = set(process, "env", json_clone(json_object_get(own, "env")), err)) < 0)
                return r;
        *ret = TAKE_PTR(process);
        *ret_file = strdup(path);
        if (!*ret_file)
                return error_set(err, -ENOMEM, "out of memory");
        return 0;
}

/* The flags both runtimes apply on top (crun: the caps list replaces, runc's adds). */
static int apply_flags(const struct cli_args *a, int argc, char *const *argv, struct json *process,
                       struct hr_error *err)
{
        bool crun = a->dialect == CLI_DIALECT_CRUN;
        const char *v;
        int r;

        if (a->id_index > 0 && argc > a->id_index + 1 &&
            (r = set(process, "args", json_new_array(), err)) == 0)
                r = append_strings(process, "args", (const char *const *)argv + a->id_index + 1,
                                   (size_t)(argc - a->id_index - 1), err);
        else
                r = 0;
        if (r < 0)
                return r;
        if ((v = cli_last_value(a, CLI_FLAG_CWD)) && *v &&
            (r = set(process, "cwd", json_new_string(v), err)) < 0)
                return r;
        if (a->exec.apparmor && (*a->exec.apparmor || crun) &&
            (r = set(process, "apparmorProfile", json_new_string(a->exec.apparmor), err)) < 0)
                return r;
        if (a->exec.process_label && (*a->exec.process_label || crun) &&
            (r = set(process, "selinuxLabel", json_new_string(a->exec.process_label), err)) < 0)
                return r;
        if (a->exec.n_caps > 0 && (r = add_caps(process, &a->exec, crun, err)) < 0)
                return r;
        if (crun && a->exec.n_caps > 0 &&
            (r = json_object_remove(json_object_get(process, "capabilities"), "inheritable")) < 0)
                return error_set(err, r, "out of memory");
        for (size_t i = 0; i < a->n_seen; i++)
                if (a->seen[i].flag == CLI_FLAG_ENV && a->seen[i].value &&
                    (r = append_strings(process, "env", &a->seen[i].value, 1, err)) < 0)
                        return r;
        if (flag_given(a, CLI_FLAG_NO_NEW_PRIVS, &v) &&
            (r = set(process, "noNewPrivileges", json_new_bool(!is_go_false(v)), err)) < 0)
                return r;
        if (!crun && (r = set_user(process, a->exec.user, false, err)) < 0)
                return r;
        if (!crun && a->exec.n_gids > 0) {
                struct json *u = json_object_get(process, "user");
                struct json *gids;
                if (!u && ((r = set(process, "user", json_new_object(), err)) < 0 ||
                           !(u = json_object_get(process, "user"))))
                        return r < 0 ? r : error_set(err, -ENOMEM, "out of memory");
                gids = json_object_get(u, "additionalGids");
                if ((!gids || gids->type != JSON_ARRAY) &&
                    ((r = set(u, "additionalGids", json_new_array(), err)) < 0 ||
                     !(gids = json_object_get(u, "additionalGids"))))
                        return r < 0 ? r : error_set(err, -ENOMEM, "out of memory");
                for (size_t i = 0; i < a->exec.n_gids; i++)
                        if (json_array_append(gids,
                                              json_new_int(strtoll(a->exec.gids[i], NULL, 10))) < 0)
                                return error_set(err, -ENOMEM, "out of memory");
        }
        return 0;
}

int execproc_check(struct policy *p, const struct cli_args *a, bool remapped, int argc,
                   char *const *argv, struct harden_result *result, char **ret_file,
                   struct hr_error *err)
{
        _cleanup_(json_freep) struct json *process = NULL;
        char dir[PATH_MAX];
        int r;

        *ret_file = NULL;
        if ((r = state_dir(a, a->container_id, dir, sizeof(dir), err)) < 0)
                return r;
        r = a->dialect == CLI_DIALECT_CRUN ? build_crun(p, a, dir, &process, ret_file, err)
                                           : build_runc(dir, &process, ret_file, err);
        if (r < 0 || (r = apply_flags(a, argc, argv, process, err)) < 0)
                return r;
        r = remapped ? harden_exec_remapped(p, *ret_file, a->container_id, process, result, err)
                     : harden_container(p, SPEC_PROCESS, *ret_file, a->container_id, NULL, process,
                                        result, err);
        if (r < 0)
                return r;
        /* Nothing can be rewritten: what enforce would change is refused, and audit predicts
         * that refusal. */
        for (size_t i = 0; i < result->findings.n; i++) {
                struct finding *f = &result->findings.items[i];
                if (f->action == FINDING_CHANGED) {
                        f->action = FINDING_DENIED;
                        result->denied = true;
                } else if (f->action == FINDING_WOULD_CHANGE) {
                        f->action = FINDING_WOULD_DENY;
                }
        }
        result->changed = false;
        return 0;
}
