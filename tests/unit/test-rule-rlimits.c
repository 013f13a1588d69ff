/* Unit tests for the rlimits rule through harden_spec(): caps at the policy's maximum, types
 * without one, duplicates, wrong types, exec process files, each mode and idempotence. JSON in
 * single quotes (rule-harness.h). */
#include "rule-harness.h"
#include "rules/rlimits.h"

#define MAX4096 "'max':{'RLIMIT_NOFILE':4096}"
#define RL(type, hard, soft) "{'type':'" type "','hard':" hard ",'soft':" soft "}"
#define CFG(list) "{'process':{'rlimits':[" list "]}}"

static const struct rule_case caps_cases[] = {
        {"no process", "", "{}"},
        {"no rlimits: the runtime's own limits, nothing added", "", "{'process':{}}"},
        {"rlimits null", "", "{'process':{'rlimits':null}}"},
        {"empty rlimits", "", CFG("")},
        {"runc spec's 1024/1024 kept", "", CFG(RL("RLIMIT_NOFILE", "1024", "1024"))},
        {"podman's 1048576 kept under the default maximum", "",
         CFG(RL("RLIMIT_NOFILE", "1048576", "1048576"))},
        {"hard above the default maximum capped", "",
         CFG(RL("RLIMIT_NOFILE", "1048577", "1048576")),
         CFG(RL("RLIMIT_NOFILE", "1048576", "1048576")), 1},
};

static const struct rule_case caps_more[] = {
        {"soft below the maximum kept, hard capped", MAX4096,
         CFG(RL("RLIMIT_NOFILE", "1048576", "1024")), CFG(RL("RLIMIT_NOFILE", "4096", "1024")), 1},
        {"at the maximum kept", MAX4096, CFG(RL("RLIMIT_NOFILE", "4096", "4096"))},
        {"RLIM_INFINITY capped", MAX4096, CFG(RL("RLIMIT_NOFILE", "18446744073709551615", "0")),
         CFG(RL("RLIMIT_NOFILE", "4096", "0")), 1},
        {"types without a policy maximum are left alone", MAX4096,
         CFG(RL("RLIMIT_NPROC", "4194304", "4194304") "," RL("RLIMIT_CORE", "18446744073709551615",
                                                             "18446744073709551615"))},
        {"the policy's list replaces the default (NOFILE no longer capped)",
         "'max':{'RLIMIT_NPROC':1000,'RLIMIT_CORE':0}",
         CFG(RL("RLIMIT_NPROC", "4194304", "4194304") "," RL("RLIMIT_CORE", "18446744073709551615",
                                                             "0") "," RL("RLIMIT_NOFILE", "1048576",
                                                                         "1048576")),
         CFG(RL("RLIMIT_NPROC", "1000", "1000") "," RL("RLIMIT_CORE", "0", "0") "," RL(
                 "RLIMIT_NOFILE", "1048576", "1048576")),
         3},
        {"absent hard and soft are 0", MAX4096, CFG("{'type':'RLIMIT_NOFILE'}")},
        {"null hard is 0; other members kept", MAX4096,
         CFG("{'type':'RLIMIT_NOFILE','hard':null,'soft':5000,'x':1}"),
         CFG("{'type':'RLIMIT_NOFILE','hard':null,'soft':4096,'x':1}"), 1},
        {"the rest of the spec untouched", MAX4096,
         "{'process':{'args':['sh'],'rlimits':[" RL("RLIMIT_NOFILE", "5000",
                                                    "5000") "]},'hostname':'h'}",
         "{'process':{'args':['sh'],'rlimits':[" RL("RLIMIT_NOFILE", "4096",
                                                    "4096") "]},'hostname':'h'}",
         2},
};

static void test_caps(void)
{
        struct run x;
        const struct finding *f;

        enforce_cases(RULE_RLIMITS, caps_cases);

        x = run_q(RULE_RLIMITS, "enforce", MAX4096, SPEC_CONFIG,
                  CFG(RL("RLIMIT_NOFILE", "1048576", "1048576")));
        is_json(x.out, CFG(RL("RLIMIT_NOFILE", "4096", "4096")), "hard and soft capped at 4096");
        f = find(&x, "/process/rlimits/0/hard");
        ok(f && f->rule == RULE_RLIMITS && f->before && f->after &&
                   strcmp(f->before->scalar.text, "1048576") == 0 &&
                   strcmp(f->after->scalar.text, "4096") == 0,
           "finding /process/rlimits/0/hard 1048576 -> 4096");
        ok(find(&x, "/process/rlimits/0/soft") != NULL, "finding /process/rlimits/0/soft");
        run_done(&x);

        enforce_cases(RULE_RLIMITS, caps_more);
}

static void test_duplicates(void)
{
        struct run x;
        const struct finding *f;

        x = run_q(RULE_RLIMITS, "enforce", "", SPEC_CONFIG,
                  CFG(RL("RLIMIT_NOFILE", "1024", "1024") "," RL("RLIMIT_NPROC", "10", "10") "," RL(
                          "RLIMIT_NOFILE", "1048576", "1048576")));
        is_int(x.r, 0, "duplicate: no error");
        ok(x.res.denied, "duplicate: refused in enforce mode");
        f = find(&x, "/process/rlimits/2/type");
        ok(f && f->unfixable && f->action == FINDING_DENIED && f->before &&
                   strcmp(f->before->scalar.text, "RLIMIT_NOFILE") == 0,
           "duplicate: an unfixable denied finding at /process/rlimits/2/type");
        is_int(x.res.findings.n, 1, "duplicate: one finding");
        run_done(&x);

        x = run_q(RULE_RLIMITS, "audit", "", SPEC_CONFIG,
                  CFG(RL("RLIMIT_NOFILE", "1024", "1024") "," RL("RLIMIT_NOFILE", "1024", "1024")));
        ok(x.r == 0 && !x.res.denied && x.res.findings.n == 1 &&
                   x.res.findings.items[0].action == FINDING_WOULD_DENY,
           "duplicate: recorded as would_deny in audit mode (enforce refuses it)");
        run_done(&x);

        x = run_q(RULE_RLIMITS, "enforce", MAX4096, SPEC_PROCESS,
                  "{'rlimits':[" RL("RLIMIT_AS", "1", "1") "," RL("RLIMIT_AS", "1", "1") "," RL(
                          "RLIMIT_AS", "1", "1") "]}");
        ok(x.res.denied && find(&x, "/rlimits/1/type") && find(&x, "/rlimits/2/type"),
           "duplicate: each repeat refused, also in exec process files");
        run_done(&x);
}

static const char input[] = CFG(RL("RLIMIT_NOFILE", "1048576", "1048576"));

static const struct mode_case mode_runs[] = {
        {"soft and hard over the maximum", MAX4096, input, 2},
};

static const struct rule_case exec_process_cases[] = {
        {"exec process file capped", MAX4096,
         "{'args':['sh'],'rlimits':[" RL("RLIMIT_NOFILE", "1048576", "2048") "]}",
         "{'args':['sh'],'rlimits':[" RL("RLIMIT_NOFILE", "4096", "2048") "]}", 1,
         .kind = SPEC_PROCESS},
};

static void test_modes(void)
{
        struct run x;

        mode_cases(RULE_RLIMITS, mode_runs);

        x = run_q(RULE_RLIMITS, "deny", MAX4096, SPEC_CONFIG,
                  CFG(RL("RLIMIT_NOFILE", "1024", "1024")));
        ok(x.r == 0 && !x.res.denied && x.res.findings.n == 0, "deny: within the maximum passes");
        run_done(&x);

        enforce_cases(RULE_RLIMITS, exec_process_cases);
        x = run_q(RULE_RLIMITS, "enforce", MAX4096, SPEC_PROCESS,
                  "{'rlimits':[" RL("RLIMIT_NOFILE", "5000", "5000") "]}");
        ok(find(&x, "/rlimits/0/hard") != NULL, "exec process file: path /rlimits/0/hard");
        run_done(&x);
}

static const struct refuse_case types_refusals[] = {
        {"rlimits as an object", "", "{'process':{'rlimits':{}}}", "/process/rlimits",
         "expected array, got object"},
        {"an entry as an array", "", CFG("[]"), "/process/rlimits/0", "expected object, got array"},
        {"a null entry", "", CFG(RL("RLIMIT_NOFILE", "1", "1") ",null"), "/process/rlimits/1",
         "expected object, got null"},
        {"unknown type", "", CFG(RL("RLIMIT_FOO", "1", "1")), "/process/rlimits/0/type",
         "'RLIMIT_FOO' is not an rlimit"},
        {"lower-case type (runc matches exactly)", "", CFG(RL("rlimit_nofile", "1", "1")),
         "/process/rlimits/0/type", "not an rlimit"},
        {"type without RLIMIT_", "", CFG(RL("NOFILE", "1", "1")), "/process/rlimits/0/type",
         "not an rlimit"},
        {"empty type", "", CFG(RL("", "1", "1")), "/process/rlimits/0/type", "not an rlimit"},
        {"no type", "", CFG("{'hard':1,'soft':1}"), "/process/rlimits/0/type", "missing"},
        {"type as a number", "", CFG("{'type':7,'hard':1,'soft':1}"), "/process/rlimits/0/type",
         "expected string, got number"},
        {"key 'Type'", "", CFG("{'Type':'RLIMIT_NOFILE'}"), "/process/rlimits/0/type",
         "letter case"},
        {"hard as a string", "", CFG(RL("RLIMIT_NOFILE", "'1'", "1")), "/process/rlimits/0/hard",
         "expected number, got string"},
        {"soft -1", "", CFG(RL("RLIMIT_NOFILE", "1", "-1")), "/process/rlimits/0/soft", "'-1'"},
        {"hard 1.0", "", CFG(RL("RLIMIT_NOFILE", "1.0", "1")), "/process/rlimits/0/hard", "'1.0'"},
        {"hard 2^64", "", CFG(RL("RLIMIT_NOFILE", "18446744073709551616", "1")),
         "/process/rlimits/0/hard", "unsigned 64-bit"},
        {"a bad duplicate is an error first", "",
         CFG(RL("RLIMIT_NOFILE", "1", "1") "," RL("RLIMIT_NOFILE", "1", "'x'")),
         "/process/rlimits/1/soft", "expected number"},
        {"unknown type in an exec process file", "", "{'rlimits':[{'type':'RLIMIT_X'}]}",
         "/rlimits/0/type", "not an rlimit", .kind = SPEC_PROCESS},
};

static void test_types(void)
{
        refuse_cases(RULE_RLIMITS, types_refusals);
}

/* Every type runc knows, thousands of times: all repeats refused, the firsts capped. */
static void test_huge(void)
{
        size_t rounds = 500, cap = rounds * 16 * 64 + 64, o;
        char *in = malloc(cap);
        struct run x;
        bool all = true;

        if (!in)
                return;
        o = (size_t)snprintf(in, cap, "{'process':{'rlimits':[");
        for (size_t i = 0; i < rounds * 16; i++)
                o += (size_t)snprintf(in + o, cap - o, "%s{'type':'%s','hard':5000,'soft':5000}",
                                      i ? "," : "", rlimit_to_name((int)(i % 16)));
        snprintf(in + o, cap - o, "]}}");
        x = run_q(RULE_RLIMITS, "enforce", MAX4096, SPEC_CONFIG, in);
        is_int(x.r, 0, "huge: no error");
        is_int(x.res.findings.n, 2 + (rounds - 1) * 16,
               "huge: NOFILE capped, every repeat refused");
        for (size_t i = 2; i < x.res.findings.n; i++)
                all = all && x.res.findings.items[i].unfixable;
        ok(all && x.res.denied, "huge: repeats unfixable, denied");
        run_done(&x);
        free(in);
}

int main(void)
{
        test_caps();
        test_duplicates();
        test_modes();
        test_types();
        test_huge();
        return tap_done();
}
