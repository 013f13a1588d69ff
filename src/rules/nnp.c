/* no_new_privileges: execve can never gain privileges (setuid binaries, file capabilities). */
#include "rules/helpers.h"
#include "rules/terms.h"

static int apply_no_new_privileges(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct json *process, *v;
        const char *prefix;
        int r;

        r = rule_process(ctx, doc, &process, &prefix, err);
        if (r <= 0)
                return r;
        r = rule_field(ctx, process, prefix, "noNewPrivileges", JSON_TRUE, false, &v, err);
        if (r < 0)
                return r;
        if (r == 1 && v->type == JSON_TRUE)
                return 0;
        return rule_set(ctx, process, prefix, "noNewPrivileges", json_new_bool(true), err);
}

static const char *const owns[] = {"/process/noNewPrivileges", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "no_new_privileges",
        .summary = "execve cannot gain privileges",
        .enforce = "process.noNewPrivileges becomes true, so setuid binaries and file "
                   "capabilities grant nothing.",
        .deny = "process.noNewPrivileges absent or false",
        .spec = "process.noNewPrivileges",
        .cis = "5.26 (the container is restricted from acquiring additional "
               "privileges)",
        .pss = "restricted: Privilege Escalation (allowPrivilegeEscalation: false)",
};

static bool engine_term_no_new_privileges(const struct finding *f, const struct json *spec,
                                          bool cli, char *buf, size_t size)
{
        (void)f;
        (void)spec;
        return term_words(cli, "no --security-opt no-new-privileges",
                          "allowPrivilegeEscalation not false", buf, size);
}

const struct rule rule_no_new_privileges = {
        .id = RULE_NO_NEW_PRIVILEGES,
        .name = "no_new_privileges",
        .owns = owns,
        .for_process = true,
        .apply = apply_no_new_privileges,
        .engine_term = engine_term_no_new_privileges,
        .doc = &doc,
};
