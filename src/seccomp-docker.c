/* Resolving Docker's seccomp profile format (moby profiles/seccomp setupSeccomp, which
 * containers-common follows) for one architecture, capability set and kernel. */
#include "seccomp-docker.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

#include <seccomp.h>

#include "capability.h"
#include "policy.h"
#include "util/cleanup.h"

/* The engine's native names for the architectures (Go's GOARCH through moby's goToNative),
 * with the spellings --arch also takes. */
static const struct arch_name {
        const char *scmp, *native, *alias;
        uint32_t token;
} arch_names[] = {
        {"SCMP_ARCH_X86_64", "amd64", "x86_64", SCMP_ARCH_X86_64},
        {"SCMP_ARCH_X86", "x86", "i386", SCMP_ARCH_X86},
        {"SCMP_ARCH_AARCH64", "arm64", "aarch64", SCMP_ARCH_AARCH64},
        {"SCMP_ARCH_ARM", "arm", "armhf", SCMP_ARCH_ARM},
        {"SCMP_ARCH_PPC64LE", "ppc64le", "ppc64el", SCMP_ARCH_PPC64LE},
        {"SCMP_ARCH_S390X", "s390x", "s390x", SCMP_ARCH_S390X},
        {"SCMP_ARCH_RISCV64", "riscv64", "riscv64", SCMP_ARCH_RISCV64},
        {"SCMP_ARCH_MIPSEL64", "mipsel64", "mips64el", SCMP_ARCH_MIPSEL64},
};

/* Docker's default capabilities (moby oci/caps/defaults.go). */
static const char *const docker_caps[] = {
        "CHOWN",   "DAC_OVERRIDE", "FSETID",           "FOWNER",
        "MKNOD",   "NET_RAW",      "SETGID",           "SETUID",
        "SETFCAP", "SETPCAP",      "NET_BIND_SERVICE", "SYS_CHROOT",
        "KILL",    "AUDIT_WRITE",
};

static uint64_t default_caps(void)
{
        uint64_t set = 0;

        for (size_t i = 0; i < ELEMENTSOF(docker_caps); i++) {
                unsigned cap;
                if (capability_from_name(docker_caps[i], &cap) == 0)
                        set |= UINT64_C(1) << cap;
        }
        return set;
}

bool seccomp_docker_is_profile(const struct json *profile)
{
        static const char *const rule_keys[] = {"name", "comment", "includes", "excludes", "errno"};
        const struct json *syscalls;

        if (!profile || profile->type != JSON_OBJECT)
                return false;
        if (json_object_get(profile, "archMap") || json_object_get(profile, "defaultErrno"))
                return true;
        syscalls = json_object_get(profile, "syscalls");
        if (!syscalls || syscalls->type != JSON_ARRAY)
                return false;
        for (size_t i = 0; i < syscalls->array.n; i++)
                for (size_t k = 0; k < ELEMENTSOF(rule_keys); k++)
                        if (json_object_get(syscalls->array.items[i], rule_keys[k]))
                                return true;
        return false;
}

int seccomp_docker_target_arch(struct seccomp_docker_target *t, const char *arch,
                               struct hr_error *err)
{
        for (size_t i = 0; i < ELEMENTSOF(arch_names); i++) {
                const struct arch_name *a = &arch_names[i];
                if (strcasecmp(arch, a->scmp) == 0 || strcmp(arch, a->native) == 0 ||
                    strcmp(arch, a->alias) == 0) {
                        t->arch = a->scmp;
                        t->native = a->native;
                        return 0;
                }
        }
        return error_set(err, -EINVAL,
                         "--arch: unknown architecture '%s' (amd64, x86, arm64, "
                         "arm, ppc64le, s390x, riscv64, mipsel64)",
                         arch);
}

int seccomp_docker_target_caps(struct seccomp_docker_target *t, const char *list,
                               struct hr_error *err)
{
        _cleanup_free_ char *copy = strdup(list);
        char *save = NULL;
        uint64_t set = 0;

        if (!copy)
                return error_set(err, -ENOMEM, "out of memory");
        t->caps_default = false;
        for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
                unsigned cap;
                if (strcmp(w, "default") == 0) {
                        set |= default_caps();
                } else if (strcmp(w, "all") == 0) {
                        set = ~UINT64_C(0);
                } else if (strcmp(w, "none") == 0) {
                        continue;
                } else if (capability_from_name(w, &cap) == 0) {
                        set |= UINT64_C(1) << cap;
                } else {
                        return error_set(err, -EINVAL, "--caps: unknown capability '%s'", w);
                }
        }
        t->caps = set;
        t->caps_default = set == default_caps();
        return 0;
}

int seccomp_docker_target_kernel(struct seccomp_docker_target *t, const char *release,
                                 struct hr_error *err)
{
        unsigned k, m;
        int n = 0;

        if (release[0] < '0' || release[0] > '9' || sscanf(release, "%u.%u%n", &k, &m, &n) != 2 ||
            n == 0)
                return error_set(err, -EINVAL, "--kernel: '%s' is not MAJOR.MINOR", release);
        t->kernel = k;
        t->major = m;
        return 0;
}

int seccomp_docker_target_host(struct seccomp_docker_target *ret, struct hr_error *err)
{
        uint32_t native = seccomp_arch_native();
        struct utsname u;
        int r;

        *ret = (struct seccomp_docker_target){.caps = default_caps(), .caps_default = true};
        if (uname(&u) < 0)
                return error_set(err, -errno, "uname: %m");
        if ((r = seccomp_docker_target_kernel(ret, u.release, err)) < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(arch_names); i++)
                if (arch_names[i].token == native) {
                        ret->arch = arch_names[i].scmp;
                        ret->native = arch_names[i].native;
                        return 0;
                }
        return error_set(err, -ENOTSUP,
                         "this host's architecture has no name in Docker's "
                         "profile format: name one with --arch");
}

void seccomp_docker_describe(const struct seccomp_docker_target *t, char *buf, size_t size)
{
        size_t o;

        o = (size_t)snprintf(buf, size, "%s (%s), kernel %u.%u, capabilities: ", t->native, t->arch,
                             t->kernel, t->major);
        if (t->caps_default) {
                snprintf(buf + o, size - o, "Docker's 14 defaults");
                return;
        }
        if (t->caps == 0 && o < size)
                snprintf(buf + o, size - o, "none");
        for (unsigned cap = 0; cap < 64 && o < size; cap++) {
                char name[64];
                if (!(t->caps & (UINT64_C(1) << cap)) ||
                    !capability_to_name(cap, name, sizeof(name)))
                        continue;
                o += (size_t)snprintf(buf + o, size - o, "%s%s", buf[o - 1] == ' ' ? "" : ",",
                                      name);
        }
}

static bool has_string(const struct json *list, const char *s)
{
        if (!list || list->type != JSON_ARRAY)
                return false;
        for (size_t i = 0; i < list->array.n; i++) {
                const struct json *v = list->array.items[i];
                if (v->type == JSON_STRING && strcmp(v->scalar.text, s) == 0)
                        return true;
        }
        return false;
}

/* The engine compares names exactly with the bounding set's "CAP_CHOWN" strings. */
static bool has_cap(const struct seccomp_docker_target *t, const struct json *name)
{
        unsigned cap;

        if (name->type != JSON_STRING || strncmp(name->scalar.text, "CAP_", 4) != 0)
                return false;
        for (const char *p = name->scalar.text; *p; p++)
                if (*p >= 'a' && *p <= 'z')
                        return false;
        return capability_from_name(name->scalar.text, &cap) == 0 &&
               (t->caps & (UINT64_C(1) << cap));
}

static bool is_array(const struct json *v)
{
        return v && v->type == JSON_ARRAY && v->array.n > 0;
}

/* Whether the running kernel (the target's) is at least "K.M". */
static int kernel_at_least(const struct seccomp_docker_target *t, const struct json *v,
                           const char *path, struct hr_error *err)
{
        struct seccomp_docker_target want = {0};

        if (v->type != JSON_STRING || seccomp_docker_target_kernel(&want, v->scalar.text, err) < 0)
                return error_set(err, -EINVAL, "'%s': expected a kernel version \"MAJOR.MINOR\"",
                                 path);
        return t->kernel > want.kernel || (t->kernel == want.kernel && t->major >= want.major);
}

/* 1 when the rule applies to the target, 0 when not, negative on a malformed filter. */
static int rule_applies(const struct json *rule, const struct seccomp_docker_target *t, size_t at,
                        struct hr_error *err)
{
        const struct json *ex = json_object_get(rule, "excludes");
        const struct json *in = json_object_get(rule, "includes");
        char path[96];
        int r;

        if (ex && !json_is_null(ex)) {
                const struct json *caps = json_object_get(ex, "caps"), *k;
                if (ex->type != JSON_OBJECT)
                        return error_set(err, -EINVAL,
                                         "'/syscalls/%zu/excludes': expected an "
                                         "object",
                                         at);
                if (has_string(json_object_get(ex, "arches"), t->native))
                        return 0;
                for (size_t i = 0; is_array(caps) && i < caps->array.n; i++)
                        if (has_cap(t, caps->array.items[i]))
                                return 0;
                snprintf(path, sizeof(path), "/syscalls/%zu/excludes/minKernel", at);
                if ((k = json_object_get(ex, "minKernel")) && !json_is_null(k) &&
                    (r = kernel_at_least(t, k, path, err)) != 0)
                        return r < 0 ? r : 0;
        }
        if (in && !json_is_null(in)) {
                const struct json *arches = json_object_get(in, "arches");
                const struct json *caps = json_object_get(in, "caps"), *k;
                if (in->type != JSON_OBJECT)
                        return error_set(err, -EINVAL,
                                         "'/syscalls/%zu/includes': expected an "
                                         "object",
                                         at);
                if (is_array(arches) && !has_string(arches, t->native))
                        return 0;
                for (size_t i = 0; is_array(caps) && i < caps->array.n; i++)
                        if (!has_cap(t, caps->array.items[i]))
                                return 0;
                snprintf(path, sizeof(path), "/syscalls/%zu/includes/minKernel", at);
                if ((k = json_object_get(in, "minKernel")) && !json_is_null(k) &&
                    (r = kernel_at_least(t, k, path, err)) <= 0)
                        return r;
        }
        return 1;
}

/* containers-common names errno values ("errno": "EPERM", "defaultErrno": "ENOSYS") beside or
 * instead of the numbers: the number the name stands for, or -1. */
static long errno_from_name(const char *name)
{
        for (int e = 1; e < 4096; e++) {
                const char *n = strerrorname_np(e);
                if (n && strcmp(n, name) == 0)
                        return e;
        }
        return -1;
}

/* Folds a named errno (key name_key) into the numeric one (num_key) of obj's copy out: the
 * name alone gives the number; with both, they must agree. */
static int fold_errno(const struct json *obj, const char *name_key, const char *num_key,
                      const char *path, struct json *out, struct hr_error *err)
{
        const struct json *name = json_object_get(obj, name_key);
        const struct json *num = json_object_get(obj, num_key);
        unsigned long long have;
        long e;

        if (!name || json_is_null(name))
                return 0;
        if (name->type != JSON_STRING || (e = errno_from_name(name->scalar.text)) < 0)
                return error_set(err, -EINVAL, "'%s/%s': not an errno name", path, name_key);
        if (num && !json_is_null(num)) {
                if (json_get_uint(num, 4095, &have) < 0 || have != (unsigned long long)e)
                        return error_set(err, -EINVAL, "'%s/%s' (%s = %ld) and '%s/%s' disagree",
                                         path, name_key, name->scalar.text, e, path, num_key);
                return 0;
        }
        return json_object_set(out, num_key, json_new_uint((unsigned long long)e)) < 0
                       ? error_set(err, -ENOMEM, "out of memory")
                       : 0;
}

static int resolve_rule(const struct json *rule, size_t at, struct json *out, struct hr_error *err)
{
        const struct json *name = json_object_get(rule, "name");
        _cleanup_(json_freep) struct json *copy = json_new_object();
        char path[64];
        int r;

        if (!copy)
                return error_set(err, -ENOMEM, "out of memory");
        if (name && !json_is_null(name) && json_object_get(rule, "names"))
                return error_set(err, -EINVAL,
                                 "'/syscalls/%zu': both 'name' and 'names' (the "
                                 "engine refuses that)",
                                 at);
        for (size_t i = 0; i < rule->object.n; i++) {
                const struct json_member *m = &rule->object.members[i];
                struct json *v;
                if (strcmp(m->key, "comment") == 0 || strcmp(m->key, "includes") == 0 ||
                    strcmp(m->key, "excludes") == 0 || strcmp(m->key, "errno") == 0)
                        continue;
                if (strcmp(m->key, "name") == 0) {
                        if (json_is_null(m->value))
                                continue;
                        v = json_new_array();
                        if (v && json_array_append(v, json_clone(m->value)) < 0)
                                v = json_free(v);
                        if (json_object_set(copy, "names", v) < 0)
                                return error_set(err, -ENOMEM, "out of memory");
                        continue;
                }
                if (json_object_set(copy, m->key, json_clone(m->value)) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
        }
        snprintf(path, sizeof(path), "/syscalls/%zu", at);
        if ((r = fold_errno(rule, "errno", "errnoRet", path, copy, err)) < 0)
                return r;
        return json_array_append(out, TAKE_PTR(copy)) < 0 ? error_set(err, -ENOMEM, "out of memory")
                                                          : 0;
}

/* architectures: archMap's entry for the target, then its subArchitectures. */
static int resolve_arches(const struct json *map, const struct seccomp_docker_target *t,
                          struct json *doc, struct hr_error *err)
{
        struct json *arches;

        if (map->type != JSON_ARRAY)
                return error_set(err, -EINVAL, "'/archMap': expected an array");
        for (size_t i = 0; i < map->array.n; i++) {
                const struct json *e = map->array.items[i], *a, *subs;
                if (e->type != JSON_OBJECT)
                        return error_set(err, -EINVAL, "'/archMap/%zu': expected an object", i);
                a = json_object_get(e, "architecture");
                if (!a || a->type != JSON_STRING || strcmp(a->scalar.text, t->arch) != 0)
                        continue;
                if (!(arches = json_new_array()) || json_array_append(arches, json_clone(a)) < 0) {
                        json_free(arches);
                        return error_set(err, -ENOMEM, "out of memory");
                }
                if (json_object_set(doc, "architectures", arches) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
                subs = json_object_get(e, "subArchitectures");
                for (size_t k = 0; subs && subs->type == JSON_ARRAY && k < subs->array.n; k++)
                        if (json_array_append(arches, json_clone(subs->array.items[k])) < 0)
                                return error_set(err, -ENOMEM, "out of memory");
                break;
        }
        return 0;
}

int seccomp_docker_resolve(const struct json *profile, const struct seccomp_docker_target *t,
                           struct json **ret, struct hr_error *err)
{
        _cleanup_(json_freep) struct json *doc = json_new_object();
        const struct json *map = json_object_get(profile, "archMap");
        const struct json *arches = json_object_get(profile, "architectures");
        const struct json *syscalls = json_object_get(profile, "syscalls");
        struct json *out;
        int r;

        if (!doc)
                return error_set(err, -ENOMEM, "out of memory");
        if (profile->type != JSON_OBJECT)
                return error_set(err, -EINVAL, "'/': expected an object");
        if (is_array(map) && is_array(arches))
                return error_set(err, -EINVAL,
                                 "both 'architectures' and 'archMap' (the engine "
                                 "refuses that)");
        for (size_t i = 0; i < profile->object.n; i++) {
                const struct json_member *m = &profile->object.members[i];
                if (strcmp(m->key, "archMap") == 0 || strcmp(m->key, "syscalls") == 0 ||
                    strcmp(m->key, "defaultErrno") == 0)
                        continue;
                if (json_object_set(doc, m->key, json_clone(m->value)) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
        }
        if ((r = fold_errno(profile, "defaultErrno", "defaultErrnoRet", "", doc, err)) < 0)
                return r;
        if (map && !json_is_null(map) && (r = resolve_arches(map, t, doc, err)) < 0)
                return r;
        if (syscalls && !json_is_null(syscalls)) {
                if (syscalls->type != JSON_ARRAY)
                        return error_set(err, -EINVAL, "'/syscalls': expected an array");
                if (json_object_set(doc, "syscalls", json_new_array()) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
                out = json_object_get(doc, "syscalls");
                for (size_t i = 0; i < syscalls->array.n; i++) {
                        const struct json *rule = syscalls->array.items[i];
                        if (rule->type != JSON_OBJECT)
                                return error_set(err, -EINVAL,
                                                 "'/syscalls/%zu': expected an "
                                                 "object",
                                                 i);
                        if ((r = rule_applies(rule, t, i, err)) < 0)
                                return r;
                        if (r && (r = resolve_rule(rule, i, out, err)) < 0)
                                return r;
                }
        }
        *ret = TAKE_PTR(doc);
        return 0;
}
