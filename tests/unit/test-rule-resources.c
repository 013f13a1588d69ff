/* Unit tests for the resources rule through harden_spec(): the pids and memory defaults, the
 * OOM score floor, limits the engine set left alone, wrong types, each mode and idempotence.
 * JSON in single quotes (rule-harness.h). */
#include "rule-harness.h"

#define PIDS(n) "{'linux':{'resources':{'pids':{'limit':" n "}}}}"
#define MEM "'memory_limit':67108864"

static const struct rule_case pids_cases[] = {
        {"pids: 0 (no limit) replaced", "", PIDS("0"), PIDS("4096"), 1},
        {"pids: -1 (max) replaced", "", PIDS("-1"), PIDS("4096"), 1},
        {"pids: INT64_MIN replaced", "", PIDS("-9223372036854775808"), PIDS("4096"), 1},
        {"pids: -0 replaced", "", PIDS("-0"), PIDS("4096"), 1},
        {"pids: null limit replaced", "", PIDS("null"), PIDS("4096"), 1},
        {"pids: null pids object replaced", "", "{'linux':{'resources':{'pids':null}}}",
         PIDS("4096"), 1},
        {"pids: empty pids object filled", "", "{'linux':{'resources':{'pids':{}}}}", PIDS("4096"),
         1},
        {"pids: podman's 2048 kept", "", PIDS("2048")},
        {"pids: 1 kept", "", PIDS("1")},
        {"pids: a limit above the policy's is kept (the rule sets defaults)", "", PIDS("100000")},
        {"pids: INT64_MAX kept", "", PIDS("9223372036854775807")},
        {"pids: the policy's value", "'pids_limit':100", PIDS("0"), PIDS("100"), 1},
        {"pids: policy 0 adds nothing", "'pids_limit':0", "{}"},
        {"pids: policy 0 leaves -1", "'pids_limit':0", PIDS("-1")},
        {"pids: other members kept, the limit stays in place", "",
         "{'linux':{'resources':{'devices':[],'pids':{'limit':0,'x':1}}}}",
         "{'linux':{'resources':{'devices':[],'pids':{'limit':4096,'x':1}}}}", 1},
};

static void test_pids(void)
{
        struct run x;
        const struct finding *f;

        x = run_q(RULE_RESOURCES, "enforce", "", SPEC_CONFIG, "{'ociVersion':'1.0.2'}");
        is_json(x.out, "{'ociVersion':'1.0.2','linux':{'resources':{'pids':{'limit':4096}}}}",
                "pids: absent everywhere, the default 4096 is added");
        f = x.res.findings.n == 1 ? &x.res.findings.items[0] : NULL;
        ok(f && strcmp(f->path, "/linux/resources/pids/limit") == 0 && !f->before && f->after &&
                   strcmp(f->after->scalar.text, "4096") == 0 && f->rule == RULE_RESOURCES,
           "pids: one finding at /linux/resources/pids/limit, before absent, after 4096");
        run_done(&x);

        enforce_cases(RULE_RESOURCES, pids_cases);
}

#define LIMIT5 "{'linux':{'resources':{'pids':{'limit':5}}}}"

static const struct rule_case memory_cases[] = {
        {"memory: no policy limit, nothing added", "", LIMIT5},
        {"memory: absent, the policy's limit added", MEM, LIMIT5,
         "{'linux':{'resources':{'pids':{'limit':5},'memory':{'limit':67108864}}}}", 1},
        {"memory: -1 (unlimited) replaced, swap kept", MEM,
         "{'linux':{'resources':{'pids':{'limit':5},'memory':{'limit':-1,'swap':-1}}}}",
         "{'linux':{'resources':{'pids':{'limit':5},'memory':{'limit':67108864,'swap':-1}}}}", 1},
        {"memory: 0 replaced", MEM,
         "{'linux':{'resources':{'pids':{'limit':5},'memory':{'limit':0}}}}",
         "{'linux':{'resources':{'pids':{'limit':5},'memory':{'limit':67108864}}}}", 1},
        {"memory: the engine's limit kept, even above the policy's", MEM,
         "{'linux':{'resources':{'pids':{'limit':5},'memory':{'limit':1073741824}}}}"},
        {"memory and pids both added", MEM, "{}",
         "{'linux':{'resources':{'pids':{'limit':4096},'memory':{'limit':67108864}}}}", 2},
};

/* cgroup v2's linux.resources.unified is written after pids and memory (runc fs2 Set, crun),
 * so a "max" there undoes the limit the rule sees. */
#define UNIFIED(pids, u) "{'linux':{'resources':{" pids "'unified':" u "}}}"
#define P5 "'pids':{'limit':5},"
#define P100 "'pids':{'limit':100},"
#define P5_MEM "'pids':{'limit':5},'memory':{'limit':1048576000},"

static const struct rule_case unified_cases[] = {
        {"unified: pids.max max dropped, the default added", "",
         UNIFIED("", "{'pids.max':'max','cpu.weight':'50'}"),
         "{'linux':{'resources':{'unified':{'cpu.weight':'50'},'pids':{'limit':4096}}}}", 2},
        {"unified: pids.max max (as the kernel trims it) dropped, the spec's limit kept", "",
         UNIFIED(P100, "{'pids.max':' max\\n'}"), UNIFIED(P100, "{}"), 1},
        {"unified: a numeric pids.max is a limit, kept", "", UNIFIED(P100, "{'pids.max':'200'}")},
        {"unified: policy without a pids default leaves pids.max", "'pids_limit':0",
         UNIFIED("", "{'pids.max':'max'}")},
        {"unified: memory.max max dropped", MEM, UNIFIED(P5_MEM, "{'memory.max':'max'}"),
         UNIFIED(P5_MEM, "{}"), 1},
        {"unified: memory.max 1G kept", MEM, UNIFIED(P5_MEM, "{'memory.max':'1G'}")},
        {"unified: no memory default, memory.max left", "", UNIFIED(P5, "{'memory.max':'max'}")},
        {"unified: null is absent", "", UNIFIED(P5, "null")},
};

static const struct refuse_case unified_refusals[] = {
        {"unified: a number value", "", UNIFIED(P5, "{'pids.max':7}"),
         "/linux/resources/unified/pids.max", "expected string"},
        {"unified: an array", "", UNIFIED(P5, "[]"), "/linux/resources/unified", "expected object"},
};

#define OOM(n) "{'process':{'oomScoreAdj':" n "},'linux':{'resources':{'pids':{'limit':5}}}}"

static const struct rule_case oom_raised[] = {
        {"oom: -1000 raised to -998", "", OOM("-1000"), OOM("-998"), 1},
};

static const struct rule_case oom_cases[] = {
        {"oom: -998 kept", "", OOM("-998")},
        {"oom: Docker's 0 kept", "", OOM("0")},
        {"oom: kubelet's guaranteed -997 kept", "", OOM("-997")},
        {"oom: absent, nothing added (the runtime's own score is inherited)", "",
         "{'process':{'args':['sh']},'linux':{'resources':{'pids':{'limit':5}}}}"},
        {"oom: null is absent", "", OOM("null")},
        {"oom: the policy's floor", "'oom_score_adj_min':500", OOM("100"), OOM("500"), 1},
        {"oom: floor -1000 allows everything", "'oom_score_adj_min':-1000", OOM("-1000")},
};

static void test_oom(void)
{
        struct run x;

        enforce_cases(RULE_RESOURCES, oom_raised);
        x = run_q(RULE_RESOURCES, "enforce", "", SPEC_CONFIG, "{'process':{'oomScoreAdj':-999}}");
        ok(find(&x, "/process/oomScoreAdj") && find(&x, "/process/oomScoreAdj")->before &&
                   strcmp(find(&x, "/process/oomScoreAdj")->before->scalar.text, "-999") == 0,
           "oom: finding at /process/oomScoreAdj with before -999");
        run_done(&x);
        enforce_cases(RULE_RESOURCES, oom_cases);
}
static void test_modes(void)
{
        static const char input[] = "{'process':{'oomScoreAdj':-1000},'linux':{'resources':{}}}";
        struct run x;

        x = run_q(RULE_RESOURCES, "audit", MEM, SPEC_CONFIG, input);
        is_int(x.r, 0, "audit: no error");
        is_json(x.out, input, "audit: spec unchanged");
        is_int(x.res.findings.n, 3, "audit: three findings (pids, memory, oom)");
        for (size_t i = 0; i < x.res.findings.n; i++)
                is_int(x.res.findings.items[i].action, FINDING_WOULD_CHANGE,
                       "audit: finding %zu would_change", i);
        ok(!x.res.changed && !x.res.denied, "audit: neither changed nor denied");
        run_done(&x);

        x = run_q(RULE_RESOURCES, "deny", MEM, SPEC_CONFIG, input);
        is_json(x.out, input, "deny: spec unchanged");
        ok(x.res.denied && x.res.findings.n == 3, "deny: denied, three findings");
        run_done(&x);

        x = run_q(RULE_RESOURCES, "deny", "", SPEC_CONFIG, "{}");
        ok(x.res.denied && x.res.findings.n == 1, "deny: a spec without a pids limit is denied");
        is_str(x.out, "{}", "deny: nothing created in the spec");
        run_done(&x);

        x = run_q(RULE_RESOURCES, "deny", MEM, SPEC_CONFIG,
                  "{'process':{'oomScoreAdj':0},'linux':{'resources':{'pids':{'limit':2048},"
                  "'memory':{'limit':536870912}}}}");
        ok(x.r == 0 && !x.res.denied && x.res.findings.n == 0, "deny: a spec with limits passes");
        run_done(&x);

        x = run_q(RULE_RESOURCES, "audit", "", SPEC_CONFIG, "{}");
        is_str(x.out, "{}", "audit: nothing created in the spec");
        run_done(&x);

        /* runc and crun set the OOM score only at create: exec process files are not read. */
        x = run_q(RULE_RESOURCES, "enforce", "", SPEC_PROCESS,
                  "{'args':['sh'],'oomScoreAdj':-1000}");
        ok(x.r == 0 && x.res.findings.n == 0, "exec process file: not looked at");
        run_done(&x);
}

#define PIDS_LIMIT "/linux/resources/pids/limit"

static const struct refuse_case type_refusals[] = {
        {"pids limit as a string", "", PIDS("'4096'"), PIDS_LIMIT, "expected number, got string"},
        {"pids limit 1.5", "", PIDS("1.5"), PIDS_LIMIT, "'1.5'"},
        {"pids limit 1e3", "", PIDS("1e3"), PIDS_LIMIT, "'1e3'"},
        {"pids limit 2^63", "", PIDS("9223372036854775808"), PIDS_LIMIT, "64-bit integer"},
        {"pids limit below INT64_MIN", "", PIDS("-9223372036854775809"), PIDS_LIMIT,
         "64-bit integer"},
        {"pids limit true", "", PIDS("true"), PIDS_LIMIT, "expected number, got boolean"},
        {"pids as an array", "", "{'linux':{'resources':{'pids':[]}}}", "/linux/resources/pids",
         "expected object, got array"},
        {"resources as an array", "", "{'linux':{'resources':[]}}", "/linux/resources",
         "expected object, got array"},
        {"linux as a string", "", "{'linux':'x'}", "/linux", "expected object, got string"},
        {"key 'Pids'", "", "{'linux':{'resources':{'Pids':{'limit':1}}}}", "/linux/resources/pids",
         "letter case"},
        {"key 'Limit'", "", "{'linux':{'resources':{'pids':{'Limit':1}}}}", PIDS_LIMIT,
         "letter case"},
        {"memory limit as a string, even without a policy memory limit", "",
         "{'linux':{'resources':{'memory':{'limit':'1g'}}}}", "/linux/resources/memory/limit",
         "expected number, got string"},
        {"oomScoreAdj as a string", "", "{'process':{'oomScoreAdj':'-1000'}}",
         "/process/oomScoreAdj", "expected number, got string"},
        {"oomScoreAdj -1000.0", "", "{'process':{'oomScoreAdj':-1000.0}}", "/process/oomScoreAdj",
         "'-1000.0'"},
        {"oomScoreAdj -1e3", "", "{'process':{'oomScoreAdj':-1e3}}", "/process/oomScoreAdj",
         "'-1e3'"},
        {"key 'OOMScoreAdj'", "", "{'process':{'OOMScoreAdj':-1000}}", "/process/oomScoreAdj",
         "letter case"},
        {"process as an array", "", "{'process':[]}", "/process", "expected object, got array"},
};

int main(void)
{
        test_pids();
        enforce_cases(RULE_RESOURCES, memory_cases);
        enforce_cases(RULE_RESOURCES, unified_cases);
        refuse_cases(RULE_RESOURCES, unified_refusals);
        test_oom();
        test_modes();
        refuse_cases(RULE_RESOURCES, type_refusals);
        return tap_done();
}
