/* `hardrunctl seccomp diff`: what one seccomp profile allows that the other does not, syscall
 * by syscall on each architecture either lists, as runc and crun would load them. */
#include "seccomp-diff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "seccomp-model.h"
#include "util/cleanup.h"

static int name_compare(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct universe {
        const char **names; /* sorted, unique; borrowed or from owned */
        size_t n;
        char **owned;
        size_t n_owned;
};

static void universe_done(struct universe *u)
{
        for (size_t i = 0; i < u->n_owned; i++)
                free(u->owned[i]);
        free(u->owned);
        free(u->names);
        *u = (struct universe){0};
}

/* Every syscall libseccomp knows on the architecture: only needed when a default permits. */
static int universe_add_arch(struct universe *u, uint32_t token, size_t *cap)
{
        static const struct {
                int base, count;
        } ranges[] = {{0, 8192}, {0x40000000, 1024}, {0x0f0000, 16}};

        for (size_t g = 0; g < ELEMENTSOF(ranges); g++)
                for (int nr = ranges[g].base; nr < ranges[g].base + ranges[g].count; nr++) {
                        char *name = seccomp_syscall_resolve_num_arch(token, nr);
                        if (!name)
                                continue;
                        if (u->n_owned == *cap) {
                                size_t c = *cap ? *cap * 2 : 512;
                                char **p = realloc(u->owned, c * sizeof(*p));
                                if (!p) {
                                        free(name);
                                        return -ENOMEM;
                                }
                                u->owned = p;
                                *cap = c;
                        }
                        u->owned[u->n_owned++] = name;
                }
        return 0;
}

static int universe_build(struct universe *u, const struct model *a, const struct model *b,
                          uint32_t token)
{
        size_t cap = 0, n = 0;
        int r;

        *u = (struct universe){0};
        if ((a->default_permits || b->default_permits) &&
            (r = universe_add_arch(u, token, &cap)) < 0)
                return r;
        u->names = calloc(a->n_refs + b->n_refs + u->n_owned + 1, sizeof(*u->names));
        if (!u->names)
                return -ENOMEM;
        for (size_t i = 0; i < a->n_refs; i++)
                u->names[n++] = a->refs[i].name;
        for (size_t i = 0; i < b->n_refs; i++)
                u->names[n++] = b->refs[i].name;
        for (size_t i = 0; i < u->n_owned; i++)
                u->names[n++] = u->owned[i];
        qsort(u->names, n, sizeof(*u->names), name_compare);
        for (size_t i = 0; i < n; i++)
                if (u->n == 0 || strcmp(u->names[u->n - 1], u->names[i]) != 0)
                        u->names[u->n++] = u->names[i];
        return 0;
}

static int diff_side(const struct model *from, const struct model *to, const struct arch *arch,
                     const struct universe *u, char mark, struct lines *out)
{
        char lower[32];

        seccomp_model_arch_name(arch, lower, sizeof(lower));
        for (size_t k = 0; k < u->n; k++) {
                enum allow_kind fk, tk;
                const char *note = "";
                if (!seccomp_model_on_arch(arch, u->names[k]) ||
                    seccomp_model_covers(to, from, u->names[k], arch->wide, &fk, &tk))
                        continue;
                if (tk == ALLOW_NONE && fk != ALLOW_FULL)
                        note = " (for some argument values)";
                else if (tk != ALLOW_NONE && fk == ALLOW_FULL)
                        note = " (the other only for some argument values)";
                else if (tk != ALLOW_NONE)
                        note = " (for argument values the other does not allow)";
                if (lines_add(out, SIZE_MAX, "%c %s %s%s", mark, lower, u->names[k], note) < 0)
                        return -ENOMEM;
        }
        return 0;
}

int seccomp_profile_diff(const struct json *a, const struct seccomp_source *src_a,
                         const struct json *b, const struct seccomp_source *src_b,
                         struct lines *ret, struct hr_error *err)
{
        struct lines problems = {0};
        struct model ma = {0}, mb = {0};
        struct arch arches[2 * (ARCHES_MAX + 1)];
        size_t n_arches = 0;
        int r;

        if ((r = seccomp_model_valid(a, src_a, true, &ma, &problems, err)) < 0 ||
            (r = seccomp_model_valid(b, src_b, true, &mb, &problems, err)) < 0)
                goto out;
        for (size_t i = 0; i < ma.n_arches; i++)
                arches[n_arches++] = ma.arches[i];
        for (size_t i = 0; i < mb.n_arches; i++)
                if (!seccomp_model_has_arch(&ma, mb.arches[i].token))
                        arches[n_arches++] = mb.arches[i];
        for (size_t i = 0; i < n_arches && r >= 0; i++) {
                struct universe u;
                /* An architecture a profile does not list is killed by its filter: nothing runs. */
                struct model none = {.default_action = SCMP_ACT_KILL_THREAD};
                const struct model *pa = seccomp_model_has_arch(&ma, arches[i].token) ? &ma : &none;
                const struct model *pb = seccomp_model_has_arch(&mb, arches[i].token) ? &mb : &none;

                if ((r = universe_build(&u, pa, pb, arches[i].token)) < 0)
                        break;
                r = diff_side(pa, pb, &arches[i], &u, '<', ret);
                if (r >= 0)
                        r = diff_side(pb, pa, &arches[i], &u, '>', ret);
                universe_done(&u);
        }
        if (r < 0)
                r = error_set(err, r, "out of memory");
out:
        seccomp_model_done(&ma);
        seccomp_model_done(&mb);
        lines_done(&problems);
        return r;
}

/* ---- merging ---- */
