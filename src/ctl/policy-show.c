/* `hardrunctl policy show`: the policy's tables shown with every default, the rules one by
 * one in rule order. */
#include "policy-show.h"

#include <errno.h>

#include "rules/registry.h"
#include "rules/rule.h"
#include "settings.h"

/* Each rule as {"mode": ..., its fields from its descriptor's table}. */
static int show_rules(const struct policy *p, struct json *rules)
{
        int r;

        for (int id = 0; id < _RULE_MAX; id++) {
                const struct rule *rule = rule_get((enum rule_id)id);
                struct json *obj = json_new_object();
                if (!obj)
                        return -ENOMEM;
                if ((r = json_object_set(rules, rule_id_to_string((enum rule_id)id), obj)) < 0 ||
                    (r = json_object_set(obj, "mode",
                                         json_new_string(hr_mode_to_string(p->rule_mode[id])))) < 0)
                        return r;
                if (p->rule_settings[id] && (r = settings_show(rule->settings, rule->n_settings,
                                                               p->rule_settings[id], obj)) < 0)
                        return r;
        }
        return 0;
}

int policy_to_json(const struct policy *p, struct json **ret, struct hr_error *err)
{
        struct json *doc = json_new_object();
        int r;

        if (!doc)
                return error_set(err, -ENOMEM, "out of memory");
        /* The top level's table writes "rules" as an empty object, filled here. */
        if ((r = settings_show(policy_settings, policy_n_settings, p, doc)) < 0 ||
            (r = show_rules(p, json_object_get(doc, "rules"))) < 0) {
                json_free(doc);
                if (r == -EINVAL)
                        return error_set(err, r, "%s: a capability has no name in this libcap",
                                         p->source);
                return error_set(err, r, "out of memory");
        }
        *ret = doc;
        return 0;
}
