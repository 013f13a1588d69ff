/* The rule engine under the built-in default policy (enforce): the hardened document writes
 * out as JSON that parses back equal, and hardening it again changes nothing (report-only
 * findings, a secret still in the environment, may recur). The input is tried as a
 * config.json and as an exec process file. */
#include "fuzz.h"
#include "harden.h"

static struct policy *policy;

static void check_kind(enum spec_kind kind, const struct json *input)
{
        struct harden_result res = {{0}}, res2 = {{0}};
        struct hr_error err = {0};
        struct json *doc = json_clone(input), *again = NULL, *before;
        char *out = NULL;
        size_t len = 0;
        int r;

        fuzz_assert(doc, "out of memory");
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
        }
        if (json_parse((const char *)data, size, &fuzz_config_limits, &doc, &err) < 0)
                return 0;
        check_kind(SPEC_CONFIG, doc);
        check_kind(SPEC_PROCESS, doc);
        json_free(doc);
        return 0;
}
