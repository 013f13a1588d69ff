/* Policy checks on the runtime's inline exec flags: every rule's exec-flag check, in rule order,
 * judged in the rule's mode. */
#include "execflags.h"

#include "exemptions.h"
#include "harden.h"
#include "rules/registry.h"
#include "rules/rule.h"

/* A rule an id exemption takes out of this container: what its check would have refused is
 * dropped, and the exemption recorded in its place. Nothing is recorded when the flags give the
 * rule nothing to refuse: the exec's process is judged (and its exemptions recorded) apart. */
static int check_exempted(struct rule_ctx *ctx, const struct rule *rule, enum hr_mode mode,
                          int exemption, const struct cli_exec_flags *flags, struct findings *out,
                          struct hr_error *err)
{
        struct findings dropped = {0};
        int r;

        ctx->findings = &dropped;
        r = rule->check_exec_flags(ctx, flags, err);
        if (r >= 0 && dropped.n > 0 &&
            (r = harden_record_exemption(out, ctx->policy, ctx->rule, mode, exemption)) < 0)
                r = error_set(err, r, "out of memory");
        findings_clear(&dropped);
        return r;
}

int execflags_check(struct policy *p, const char *container_id, const struct cli_exec_flags *flags,
                    struct findings *out, bool *ret_denied, struct hr_error *err)
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
                        .container_id = container_id,
                        .rule = (enum rule_id)id,
                        .findings = out,
                };
                size_t first = out->n;
                int e;

                if (!rule->check_exec_flags || mode == HR_MODE_OFF)
                        continue;
                /* As for an exec's process file: no annotations here, only ids match. */
                e = p->n_exemptions > 0 ? exemption_find(p, (enum rule_id)id, container_id, NULL)
                                        : -1;
                if (e >= 0) {
                        if ((r = check_exempted(&ctx, rule, mode, e, flags, out, err)) < 0)
                                return r;
                        continue;
                }
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
