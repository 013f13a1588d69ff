/* The rule loop: one pass over the rule table with each rule's mode applied. */
#include "harden.h"

#include <errno.h>
#include <string.h>

#include "bounds.h"

/* The spec's objects that runc decodes into Go maps, whose keys match exactly. */
static const char *const go_maps[] = {"annotations", "sysctl", NULL};

const struct json_limits *harden_spec_limits(enum spec_kind kind)
{
        static const struct json_limits config = {
                .max_bytes = HR_CONFIG_MAX_BYTES,
                .max_depth = HR_JSON_MAX_DEPTH,
                .max_members = HR_JSON_MAX_MEMBERS,
                .map_members = go_maps,
        };
        static const struct json_limits process = {
                .max_bytes = HR_PROCESS_MAX_BYTES,
                .max_depth = HR_JSON_MAX_DEPTH,
                .max_members = HR_JSON_MAX_MEMBERS,
                .map_members = go_maps,
        };

        return kind == SPEC_PROCESS ? &process : &config;
}

/* The first key with an embedded NUL byte, or NULL. crun (yajl_tree, libocispec) compares keys
 * as C strings: to it "user\u0000x" is "user", a member no rule looks at. Depth is bounded by
 * the parse limits. */
static const char *find_nul_key(const struct json *n)
{
        const char *k;

        if (n->type == JSON_OBJECT) {
                for (size_t i = 0; i < n->object.n; i++) {
                        const struct json_member *m = &n->object.members[i];
                        if (strlen(m->key) != m->key_len)
                                return m->key;
                        if ((k = find_nul_key(m->value)))
                                return k;
                }
        } else if (n->type == JSON_ARRAY) {
                for (size_t i = 0; i < n->array.n; i++)
                        if ((k = find_nul_key(n->array.items[i])))
                                return k;
        }
        return NULL;
}

int harden_spec(struct policy *p, enum spec_kind kind, const char *file, struct json *doc,
                struct harden_result *result, struct hr_error *err)
{
        const char *nul_key;
        struct json *scratch = NULL;
        int r = 0;

        *result = (struct harden_result){{0}};
        if (doc->type != JSON_OBJECT)
                return error_set(err, -EINVAL, "%s: expected a JSON object, got %s", file,
                                 json_type_name(doc->type));
        /* As policy.c refuses such keys in the policy. */
        if ((nul_key = find_nul_key(doc)))
                return error_set(err, -EINVAL,
                                 "%s: key '%s\\u0000...' contains a NUL byte (crun would read it "
                                 "as '%s'), refusing",
                                 file, nul_key, nul_key);

        for (int id = 0; id < _RULE_MAX; id++) {
                const struct rule *rule = rule_get((enum rule_id)id);
                enum hr_mode mode = p->rule_mode[id];
                struct rule_ctx ctx = {
                        .policy = p,
                        .kind = kind,
                        .file = file,
                        .rule = (enum rule_id)id,
                        .findings = &result->findings,
                };
                size_t first = result->findings.n;
                struct json *target = doc;

                if (mode == HR_MODE_OFF || (kind == SPEC_PROCESS && !rule->for_process))
                        continue;
                /* Audit and deny rules work on a copy: the spec must stay as it was. */
                if (mode != HR_MODE_ENFORCE) {
                        target = scratch = json_clone(doc);
                        if (!scratch) {
                                r = error_set(err, -ENOMEM, "out of memory");
                                break;
                        }
                }
                r = rule->apply(&ctx, target, err);
                scratch = json_free(scratch);
                if (r < 0)
                        break;
                for (size_t i = first; i < result->findings.n; i++) {
                        struct finding *f = &result->findings.items[i];
                        f->mode = mode;
                        if (f->report_only && mode != HR_MODE_DENY)
                                f->action = FINDING_DETECTED;
                        else if (mode == HR_MODE_AUDIT)
                                f->action = FINDING_WOULD_CHANGE;
                        else if (mode == HR_MODE_DENY || f->unfixable)
                                f->action = FINDING_DENIED;
                        else
                                f->action = FINDING_CHANGED;
                        if (f->action == FINDING_CHANGED)
                                result->changed = true;
                        else if (f->action == FINDING_DENIED)
                                result->denied = true;
                }
        }
        if (r < 0)
                harden_result_done(result);
        return r;
}

void harden_result_done(struct harden_result *result)
{
        findings_clear(&result->findings);
        result->changed = result->denied = false;
}
