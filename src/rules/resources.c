/* resources: every container gets a pids limit (a fork bomb stays inside it), the policy's
 * memory limit where the spec has none, and no OOM score adjustment below the policy's floor,
 * which would let the container outlive the host's own daemons. Limits the spec sets are kept:
 * the rule fills in defaults, engines' and admins' own limits stay as they are. CIS 5.11, 5.29
 * (5.12's CPU shares are relative weights: no default fits every host). */
#include <ctype.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "rules/helpers.h"
#include "rules/resources.h"
#include "rules/terms.h"
#include "util/cleanup.h"

#define DEFAULT_PIDS_LIMIT 4096          /* twice containers.conf's 2048 */
#define DEFAULT_OOM_SCORE_ADJ_MIN (-998) /* kubelet gives pods -997 at the lowest */
#define MEMORY_LIMIT_MIN (6 * 1024 * 1024)

/* A limit below 4 MiB kills the runtime's own init (runc refuses below 6 MiB). */
static int check_memory_limit(struct settings_parser *sp, const char *path, const void *field)
{
        int64_t limit = *(const int64_t *)field;

        if (limit > 0 && limit < MEMORY_LIMIT_MIN)
                return settings_fail(sp, path,
                                     "%" PRId64 " bytes is below 6 MiB, which runc refuses; 0 "
                                     "adds no limit",
                                     limit);
        return 0;
}

static const struct setting settings[] = {
        {"pids_limit", &setting_int64, offsetof(struct resources_settings, pids_limit), .min = 0,
         .max = INT64_MAX, .description = "pids limit added where the spec has none; 0 adds none"},
        {"memory_limit", &setting_int64, offsetof(struct resources_settings, memory_limit),
         .min = 0, .max = INT64_MAX, .check = check_memory_limit,
         .description = "memory limit in bytes added where the spec has none; 0 adds none, "
                        "else at least 6 MiB"},
        {"oom_score_adj_min", &setting_int64,
         offsetof(struct resources_settings, oom_score_adj_min), .min = -1000, .max = 1000,
         .description = "lowest oomScoreAdj kept, -1000 to 1000"},
};

static const struct resources_settings defaults = {
        .pids_limit = DEFAULT_PIDS_LIMIT,
        .oom_score_adj_min = DEFAULT_OOM_SCORE_ADJ_MIN,
};

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
        const struct resources_settings *own = ctx->settings;
        struct json *process, *adj;
        const char *prefix;
        char path[RULE_PATH_MAX];
        int64_t value;
        int r;

        if ((r = default_limit(ctx, doc, "pids", own->pids_limit, err)) < 0 ||
            (r = default_limit(ctx, doc, "memory", own->memory_limit, err)) < 0 ||
            (own->pids_limit > 0 && (r = drop_unified_max(ctx, doc, "pids.max", err)) < 0) ||
            (own->memory_limit > 0 && (r = drop_unified_max(ctx, doc, "memory.max", err)) < 0))
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
        if (value >= own->oom_score_adj_min)
                return 0;
        return rule_set(ctx, process, prefix, "oomScoreAdj", json_new_int(own->oom_score_adj_min),
                        err);
}

/* Exec processes: runc and crun set the OOM score only when they create a container, and an
 * exec process file has no linux.resources. */
static const char *const owns[] = {"/linux/resources/pids/limit", "/linux/resources/memory/limit",
                                   "/linux/resources/unified", "/process/oomScoreAdj", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "resources",
        .summary = "a pids limit, a memory limit if the policy has one, and an OOM "
                   "score floor",
        .enforce = "linux.resources.pids.limit absent, 0 or negative (no limit in runc) "
                   "becomes pids_limit; linux.resources.memory.limit absent, 0 or "
                   "negative becomes memory_limit when that is set; process.oomScoreAdj "
                   "below oom_score_adj_min is raised to it. A limit the spec sets is "
                   "kept, also above the policy's value: the rule fills in defaults. "
                   "Exec processes are left alone: runc and crun set the OOM score "
                   "only at create.",
        .deny = "no pids limit; no memory limit (when memory_limit is set); "
                "oomScoreAdj below the floor",
        .spec = "linux.resources.pids.limit, linux.resources.memory.limit, "
                "process.oomScoreAdj",
        .cis = "5.11 (memory usage for containers is limited), 5.29 (the PIDs cgroup "
               "limit is used); 5.12 (CPU priority) is not set: shares are relative "
               "weights with no default that fits every host",
        .pss = "none (Kubernetes leaves limits to LimitRange and ResourceQuota)",
};

/* A limit left out; a pod's pids limit is the node's, nothing its spec sets. */
static bool engine_term_resources(const struct finding *f, const struct json *spec, bool cli,
                                  char *buf, size_t size)
{
        (void)spec;
        if (strcmp(f->path, "/linux/resources/pids/limit") == 0)
                return term_words(cli, "no --pids-limit", NULL, buf, size);
        if (strcmp(f->path, "/linux/resources/memory/limit") == 0)
                return term_words(cli, "no --memory", "no resources.limits.memory", buf, size);
        return false;
}

const struct rule rule_resources = {
        .id = RULE_RESOURCES,
        .name = "resources",
        .owns = owns,
        .for_process = false,
        .settings = settings,
        .n_settings = ELEMENTSOF(settings),
        .settings_size = sizeof(struct resources_settings),
        .defaults = &defaults,
        .apply = apply_resources,
        .engine_term = engine_term_resources,
        .doc = &doc,
};
