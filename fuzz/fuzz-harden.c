/* The rule engine under the built-in default policy (enforce): the hardened document writes
 * out as JSON that parses back equal, and hardening it again changes nothing (report-only
 * findings, a secret still in the environment, may recur). Under the same policy with every
 * rule in audit, then in deny mode, the document stays byte for byte what it was: rules edit
 * it under a checkpoint that must undo everything. The input is tried as a config.json and as
 * an exec process file. */
#include <string.h>

#include "fuzz.h"
#include "harden.h"

static struct policy *policy, *audit_all, *deny_all;

static struct policy *every_rule_in(enum hr_mode mode)
{
        struct policy *p = policy_new_default();

        fuzz_assert(p, "no default policy");
        for (int id = 0; id < _RULE_MAX; id++)
                p->rule_mode[id] = mode;
        return p;
}

/* Whatever the rules did (changes, findings, an error half way), the document is the input. */
static void check_untouched(struct policy *p, enum spec_kind kind, const struct json *input,
                            const char *want, size_t want_len)
{
        struct harden_result res = {{0}};
        struct hr_error err = {0};
        struct json *doc = json_clone(input);
        char *out = NULL;
        size_t len = 0;

        fuzz_assert(doc, "out of memory");
        (void)harden_spec(p, kind, "config.json", doc, &res, &err);
        fuzz_assert(json_write(doc, &out, &len, &err) == 0, "document does not write: %s", err.msg);
        fuzz_assert(len == want_len && memcmp(out, want, len) == 0, "%s mode changed the document",
                    p == audit_all ? "audit" : "deny");
        harden_result_done(&res);
        free(out);
        json_free(doc);
}

static void check_kind(enum spec_kind kind, const struct json *input)
{
        struct harden_result res = {{0}}, res2 = {{0}};
        struct hr_error err = {0};
        struct json *doc = json_clone(input), *again = NULL, *before;
        char *out = NULL;
        size_t len = 0;
        int r;

        fuzz_assert(doc, "out of memory");
        r = json_write(input, &out, &len, &err);
        fuzz_assert(r == 0, "input does not write: %s", err.msg);
        check_untouched(audit_all, kind, input, out, len);
        check_untouched(deny_all, kind, input, out, len);
        free(out);
        out = NULL;
        r = harden_spec(policy, kind, "config.json", doc, &res, &err);
        if (r < 0 || res.denied) {
                harden_result_done(&res);
                json_free(doc);
                return;
        }
        r = json_write(doc, &out, &len, &err);
        fuzz_assert(r == 0, "hardened document does not write: %s", err.msg);
        r = json_parse(out, len, &fuzz_config_limits, &again, &err);
        fuzz_assert(r == 0, "hardened output does not parse: %s", err.msg);
        fuzz_assert(json_equal(doc, again), "hardened output parses into another document");
        fuzz_assert(res.changed || json_equal(doc, input), "document edited, changed not set");
        before = json_clone(again);
        fuzz_assert(before, "out of memory");
        r = harden_spec(policy, kind, "config.json", again, &res2, &err);
        fuzz_assert(r == 0, "second run failed: %s", err.msg);
        fuzz_assert(!res2.denied, "second run denied");
        for (size_t i = 0; i < res2.findings.n; i++)
                fuzz_assert(res2.findings.items[i].report_only,
                            "second run found more to change (%s, rule %s)",
                            res2.findings.items[i].path,
                            rule_id_to_string(res2.findings.items[i].rule));
        fuzz_assert(json_equal(before, again), "second run edited the document");
        harden_result_done(&res2);
        harden_result_done(&res);
        json_free(before);
        json_free(again);
        json_free(doc);
        free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct hr_error err = {0};
        struct json *doc = NULL;

        if (!policy) {
                policy = policy_new_default();
                fuzz_assert(policy, "no default policy");
                audit_all = every_rule_in(HR_MODE_AUDIT);
                deny_all = every_rule_in(HR_MODE_DENY);
        }
        if (json_parse((const char *)data, size, &fuzz_config_limits, &doc, &err) < 0)
                return 0;
        check_kind(SPEC_CONFIG, doc);
        check_kind(SPEC_PROCESS, doc);
        json_free(doc);
        return 0;
}
