/* rlimits: no resource limit above the policy's maximum (an open-file limit in the millions lets
 * one container pin the host's file table), and one entry per type: the runtime-spec says a
 * runtime MUST refuse duplicates, runc keeps the last, a checker may read the first. CIS 5.19. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "rules/helpers.h"
#include "rules/rlimits.h"
#include "util/cleanup.h"

#define DEFAULT_NOFILE_MAX 1048576u /* the kernel's default fs.nr_open */

static const char *const rlimit_names[HR_RLIMIT_TYPES] = {
        "RLIMIT_CPU",      "RLIMIT_FSIZE", "RLIMIT_DATA",   "RLIMIT_STACK",
        "RLIMIT_CORE",     "RLIMIT_RSS",   "RLIMIT_NPROC",  "RLIMIT_NOFILE",
        "RLIMIT_MEMLOCK",  "RLIMIT_AS",    "RLIMIT_LOCKS",  "RLIMIT_SIGPENDING",
        "RLIMIT_MSGQUEUE", "RLIMIT_NICE",  "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
};

int rlimit_from_name(const char *name)
{
        for (int i = 0; i < HR_RLIMIT_TYPES; i++)
                if (strcmp(rlimit_names[i], name) == 0)
                        return i;
        return -EINVAL;
}

const char *rlimit_to_name(int type)
{
        return type >= 0 && type < HR_RLIMIT_TYPES ? rlimit_names[type] : NULL;
}

/* The maximum per type in the policy: {"RLIMIT_NOFILE": 1048576, ...}, names as runc knows them;
 * the object replaces the default whole. */
static int max_parse(struct settings_parser *sp, const struct setting *s, const struct json *v,
                     const char *path, void *field)
{
        struct rlimit_max max = {{0}};
        int r;

        (void)s;
        if ((r = settings_expect(sp, v, JSON_OBJECT, path)) < 0)
                return r;
        for (size_t i = 0; i < v->object.n; i++) {
                const struct json_member *m = &v->object.members[i];
                unsigned long long value;
                char item_path[96];
                int type = strlen(m->key) == m->key_len ? rlimit_from_name(m->key) : -EINVAL;

                if (type < 0)
                        return settings_fail(
                                sp, path, "'%s' is not an rlimit runc knows (RLIMIT_NOFILE, ...)",
                                m->key);
                snprintf(item_path, sizeof(item_path), "%s/%s", path, m->key);
                if (m->value->type != JSON_NUMBER ||
                    json_get_uint(m->value, UINT64_MAX, &value) < 0)
                        return settings_fail(sp, item_path, "expected an unsigned 64-bit integer");
                max.value[type] = value;
                max.set |= UINT32_C(1) << type;
        }
        *(struct rlimit_max *)field = max;
        return 0;
}

static int max_show(const struct setting *s, const void *field, struct json **ret)
{
        const struct rlimit_max *max = field;
        struct json *obj = json_new_object();
        int r;

        (void)s;
        if (!obj)
                return -ENOMEM;
        for (int i = 0; i < HR_RLIMIT_TYPES; i++)
                if ((max->set & (UINT32_C(1) << i)) &&
                    (r = json_object_set(obj, rlimit_to_name(i), json_new_uint(max->value[i]))) <
                            0) {
                        json_free(obj);
                        return r;
                }
        *ret = obj;
        return 0;
}

static const struct setting_type setting_rlimit_max = {
        .doc = "object",
        .parse = max_parse,
        .show = max_show,
        .size = sizeof(struct rlimit_max),
};

static const struct setting settings[] = {
        {"max", &setting_rlimit_max, offsetof(struct rlimits_settings, max),
         .description = "highest hard and soft limit per type, as {\"RLIMIT_NOFILE\": "
                        "1048576}; the object replaces the default"},
};

static const struct rlimits_settings defaults = {
        .max = {.value = {[RLIMIT_NOFILE] = DEFAULT_NOFILE_MAX},
                .set = UINT32_C(1) << RLIMIT_NOFILE},
};

/* entry[key] as Go decodes a uint64 (absent or null: 0). */
static int limit_of(struct rule_ctx *ctx, struct json *entry, const char *entry_path,
                    const char *key, uint64_t *ret, struct hr_error *err)
{
        char path[RULE_PATH_MAX];
        unsigned long long v = 0;
        struct json *value;
        int r;

        r = rule_field(ctx, entry, entry_path, key, JSON_NUMBER, false, &value, err);
        if (r < 0)
                return r;
        snprintf(path, sizeof(path), "%s/%s", entry_path, key);
        if (r == 1 && json_get_uint(value, UINT64_MAX, &v) < 0)
                return rule_fail(ctx, path, err, "expected an unsigned 64-bit integer, got '%s'",
                                 value->scalar.text);
        *ret = v;
        return 0;
}

static int apply_rlimits(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        const struct rlimits_settings *own = ctx->settings;
        struct json *process, *rlimits;
        char list_path[RULE_PATH_MAX];
        uint32_t seen = 0;
        const char *prefix;
        int r;

        r = rule_process(ctx, doc, &process, &prefix, err);
        if (r <= 0)
                return r;
        /* Absent: the process keeps the runtime's own limits, which the engine chose. */
        r = rule_field(ctx, process, prefix, "rlimits", JSON_ARRAY, false, &rlimits, err);
        if (r <= 0)
                return r;
        snprintf(list_path, sizeof(list_path), "%s/rlimits", prefix);
        for (size_t i = 0; i < rlimits->array.n; i++) {
                struct json *entry = rlimits->array.items[i], *type;
                char path[RULE_PATH_MAX], type_path[RULE_PATH_MAX];
                uint64_t hard_v, soft_v, max;
                int t;

                snprintf(path, sizeof(path), "%s/%zu", list_path, i);
                if (entry->type != JSON_OBJECT)
                        return rule_fail(ctx, path, err, "expected object, got %s",
                                         json_type_name(entry->type));
                snprintf(type_path, sizeof(type_path), "%s/type", path);
                if ((r = rule_field(ctx, entry, path, "type", JSON_STRING, false, &type, err)) < 0)
                        return r;
                if (r == 0)
                        return rule_fail(ctx, type_path, err, "missing (runc refuses it)");
                t = json_is_clean_string(type) ? rlimit_from_name(type->scalar.text) : -EINVAL;
                if (t < 0)
                        return rule_fail(ctx, type_path, err,
                                         "'%s' is not an rlimit runc knows (RLIMIT_NOFILE, ...)",
                                         type->scalar.text);
                if ((r = limit_of(ctx, entry, path, "hard", &hard_v, err)) < 0 ||
                    (r = limit_of(ctx, entry, path, "soft", &soft_v, err)) < 0)
                        return r;
                if (seen & (UINT32_C(1) << t)) {
                        r = rule_refuse(ctx, type_path, type, "one entry per type", err);
                        if (r < 0)
                                return r;
                        continue;
                }
                seen |= UINT32_C(1) << t;
                if (!(own->max.set & (UINT32_C(1) << t)))
                        continue;
                /* Both capped at the same maximum: a soft limit at or below hard stays so. */
                max = own->max.value[t];
                if (hard_v > max &&
                    (r = rule_set(ctx, entry, path, "hard", json_new_uint(max), err)) < 0)
                        return r;
                if (soft_v > max &&
                    (r = rule_set(ctx, entry, path, "soft", json_new_uint(max), err)) < 0)
                        return r;
        }
        return 0;
}

static const char *const owns[] = {"/process/rlimits", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "rlimits",
        .summary = "no resource limit above the policy's maximum, one entry per type",
        .enforce = "hard and soft limits above the type's maximum are lowered to it "
                   "(a soft limit at or below hard stays so); types without a maximum "
                   "are left alone, and so is a process without rlimits (it keeps the "
                   "runtime's own). A type given twice is refused, in enforce mode too: "
                   "the runtime-spec says the runtime MUST refuse it, runc keeps the "
                   "last. An unknown type or a non-integer limit is an error.",
        .deny = "a limit above the maximum; a type given twice",
        .spec = "process.rlimits[].{type,hard,soft}",
        .cis = "5.19 (the default ulimit is overwritten at runtime if needed)",
        .pss = "none",
};

const struct rule rule_rlimits = {
        .id = RULE_RLIMITS,
        .name = "rlimits",
        .owns = owns,
        .for_process = true,
        .settings = settings,
        .n_settings = ELEMENTSOF(settings),
        .settings_size = sizeof(struct rlimits_settings),
        .defaults = &defaults,
        .apply = apply_rlimits,
        .doc = &doc,
};
