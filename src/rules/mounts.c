/* mounts: no bind mount exposes a host path on the policy's deny list: a source at, under or
 * above one of them (mounting /run exposes /run/docker.sock), after symlinks are resolved.
 * Engine-managed sources below those directories (Docker's hosts files and volumes, kubelet's
 * pod volumes) stay allowed. Rewriting cannot make such a mount safe, so it is refused. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "util/cleanup.h"
#include "util/hash.h"

static bool is_bind(struct rule_ctx *ctx, struct json *m, const char *path, struct hr_error *err,
                    int *ret_r)
{
        struct json *type, *options;
        int r;

        *ret_r = 0;
        r = rule_field(ctx, m, path, "type", JSON_STRING, false, &type, err);
        if (r < 0)
                return *ret_r = r, false;
        if (is_bind_mount(type, NULL))
                return true;
        r = rule_field(ctx, m, path, "options", JSON_ARRAY, false, &options, err);
        if (r < 0)
                return *ret_r = r, false;
        return is_bind_mount(NULL, options);
}

/* Resolved prefixes, so thousands of mounts under one directory cost a handful of realpath()
 * calls: each lexical prefix ("/var", "/var/lib", ...) is resolved once per spec. */
struct resolver {
        struct {
                char *key;   /* lexical prefix */
                char *value; /* its realpath, NULL when it does not exist */
        } * slots;
        size_t n, cap; /* open addressing, cap a power of two */
};

static void resolver_done(struct resolver *r)
{
        for (size_t i = 0; i < r->cap; i++) {
                free(r->slots[i].key);
                free(r->slots[i].value);
        }
        free(r->slots);
        *r = (struct resolver){0};
}

static int resolver_grow(struct resolver *r)
{
        struct resolver bigger = {.cap = r->cap ? r->cap * 2 : 64};

        bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
        if (!bigger.slots)
                return -ENOMEM;
        for (size_t i = 0; i < r->cap; i++) {
                size_t j;
                if (!r->slots[i].key)
                        continue;
                for (j = hash_fnv1a_str(r->slots[i].key) & (bigger.cap - 1); bigger.slots[j].key;
                     j = (j + 1) & (bigger.cap - 1))
                        ;
                bigger.slots[j] = r->slots[i];
        }
        bigger.n = r->n;
        free(r->slots);
        *r = bigger;
        return 0;
}

/* The realpath of one lexical prefix, from the cache or computed once. NULL: missing. */
static const char *resolve_prefix(struct resolver *r, const char *prefix, int *ret_err)
{
        size_t j;

        *ret_err = 0;
        if ((r->n + 1) * 2 > r->cap && (*ret_err = resolver_grow(r)) < 0)
                return NULL;
        for (j = hash_fnv1a_str(prefix) & (r->cap - 1); r->slots[j].key; j = (j + 1) & (r->cap - 1))
                if (strcmp(r->slots[j].key, prefix) == 0)
                        return r->slots[j].value;
        r->slots[j].key = strdup(prefix);
        if (!r->slots[j].key) {
                *ret_err = -ENOMEM;
                return NULL;
        }
        r->slots[j].value = realpath(prefix, NULL);
        r->n++;
        return r->slots[j].value;
}

/* The source as the runtime will see it: the realpath of its longest existing prefix, with the
 * part that does not exist yet (the engine may create it) appended. */
static int resolve_path(struct resolver *r, const char *source, char *out, size_t size)
{
        char clean[PATH_MAX];
        const char *best = "/";
        size_t best_len = 0;
        int err;

        /* A source longer than PATH_MAX is judged by the components that fit. */
        (void)rule_clean_path(source, clean, sizeof(clean));
        for (size_t i = 1; clean[i - 1]; i++) {
                const char *real;
                char saved;
                if (clean[i] != '/' && clean[i] != '\0')
                        continue;
                saved = clean[i];
                clean[i] = '\0';
                real = resolve_prefix(r, clean, &err);
                clean[i] = saved;
                if (err < 0)
                        return err;
                if (!real)
                        break;
                best = real;
                best_len = i;
                if (!saved)
                        break;
        }
        {
                char joined[2 * PATH_MAX];
                snprintf(joined, sizeof(joined), "%s%s", best, clean + best_len);
                (void)rule_clean_path(joined, out, size);
        }
        return 0;
}

/* a equals b or lies below it. */
static bool is_at_or_below(const char *a, const char *b)
{
        size_t n = strlen(b);

        if (strcmp(b, "/") == 0)
                return true;
        return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/');
}

/* '*' matches one component; a trailing '/' matches the directory and everything below. */
static bool pattern_matches(const char *pattern, const char *path)
{
        bool prefix = pattern[strlen(pattern) - 1] == '/';
        const char *p = pattern, *s = path;

        for (;;) {
                const char *pe, *se;
                while (*p == '/')
                        p++;
                while (*s == '/')
                        s++;
                if (!*p)
                        return !*s || prefix;
                if (!*s)
                        return false;
                pe = strchr(p, '/');
                se = strchr(s, '/');
                if (!pe)
                        pe = p + strlen(p);
                if (!se)
                        se = s + strlen(s);
                if (!(pe - p == 1 && *p == '*') &&
                    !(pe - p == se - s && strncmp(p, s, (size_t)(pe - p)) == 0))
                        return false;
                p = pe;
                s = se;
        }
}

static int apply_mounts(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        const char *const *deny = policy_mounts_deny(ctx->policy);
        const char *const *allow = policy_mounts_allow(ctx->policy);
        _cleanup_(resolver_done) struct resolver resolver = {0};
        struct json *mounts;
        int r;

        r = rule_field(ctx, doc, "", "mounts", JSON_ARRAY, false, &mounts, err);
        if (r <= 0)
                return r;
        for (size_t i = 0; i < mounts->array.n; i++) {
                struct json *m = mounts->array.items[i], *source;
                char path[RULE_PATH_MAX], resolved[PATH_MAX], wanted[PATH_MAX + 64];
                const char *hit = NULL;
                bool allowed = false;

                rule_index_path(path, "/mounts", i);
                if (m->type != JSON_OBJECT)
                        return rule_fail(ctx, path, err, "expected object, got %s",
                                         json_type_name(m->type));
                if (!is_bind(ctx, m, path, err, &r)) {
                        if (r < 0)
                                return r;
                        continue;
                }
                r = rule_field(ctx, m, path, "source", JSON_STRING, false, &source, err);
                if (r <= 0)
                        return r;
                /* Judge what the runtime will mount: symlinks resolved (/var/run is /run). */
                if ((r = resolve_path(&resolver, source->scalar.text, resolved, sizeof(resolved))) <
                    0)
                        return error_set(err, r, "out of memory");
                for (const char *const *a = allow; *a && !allowed; a++)
                        allowed = pattern_matches(*a, resolved);
                if (allowed)
                        continue;
                for (const char *const *d = deny; *d && !hit; d++)
                        /* "/" is denied only as itself: everything lies below it. */
                        if (strcmp(*d, "/") == 0
                                    ? strcmp(resolved, "/") == 0
                                    : is_at_or_below(resolved, *d) || is_at_or_below(*d, resolved))
                                hit = *d;
                if (!hit)
                        continue;
                snprintf(path, sizeof(path), "/mounts/%zu/source", i);
                snprintf(wanted, sizeof(wanted), "no bind mount of '%s' (%s)", resolved,
                         strcmp(resolved, hit) == 0      ? "denied host path"
                         : is_at_or_below(resolved, hit) ? "under a denied host path"
                                                         : "contains a denied host path");
                if ((r = rule_refuse(ctx, path, source, wanted, err)) < 0)
                        return r;
        }
        return 0;
}

const struct rule rule_mounts = {
        .id = RULE_MOUNTS,
        .for_process = false,
        .apply = apply_mounts,
};
