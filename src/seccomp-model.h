/* The model of a seccomp profile as runc and crun read it, and what it allows: shared by
 * seccomp-profile.c, which builds it, and the admins' comparison of two profiles
 * (ctl/seccomp-diff.c). Nothing else includes it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "seccomp-profile.h"
#include "util/error.h"
#include "util/lines.h"

#define ARGS_MAX 6
#define ARCHES_MAX 24

enum cmp_op {
        OP_NE,
        OP_LT,
        OP_LE,
        OP_EQ,
        OP_GE,
        OP_GT,
        OP_MASKED_EQ,
        _OP_MAX,
};

struct cond {
        unsigned index;
        enum cmp_op op;
        uint64_t value, value_two;
};

struct srule {
        size_t at;       /* index in /syscalls */
        uint32_t action; /* libseccomp action, errno included */
        bool permits;
        bool is_default; /* equal to the default action: runc drops it */
        struct cond conds[ARGS_MAX];
        unsigned n_conds;
        const struct json *names;
};

struct arch {
        uint32_t token;
        const char *name; /* "SCMP_ARCH_X86_64" */
        bool wide;
};

/* One (name, rule) pair; sorted by name, then rule, they group the rules of each syscall. */
struct ref {
        const char *name;
        size_t rule;
        size_t pos; /* index in the rule's names */
};

struct model {
        uint32_t default_action;
        bool default_permits;
        struct arch arches[ARCHES_MAX + 1]; /* the listed ones, then the native one */
        size_t n_arches;
        unsigned flags;
        bool listener;
        struct srule *rules;
        size_t n_rules;
        struct ref *refs;
        size_t n_refs;
};

enum allow_kind {
        ALLOW_NONE,
        ALLOW_SOME,   /* for the argument values of its permitting conditional rules */
        ALLOW_MIXED,  /* conditional rules that permit and deny: overlaps are libseccomp's order */
        ALLOW_OPAQUE, /* permitted by default except for some argument values */
        ALLOW_FULL,
};

void seccomp_model_done(struct model *m);

/* Builds the model of a profile that must be valid (compile: also compiled, as the runtimes
 * would); its first problem, if any, in err. */
int seccomp_model_valid(const struct json *profile, const struct seccomp_source *src, bool compile,
                        struct model *m, struct lines *problems, struct hr_error *err);

bool seccomp_model_has_arch(const struct model *m, uint32_t token);

/* Whether everything p allows for name on an architecture (wide: 64-bit arguments), q allows
 * too; what each allows in *ret_p and *ret_q. */
bool seccomp_model_covers(const struct model *q, const struct model *p, const char *name, bool wide,
                          enum allow_kind *ret_p, enum allow_kind *ret_q);

/* Whether name is a syscall on the architecture (as libseccomp, or the newer names' table). */
bool seccomp_model_on_arch(const struct arch *arch, const char *name);

/* "SCMP_ARCH_X86_64" → "x86_64", as libseccomp names it. */
void seccomp_model_arch_name(const struct arch *a, char *buf, size_t size);
