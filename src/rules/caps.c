/* capabilities: every set reduced to the policy's allowlist (default: none). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "capability.h"
#include "rules/helpers.h"
#include "util/cleanup.h"

static const char *const set_names[] = {"bounding", "effective", "permitted", "inheritable",
                                        "ambient"};

/* Inheritable and ambient caps survive execve into unprivileged programs (CVE-2022-24769); they
 * are kept only when the policy says so. Where a user namespace maps root onto an unprivileged
 * host id, capabilities act on that namespace's own objects only: allow_in_user_namespace adds
 * those the policy grants there. */
static uint64_t allowed_for_set(const struct policy *p, size_t set, bool remapped)
{
        if (set >= 3 && !p->caps.inheritable)
                return 0;
        return p->caps.allow | (remapped ? p->caps.allow_remapped : 0);
}

static struct json *names_for_mask(uint64_t mask)
{
        struct json *array = json_new_array();
        char name[64];

        for (unsigned cap = 0; array && cap < 64; cap++) {
                char *text;
                if (!(mask & (UINT64_C(1) << cap)))
                        continue;
                text = capability_to_name(cap, name, sizeof(name));
                if (!text || json_array_append(array, json_new_string(text)) < 0)
                        return json_free(array);
        }
        return array;
}

static int apply_capabilities(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        const struct policy *p = ctx->policy;
        char caps_path[RULE_PATH_MAX];
        struct json *process, *caps;
        const char *prefix;
        bool remapped;
        int r;

        r = rule_process(ctx, doc, &process, &prefix, err);
        if (r <= 0)
                return r;
        remapped = p->caps.allow_remapped && user_namespace_remaps_root(ctx, doc);
        r = rule_field(ctx, process, prefix, "capabilities", JSON_OBJECT, false, &caps, err);
        if (r < 0)
                return r;
        if (r == 0) {
                /* No capabilities object: runc then keeps every capability it has. */
                struct json *full = json_new_object();
                for (size_t s = 0; full && s < ELEMENTSOF(set_names); s++)
                        if (json_object_set(full, set_names[s],
                                            names_for_mask(allowed_for_set(p, s, remapped))) < 0)
                                full = json_free(full);
                return rule_set(ctx, process, prefix, "capabilities", full, err);
        }

        snprintf(caps_path, sizeof(caps_path), "%s/capabilities", prefix);
        for (size_t s = 0; s < ELEMENTSOF(set_names); s++) {
                uint64_t allowed = allowed_for_set(p, s, remapped);
                char path[RULE_PATH_MAX];
                struct json *set, *before;
                bool changed = false;

                r = rule_field(ctx, caps, caps_path, set_names[s], JSON_ARRAY, false, &set, err);
                if (r < 0)
                        return r;
                if (r == 0)
                        continue; /* an absent set is an empty one */
                snprintf(path, sizeof(path), "%s/%s", caps_path, set_names[s]);
                before = json_clone(set);
                if (!before)
                        return error_set(err, -ENOMEM, "out of memory");
                for (size_t i = set->array.n; i-- > 0;) {
                        const struct json *item = set->array.items[i];
                        unsigned cap;
                        if (item->type != JSON_STRING) {
                                char item_path[RULE_PATH_MAX];
                                snprintf(item_path, sizeof(item_path), "%s/%zu", path, i);
                                json_free(before);
                                return rule_fail(ctx, item_path, err, "expected string, got %s",
                                                 json_type_name(item->type));
                        }
                        /* Unknown names are dropped too: nothing outside the list stays. */
                        if (json_is_clean_string(item) &&
                            capability_from_name(item->scalar.text, &cap) == 0 &&
                            (allowed & (UINT64_C(1) << cap)))
                                continue;
                        if ((r = json_array_remove(set, i)) < 0) {
                                json_free(before);
                                return error_set(err, r, "out of memory");
                        }
                        changed = true;
                }
                r = changed ? rule_record(ctx, path, before, set, err) : 0;
                json_free(before);
                if (r < 0)
                        return r;
        }
        return 0;
}

static const char *const owns[] = {"/process/capabilities", NULL};

const struct rule rule_capabilities = {
        .id = RULE_CAPABILITIES,
        .name = "capabilities",
        .owns = owns,
        .for_process = true,
        .apply = apply_capabilities,
};
