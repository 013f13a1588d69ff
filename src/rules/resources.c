/* resources: every container gets a pids limit (a fork bomb stays inside it), the policy's
 * memory limit where the spec has none, and no OOM score adjustment below the policy's floor,
 * which would let the container outlive the host's own daemons. Limits the spec sets are kept:
 * the rule fills in defaults, engines' and admins' own limits stay as they are. CIS 5.11, 5.29
 * (5.12's CPU shares are relative weights: no default fits every host). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "rules/helpers.h"

/* Reads an integer as Go decodes int64: digits with an optional '-', nothing else. */
static int int64_of(struct rule_ctx *ctx, const struct json *v, const char *path, int64_t *ret,
                    struct hr_error *err)
{
        bool neg = v->scalar.len > 1 && v->scalar.text[0] == '-';
        struct json digits = *v;
        unsigned long long u;

        if (neg) {
                digits.scalar.text++;
                digits.scalar.len--;
        }
        if (json_get_uint(&digits, neg ? (unsigned long long)INT64_MAX + 1 : INT64_MAX, &u) < 0)
                return rule_fail(ctx, path, err, "expected a 64-bit integer, got '%s'",
                                 v->scalar.text);
        *ret = !neg ? (int64_t)u : u > (unsigned long long)INT64_MAX ? INT64_MIN : -(int64_t)u;
        return 0;
}

/* linux.resources.<group>.limit: absent, 0 or negative (runc: no limit, -1 "max") becomes
 * value when value is positive. The objects on the way are created only to set it. */
static int default_limit(struct rule_ctx *ctx, struct json *doc, const char *group, int64_t value,
                         struct hr_error *err)
{
        struct json *linux_obj = NULL, *resources = NULL, *obj = NULL, *limit = NULL;
        char group_path[RULE_PATH_MAX], path[RULE_PATH_MAX];
        int64_t current = 0;
        int r;

        snprintf(group_path, sizeof(group_path), "/linux/resources/%s", group);
        snprintf(path, sizeof(path), "%s/limit", group_path);
        if ((r = rule_field(ctx, doc, "", "linux", JSON_OBJECT, false, &linux_obj, err)) < 0 ||
            (linux_obj && (r = rule_field(ctx, linux_obj, "/linux", "resources", JSON_OBJECT, false,
                                          &resources, err)) < 0) ||
            (resources && (r = rule_field(ctx, resources, "/linux/resources", group, JSON_OBJECT,
                                          false, &obj, err)) < 0) ||
            (obj && (r = rule_field(ctx, obj, group_path, "limit", JSON_NUMBER, false, &limit,
                                    err)) < 0) ||
            (limit && (r = int64_of(ctx, limit, path, &current, err)) < 0))
                return r;
        if (value <= 0 || current > 0)
                return 0;
        if ((r = rule_field(ctx, doc, "", "linux", JSON_OBJECT, true, &linux_obj, err)) < 0 ||
            (r = rule_field(ctx, linux_obj, "/linux", "resources", JSON_OBJECT, true, &resources,
                            err)) < 0 ||
            (r = rule_field(ctx, resources, "/linux/resources", group, JSON_OBJECT, true, &obj,
                            err)) < 0)
                return r;
        return rule_set(ctx, obj, group_path, "limit", json_new_int(value), err);
}

/* "max" as the kernel reads pids.max and memory.max: up to a NUL, blanks trimmed. */
static bool is_max(const char *s)
{
        size_t n;

        while (isspace((unsigned char)*s))
                s++;
        n = strlen(s);
        while (n > 0 && isspace((unsigned char)s[n - 1]))
                n--;
        return n == strlen("max") && strncmp(s, "max", n) == 0;
}

/* cgroup v2's linux.resources.unified is written after the limits above (runc's fs2 Set, crun)
 * and wins: a "max" there lifts the limit the rule sees. Dropped, so the limit holds. */
static int drop_unified_max(struct rule_ctx *ctx, struct json *doc, const char *key,
                            struct hr_error *err)
{
        struct json *linux_obj, *resources = NULL, *unified = NULL;
        char path[RULE_PATH_MAX];
        int r;

        if ((r = rule_field(ctx, doc, "", "linux", JSON_OBJECT, false, &linux_obj, err)) <= 0 ||
            (r = rule_field(ctx, linux_obj, "/linux", "resources", JSON_OBJECT, false, &resources,
                            err)) <= 0 ||
            (r = rule_field(ctx, resources, "/linux/resources", "unified", JSON_OBJECT, false,
                            &unified, err)) <= 0)
                return r;
        snprintf(path, sizeof(path), "/linux/resources/unified/%s", key);
        /* A Go map: its keys are matched exactly. */
        for (size_t i = 0; i < unified->object.n; i++) {
                const struct json_member *m = &unified->object.members[i];
                if (strcmp(m->key, key) != 0)
                        continue;
                if (m->value->type != JSON_STRING && m->value->type != JSON_NULL)
                        return rule_fail(ctx, path, err, "expected string, got %s",
                                         json_type_name(m->value->type));
                if (m->value->type == JSON_NULL || !is_max(m->value->scalar.text))
                        return 0;
                if ((r = rule_record(ctx, path, m->value, NULL, err)) < 0)
                        return r;
                if ((r = json_object_remove_at(unified, i)) < 0)
                        return error_set(err, r, "out of memory");
                return 0;
        }
        return 0;
}

static int apply_resources(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        const struct policy *p = ctx->policy;
        struct json *process, *adj;
        const char *prefix;
        char path[RULE_PATH_MAX];
        int64_t value;
        int r;

        if ((r = default_limit(ctx, doc, "pids", p->resources.pids_limit, err)) < 0 ||
            (r = default_limit(ctx, doc, "memory", p->resources.memory_limit, err)) < 0 ||
            (p->resources.pids_limit > 0 &&
             (r = drop_unified_max(ctx, doc, "pids.max", err)) < 0) ||
            (p->resources.memory_limit > 0 &&
             (r = drop_unified_max(ctx, doc, "memory.max", err)) < 0))
                return r;

        /* Absent: the container inherits the runtime's own score, which the rule leaves be. */
        r = rule_process(ctx, doc, &process, &prefix, err);
        if (r <= 0)
                return r;
        r = rule_field(ctx, process, prefix, "oomScoreAdj", JSON_NUMBER, false, &adj, err);
        if (r <= 0)
                return r;
        snprintf(path, sizeof(path), "%s/oomScoreAdj", prefix);
        if ((r = int64_of(ctx, adj, path, &value, err)) < 0)
                return r;
        if (value >= p->resources.oom_score_adj_min)
                return 0;
        return rule_set(ctx, process, prefix, "oomScoreAdj",
                        json_new_int(p->resources.oom_score_adj_min), err);
}

/* Exec processes: runc and crun set the OOM score only when they create a container, and an
 * exec process file has no linux.resources. */
static const char *const owns[] = {"/linux/resources/pids/limit", "/linux/resources/memory/limit",
                                   "/linux/resources/unified", "/process/oomScoreAdj", NULL};

const struct rule rule_resources = {
        .id = RULE_RESOURCES,
        .name = "resources",
        .owns = owns,
        .for_process = false,
        .apply = apply_resources,
};
