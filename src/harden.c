/* The rule loop: one pass over the rule table with each rule's mode applied. */
#include "harden.h"

#include <errno.h>
#include <string.h>

#include "bounds.h"
#include "exemptions.h"

/* The spec's objects that runc decodes into Go maps, whose keys match exactly. */
static const char *const go_maps[] = {"annotations", "sysctl", "netDevices", "unified", NULL};

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

/* Only a parsed key can hold a NUL: the document knows whether one does, and most never need
 * the walk. */
const char *harden_nul_key(const struct json *doc)
{
        return json_doc_has_nul_key(doc) ? find_nul_key(doc) : NULL;
}

int harden_record_exemption(struct findings *out, const struct policy *p, enum rule_id rule,
                            enum hr_mode mode, int index)
{
        const struct policy_exemption *e = &p->exemptions[index];
        struct json *after = json_new_object();
        int r = after ? 0 : -ENOMEM;

        if (r == 0)
                r = json_object_set(after, "exemption", json_new_uint((unsigned)index));
        if (r == 0 && e->reason)
                r = json_object_set(after, "reason", json_new_string(e->reason));
        if (r == 0)
                r = findings_add(out, rule, "", NULL, after);
        json_free(after);
        if (r < 0)
                return r;
        out->items[out->n - 1].mode = mode;
        out->items[out->n - 1].action = FINDING_EXEMPTED;
        return 0;
}

/* What a finding comes to in a rule's mode. An auditing rule predicts the mode it takes once
 * its audit setting goes: the global mode, or enforce when the global mode is audit itself (the
 * rollout's next step). It records would_deny for what that mode refuses (everything in deny
 * mode; in enforce mode what no rewrite can fix) and would_change for what it rewrites. */
enum finding_action harden_finding_action(const struct policy *p, enum hr_mode mode,
                                          const struct finding *f)
{
        enum hr_mode next = p->mode == HR_MODE_DENY ? HR_MODE_DENY : HR_MODE_ENFORCE;
        enum hr_mode judged = mode == HR_MODE_AUDIT ? next : mode;
        enum finding_action a;

        if (f->report_only && judged != HR_MODE_DENY)
                a = FINDING_DETECTED;
        else if (judged == HR_MODE_DENY || f->unfixable)
                a = FINDING_DENIED;
        else
                a = FINDING_CHANGED;
        if (mode != HR_MODE_AUDIT || a == FINDING_DETECTED)
                return a;
        return a == FINDING_DENIED ? FINDING_WOULD_DENY : FINDING_WOULD_CHANGE;
}

int harden_spec(struct policy *p, enum spec_kind kind, const char *file, struct json *doc,
                struct harden_result *result, struct hr_error *err)
{
        return harden_container(p, kind, file, NULL, NULL, doc, result, err);
}

static int harden_run(struct policy *p, enum spec_kind kind, const char *file,
                      const char *container_id, const char *bundle, bool remapped, struct json *doc,
                      struct harden_result *result, struct hr_error *err);

int harden_container(struct policy *p, enum spec_kind kind, const char *file,
                     const char *container_id, const char *bundle, struct json *doc,
                     struct harden_result *result, struct hr_error *err)
{
        return harden_run(p, kind, file, container_id, bundle, false, doc, result, err);
}

int harden_exec_remapped(struct policy *p, const char *file, const char *container_id,
                         struct json *doc, struct harden_result *result, struct hr_error *err)
{
        return harden_run(p, SPEC_PROCESS, file, container_id, NULL, true, doc, result, err);
}

static int harden_run(struct policy *p, enum spec_kind kind, const char *file,
                      const char *container_id, const char *bundle, bool remapped, struct json *doc,
                      struct harden_result *result, struct hr_error *err)
{
        const char *nul_key;
        int r = 0, k;

        *result = (struct harden_result){{0}};
        if (doc->type != JSON_OBJECT)
                return error_set(err, -EINVAL, "%s: expected a JSON object, got %s", file,
                                 json_type_name(doc->type));
        /* As policy.c refuses such keys in the policy. */
        if ((nul_key = harden_nul_key(doc)))
                return error_set(err, -EINVAL,
                                 "%s: key '%s\\u0000...' contains a NUL byte (crun would read it "
                                 "as '%s'), refusing",
                                 file, nul_key, nul_key);

        for (int id = 0; id < _RULE_MAX; id++) {
                const struct rule *rule = rule_get((enum rule_id)id);
                enum hr_mode mode = p->rule_mode[id];
                struct rule_ctx ctx = {
                        .policy = p,
                        .settings = p->rule_settings[id],
                        .kind = kind,
                        .file = file,
                        .container_id = container_id,
                        .bundle = bundle && *bundle ? bundle : ".",
                        .container_remapped = remapped,
                        .rule = (enum rule_id)id,
                        .findings = &result->findings,
                };
                size_t first = result->findings.n;

                if (mode == HR_MODE_OFF || (kind == SPEC_PROCESS && !rule->for_process))
                        continue;
                if (p->n_exemptions > 0) {
                        /* Looked up for each rule: no pointer into the document outlives a
                         * rule that edits it. An exec process file has no annotations: only
                         * ids can exempt it. */
                        const struct json *annotations =
                                kind == SPEC_CONFIG ? json_object_get(doc, "annotations") : NULL;
                        int e = exemption_find(p, (enum rule_id)id, container_id, annotations);
                        if (e >= 0) {
                                if ((r = harden_record_exemption(&result->findings, p,
                                                                 (enum rule_id)id, mode, e)) < 0) {
                                        r = error_set(err, r, "out of memory");
                                        break;
                                }
                                continue;
                        }
                }
                /* Audit and deny rules' changes are undone: the spec must stay as it was. */
                if (mode != HR_MODE_ENFORCE && (r = json_checkpoint(doc)) < 0) {
                        r = error_set(err, r, "cannot undo a rule's changes");
                        break;
                }
                r = rule->apply(&ctx, doc, err);
                if (mode != HR_MODE_ENFORCE && (k = json_rollback(doc)) < 0 && r >= 0)
                        r = error_set(err, k, "out of memory");
                if (r < 0)
                        break;
                for (size_t i = first; i < result->findings.n; i++) {
                        struct finding *f = &result->findings.items[i];
                        f->mode = mode;
                        f->action = harden_finding_action(p, mode, f);
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
