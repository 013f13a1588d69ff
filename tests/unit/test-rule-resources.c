/* Unit tests for the resources rule through harden_spec(): the pids and memory defaults, the
 * OOM score floor, limits the engine set left alone, wrong types, each mode and idempotence. */
#include "rule-harness.h"

#define PIDS(n) "{\"linux\":{\"resources\":{\"pids\":{\"limit\":" n "}}}}"
#define MEM "\"memory_limit\":67108864"

static void test_pids(void)
{
        struct run x;
        const struct finding *f;

        x = run_rule(RULE_RESOURCES, "enforce", "", SPEC_CONFIG, "{\"ociVersion\":\"1.0.2\"}");
        is_str(x.out,
               "{\"ociVersion\":\"1.0.2\",\"linux\":{\"resources\":{\"pids\":{\"limit\":4096}}}}",
               "pids: absent everywhere, the default 4096 is added");
        f = x.res.findings.n == 1 ? &x.res.findings.items[0] : NULL;
        ok(f && strcmp(f->path, "/linux/resources/pids/limit") == 0 && !f->before && f->after &&
                   strcmp(f->after->scalar.text, "4096") == 0 && f->rule == RULE_RESOURCES,
           "pids: one finding at /linux/resources/pids/limit, before absent, after 4096");
        run_done(&x);

        enforce_rule(RULE_RESOURCES, "", SPEC_CONFIG, PIDS("0"), PIDS("4096"), 1,
                     "pids: 0 (no limit) replaced");
        enforce_rule(RULE_RESOURCES, "", SPEC_CONFIG, PIDS("-1"), PIDS("4096"), 1,
                     "pids: -1 (max) replaced");
        enforce_rule(RULE_RESOURCES, "", SPEC_CONFIG, PIDS("-9223372036854775808"), PIDS("4096"), 1,
                     "pids: INT64_MIN replaced");
        enforce_rule(RULE_RESOURCES, "", SPEC_CONFIG, PIDS("-0"), PIDS("4096"), 1,
                     "pids: -0 replaced");
        enforce_rule(RULE_RESOURCES, "", SPEC_CONFIG, PIDS("null"), PIDS("4096"), 1,
                     "pids: null limit replaced");
        enforce_rule(RULE_RESOURCES, "", SPEC_CONFIG, "{\"linux\":{\"resources\":{\"pids\":null}}}",
                     PIDS("4096"), 1, "pids: null pids object replaced");
        enforce_rule(RULE_RESOURCES, "", SPEC_CONFIG, "{\"linux\":{\"resources\":{\"pids\":{}}}}",
                     PIDS("4096"), 1, "pids: empty pids object filled");
        enforce_rule(RULE_RESOURCES, "", SPEC_CONFIG, PIDS("2048"), PIDS("2048"), 0,
                     "pids: podman's 2048 kept");
        enforce_rule(RULE_RESOURCES, "", SPEC_CONFIG, PIDS("1"), PIDS("1"), 0, "pids: 1 kept");
        enforce_rule(RULE_RESOURCES, "", SPEC_CONFIG, PIDS("100000"), PIDS("100000"), 0,
                     "pids: a limit above the policy's is kept (the rule sets defaults)");
        enforce_rule(RULE_RESOURCES, "", SPEC_CONFIG, PIDS("9223372036854775807"),
                     PIDS("9223372036854775807"), 0, "pids: INT64_MAX kept");
        enforce_rule(RULE_RESOURCES, "\"pids_limit\":100", SPEC_CONFIG, PIDS("0"), PIDS("100"), 1,
                     "pids: the policy's value");
        enforce_rule(RULE_RESOURCES, "\"pids_limit\":0", SPEC_CONFIG, "{}", "{}", 0,
                     "pids: policy 0 adds nothing");
        enforce_rule(RULE_RESOURCES, "\"pids_limit\":0", SPEC_CONFIG, PIDS("-1"), PIDS("-1"), 0,
                     "pids: policy 0 leaves -1");
        enforce_rule(
                RULE_RESOURCES, "", SPEC_CONFIG,
                "{\"linux\":{\"resources\":{\"devices\":[],\"pids\":{\"limit\":0,\"x\":1}}}}",
                "{\"linux\":{\"resources\":{\"devices\":[],\"pids\":{\"limit\":4096,\"x\":1}}}}", 1,
                "pids: other members kept, the limit stays in place");
}

static void test_memory(void)
{
        static const char none[] = "{\"linux\":{\"resources\":{\"pids\":{\"limit\":5}}}}";

        enforce_rule(RULE_RESOURCES, "", SPEC_CONFIG, none, none, 0,
                     "memory: no policy limit, nothing added");
        enforce_rule(RULE_RESOURCES, MEM, SPEC_CONFIG, none,
                     "{\"linux\":{\"resources\":{\"pids\":{\"limit\":5},"
                     "\"memory\":{\"limit\":67108864}}}}",
                     1, "memory: absent, the policy's limit added");
        enforce_rule(
                RULE_RESOURCES, MEM, SPEC_CONFIG,
                "{\"linux\":{\"resources\":{\"pids\":{\"limit\":5},\"memory\":{\"limit\":-1,"
                "\"swap\":-1}}}}",
                "{\"linux\":{\"resources\":{\"pids\":{\"limit\":5},\"memory\":{\"limit\":67108864,"
                "\"swap\":-1}}}}",
                1, "memory: -1 (unlimited) replaced, swap kept");
        enforce_rule(
                RULE_RESOURCES, MEM, SPEC_CONFIG,
                "{\"linux\":{\"resources\":{\"pids\":{\"limit\":5},\"memory\":{\"limit\":0}}}}",
                "{\"linux\":{\"resources\":{\"pids\":{\"limit\":5},"
                "\"memory\":{\"limit\":67108864}}}}",
                1, "memory: 0 replaced");
        enforce_rule(RULE_RESOURCES, MEM, SPEC_CONFIG,
                     "{\"linux\":{\"resources\":{\"pids\":{\"limit\":5},"
                     "\"memory\":{\"limit\":1073741824}}}}",
                     "{\"linux\":{\"resources\":{\"pids\":{\"limit\":5},"
                     "\"memory\":{\"limit\":1073741824}}}}",
                     0, "memory: the engine's limit kept, even above the policy's");
        enforce_rule(RULE_RESOURCES, MEM, SPEC_CONFIG, "{}",
                     "{\"linux\":{\"resources\":{\"pids\":{\"limit\":4096},"
                     "\"memory\":{\"limit\":67108864}}}}",
                     2, "memory and pids both added");
}

/* cgroup v2's linux.resources.unified is written after pids and memory (runc fs2 Set, crun),
 * so a "max" there undoes the limit the rule sees. */
#define UNIFIED(pids, u) "{\"linux\":{\"resources\":{" pids "\"unified\":" u "}}}"
static void test_unified(void)
{
        enforce_rule(RULE_RESOURCES, "", SPEC_CONFIG,
                     UNIFIED("", "{\"pids.max\":\"max\",\"cpu.weight\":\"50\"}"),
                     "{\"linux\":{\"resources\":{\"unified\":{\"cpu.weight\":\"50\"},"
                     "\"pids\":{\"limit\":4096}}}}",
                     2, "unified: pids.max max dropped, the default added");
        enforce_rule(
                RULE_RESOURCES, "", SPEC_CONFIG,
                UNIFIED("\"pids\":{\"limit\":100},", "{\"pids.max\":\" max\\n\"}"),
                UNIFIED("\"pids\":{\"limit\":100},", "{}"), 1,
                "unified: pids.max max (as the kernel trims it) dropped, the spec's limit kept");
        enforce_rule(RULE_RESOURCES, "", SPEC_CONFIG,
                     UNIFIED("\"pids\":{\"limit\":100},", "{\"pids.max\":\"200\"}"),
                     UNIFIED("\"pids\":{\"limit\":100},", "{\"pids.max\":\"200\"}"), 0,
                     "unified: a numeric pids.max is a limit, kept");
        enforce_rule(RULE_RESOURCES, "\"pids_limit\":0", SPEC_CONFIG,
                     UNIFIED("", "{\"pids.max\":\"max\"}"), UNIFIED("", "{\"pids.max\":\"max\"}"),
                     0, "unified: policy without a pids default leaves pids.max");
        enforce_rule(RULE_RESOURCES, MEM, SPEC_CONFIG,
                     UNIFIED("\"pids\":{\"limit\":5},\"memory\":{\"limit\":1048576000},",
                             "{\"memory.max\":\"max\"}"),
                     UNIFIED("\"pids\":{\"limit\":5},\"memory\":{\"limit\":1048576000},", "{}"), 1,
                     "unified: memory.max max dropped");
        enforce_rule(RULE_RESOURCES, MEM, SPEC_CONFIG,
                     UNIFIED("\"pids\":{\"limit\":5},\"memory\":{\"limit\":1048576000},",
                             "{\"memory.max\":\"1G\"}"),
                     UNIFIED("\"pids\":{\"limit\":5},\"memory\":{\"limit\":1048576000},",
                             "{\"memory.max\":\"1G\"}"),
                     0, "unified: memory.max 1G kept");
        enforce_rule(RULE_RESOURCES, "", SPEC_CONFIG,
                     UNIFIED("\"pids\":{\"limit\":5},", "{\"memory.max\":\"max\"}"),
                     UNIFIED("\"pids\":{\"limit\":5},", "{\"memory.max\":\"max\"}"), 0,
                     "unified: no memory default, memory.max left");
        enforce_rule(RULE_RESOURCES, "", SPEC_CONFIG, UNIFIED("\"pids\":{\"limit\":5},", "null"),
                     UNIFIED("\"pids\":{\"limit\":5},", "null"), 0, "unified: null is absent");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG,
                   UNIFIED("\"pids\":{\"limit\":5},", "{\"pids.max\":7}"),
                   "/linux/resources/unified/pids.max", "expected string",
                   "unified: a number value");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG, UNIFIED("\"pids\":{\"limit\":5},", "[]"),
                   "/linux/resources/unified", "expected object", "unified: an array");
}

static void test_oom(void)
{
        struct run x;

        enforce_rule(
                RULE_RESOURCES, "", SPEC_CONFIG,
                "{\"process\":{\"oomScoreAdj\":-1000},\"linux\":{\"resources\":{\"pids\":{"
                "\"limit\":5}}}}",
                "{\"process\":{\"oomScoreAdj\":-998},\"linux\":{\"resources\":{\"pids\":{\"limit\":"
                "5}}}}",
                1, "oom: -1000 raised to -998");
        x = run_rule(RULE_RESOURCES, "enforce", "", SPEC_CONFIG,
                     "{\"process\":{\"oomScoreAdj\":-999}}");
        ok(find(&x, "/process/oomScoreAdj") && find(&x, "/process/oomScoreAdj")->before &&
                   strcmp(find(&x, "/process/oomScoreAdj")->before->scalar.text, "-999") == 0,
           "oom: finding at /process/oomScoreAdj with before -999");
        run_done(&x);
        enforce_rule(
                RULE_RESOURCES, "", SPEC_CONFIG,
                "{\"process\":{\"oomScoreAdj\":-998},\"linux\":{\"resources\":{\"pids\":{\"limit\":"
                "5}}}}",
                "{\"process\":{\"oomScoreAdj\":-998},\"linux\":{\"resources\":{\"pids\":{\"limit\":"
                "5}}}}",
                0, "oom: -998 kept");
        enforce_rule(
                RULE_RESOURCES, "", SPEC_CONFIG,
                "{\"process\":{\"oomScoreAdj\":0},"
                "\"linux\":{\"resources\":{\"pids\":{\"limit\":5}}}}",
                "{\"process\":{\"oomScoreAdj\":0},\"linux\":{\"resources\":{\"pids\":{\"limit\":5}}"
                "}}",
                0, "oom: Docker's 0 kept");
        enforce_rule(
                RULE_RESOURCES, "", SPEC_CONFIG,
                "{\"process\":{\"oomScoreAdj\":-997},"
                "\"linux\":{\"resources\":{\"pids\":{\"limit\":5}}}}",
                "{\"process\":{\"oomScoreAdj\":-997},\"linux\":{\"resources\":{\"pids\":{\"limit\":"
                "5}}}}",
                0, "oom: kubelet's guaranteed -997 kept");
        enforce_rule(
                RULE_RESOURCES, "", SPEC_CONFIG,
                "{\"process\":{\"args\":[\"sh\"]},"
                "\"linux\":{\"resources\":{\"pids\":{\"limit\":5}}}}",
                "{\"process\":{\"args\":[\"sh\"]},\"linux\":{\"resources\":{\"pids\":{\"limit\":5}}"
                "}}",
                0, "oom: absent, nothing added (the runtime's own score is inherited)");
        enforce_rule(
                RULE_RESOURCES, "", SPEC_CONFIG,
                "{\"process\":{\"oomScoreAdj\":null},"
                "\"linux\":{\"resources\":{\"pids\":{\"limit\":5}}}}",
                "{\"process\":{\"oomScoreAdj\":null},\"linux\":{\"resources\":{\"pids\":{\"limit\":"
                "5}}}}",
                0, "oom: null is absent");
        enforce_rule(
                RULE_RESOURCES, "\"oom_score_adj_min\":500", SPEC_CONFIG,
                "{\"process\":{\"oomScoreAdj\":100},\"linux\":{\"resources\":{\"pids\":{\"limit\":"
                "5}}}}",
                "{\"process\":{\"oomScoreAdj\":500},\"linux\":{\"resources\":{\"pids\":{\"limit\":"
                "5}}}}",
                1, "oom: the policy's floor");
        enforce_rule(RULE_RESOURCES, "\"oom_score_adj_min\":-1000", SPEC_CONFIG,
                     "{\"process\":{\"oomScoreAdj\":-1000},\"linux\":{\"resources\":{\"pids\":{"
                     "\"limit\":5}}}}",
                     "{\"process\":{\"oomScoreAdj\":-1000},\"linux\":{\"resources\":{\"pids\":{"
                     "\"limit\":5}}}}",
                     0, "oom: floor -1000 allows everything");
}

static void test_modes(void)
{
        static const char input[] =
                "{\"process\":{\"oomScoreAdj\":-1000},\"linux\":{\"resources\":{}}}";
        struct run x;

        x = run_rule(RULE_RESOURCES, "audit", MEM, SPEC_CONFIG, input);
        is_int(x.r, 0, "audit: no error");
        is_str(x.out, input, "audit: spec unchanged");
        is_int(x.res.findings.n, 3, "audit: three findings (pids, memory, oom)");
        for (size_t i = 0; i < x.res.findings.n; i++)
                is_int(x.res.findings.items[i].action, FINDING_WOULD_CHANGE,
                       "audit: finding %zu would_change", i);
        ok(!x.res.changed && !x.res.denied, "audit: neither changed nor denied");
        run_done(&x);

        x = run_rule(RULE_RESOURCES, "deny", MEM, SPEC_CONFIG, input);
        is_str(x.out, input, "deny: spec unchanged");
        ok(x.res.denied && x.res.findings.n == 3, "deny: denied, three findings");
        run_done(&x);

        x = run_rule(RULE_RESOURCES, "deny", "", SPEC_CONFIG, "{}");
        ok(x.res.denied && x.res.findings.n == 1, "deny: a spec without a pids limit is denied");
        is_str(x.out, "{}", "deny: nothing created in the spec");
        run_done(&x);

        x = run_rule(RULE_RESOURCES, "deny", MEM, SPEC_CONFIG,
                     "{\"process\":{\"oomScoreAdj\":0},\"linux\":{\"resources\":{\"pids\":"
                     "{\"limit\":2048},\"memory\":{\"limit\":536870912}}}}");
        ok(x.r == 0 && !x.res.denied && x.res.findings.n == 0, "deny: a spec with limits passes");
        run_done(&x);

        x = run_rule(RULE_RESOURCES, "audit", "", SPEC_CONFIG, "{}");
        is_str(x.out, "{}", "audit: nothing created in the spec");
        run_done(&x);

        /* runc and crun set the OOM score only at create: exec process files are not read. */
        x = run_rule(RULE_RESOURCES, "enforce", "", SPEC_PROCESS,
                     "{\"args\":[\"sh\"],\"oomScoreAdj\":-1000}");
        ok(x.r == 0 && x.res.findings.n == 0, "exec process file: not looked at");
        run_done(&x);
}

static void test_types(void)
{
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG, PIDS("\"4096\""), "/linux/resources/pids/limit",
                   "expected number, got string", "pids limit as a string");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG, PIDS("1.5"), "/linux/resources/pids/limit",
                   "'1.5'", "pids limit 1.5");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG, PIDS("1e3"), "/linux/resources/pids/limit",
                   "'1e3'", "pids limit 1e3");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG, PIDS("9223372036854775808"),
                   "/linux/resources/pids/limit", "64-bit integer", "pids limit 2^63");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG, PIDS("-9223372036854775809"),
                   "/linux/resources/pids/limit", "64-bit integer", "pids limit below INT64_MIN");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG, PIDS("true"), "/linux/resources/pids/limit",
                   "expected number, got boolean", "pids limit true");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG, "{\"linux\":{\"resources\":{\"pids\":[]}}}",
                   "/linux/resources/pids", "expected object, got array", "pids as an array");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG, "{\"linux\":{\"resources\":[]}}",
                   "/linux/resources", "expected object, got array", "resources as an array");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG, "{\"linux\":\"x\"}", "/linux",
                   "expected object, got string", "linux as a string");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG,
                   "{\"linux\":{\"resources\":{\"Pids\":{\"limit\":1}}}}", "/linux/resources/pids",
                   "letter case", "key 'Pids'");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG,
                   "{\"linux\":{\"resources\":{\"pids\":{\"Limit\":1}}}}",
                   "/linux/resources/pids/limit", "letter case", "key 'Limit'");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG,
                   "{\"linux\":{\"resources\":{\"memory\":{\"limit\":\"1g\"}}}}",
                   "/linux/resources/memory/limit", "expected number, got string",
                   "memory limit as a string, even without a policy memory limit");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG, "{\"process\":{\"oomScoreAdj\":\"-1000\"}}",
                   "/process/oomScoreAdj", "expected number, got string",
                   "oomScoreAdj as a string");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG, "{\"process\":{\"oomScoreAdj\":-1000.0}}",
                   "/process/oomScoreAdj", "'-1000.0'", "oomScoreAdj -1000.0");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG, "{\"process\":{\"oomScoreAdj\":-1e3}}",
                   "/process/oomScoreAdj", "'-1e3'", "oomScoreAdj -1e3");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG, "{\"process\":{\"OOMScoreAdj\":-1000}}",
                   "/process/oomScoreAdj", "letter case", "key 'OOMScoreAdj'");
        refuse_one(RULE_RESOURCES, "", SPEC_CONFIG, "{\"process\":[]}", "/process",
                   "expected object, got array", "process as an array");
}

int main(void)
{
        test_pids();
        test_memory();
        test_unified();
        test_oom();
        test_modes();
        test_types();
        return tap_done();
}
