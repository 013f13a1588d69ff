/* Policy checks on the runtime's inline exec flags: every rule's exec-flag check, in rule order,
 * judged in the rule's mode. */
#include "execflags.h"

#include "harden.h"
#include "rules/registry.h"
#include "rules/rule.h"

int execflags_check(struct policy *p, const struct cli_exec_flags *flags, struct findings *out,
                    bool *ret_denied, struct hr_error *err)
{
        bool denied = false;
        int r;

        for (int id = 0; id < _RULE_MAX; id++) {
                const struct rule *rule = rule_get((enum rule_id)id);
                enum hr_mode mode = p->rule_mode[id];
                struct rule_ctx ctx = {
                        .policy = p,
                        .settings = p->rule_settings[id],
                        .kind = SPEC_PROCESS,
                        .file = "argv",
                        .rule = (enum rule_id)id,
                        .findings = out,
                };
                size_t first = out->n;

                if (!rule->check_exec_flags || mode == HR_MODE_OFF)
                        continue;
                if ((r = rule->check_exec_flags(&ctx, flags, err)) < 0)
                        return r;
                /* argv is passed on unchanged: every finding is one no rewrite fixes, refused
                 * in enforce and deny mode, would_deny in audit. */
                for (size_t i = first; i < out->n; i++) {
                        struct finding *f = &out->items[i];
                        f->mode = mode;
                        f->action = harden_finding_action(p, mode, f);
                        if (f->action == FINDING_DENIED)
                                denied = true;
                }
        }
        *ret_denied = denied;
        return 0;
}
