/* Seccomp profiles as runc 1.1 and crun 1.8 load them: strict validation, compilation with
 * libseccomp, what a profile allows on each architecture, and the merge with a container's own
 * profile. The comparison of two profiles is the admins' (ctl/seccomp-diff.c). */
#include "seccomp-profile.h"

#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <seccomp.h>

#include "bounds.h"
#include "fileio.h"
#include "trust.h"
#include "profiles.h"
#include "seccomp-model.h"
#include "util/cleanup.h"

/* The cleanup helper for libseccomp's filter type lives here, with the only code that uses it. */
static void seccomp_releasep(scmp_filter_ctx *ctx)
{
        if (*ctx)
                seccomp_release(*ctx);
}
#define _cleanup_seccomp_ _cleanup_(seccomp_releasep)

#define SYSCALL_NAME_MAX 64
#define SYSCALL_REFS_MAX 16384 /* names over all rules; Docker's profile has about 450 */
#define ERRNO_MAX 4095         /* the kernel caps SECCOMP_RET_ERRNO data at MAX_ERRNO */
#define PATH_BUF 160
#define BPF_MAXINSNS 4096 /* linux/bpf_common.h: the most a classic BPF program may have */
#define BPF_INSN_SIZE 8   /* sizeof(struct sock_filter) */

/* Linux syscalls newer than libseccomp 2.5.4's table (Linux 5.16 and later, up to libseccomp's
 * syscalls.csv of 2026). This libseccomp cannot resolve them, and runc and crun skip them too,
 * so a profile may name them (they start to count with a newer libseccomp); any other name
 * libseccomp does not know is a typo unless the policy ignores unknown names. */
static const struct {
        const char *name;
        const char *only_arch; /* NULL: every architecture */
} newer_syscalls[] = {
        {"cachestat", NULL},
        {"fchmodat2", NULL},
        {"file_getattr", NULL},
        {"file_setattr", NULL},
        {"futex_requeue", NULL},
        {"futex_wait", NULL},
        {"futex_waitv", NULL},
        {"futex_wake", NULL},
        {"getxattrat", NULL},
        {"listmount", NULL},
        {"listns", NULL},
        {"listxattrat", NULL},
        {"lsm_get_self_attr", NULL},
        {"lsm_list_modules", NULL},
        {"lsm_set_self_attr", NULL},
        {"map_shadow_stack", NULL},
        {"mseal", NULL},
        {"open_tree_attr", NULL},
        {"removexattrat", NULL},
        {"riscv_hwprobe", "SCMP_ARCH_RISCV64"},
        {"rseq_slice_yield", NULL},
        {"set_mempolicy_home_node", NULL},
        {"setxattrat", NULL},
        {"statmount", NULL},
        {"uprobe", "SCMP_ARCH_X86_64"},
        {"uretprobe", "SCMP_ARCH_X86_64"},
};

/* ---- names of the policy values ---- */

static const char *const unknown_names[_SECCOMP_UNKNOWN_MAX] = {
        [SECCOMP_UNKNOWN_ERROR] = "error",
        [SECCOMP_UNKNOWN_IGNORE] = "ignore",
};

static const char *const merge_names[_SECCOMP_MERGE_MAX] = {
        [SECCOMP_MERGE_REPLACE] = "replace",
        [SECCOMP_MERGE_KEEP_IF_STRICTER] = "keep_if_stricter",
};

static const char *const export_names[_SECCOMP_EXPORT_MAX] = {
        [SECCOMP_EXPORT_BPF] = "bpf",
        [SECCOMP_EXPORT_PFC] = "pfc",
        [SECCOMP_EXPORT_JSON] = "json",
};

static int lookup(const char *const *names, int n, const char *s)
{
        for (int i = 0; i < n; i++)
                if (s && strcmp(names[i], s) == 0)
                        return i;
        return -EINVAL;
}

const char *seccomp_unknown_names_to_string(enum seccomp_unknown_names v)
{
        return v >= 0 && v < _SECCOMP_UNKNOWN_MAX ? unknown_names[v] : "invalid";
}

enum seccomp_unknown_names seccomp_unknown_names_from_string(const char *s)
{
        return (enum seccomp_unknown_names)lookup(unknown_names, _SECCOMP_UNKNOWN_MAX, s);
}

const char *seccomp_merge_strategy_to_string(enum seccomp_merge_strategy v)
{
        return v >= 0 && v < _SECCOMP_MERGE_MAX ? merge_names[v] : "invalid";
}

enum seccomp_merge_strategy seccomp_merge_strategy_from_string(const char *s)
{
        return (enum seccomp_merge_strategy)lookup(merge_names, _SECCOMP_MERGE_MAX, s);
}

enum seccomp_export_format seccomp_export_format_from_string(const char *s)
{
        return (enum seccomp_export_format)lookup(export_names, _SECCOMP_EXPORT_MAX, s);
}

/* ---- the tables runc and crun use ---- */

static const struct {
        const char *name;
        enum scmp_compare scmp;
} ops[_OP_MAX] = {
        [OP_NE] = {"SCMP_CMP_NE", SCMP_CMP_NE},
        [OP_LT] = {"SCMP_CMP_LT", SCMP_CMP_LT},
        [OP_LE] = {"SCMP_CMP_LE", SCMP_CMP_LE},
        [OP_EQ] = {"SCMP_CMP_EQ", SCMP_CMP_EQ},
        [OP_GE] = {"SCMP_CMP_GE", SCMP_CMP_GE},
        [OP_GT] = {"SCMP_CMP_GT", SCMP_CMP_GT},
        [OP_MASKED_EQ] = {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};

struct action_def {
        const char *name;
        uint32_t base;
        bool takes_errno; /* errnoRet allowed; EPERM when absent (runc, crun) */
        bool permits;     /* the call may run: allowed, logged, or left to a tracer/listener */
};

/* runc maps SCMP_ACT_KILL to KILL_THREAD, as libseccomp does. */
static const struct action_def actions[] = {
        {"SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD, false, false},
        {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, false, false},
        {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, false, false},
        {"SCMP_ACT_TRAP", SCMP_ACT_TRAP, false, false},
        {"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0), true, false},
        {"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0), true, true},
        {"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, false, true},
        {"SCMP_ACT_LOG", SCMP_ACT_LOG, false, true},
        {"SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY, false, true},
};

enum filter_flag {
        FLAG_TSYNC = 1u << 0,
        FLAG_LOG = 1u << 1,
        FLAG_SPEC_ALLOW = 1u << 2,
};

/* The flags runc 1.1 accepts (it ignores TSYNC, as it always synchronises threads). */
static const struct {
        const char *name;
        unsigned bit;
} flag_defs[] = {
        {"SECCOMP_FILTER_FLAG_TSYNC", FLAG_TSYNC},
        {"SECCOMP_FILTER_FLAG_LOG", FLAG_LOG},
        {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", FLAG_SPEC_ALLOW},
};

/* Architectures of the runtime-spec. On the 32-bit ones (x32 included) libseccomp compares only
 * the low 32 bits of an argument. */
static const struct {
        const char *name;
        bool wide;
} arch_defs[] = {
        {"SCMP_ARCH_X86_64", true},       {"SCMP_ARCH_X86", false},
        {"SCMP_ARCH_X32", false},         {"SCMP_ARCH_AARCH64", true},
        {"SCMP_ARCH_ARM", false},         {"SCMP_ARCH_MIPS", false},
        {"SCMP_ARCH_MIPS64", true},       {"SCMP_ARCH_MIPS64N32", false},
        {"SCMP_ARCH_MIPSEL", false},      {"SCMP_ARCH_MIPSEL64", true},
        {"SCMP_ARCH_MIPSEL64N32", false}, {"SCMP_ARCH_PPC", false},
        {"SCMP_ARCH_PPC64", true},        {"SCMP_ARCH_PPC64LE", true},
        {"SCMP_ARCH_S390", false},        {"SCMP_ARCH_S390X", true},
        {"SCMP_ARCH_PARISC", false},      {"SCMP_ARCH_PARISC64", true},
        {"SCMP_ARCH_RISCV64", true},
};

static void lower_copy(const char *in, char *out, size_t size)
{
        size_t i;

        for (i = 0; in[i] && i + 1 < size; i++)
                out[i] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] - 'A' + 'a' : in[i]);
        out[i] = '\0';
}

void seccomp_model_arch_name(const struct arch *a, char *buf, size_t size)
{
        lower_copy(strncmp(a->name, "SCMP_ARCH_", 10) == 0 ? a->name + 10 : a->name, buf, size);
}

/* "SCMP_ARCH_X86_64" → libseccomp's token for "x86_64"; 0 when unknown. */
static uint32_t arch_token(const char *oci)
{
        char lower[32];

        if (strncmp(oci, "SCMP_ARCH_", 10) != 0 || strlen(oci + 10) >= sizeof(lower))
                return 0;
        lower_copy(oci + 10, lower, sizeof(lower));
        return seccomp_arch_resolve_name(lower);
}

/* ---- the profile as the runtimes read it ---- */

void seccomp_model_done(struct model *m)
{
        free(m->rules);
        free(m->refs);
        *m = (struct model){0};
}

struct check {
        const struct seccomp_source *src;
        struct lines *problems;
        bool oom;
};

static void problem(struct check *c, const char *path, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void problem(struct check *c, const char *path, const char *fmt, ...)
{
        /* Inside a policy, the profile's paths start at the policy's member that holds it. */
        const char *prefix = c->src->prefix ? c->src->prefix : "";
        char where[PATH_MAX];
        va_list ap;
        int r;

        snprintf(where, sizeof(where), "%s%s", prefix, path[0] || prefix[0] ? path : "/");
        va_start(ap, fmt);
        r = lines_vadd_at(c->problems, SECCOMP_LINES_MAX, c->src->name, where, fmt, ap);
        va_end(ap);
        if (r < 0)
                c->oom = true;
}

static size_t problem_count(const struct check *c)
{
        return c->problems->total;
}

static const struct json *field(const struct json *obj, const char *key)
{
        const struct json *v = json_object_get(obj, key);

        return json_is_null(v) ? NULL : v;
}

static bool expect(struct check *c, const struct json *v, enum json_type type, const char *path)
{
        if (v->type == type)
                return true;
        problem(c, path, "expected %s, got %s", json_type_name(type), json_type_name(v->type));
        return false;
}

/* Keys runc would ignore are a typo or another format: both mean the profile is not what its
 * author thinks. */
static void check_keys(struct check *c, const struct json *obj, const char *path,
                       const char *const *allowed)
{
        static const char *const docker_only[] = {"archMap", "comment", "includes", "excludes"};

        char sub[PATH_BUF];

        for (size_t i = 0; i < obj->object.n; i++) {
                const char *key = obj->object.members[i].key;
                bool ok = false, docker = false;

                if (strlen(key) != obj->object.members[i].key_len) {
                        problem(c, path, "a key contains a NUL byte");
                        continue;
                }
                for (const char *const *a = allowed; *a; a++)
                        ok = ok || strcmp(*a, key) == 0;
                if (ok)
                        continue;
                for (size_t d = 0; d < ELEMENTSOF(docker_only); d++)
                        docker = docker || strcmp(docker_only[d], key) == 0;
                snprintf(sub, sizeof(sub), "%s/%s", path, key);
                if (docker)
                        problem(c, sub,
                                "a key of Docker's profile format, which the engine resolves "
                                "before it writes config.json; write the runtime-spec form "
                                "('hardrunctl seccomp export --format json' resolves it)");
                else
                        problem(c, sub, "unknown key (runc would ignore it)");
        }
}

static const struct action_def *action_find(const char *name)
{
        for (size_t i = 0; i < ELEMENTSOF(actions); i++)
                if (strcmp(actions[i].name, name) == 0)
                        return &actions[i];
        return NULL;
}

/* "SCMP_ACT_ERRNO(38)" for messages. */
static const char *action_text(uint32_t action, char *buf, size_t size)
{
        uint32_t base = action & 0xffff0000u;

        if (base == SCMP_ACT_ERRNO(0))
                snprintf(buf, size, "SCMP_ACT_ERRNO(%u)", action & 0xffffu);
        else if (base == SCMP_ACT_TRACE(0))
                snprintf(buf, size, "SCMP_ACT_TRACE(%u)", action & 0xffffu);
        else
                for (size_t i = 0; i < ELEMENTSOF(actions); i++)
                        if (actions[i].base == action) {
                                snprintf(buf, size, "%s", actions[i].name);
                                break;
                        }
        return buf;
}

/* An action with its errnoRet, as runc builds it; false after a problem. */
static bool parse_action(struct check *c, const struct json *obj, const char *key,
                         const char *errno_key, const char *path, uint32_t *ret_action,
                         bool *ret_permits)
{
        char sub[PATH_BUF];
        const struct json *v = field(obj, key), *e = field(obj, errno_key);
        const struct action_def *def;
        unsigned long long n = 1; /* EPERM, runc's and crun's default */

        snprintf(sub, sizeof(sub), "%s/%s", path, key);
        if (!v) {
                problem(c, sub, "missing");
                return false;
        }
        if (!expect(c, v, JSON_STRING, sub))
                return false;
        def = json_is_clean_string(v) ? action_find(v->scalar.text) : NULL;
        if (!def) {
                problem(c, sub, "unknown action '%s'", v->scalar.text);
                return false;
        }
        if (e) {
                snprintf(sub, sizeof(sub), "%s/%s", path, errno_key);
                if (!def->takes_errno) {
                        problem(c, sub,
                                "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno, "
                                "not %s",
                                def->name);
                        return false;
                }
                if (e->type != JSON_NUMBER || json_get_uint(e, UINT32_MAX, &n) < 0) {
                        problem(c, sub, "expected an unsigned integer");
                        return false;
                }
                /* For SCMP_ACT_TRACE the value is the tracer's message, where 0 is fine. */
                if ((n == 0 && def->base == SCMP_ACT_ERRNO(0)) || n > ERRNO_MAX) {
                        problem(c, sub, "%llu is not an errno from 1 to %d%s", n, ERRNO_MAX,
                                n == 0 ? " (0 makes the call return success without running)"
                                       : " (the kernel caps it)");
                        return false;
                }
        }
        *ret_action = def->takes_errno ? def->base | (uint32_t)n : def->base;
        *ret_permits = def->permits;
        return true;
}

static bool parse_u64(struct check *c, const struct json *v, const char *path,
                      unsigned long long max, uint64_t *ret)
{
        unsigned long long n;

        if (v->type != JSON_NUMBER || json_get_uint(v, max, &n) < 0) {
                problem(c, path, "expected an unsigned integer%s",
                        max == UINT64_MAX ? "" : " of 32 bits");
                return false;
        }
        *ret = n;
        return true;
}

static void parse_arches(struct check *c, struct model *m, const struct json *v)
{
        char path[PATH_BUF];
        uint32_t native = seccomp_arch_native();
        bool have_native = false;

        if (v && expect(c, v, JSON_ARRAY, "/architectures")) {
                for (size_t i = 0; i < v->array.n; i++) {
                        const struct json *a = v->array.items[i];
                        uint32_t token;
                        size_t d;

                        snprintf(path, sizeof(path), "/architectures/%zu", i);
                        if (!expect(c, a, JSON_STRING, path))
                                continue;
                        for (d = 0; d < ELEMENTSOF(arch_defs); d++)
                                if (strcmp(arch_defs[d].name, a->scalar.text) == 0)
                                        break;
                        token = d < ELEMENTSOF(arch_defs) ? arch_token(a->scalar.text) : 0;
                        if (!token) {
                                problem(c, path, "unknown architecture '%s'%s", a->scalar.text,
                                        d < ELEMENTSOF(arch_defs) ? " (not known to this "
                                                                    "libseccomp)"
                                                                  : "");
                                continue;
                        }
                        for (size_t k = 0; k < m->n_arches; k++)
                                if (m->arches[k].token == token)
                                        token = 0;
                        if (!token) {
                                problem(c, path, "'%s' is listed twice", a->scalar.text);
                                continue;
                        }
                        if (m->n_arches == ARCHES_MAX) {
                                problem(c, path, "more than %d architectures", ARCHES_MAX);
                                break;
                        }
                        m->arches[m->n_arches++] =
                                (struct arch){token, arch_defs[d].name, arch_defs[d].wide};
                        have_native = have_native || token == native;
                }
        }
        /* runc and crun always keep the native architecture in the filter. */
        if (!have_native) {
                struct arch n = {native, "SCMP_ARCH_NATIVE", true};
                for (size_t d = 0; d < ELEMENTSOF(arch_defs); d++)
                        if (arch_token(arch_defs[d].name) == native)
                                n = (struct arch){native, arch_defs[d].name, arch_defs[d].wide};
                m->arches[m->n_arches++] = n;
        }
}

static void parse_flags(struct check *c, struct model *m, const struct json *v)
{
        char path[PATH_BUF];

        if (!v || !expect(c, v, JSON_ARRAY, "/flags"))
                return;
        for (size_t i = 0; i < v->array.n; i++) {
                const struct json *f = v->array.items[i];
                size_t d;

                snprintf(path, sizeof(path), "/flags/%zu", i);
                if (!expect(c, f, JSON_STRING, path))
                        continue;
                for (d = 0; d < ELEMENTSOF(flag_defs); d++)
                        if (strcmp(flag_defs[d].name, f->scalar.text) == 0)
                                break;
                if (d == ELEMENTSOF(flag_defs))
                        problem(c, path,
                                "unknown or unsupported flag '%s' (runc 1.1 takes "
                                "SECCOMP_FILTER_FLAG_TSYNC, _LOG, _SPEC_ALLOW)",
                                f->scalar.text);
                else
                        m->flags |= flag_defs[d].bit;
        }
}

static void parse_cond(struct check *c, struct srule *r, const struct json *a, const char *path,
                       unsigned *seen)
{
        static const char *const keys[] = {"index", "value", "valueTwo", "op", NULL};
        char sub[PATH_BUF];
        const struct json *v;
        struct cond cd = {0};
        uint64_t index;
        size_t o;

        if (!expect(c, a, JSON_OBJECT, path))
                return;
        check_keys(c, a, path, keys);
        snprintf(sub, sizeof(sub), "%s/index", path);
        if (!(v = field(a, "index"))) {
                problem(c, sub, "missing");
                return;
        }
        if (!parse_u64(c, v, sub, UINT32_MAX, &index))
                return;
        if (index >= ARGS_MAX) {
                problem(c, sub, "%" PRIu64 " is not an argument index from 0 to 5", index);
                return;
        }
        if (*seen & (1u << index)) {
                problem(c, sub,
                        "a second condition on argument %" PRIu64 " in one rule does not mean "
                        "AND: runc and crun then add every condition of the rule as a separate "
                        "rule, OR'ed; write one rule per alternative",
                        index);
                return;
        }
        *seen |= 1u << index;
        cd.index = (unsigned)index;

        snprintf(sub, sizeof(sub), "%s/op", path);
        if (!(v = field(a, "op"))) {
                problem(c, sub, "missing");
                return;
        }
        if (!expect(c, v, JSON_STRING, sub))
                return;
        for (o = 0; o < _OP_MAX; o++)
                if (strcmp(ops[o].name, v->scalar.text) == 0)
                        break;
        if (o == _OP_MAX) {
                problem(c, sub, "unknown operator '%s'", v->scalar.text);
                return;
        }
        cd.op = (enum cmp_op)o;

        snprintf(sub, sizeof(sub), "%s/value", path);
        if (!(v = field(a, "value"))) {
                problem(c, sub, "missing");
                return;
        }
        if (!parse_u64(c, v, sub, UINT64_MAX, &cd.value))
                return;
        snprintf(sub, sizeof(sub), "%s/valueTwo", path);
        if ((v = field(a, "valueTwo")) && !parse_u64(c, v, sub, UINT64_MAX, &cd.value_two))
                return;

        if (cd.op == OP_MASKED_EQ) {
                /* (arg & value) == valueTwo: value is the mask. */
                if (cd.value_two & ~cd.value) {
                        problem(c, sub,
                                "never matches: valueTwo 0x%" PRIx64 " has bits outside the "
                                "mask 0x%" PRIx64 " (SCMP_CMP_MASKED_EQ tests "
                                "(arg & value) == valueTwo)",
                                cd.value_two, cd.value);
                        return;
                }
                if (cd.value == 0) {
                        snprintf(sub, sizeof(sub), "%s/value", path);
                        problem(c, sub, "the mask 0 makes the condition true for every value");
                        return;
                }
        } else if (cd.value_two != 0) {
                problem(c, sub,
                        "valueTwo is used only by SCMP_CMP_MASKED_EQ (value is the mask, "
                        "valueTwo the result); %s ignores it",
                        ops[cd.op].name);
                return;
        }
        r->conds[r->n_conds++] = cd;
}

static void parse_rule(struct check *c, struct model *m, const struct json *obj, size_t at)
{
        static const char *const keys[] = {"names", "action", "errnoRet", "args", NULL};
        char path[PATH_BUF], sub[PATH_BUF];
        struct srule *r = &m->rules[m->n_rules];
        const struct json *names, *args;
        size_t before = problem_count(c);
        unsigned seen = 0;

        *r = (struct srule){.at = at};
        snprintf(path, sizeof(path), "/syscalls/%zu", at);
        if (!expect(c, obj, JSON_OBJECT, path))
                return;
        check_keys(c, obj, path, keys);

        snprintf(sub, sizeof(sub), "%s/names", path);
        names = field(obj, "names");
        if (!names)
                problem(c, sub, "missing");
        else if (expect(c, names, JSON_ARRAY, sub) && names->array.n == 0)
                problem(c, sub, "empty: the rule applies to no syscall");
        else if (names->type == JSON_ARRAY)
                for (size_t j = 0; j < names->array.n; j++) {
                        const struct json *n = names->array.items[j];
                        snprintf(sub, sizeof(sub), "%s/names/%zu", path, j);
                        if (!expect(c, n, JSON_STRING, sub))
                                continue;
                        if (!json_is_clean_string(n) || n->scalar.len == 0 ||
                            n->scalar.len > SYSCALL_NAME_MAX)
                                problem(c, sub, "not a syscall name");
                }
        r->names = names;

        (void)parse_action(c, obj, "action", "errnoRet", path, &r->action, &r->permits);

        args = field(obj, "args");
        snprintf(sub, sizeof(sub), "%s/args", path);
        if (args && expect(c, args, JSON_ARRAY, sub))
                for (size_t k = 0; k < args->array.n; k++) {
                        snprintf(sub, sizeof(sub), "%s/args/%zu", path, k);
                        parse_cond(c, r, args->array.items[k], sub, &seen);
                }
        if (problem_count(c) == before)
                m->n_rules++;
}

static int ref_compare(const void *a, const void *b)
{
        const struct ref *x = a, *y = b;
        int r = strcmp(x->name, y->name);

        if (r)
                return r;
        if (x->rule != y->rule)
                return x->rule < y->rule ? -1 : 1;
        return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static bool is_newer_syscall(const char *name, const char **ret_only_arch)
{
        for (size_t i = 0; i < ELEMENTSOF(newer_syscalls); i++)
                if (strcmp(newer_syscalls[i].name, name) == 0) {
                        if (ret_only_arch)
                                *ret_only_arch = newer_syscalls[i].only_arch;
                        return true;
                }
        return false;
}

/* Every name must resolve on every architecture of the filter: libseccomp gives a number, or a
 * pseudo-number where the syscall does not exist on that architecture (it is then left out). */
static void check_names(struct check *c, const struct model *m)
{
        char path[PATH_BUF];

        for (size_t i = 0; i < m->n_rules; i++) {
                const struct srule *r = &m->rules[i];
                for (size_t j = 0; j < r->names->array.n; j++) {
                        const char *name = r->names->array.items[j]->scalar.text;
                        const char *missing = NULL;
                        size_t n_missing = 0;

                        for (size_t a = 0; a < m->n_arches; a++)
                                if (seccomp_syscall_resolve_name_arch(m->arches[a].token, name) ==
                                    __NR_SCMP_ERROR) {
                                        missing = missing ? missing : m->arches[a].name;
                                        n_missing++;
                                }
                        if (!missing || is_newer_syscall(name, NULL) ||
                            c->src->unknown == SECCOMP_UNKNOWN_IGNORE)
                                continue;
                        snprintf(path, sizeof(path), "/syscalls/%zu/names/%zu", r->at, j);
                        if (n_missing == m->n_arches)
                                problem(c, path,
                                        "unknown syscall '%s' (this libseccomp knows no "
                                        "such name; runc and crun would skip it)",
                                        name);
                        else
                                problem(c, path, "syscall '%s' does not resolve on %s", name,
                                        missing);
                }
        }
}

/* The rules of one syscall name: [*ret_lo, *ret_hi) in m->refs. */
static void name_group(const struct model *m, const char *name, size_t *ret_lo, size_t *ret_hi)
{
        size_t lo = 0, hi = m->n_refs;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (strcmp(m->refs[mid].name, name) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        *ret_lo = lo;
        while (lo < m->n_refs && strcmp(m->refs[lo].name, name) == 0)
                lo++;
        *ret_hi = lo;
}

/* The first rule that gives a name an action for every argument value; libseccomp keeps it and
 * silently ignores every later or conditional rule of that name with another action. */
static const struct ref *first_unconditional(const struct model *m, size_t lo, size_t hi)
{
        for (size_t i = lo; i < hi; i++) {
                const struct srule *r = &m->rules[m->refs[i].rule];
                if (!r->is_default && r->n_conds == 0)
                        return &m->refs[i];
        }
        return NULL;
}

static void check_rules(struct check *c, struct model *m)
{
        char path[PATH_BUF], act[48];
        bool has_notify = false;

        for (size_t i = 0; i < m->n_rules; i++) {
                struct srule *r = &m->rules[i];
                has_notify = has_notify || (r->action & 0xffff0000u) == SCMP_ACT_NOTIFY;
                if (r->action != m->default_action)
                        continue;
                r->is_default = true;
                snprintf(path, sizeof(path), "/syscalls/%zu/action", r->at);
                problem(c, path,
                        "same action as defaultAction (%s): runc drops the rule and libseccomp "
                        "refuses it; give it another errnoRet or remove it",
                        action_text(r->action, act, sizeof(act)));
        }
        if (has_notify && !m->listener)
                problem(c, "/listenerPath", "missing: SCMP_ACT_NOTIFY needs a listener");

        for (size_t g = 0; g < m->n_refs;) {
                size_t lo, hi;
                const struct ref *u;

                name_group(m, m->refs[g].name, &lo, &hi);
                u = first_unconditional(m, lo, hi);
                for (size_t i = lo; u && i < hi; i++) {
                        const struct srule *r = &m->rules[m->refs[i].rule];
                        if (r->is_default || r->action == m->rules[u->rule].action)
                                continue;
                        snprintf(path, sizeof(path), "/syscalls/%zu/names/%zu", r->at,
                                 m->refs[i].pos);
                        problem(c, path,
                                "has no effect: '/syscalls/%zu' already gives '%s' an action for "
                                "every argument, and libseccomp keeps only that one",
                                m->rules[u->rule].at, u->name);
                }
                g = hi;
        }
}

/* What a syscall name gets when no argument condition is involved. */
static uint32_t unconditional_action(const struct model *m, const char *name,
                                     const struct ref **ret_ref)
{
        size_t lo, hi;
        const struct ref *u;

        name_group(m, name, &lo, &hi);
        u = first_unconditional(m, lo, hi);
        *ret_ref = u;
        return u ? m->rules[u->rule].action : m->default_action;
}

static bool is_permitting(uint32_t action)
{
        uint32_t base = action & 0xffff0000u;

        return action == SCMP_ACT_ALLOW || action == SCMP_ACT_LOG || base == SCMP_ACT_TRACE(0) ||
               action == SCMP_ACT_NOTIFY;
}

/* glibc 2.34+ and musl create threads and processes with clone3 and fall back to clone only on
 * ENOSYS: any other answer breaks pthread_create, fork and posix_spawn. */
static void check_clone3(struct check *c, const struct model *m)
{
        const struct ref *ref;
        char path[PATH_BUF], act[48];
        size_t lo, hi;
        bool clone_allowed = m->default_permits;
        uint32_t a;

        name_group(m, "clone", &lo, &hi);
        for (size_t i = lo; i < hi; i++)
                clone_allowed = clone_allowed || m->rules[m->refs[i].rule].permits;
        a = unconditional_action(m, "clone3", &ref);
        if (!clone_allowed || is_permitting(a) || a == SCMP_ACT_ERRNO(ENOSYS))
                return;
        if (ref)
                snprintf(path, sizeof(path), "/syscalls/%zu/names/%zu", m->rules[ref->rule].at,
                         ref->pos);
        else
                snprintf(path, sizeof(path), "%s",
                         (a & 0xffff0000u) == SCMP_ACT_ERRNO(0) ? "/defaultErrnoRet"
                                                                : "/defaultAction");
        problem(c, path,
                "clone3 gets %s: glibc and musl fall back to clone only on ENOSYS (38), so "
                "pthread_create, fork and posix_spawn would fail",
                action_text(a, act, sizeof(act)));
}

/* On a 32-bit architecture libseccomp compares the low 32 bits only. */
static void check_wide_values(struct check *c, const struct model *m)
{
        const struct arch *narrow = NULL;
        char path[PATH_BUF];

        for (size_t a = 0; a < m->n_arches && !narrow; a++)
                if (!m->arches[a].wide)
                        narrow = &m->arches[a];
        if (!narrow)
                return;
        for (size_t i = 0; i < m->n_rules; i++)
                for (unsigned k = 0; k < m->rules[i].n_conds; k++) {
                        const struct cond *cd = &m->rules[i].conds[k];
                        if (cd->value <= UINT32_MAX && cd->value_two <= UINT32_MAX)
                                continue;
                        snprintf(path, sizeof(path), "/syscalls/%zu/args/%u/%s", m->rules[i].at, k,
                                 cd->value > UINT32_MAX ? "value" : "valueTwo");
                        problem(c, path,
                                "0x%" PRIx64 " does not fit in 32 bits: on %s libseccomp "
                                "compares only the low 32 bits, so the condition means "
                                "something else there",
                                cd->value > UINT32_MAX ? cd->value : cd->value_two, narrow->name);
                }
}

static int model_build(const struct json *profile, struct check *c, struct model *m)
{
        static const char *const keys[] = {
                "defaultAction", "defaultErrnoRet",  "architectures", "flags",
                "listenerPath",  "listenerMetadata", "syscalls",      NULL};
        const struct json *v, *syscalls;
        size_t n_refs = 0;
        bool default_ok;

        *m = (struct model){0};
        if (!expect(c, profile, JSON_OBJECT, ""))
                return 0;
        check_keys(c, profile, "", keys);
        default_ok = parse_action(c, profile, "defaultAction", "defaultErrnoRet", "",
                                  &m->default_action, &m->default_permits);
        if (default_ok && m->default_action == SCMP_ACT_NOTIFY)
                problem(c, "/defaultAction", "SCMP_ACT_NOTIFY cannot be the default action");
        parse_arches(c, m, field(profile, "architectures"));
        parse_flags(c, m, field(profile, "flags"));
        if ((v = field(profile, "listenerPath")) && expect(c, v, JSON_STRING, "/listenerPath")) {
                if (v->scalar.text[0] != '/' || !json_is_clean_string(v))
                        problem(c, "/listenerPath", "not an absolute path");
                m->listener = true;
        }
        if ((v = field(profile, "listenerMetadata")))
                (void)expect(c, v, JSON_STRING, "/listenerMetadata");

        syscalls = field(profile, "syscalls");
        if (syscalls && expect(c, syscalls, JSON_ARRAY, "/syscalls")) {
                m->rules = calloc(syscalls->array.n ? syscalls->array.n : 1, sizeof(*m->rules));
                if (!m->rules)
                        return -ENOMEM;
                for (size_t i = 0; i < syscalls->array.n; i++)
                        parse_rule(c, m, syscalls->array.items[i], i);
        }
        if (c->oom)
                return -ENOMEM;
        /* The rules that parsed are checked further even when others did not: one run of
         * 'hardrunctl seccomp check' should list every problem. */
        if (!default_ok)
                return 0;

        for (size_t i = 0; i < m->n_rules; i++)
                n_refs += m->rules[i].names->array.n;
        /* A container's profile is read on every start: bound the work it can cause. */
        if (n_refs > SYSCALL_REFS_MAX) {
                problem(c, "/syscalls", "names %zu syscalls; at most %d are read", n_refs,
                        SYSCALL_REFS_MAX);
                return c->oom ? -ENOMEM : 0;
        }
        m->refs = calloc(n_refs ? n_refs : 1, sizeof(*m->refs));
        if (!m->refs)
                return -ENOMEM;
        for (size_t i = 0; i < m->n_rules; i++)
                for (size_t j = 0; j < m->rules[i].names->array.n; j++)
                        m->refs[m->n_refs++] =
                                (struct ref){m->rules[i].names->array.items[j]->scalar.text, i, j};
        qsort(m->refs, m->n_refs, sizeof(*m->refs), ref_compare);

        check_names(c, m);
        check_rules(c, m);
        check_clone3(c, m);
        check_wide_values(c, m);
        return c->oom ? -ENOMEM : 0;
}

/* ---- compilation: what runc and crun do, in their order ---- */

static const char *add_error_text(int r)
{
        switch (-r) {
        case EEXIST:
                return "it conflicts with an earlier rule for the same syscall with other "
                       "arguments";
        case EACCES:
                return "its action is the default action";
        case EDOM:
                return "the architecture has no such syscall";
        default:
                return strerror(-r);
        }
}

static int model_compile(const struct model *m, struct check *c, scmp_filter_ctx *ret)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
        char path[PATH_BUF];
        int r;

        ctx = seccomp_init(m->default_action);
        if (!ctx) {
                problem(c, "/defaultAction", "libseccomp cannot create a filter with it");
                return 0;
        }
        /* runc and crun set no_new_privs themselves; the filter must not. */
        if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0)
                return r;
        if ((m->flags & FLAG_LOG) && (r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1)) < 0)
                problem(c, "/flags", "SECCOMP_FILTER_FLAG_LOG: %s", strerror(-r));
        if ((m->flags & FLAG_SPEC_ALLOW) && (r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1)) < 0)
                problem(c, "/flags", "SECCOMP_FILTER_FLAG_SPEC_ALLOW: %s", strerror(-r));
        for (size_t a = 0; a < m->n_arches; a++) {
                r = seccomp_arch_add(ctx, m->arches[a].token);
                if (r < 0 && r != -EEXIST) {
                        snprintf(path, sizeof(path), "/architectures/%zu", a);
                        problem(c, path, "libseccomp cannot add %s: %s", m->arches[a].name,
                                strerror(-r));
                }
        }
        for (size_t i = 0; i < m->n_rules; i++) {
                const struct srule *rl = &m->rules[i];
                struct scmp_arg_cmp cmp[ARGS_MAX];

                if (rl->is_default)
                        continue;
                for (unsigned k = 0; k < rl->n_conds; k++)
                        cmp[k] =
                                (struct scmp_arg_cmp){rl->conds[k].index, ops[rl->conds[k].op].scmp,
                                                      rl->conds[k].value, rl->conds[k].value_two};
                for (size_t j = 0; j < rl->names->array.n; j++) {
                        const char *name = rl->names->array.items[j]->scalar.text;
                        /* As the runtimes do: the native number, or a pseudo-number libseccomp
                         * maps on the other architectures. */
                        int nr = seccomp_syscall_resolve_name(name);
                        if (nr == __NR_SCMP_ERROR)
                                continue;
                        r = seccomp_rule_add_array(ctx, rl->action, nr, rl->n_conds, cmp);
                        if (r < 0) {
                                snprintf(path, sizeof(path), "/syscalls/%zu/names/%zu", rl->at, j);
                                problem(c, path, "libseccomp cannot add the rule for '%s': %s",
                                        name, add_error_text(r));
                        }
                }
        }
        if (c->oom)
                return -ENOMEM;
        *ret = TAKE_PTR(ctx);
        return 0;
}

static int export_to(scmp_filter_ctx ctx, enum seccomp_export_format format, int fd)
{
        return format == SECCOMP_EXPORT_PFC ? seccomp_export_pfc(ctx, fd)
                                            : seccomp_export_bpf(ctx, fd);
}

/* Build, compile and generate; problems say why a profile would not load. */
static int check_full(const struct json *profile, struct check *c, struct model *m,
                      scmp_filter_ctx *ret_ctx)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
        _cleanup_close_ int out_fd = -1;
        struct stat st;
        int r;

        if ((r = model_build(profile, c, m)) < 0 || problem_count(c) > 0)
                return r;
        if ((r = model_compile(m, c, &ctx)) < 0 || problem_count(c) > 0)
                return r;
        /* Generating the program catches what only shows there, and its size is the kernel's
         * concern. Debian 12's libseccomp cannot export to memory: it writes to a memfd. */
        out_fd = memfd_create("hardrun-seccomp", MFD_CLOEXEC);
        if (out_fd < 0)
                return -errno;
        r = seccomp_export_bpf(ctx, out_fd);
        if (r < 0) {
                problem(c, "", "libseccomp cannot generate the BPF program: %s", strerror(-r));
                return c->oom ? -ENOMEM : 0;
        }
        if (fstat(out_fd, &st) < 0)
                return -errno;
        if (st.st_size / BPF_INSN_SIZE > BPF_MAXINSNS)
                problem(c, "",
                        "the filter has %lld BPF instructions; the kernel loads at most %d "
                        "(fewer architectures or argument rules make it shorter)",
                        (long long)(st.st_size / BPF_INSN_SIZE), BPF_MAXINSNS);
        if (ret_ctx)
                *ret_ctx = TAKE_PTR(ctx);
        return 0;
}

int seccomp_profile_check(const struct json *profile, const struct seccomp_source *src,
                          struct lines *problems, struct hr_error *err)
{
        struct check c = {src, problems, false};
        struct model m;
        int r;

        r = check_full(profile, &c, &m, NULL);
        seccomp_model_done(&m);
        if (r < 0)
                return error_set(err, r, "%s: cannot check the profile: %s", src->name,
                                 strerror(-r));
        return problems->total > 0 ? -EINVAL : 0;
}

static int first_problem(struct lines *problems, struct hr_error *err)
{
        if (problems->n == 0)
                return error_set(err, -ENOMEM, "out of memory");
        if (problems->total > 1)
                return error_set(err, -EINVAL, "%s (and %zu more problems)", problems->lines[0],
                                 problems->total - 1);
        return error_set(err, -EINVAL, "%s", problems->lines[0]);
}

int seccomp_profile_validate(const struct json *profile, const struct seccomp_source *src,
                             struct hr_error *err)
{
        struct lines problems = {0};
        int r;

        r = seccomp_profile_check(profile, src, &problems, err);
        if (r == -EINVAL)
                r = first_problem(&problems, err);
        lines_done(&problems);
        return r;
}

int seccomp_profile_export(const struct json *profile, const struct seccomp_source *src,
                           enum seccomp_export_format format, int fd, struct hr_error *err)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
        struct lines problems = {0};
        struct check c = {src, &problems, false};
        struct model m;
        int r;

        r = check_full(profile, &c, &m, &ctx);
        seccomp_model_done(&m);
        if (r == 0 && problems.total > 0)
                r = first_problem(&problems, err);
        else if (r < 0)
                r = error_set(err, r, "%s: cannot compile the profile: %s", src->name,
                              strerror(-r));
        lines_done(&problems);
        if (r < 0)
                return r;
        if (format == SECCOMP_EXPORT_JSON) {
                _cleanup_free_ char *text = NULL;
                size_t len;

                if ((r = json_write_pretty(profile, &text, &len, err)) < 0)
                        return r;
                for (size_t done = 0; done < len;) {
                        ssize_t n = write(fd, text + done, len - done);
                        if (n < 0 && errno == EINTR)
                                continue;
                        if (n <= 0)
                                return error_set(err, -errno, "cannot write the profile: %m");
                        done += (size_t)n;
                }
                return 0;
        }
        r = export_to(ctx, format, fd);
        if (r < 0)
                return error_set(err, r, "cannot write the filter: %s", strerror(-r));
        return 0;
}

/* ---- what a profile allows ---- */

static enum allow_kind name_allow(const struct model *m, const char *name, size_t *ret_lo,
                                  size_t *ret_hi)
{
        bool permit = false, deny = false;
        const struct ref *u;

        name_group(m, name, ret_lo, ret_hi);
        u = first_unconditional(m, *ret_lo, *ret_hi);
        if (u)
                return m->rules[u->rule].permits ? ALLOW_FULL : ALLOW_NONE;
        for (size_t i = *ret_lo; i < *ret_hi; i++) {
                const struct srule *r = &m->rules[m->refs[i].rule];
                if (r->is_default)
                        continue;
                permit = permit || r->permits;
                deny = deny || !r->permits;
        }
        if (m->default_permits)
                return deny ? ALLOW_OPAQUE : ALLOW_FULL;
        if (!permit)
                return ALLOW_NONE;
        return deny ? ALLOW_MIXED : ALLOW_SOME;
}

static bool cond_eval(const struct cond *q, uint64_t x)
{
        switch (q->op) {
        case OP_NE:
                return x != q->value;
        case OP_LT:
                return x < q->value;
        case OP_LE:
                return x <= q->value;
        case OP_EQ:
                return x == q->value;
        case OP_GE:
                return x >= q->value;
        case OP_GT:
                return x > q->value;
        case OP_MASKED_EQ:
                return (x & q->value) == q->value_two;
        case _OP_MAX:
                break;
        }
        return false;
}

/* Every x <= max satisfies q. */
static bool holds_up_to(const struct cond *q, uint64_t max)
{
        return (q->op == OP_LT && max < q->value) || (q->op == OP_LE && max <= q->value) ||
               (q->op == OP_NE && q->value > max);
}

/* Every x >= min satisfies q. */
static bool holds_from(const struct cond *q, uint64_t min)
{
        return (q->op == OP_GT && min > q->value) || (q->op == OP_GE && min >= q->value) ||
               (q->op == OP_NE && q->value < min);
}

/* Every argument value p lets through, q lets through too (same argument). Incomplete but sound:
 * false when unsure. */
static bool cond_implies(const struct cond *p, const struct cond *q)
{
        if (p->op == q->op && p->value == q->value && p->value_two == q->value_two)
                return true;
        switch (p->op) {
        case OP_EQ:
                return cond_eval(q, p->value);
        case OP_MASKED_EQ:
                if (p->value == UINT64_MAX)
                        return cond_eval(q, p->value_two);
                if (q->op == OP_MASKED_EQ)
                        return (q->value & ~p->value) == 0 &&
                               (p->value_two & q->value) == q->value_two;
                if (q->op == OP_NE)
                        return (q->value & p->value) != p->value_two;
                /* x & mask == v means x >= v; bits outside the mask leave x unbounded above. */
                return holds_from(q, p->value_two);
        case OP_LT:
                return p->value == 0 || holds_up_to(q, p->value - 1);
        case OP_LE:
                return holds_up_to(q, p->value);
        case OP_GT:
                return p->value == UINT64_MAX || holds_from(q, p->value + 1);
        case OP_GE:
                return holds_from(q, p->value);
        case OP_NE:
        case _OP_MAX:
                break;
        }
        return false;
}

static bool conds_fit(const struct cond *cd)
{
        return cd->value <= UINT32_MAX && cd->value_two <= UINT32_MAX;
}

/* Rule p's conditions (AND) imply rule q's on this architecture. */
static bool rule_implies(const struct srule *p, const struct srule *q, bool wide)
{
        for (unsigned k = 0; k < q->n_conds; k++) {
                bool found = false;
                if (!wide && !conds_fit(&q->conds[k]))
                        return false;
                for (unsigned i = 0; i < p->n_conds && !found; i++)
                        found = p->conds[i].index == q->conds[k].index &&
                                (wide || conds_fit(&p->conds[i])) &&
                                cond_implies(&p->conds[i], &q->conds[k]);
                if (!found)
                        return false;
        }
        return true;
}

/* Everything p allows for name on this architecture, q allows too. */
bool seccomp_model_covers(const struct model *q, const struct model *p, const char *name, bool wide,
                          enum allow_kind *ret_p, enum allow_kind *ret_q)
{
        size_t plo, phi, qlo, qhi;
        enum allow_kind pk = name_allow(p, name, &plo, &phi);
        enum allow_kind qk = name_allow(q, name, &qlo, &qhi);

        *ret_p = pk;
        *ret_q = qk;
        if (pk == ALLOW_NONE || qk == ALLOW_FULL)
                return true;
        if (pk == ALLOW_FULL || pk == ALLOW_OPAQUE || qk != ALLOW_SOME)
                return false;
        /* Both only for some values: each permitting rule of p needs one of q that is implied.
         * For ALLOW_MIXED p this over-approximates p, which is the safe side. */
        for (size_t i = plo; i < phi; i++) {
                const struct srule *pr = &p->rules[p->refs[i].rule];
                bool found = false;
                if (pr->is_default || !pr->permits)
                        continue;
                for (size_t k = qlo; k < qhi && !found; k++) {
                        const struct srule *qr = &q->rules[q->refs[k].rule];
                        found = !qr->is_default && qr->permits && rule_implies(pr, qr, wide);
                }
                if (!found)
                        return false;
        }
        return true;
}

/* A name counts on an architecture unless libseccomp says it does not exist there. A
 * socketcall(2)/ipc(2) sub-call counts where that multiplexer exists. Names libseccomp does not
 * know are compared by name, on the architecture the table above gives or on all. */
bool seccomp_model_on_arch(const struct arch *arch, const char *name)
{
        int nr = seccomp_syscall_resolve_name_arch(arch->token, name);
        const char *only = NULL;

        if (nr == __NR_SCMP_ERROR)
                return !is_newer_syscall(name, &only) || !only || strcmp(only, arch->name) == 0;
        if (nr >= 0)
                return true;
        if (nr <= -100 && nr > -200)
                return seccomp_syscall_resolve_name_arch(arch->token, "socketcall") >= 0;
        if (nr <= -200 && nr > -300)
                return seccomp_syscall_resolve_name_arch(arch->token, "ipc") >= 0;
        return false;
}

/* ---- reading ---- */

int seccomp_profile_read(const char *name, bool trusted, struct json **ret, char **ret_source,
                         struct hr_error *err)
{
        static const struct json_limits limits = {
                .max_bytes = HR_PROFILE_MAX_BYTES,
                .max_depth = 16,
                .max_members = 65536,
        };
        const struct json_compiled *compiled =
                strchr(name, '/') ? NULL : profile_builtin_compiled(name);
        _cleanup_free_ char *owned = NULL;
        _cleanup_free_ char *source = NULL;
        _cleanup_close_ int fd = -1;
        size_t len = 0;
        int r;

        if (compiled) {
                /* Compiled at build time: nothing to parse on the start path (the unit test
                 * checks it is the profile's text, parsed). */
                if (asprintf(&source, "built-in profile '%s'", name) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
                if (!(*ret = json_compiled_load(compiled)))
                        return error_set(err, -ENOMEM, "%s: out of memory", source);
                if (ret_source)
                        *ret_source = TAKE_PTR(source);
                return 0;
        }
        fd = fileio_open_regular(AT_FDCWD, name, false, NULL, err);
        if (fd < 0)
                return error_prefix(err, "seccomp profile %s: ", name);
        if (trusted && (r = file_check_trusted(fd, name, err)) < 0)
                return error_prefix(err, "seccomp profile ");
        if ((r = fileio_read_all(fd, HR_PROFILE_MAX_BYTES, &owned, &len, err)) < 0)
                return error_prefix(err, "seccomp profile %s: ", name);
        if (!(source = strdup(name)))
                return error_set(err, -ENOMEM, "out of memory");
        r = json_parse(owned, len, &limits, ret, err);
        if (r < 0)
                return error_prefix(err, "seccomp profile %s: ", source);
        if (ret_source)
                *ret_source = TAKE_PTR(source);
        return 0;
}

/* ---- a valid profile's model, for the merge and the admins' comparison ---- */

bool seccomp_model_has_arch(const struct model *m, uint32_t token)
{
        for (size_t i = 0; i < m->n_arches; i++)
                if (m->arches[i].token == token)
                        return true;
        return false;
}

int seccomp_model_valid(const struct json *profile, const struct seccomp_source *src, bool compile,
                        struct model *m, struct lines *problems, struct hr_error *err)
{
        struct check c = {src, problems, false};
        int r = compile ? check_full(profile, &c, m, NULL) : model_build(profile, &c, m);

        if (r < 0)
                return error_set(err, r, "%s: cannot check the profile: %s", src->name,
                                 strerror(-r));
        if (problems->total > 0)
                return first_problem(problems, err);
        return 0;
}

/* ---- merging ---- */

static int decide(const struct model *theirs, const struct model *ours, const char *ours_name,
                  struct seccomp_merge_decision *d)
{
        if (theirs->default_permits) {
                snprintf(d->reason, sizeof(d->reason),
                         "its defaultAction lets every syscall it does not list run");
                return 0;
        }
        if (theirs->listener) {
                snprintf(d->reason, sizeof(d->reason),
                         "it hands decisions to a listener process ('listenerPath')");
                return 0;
        }
        for (size_t f = 0; f < ELEMENTSOF(flag_defs); f++)
                if ((theirs->flags & flag_defs[f].bit) && !(ours->flags & flag_defs[f].bit) &&
                    flag_defs[f].bit != FLAG_TSYNC) {
                        snprintf(d->reason, sizeof(d->reason), "it sets %s, which %s does not",
                                 flag_defs[f].name, ours_name);
                        return 0;
                }
        for (size_t a = 0; a < theirs->n_arches; a++) {
                const struct arch *arch = &theirs->arches[a];
                if (!seccomp_model_has_arch(ours, arch->token)) {
                        snprintf(d->reason, sizeof(d->reason),
                                 "it covers %s, which %s does not list", arch->name, ours_name);
                        return 0;
                }
                for (size_t i = 0; i < theirs->n_refs; i++) {
                        enum allow_kind tk, ok;
                        const char *name = theirs->refs[i].name;
                        if (i > 0 && strcmp(theirs->refs[i - 1].name, name) == 0)
                                continue;
                        if (!seccomp_model_on_arch(arch, name) ||
                            seccomp_model_covers(ours, theirs, name, arch->wide, &tk, &ok))
                                continue;
                        snprintf(d->reason, sizeof(d->reason),
                                 "it allows '%s'%s on %s, which %s %s", name,
                                 tk == ALLOW_FULL ? "" : " (for some argument values)", arch->name,
                                 ours_name, ok == ALLOW_NONE ? "does not" : "allows only in part");
                        return 0;
                }
        }
        d->keep = true;
        return 0;
}

int seccomp_profile_merge(enum seccomp_merge_strategy strategy, const struct json *theirs,
                          const struct seccomp_source *src_theirs, const struct json *ours,
                          const struct seccomp_source *src_ours, struct seccomp_merge_decision *ret,
                          struct hr_error *err)
{
        struct seccomp_merge_decision d = {0};
        struct lines problems = {0};
        struct model mt = {0}, mo = {0};
        struct hr_error invalid = {0};
        int r = 0;

        if (strategy != SECCOMP_MERGE_KEEP_IF_STRICTER) {
                snprintf(d.reason, sizeof(d.reason), "merge policy '%s'",
                         seccomp_merge_strategy_to_string(strategy));
                goto done;
        }
        /* Not compiled (libseccomp costs ~50 ms per profile): what libseccomp would refuse,
         * runc and crun refuse too, so such a profile cannot start anything weaker. */
        r = seccomp_model_valid(theirs, src_theirs, false, &mt, &problems, &invalid);
        if (r == -EINVAL) {
                snprintf(d.reason, sizeof(d.reason), "it is invalid: %s", invalid.msg);
                r = 0;
                goto done;
        }
        if (r < 0) {
                r = error_set(err, r, "%s", invalid.msg);
                goto done;
        }
        lines_done(&problems);
        /* Ours is valid: checked when its file was loaded, or by the test suite (built-in). */
        if ((r = seccomp_model_valid(ours, src_ours, false, &mo, &problems, err)) < 0)
                goto done;
        r = decide(&mt, &mo, src_ours->name, &d);
done:
        seccomp_model_done(&mt);
        seccomp_model_done(&mo);
        lines_done(&problems);
        if (r < 0)
                return r;
        *ret = d;
        return 0;
}

/* Each architecture in a filter costs runc ~13 ms per container start (five architectures
 * took a busybox start from 32 to 81 ms here), and only the host's own ABIs can ever make a
 * syscall: amd64 runs x86_64 and i386 code, arm64 runs aarch64 and arm. x32 is left out on
 * purpose: libseccomp's x86_64 filter kills any x32 syscall when x32 is not listed, and no
 * container userland uses it. Docker's profile does the same through its archMap. */
int seccomp_profile_keep_host_arches(struct json *profile)
{
        static const struct {
                uint32_t native;
                const char *keep[2];
        } hosts[] = {
                {SCMP_ARCH_X86_64, {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"}},
                {SCMP_ARCH_AARCH64, {"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"}},
        };
        struct json *arches = json_object_get(profile, "architectures");
        uint32_t native = seccomp_arch_native();
        const char *const *keep = NULL;
        bool has_native = false;
        int removed = 0;

        for (size_t i = 0; i < ELEMENTSOF(hosts); i++)
                if (hosts[i].native == native)
                        keep = hosts[i].keep;
        if (!keep || !arches || arches->type != JSON_ARRAY)
                return 0;
        /* A profile that does not name the host's own ABI is left as its author wrote it. */
        for (size_t i = 0; i < arches->array.n; i++) {
                const struct json *a = arches->array.items[i];
                if (a->type == JSON_STRING && strcmp(a->scalar.text, keep[0]) == 0)
                        has_native = true;
        }
        if (!has_native)
                return 0;
        for (size_t i = arches->array.n; i-- > 0;) {
                const struct json *a = arches->array.items[i];
                if (a->type == JSON_STRING &&
                    (strcmp(a->scalar.text, keep[0]) == 0 || strcmp(a->scalar.text, keep[1]) == 0))
                        continue;
                int r = json_array_remove(arches, i);
                if (r < 0)
                        return r;
                removed++;
        }
        return removed;
}
