/* capabilities: every set reduced to the policy's allowlist (default: none). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "capability.h"
#include "rules/caps.h"
#include "rules/helpers.h"
#include "rules/terms.h"
#include "util/cleanup.h"

static const char *const set_names[] = {"bounding", "effective", "permitted", "inheritable",
                                        "ambient"};

/* Inheritable and ambient caps survive execve into unprivileged programs (CVE-2022-24769); they
 * are kept only when the policy says so. Where a user namespace maps root onto an unprivileged
 * host id, capabilities act on that namespace's own objects only: allow_in_user_namespace adds
 * those the policy grants there. */
static uint64_t allowed_for_set(const struct caps_settings *own, size_t set, bool remapped)
{
        if (set >= 3 && !own->inheritable)
                return 0;
        return own->allow | (remapped ? own->allow_remapped : 0);
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

/* A capability list in the policy: names as libcap spells them, with or without "CAP_", any
 * case; a mask in the settings, shown as CAP_ names. */
static int caps_parse(struct settings_parser *sp, const struct setting *s, const struct json *v,
                      const char *path, void *field)
{
        uint64_t mask = 0;
        int r;

        (void)s;
        if ((r = settings_expect(sp, v, JSON_ARRAY, path)) < 0)
                return r;
        for (size_t i = 0; i < v->array.n; i++) {
                const struct json *item = v->array.items[i];
                char item_path[96];
                unsigned cap;
                snprintf(item_path, sizeof(item_path), "%s/%zu", path, i);
                if ((r = settings_expect(sp, item, JSON_STRING, item_path)) < 0)
                        return r;
                if (!json_is_clean_string(item) ||
                    capability_from_name(item->scalar.text, &cap) < 0)
                        return settings_fail(sp, item_path, "unknown capability '%s'",
                                             item->scalar.text);
                mask |= UINT64_C(1) << cap;
        }
        *(uint64_t *)field = mask;
        return 0;
}

static int caps_show(const struct setting *s, const void *field, struct json **ret)
{
        (void)s;
        *ret = names_for_mask(*(const uint64_t *)field);
        return *ret ? 0 : -ENOMEM;
}

static const struct setting_type setting_caps = {
        .doc = "array of strings",
        .parse = caps_parse,
        .show = caps_show,
        .size = sizeof(uint64_t),
};

static const struct setting settings[] = {
        {"allow", &setting_caps, offsetof(struct caps_settings, allow),
         .description = "capabilities kept, as \"NET_BIND_SERVICE\", \"CAP_NET_BIND_SERVICE\" or "
                        "\"net_bind_service\"; shown as CAP_ names"},
        {"inheritable", &setting_bool, offsetof(struct caps_settings, inheritable),
         .description = "also allow them in the inheritable and ambient sets"},
        {"allow_in_user_namespace", &setting_caps, offsetof(struct caps_settings, allow_remapped),
         .description = "capabilities also kept where a user namespace maps root onto an "
                        "unprivileged host id (they then act inside that namespace only)"},
};

static const struct caps_settings defaults = {0};

static int apply_capabilities(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        const struct caps_settings *own = ctx->settings;
        char caps_path[RULE_PATH_MAX];
        struct json *process, *caps;
        const char *prefix;
        bool remapped;
        int r;

        r = rule_process(ctx, doc, &process, &prefix, err);
        if (r <= 0)
                return r;
        remapped = own->allow_remapped && user_namespace_remaps_root(ctx, doc);
        r = rule_field(ctx, process, prefix, "capabilities", JSON_OBJECT, false, &caps, err);
        if (r < 0)
                return r;
        if (r == 0) {
                /* No capabilities object: runc then keeps every capability it has. */
                struct json *full = json_new_object();
                for (size_t s = 0; full && s < ELEMENTSOF(set_names); s++)
                        if (json_object_set(full, set_names[s],
                                            names_for_mask(allowed_for_set(own, s, remapped))) < 0)
                                full = json_free(full);
                return rule_set(ctx, process, prefix, "capabilities", full, err);
        }

        snprintf(caps_path, sizeof(caps_path), "%s/capabilities", prefix);
        for (size_t s = 0; s < ELEMENTSOF(set_names); s++) {
                uint64_t allowed = allowed_for_set(own, s, remapped);
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

/* runc's --cap adds a capability to the exec's sets: one outside allow is refused. */
static int check_exec_flags_caps(struct rule_ctx *ctx, const struct cli_exec_flags *flags,
                                 struct hr_error *err)
{
        const struct caps_settings *own = ctx->settings;
        int r;

        for (size_t i = 0; i < flags->n_caps; i++) {
                unsigned cap;
                if (capability_from_name(flags->caps[i], &cap) == 0 &&
                    (own->allow & (UINT64_C(1) << cap)))
                        continue;
                if ((r = rule_refuse_flag(ctx, "--cap", flags->caps[i], NULL, err)) < 0)
                        return r;
        }
        return 0;
}

static const char *const owns[] = {"/process/capabilities", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "capabilities",
        .summary = "every capability set is reduced to an allowlist",
        .enforce = "bounding, effective and permitted are intersected with allow; "
                   "inheritable and ambient are emptied unless inheritable is true "
                   "(CVE-2022-24769). A process without a capabilities object, which "
                   "runc would leave with every capability, gets one with the allowed "
                   "sets.",
        .deny = "a capability outside the allowlist in any set",
        .spec = "process.capabilities.{bounding,effective,permitted,inheritable,ambient}",
        .cis = "5.4 (Linux kernel capabilities are restricted within containers)",
        .pss = "baseline: Capabilities (only Docker's defaults minus NET_RAW may be "
               "added); restricted: Capabilities (drop ALL, add back only "
               "NET_BIND_SERVICE)",
};

static bool engine_term_capabilities(const struct finding *f, const struct json *spec, bool cli,
                                     char *buf, size_t size)
{
        (void)f;
        (void)spec;
        return term_words(cli, "capabilities (--cap-add, or the default set: --cap-drop ALL)",
                          "securityContext.capabilities (drop: [ALL])", buf, size);
}

const struct rule rule_capabilities = {
        .id = RULE_CAPABILITIES,
        .name = "capabilities",
        .owns = owns,
        .for_process = true,
        .settings = settings,
        .n_settings = ELEMENTSOF(settings),
        .settings_size = sizeof(struct caps_settings),
        .defaults = &defaults,
        .apply = apply_capabilities,
        .check_exec_flags = check_exec_flags_caps,
        .engine_term = engine_term_capabilities,
        .doc = &doc,
};
