/* Unit tests for the resources rule through harden_spec(): the pids and memory defaults, the
 * OOM score floor, limits the engine set left alone, wrong types, each mode and idempotence. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harden.h"
#include "json.h"
#include "policy.h"
#include "tap.h"

#define FILE_NAME "/run/b/config.json"

/* Only the resources rule on, in mode, with settings inside its object. */
static struct policy *policy_for(const char *mode, const char *settings)
{
        struct hr_error err = {0};
        struct policy *p = NULL;
        char text[1024];
        size_t o;

        o = (size_t)snprintf(text, sizeof(text), "{\"mode\":\"%s\",\"rules\":{", mode);
        for (int i = 0; i < _RULE_MAX; i++)
                o += (size_t)snprintf(text + o, sizeof(text) - o, "%s\"%s\":{%s}", i ? "," : "",
                                      rule_id_to_string((enum rule_id)i),
                                      i == RULE_RESOURCES ? settings : "\"mode\":\"off\"");
        snprintf(text + o, sizeof(text) - o, "}}");
        if (policy_parse(text, strlen(text), "policy.json", &p, &err) < 0)
                diag("test policy does not parse: %s", err.msg);
        return p;
}

struct run {
        int r;
        struct hr_error err;
        struct harden_result res;
        char *out;
};

static struct run run(const char *mode, const char *settings, enum spec_kind kind,
                      const char *input)
{
        struct policy *p = policy_for(mode, settings);
        struct run x = {.r = -999};
        struct json *doc = NULL;
        size_t len;

        if (p && json_parse(input, strlen(input), harden_spec_limits(kind), &doc, &x.err) == 0) {
                x.r = harden_spec(p, kind, FILE_NAME, doc, &x.res, &x.err);
                if (json_write(doc, &x.out, &len, NULL) < 0)
                        x.out = NULL;
                else if (len > 0 && x.out[len - 1] == '\n')
                        x.out[len - 1] = '\0';
        } else {
                diag("test input does not parse: %s", x.err.msg);
        }
        json_free(doc);
        policy_free(p);
        return x;
}

static void run_done(struct run *x)
{
        harden_result_done(&x->res);
        free(x->out);
}

static const struct finding *find(const struct run *x, const char *path)
{
        for (size_t i = 0; i < x->res.findings.n; i++)
                if (strcmp(x->res.findings.items[i].path, path) == 0)
                        return &x->res.findings.items[i];
        return NULL;
}

/* Enforce: exact output, number of findings; then the output again changes nothing. */
static void enforce(const char *settings, enum spec_kind kind, const char *input, const char *want,
                    size_t n, const char *what)
{
        struct run x = run("enforce", settings, kind, input), y;

        is_int(x.r, 0, "%s: no error (%s)", what, x.err.msg);
        is_str(x.out, want, "%s: output", what);
        is_int(x.res.findings.n, n, "%s: %zu findings", what, n);
        ok(!x.res.denied, "%s: not denied", what);
        for (size_t i = 0; i < x.res.findings.n; i++)
                is_int(x.res.findings.items[i].action, FINDING_CHANGED, "%s: finding %zu changed",
                       what, i);
        y = run("enforce", settings, kind, x.out ? x.out : "");
        is_int(y.res.findings.n, 0, "%s: idempotent", what);
        is_str(y.out, x.out, "%s: output applied again is the same", what);
        run_done(&y);
        run_done(&x);
}

static void fails(enum spec_kind kind, const char *input, const char *path, const char *part,
                  const char *what)
{
        struct run x = run("enforce", "", kind, input);
        char quoted[300];

        snprintf(quoted, sizeof(quoted), FILE_NAME ": '%s': ", path);
        is_int(x.r, -EINVAL, "%s: refused", what);
        ok(strncmp(x.err.msg, quoted, strlen(quoted)) == 0, "%s: message names %s (%s)", what, path,
           x.err.msg);
        ok(strstr(x.err.msg, part) != NULL, "%s: message says '%s'", what, part);
        is_int(x.res.findings.n, 0, "%s: no findings", what);
        run_done(&x);
}

#define PIDS(n) "{\"linux\":{\"resources\":{\"pids\":{\"limit\":" n "}}}}"
#define MEM "\"memory_limit\":67108864"

static void test_pids(void)
{
        struct run x;
        const struct finding *f;

        x = run("enforce", "", SPEC_CONFIG, "{\"ociVersion\":\"1.0.2\"}");
        is_str(x.out,
               "{\"ociVersion\":\"1.0.2\",\"linux\":{\"resources\":{\"pids\":{\"limit\":4096}}}}",
               "pids: absent everywhere, the default 4096 is added");
        f = x.res.findings.n == 1 ? &x.res.findings.items[0] : NULL;
        ok(f && strcmp(f->path, "/linux/resources/pids/limit") == 0 && !f->before && f->after &&
                   strcmp(f->after->scalar.text, "4096") == 0 && f->rule == RULE_RESOURCES,
           "pids: one finding at /linux/resources/pids/limit, before absent, after 4096");
        run_done(&x);

        enforce("", SPEC_CONFIG, PIDS("0"), PIDS("4096"), 1, "pids: 0 (no limit) replaced");
        enforce("", SPEC_CONFIG, PIDS("-1"), PIDS("4096"), 1, "pids: -1 (max) replaced");
        enforce("", SPEC_CONFIG, PIDS("-9223372036854775808"), PIDS("4096"), 1,
                "pids: INT64_MIN replaced");
        enforce("", SPEC_CONFIG, PIDS("-0"), PIDS("4096"), 1, "pids: -0 replaced");
        enforce("", SPEC_CONFIG, PIDS("null"), PIDS("4096"), 1, "pids: null limit replaced");
        enforce("", SPEC_CONFIG, "{\"linux\":{\"resources\":{\"pids\":null}}}", PIDS("4096"), 1,
                "pids: null pids object replaced");
        enforce("", SPEC_CONFIG, "{\"linux\":{\"resources\":{\"pids\":{}}}}", PIDS("4096"), 1,
                "pids: empty pids object filled");
        enforce("", SPEC_CONFIG, PIDS("2048"), PIDS("2048"), 0, "pids: podman's 2048 kept");
        enforce("", SPEC_CONFIG, PIDS("1"), PIDS("1"), 0, "pids: 1 kept");
        enforce("", SPEC_CONFIG, PIDS("100000"), PIDS("100000"), 0,
                "pids: a limit above the policy's is kept (the rule sets defaults)");
        enforce("", SPEC_CONFIG, PIDS("9223372036854775807"), PIDS("9223372036854775807"), 0,
                "pids: INT64_MAX kept");
        enforce("\"pids_limit\":100", SPEC_CONFIG, PIDS("0"), PIDS("100"), 1,
                "pids: the policy's value");
        enforce("\"pids_limit\":0", SPEC_CONFIG, "{}", "{}", 0, "pids: policy 0 adds nothing");
        enforce("\"pids_limit\":0", SPEC_CONFIG, PIDS("-1"), PIDS("-1"), 0,
                "pids: policy 0 leaves -1");
        enforce("", SPEC_CONFIG,
                "{\"linux\":{\"resources\":{\"devices\":[],\"pids\":{\"limit\":0,\"x\":1}}}}",
                "{\"linux\":{\"resources\":{\"devices\":[],\"pids\":{\"limit\":4096,\"x\":1}}}}", 1,
                "pids: other members kept, the limit stays in place");
}

static void test_memory(void)
{
        static const char none[] = "{\"linux\":{\"resources\":{\"pids\":{\"limit\":5}}}}";

        enforce("", SPEC_CONFIG, none, none, 0, "memory: no policy limit, nothing added");
        enforce(MEM, SPEC_CONFIG, none,
                "{\"linux\":{\"resources\":{\"pids\":{\"limit\":5},"
                "\"memory\":{\"limit\":67108864}}}}",
                1, "memory: absent, the policy's limit added");
        enforce(MEM, SPEC_CONFIG,
                "{\"linux\":{\"resources\":{\"pids\":{\"limit\":5},\"memory\":{\"limit\":-1,"
                "\"swap\":-1}}}}",
                "{\"linux\":{\"resources\":{\"pids\":{\"limit\":5},\"memory\":{\"limit\":67108864,"
                "\"swap\":-1}}}}",
                1, "memory: -1 (unlimited) replaced, swap kept");
        enforce(MEM, SPEC_CONFIG,
                "{\"linux\":{\"resources\":{\"pids\":{\"limit\":5},\"memory\":{\"limit\":0}}}}",
                "{\"linux\":{\"resources\":{\"pids\":{\"limit\":5},"
                "\"memory\":{\"limit\":67108864}}}}",
                1, "memory: 0 replaced");
        enforce(MEM, SPEC_CONFIG,
                "{\"linux\":{\"resources\":{\"pids\":{\"limit\":5},"
                "\"memory\":{\"limit\":1073741824}}}}",
                "{\"linux\":{\"resources\":{\"pids\":{\"limit\":5},"
                "\"memory\":{\"limit\":1073741824}}}}",
                0, "memory: the engine's limit kept, even above the policy's");
        enforce(MEM, SPEC_CONFIG, "{}",
                "{\"linux\":{\"resources\":{\"pids\":{\"limit\":4096},"
                "\"memory\":{\"limit\":67108864}}}}",
                2, "memory and pids both added");
}

/* cgroup v2's linux.resources.unified is written after pids and memory (runc fs2 Set, crun),
 * so a "max" there undoes the limit the rule sees. */
#define UNIFIED(pids, u) "{\"linux\":{\"resources\":{" pids "\"unified\":" u "}}}"
static void test_unified(void)
{
        enforce("", SPEC_CONFIG, UNIFIED("", "{\"pids.max\":\"max\",\"cpu.weight\":\"50\"}"),
                "{\"linux\":{\"resources\":{\"unified\":{\"cpu.weight\":\"50\"},"
                "\"pids\":{\"limit\":4096}}}}",
                2, "unified: pids.max max dropped, the default added");
        enforce("", SPEC_CONFIG, UNIFIED("\"pids\":{\"limit\":100},", "{\"pids.max\":\" max\\n\"}"),
                UNIFIED("\"pids\":{\"limit\":100},", "{}"), 1,
                "unified: pids.max max (as the kernel trims it) dropped, the spec's limit kept");
        enforce("", SPEC_CONFIG, UNIFIED("\"pids\":{\"limit\":100},", "{\"pids.max\":\"200\"}"),
                UNIFIED("\"pids\":{\"limit\":100},", "{\"pids.max\":\"200\"}"), 0,
                "unified: a numeric pids.max is a limit, kept");
        enforce("\"pids_limit\":0", SPEC_CONFIG, UNIFIED("", "{\"pids.max\":\"max\"}"),
                UNIFIED("", "{\"pids.max\":\"max\"}"), 0,
                "unified: policy without a pids default leaves pids.max");
        enforce(MEM, SPEC_CONFIG,
                UNIFIED("\"pids\":{\"limit\":5},\"memory\":{\"limit\":1048576000},",
                        "{\"memory.max\":\"max\"}"),
                UNIFIED("\"pids\":{\"limit\":5},\"memory\":{\"limit\":1048576000},", "{}"), 1,
                "unified: memory.max max dropped");
        enforce(MEM, SPEC_CONFIG,
                UNIFIED("\"pids\":{\"limit\":5},\"memory\":{\"limit\":1048576000},",
                        "{\"memory.max\":\"1G\"}"),
                UNIFIED("\"pids\":{\"limit\":5},\"memory\":{\"limit\":1048576000},",
                        "{\"memory.max\":\"1G\"}"),
                0, "unified: memory.max 1G kept");
        enforce("", SPEC_CONFIG, UNIFIED("\"pids\":{\"limit\":5},", "{\"memory.max\":\"max\"}"),
                UNIFIED("\"pids\":{\"limit\":5},", "{\"memory.max\":\"max\"}"), 0,
                "unified: no memory default, memory.max left");
        enforce("", SPEC_CONFIG, UNIFIED("\"pids\":{\"limit\":5},", "null"),
                UNIFIED("\"pids\":{\"limit\":5},", "null"), 0, "unified: null is absent");
        fails(SPEC_CONFIG, UNIFIED("\"pids\":{\"limit\":5},", "{\"pids.max\":7}"),
              "/linux/resources/unified/pids.max", "expected string", "unified: a number value");
        fails(SPEC_CONFIG, UNIFIED("\"pids\":{\"limit\":5},", "[]"), "/linux/resources/unified",
              "expected object", "unified: an array");
}

static void test_oom(void)
{
        struct run x;

        enforce("", SPEC_CONFIG,
                "{\"process\":{\"oomScoreAdj\":-1000},\"linux\":{\"resources\":{\"pids\":{"
                "\"limit\":5}}}}",
                "{\"process\":{\"oomScoreAdj\":-998},\"linux\":{\"resources\":{\"pids\":{\"limit\":"
                "5}}}}",
                1, "oom: -1000 raised to -998");
        x = run("enforce", "", SPEC_CONFIG, "{\"process\":{\"oomScoreAdj\":-999}}");
        ok(find(&x, "/process/oomScoreAdj") && find(&x, "/process/oomScoreAdj")->before &&
                   strcmp(find(&x, "/process/oomScoreAdj")->before->scalar.text, "-999") == 0,
           "oom: finding at /process/oomScoreAdj with before -999");
        run_done(&x);
        enforce("", SPEC_CONFIG,
                "{\"process\":{\"oomScoreAdj\":-998},\"linux\":{\"resources\":{\"pids\":{\"limit\":"
                "5}}}}",
                "{\"process\":{\"oomScoreAdj\":-998},\"linux\":{\"resources\":{\"pids\":{\"limit\":"
                "5}}}}",
                0, "oom: -998 kept");
        enforce("", SPEC_CONFIG,
                "{\"process\":{\"oomScoreAdj\":0},"
                "\"linux\":{\"resources\":{\"pids\":{\"limit\":5}}}}",
                "{\"process\":{\"oomScoreAdj\":0},\"linux\":{\"resources\":{\"pids\":{\"limit\":5}}"
                "}}",
                0, "oom: Docker's 0 kept");
        enforce("", SPEC_CONFIG,
                "{\"process\":{\"oomScoreAdj\":-997},"
                "\"linux\":{\"resources\":{\"pids\":{\"limit\":5}}}}",
                "{\"process\":{\"oomScoreAdj\":-997},\"linux\":{\"resources\":{\"pids\":{\"limit\":"
                "5}}}}",
                0, "oom: kubelet's guaranteed -997 kept");
        enforce("", SPEC_CONFIG,
                "{\"process\":{\"args\":[\"sh\"]},"
                "\"linux\":{\"resources\":{\"pids\":{\"limit\":5}}}}",
                "{\"process\":{\"args\":[\"sh\"]},\"linux\":{\"resources\":{\"pids\":{\"limit\":5}}"
                "}}",
                0, "oom: absent, nothing added (the runtime's own score is inherited)");
        enforce("", SPEC_CONFIG,
                "{\"process\":{\"oomScoreAdj\":null},"
                "\"linux\":{\"resources\":{\"pids\":{\"limit\":5}}}}",
                "{\"process\":{\"oomScoreAdj\":null},\"linux\":{\"resources\":{\"pids\":{\"limit\":"
                "5}}}}",
                0, "oom: null is absent");
        enforce("\"oom_score_adj_min\":500", SPEC_CONFIG,
                "{\"process\":{\"oomScoreAdj\":100},\"linux\":{\"resources\":{\"pids\":{\"limit\":"
                "5}}}}",
                "{\"process\":{\"oomScoreAdj\":500},\"linux\":{\"resources\":{\"pids\":{\"limit\":"
                "5}}}}",
                1, "oom: the policy's floor");
        enforce("\"oom_score_adj_min\":-1000", SPEC_CONFIG,
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

        x = run("audit", MEM, SPEC_CONFIG, input);
        is_int(x.r, 0, "audit: no error");
        is_str(x.out, input, "audit: spec unchanged");
        is_int(x.res.findings.n, 3, "audit: three findings (pids, memory, oom)");
        for (size_t i = 0; i < x.res.findings.n; i++)
                is_int(x.res.findings.items[i].action, FINDING_WOULD_CHANGE,
                       "audit: finding %zu would_change", i);
        ok(!x.res.changed && !x.res.denied, "audit: neither changed nor denied");
        run_done(&x);

        x = run("deny", MEM, SPEC_CONFIG, input);
        is_str(x.out, input, "deny: spec unchanged");
        ok(x.res.denied && x.res.findings.n == 3, "deny: denied, three findings");
        run_done(&x);

        x = run("deny", "", SPEC_CONFIG, "{}");
        ok(x.res.denied && x.res.findings.n == 1, "deny: a spec without a pids limit is denied");
        is_str(x.out, "{}", "deny: nothing created in the spec");
        run_done(&x);

        x = run("deny", MEM, SPEC_CONFIG,
                "{\"process\":{\"oomScoreAdj\":0},\"linux\":{\"resources\":{\"pids\":"
                "{\"limit\":2048},\"memory\":{\"limit\":536870912}}}}");
        ok(x.r == 0 && !x.res.denied && x.res.findings.n == 0, "deny: a spec with limits passes");
        run_done(&x);

        x = run("audit", "", SPEC_CONFIG, "{}");
        is_str(x.out, "{}", "audit: nothing created in the spec");
        run_done(&x);

        /* runc and crun set the OOM score only at create: exec process files are not read. */
        x = run("enforce", "", SPEC_PROCESS, "{\"args\":[\"sh\"],\"oomScoreAdj\":-1000}");
        ok(x.r == 0 && x.res.findings.n == 0, "exec process file: not looked at");
        run_done(&x);
}

static void test_types(void)
{
        fails(SPEC_CONFIG, PIDS("\"4096\""), "/linux/resources/pids/limit",
              "expected number, got string", "pids limit as a string");
        fails(SPEC_CONFIG, PIDS("1.5"), "/linux/resources/pids/limit", "'1.5'", "pids limit 1.5");
        fails(SPEC_CONFIG, PIDS("1e3"), "/linux/resources/pids/limit", "'1e3'", "pids limit 1e3");
        fails(SPEC_CONFIG, PIDS("9223372036854775808"), "/linux/resources/pids/limit",
              "64-bit integer", "pids limit 2^63");
        fails(SPEC_CONFIG, PIDS("-9223372036854775809"), "/linux/resources/pids/limit",
              "64-bit integer", "pids limit below INT64_MIN");
        fails(SPEC_CONFIG, PIDS("true"), "/linux/resources/pids/limit",
              "expected number, got boolean", "pids limit true");
        fails(SPEC_CONFIG, "{\"linux\":{\"resources\":{\"pids\":[]}}}", "/linux/resources/pids",
              "expected object, got array", "pids as an array");
        fails(SPEC_CONFIG, "{\"linux\":{\"resources\":[]}}", "/linux/resources",
              "expected object, got array", "resources as an array");
        fails(SPEC_CONFIG, "{\"linux\":\"x\"}", "/linux", "expected object, got string",
              "linux as a string");
        fails(SPEC_CONFIG, "{\"linux\":{\"resources\":{\"Pids\":{\"limit\":1}}}}",
              "/linux/resources/pids", "letter case", "key 'Pids'");
        fails(SPEC_CONFIG, "{\"linux\":{\"resources\":{\"pids\":{\"Limit\":1}}}}",
              "/linux/resources/pids/limit", "letter case", "key 'Limit'");
        fails(SPEC_CONFIG, "{\"linux\":{\"resources\":{\"memory\":{\"limit\":\"1g\"}}}}",
              "/linux/resources/memory/limit", "expected number, got string",
              "memory limit as a string, even without a policy memory limit");
        fails(SPEC_CONFIG, "{\"process\":{\"oomScoreAdj\":\"-1000\"}}", "/process/oomScoreAdj",
              "expected number, got string", "oomScoreAdj as a string");
        fails(SPEC_CONFIG, "{\"process\":{\"oomScoreAdj\":-1000.0}}", "/process/oomScoreAdj",
              "'-1000.0'", "oomScoreAdj -1000.0");
        fails(SPEC_CONFIG, "{\"process\":{\"oomScoreAdj\":-1e3}}", "/process/oomScoreAdj", "'-1e3'",
              "oomScoreAdj -1e3");
        fails(SPEC_CONFIG, "{\"process\":{\"OOMScoreAdj\":-1000}}", "/process/oomScoreAdj",
              "letter case", "key 'OOMScoreAdj'");
        fails(SPEC_CONFIG, "{\"process\":[]}", "/process", "expected object, got array",
              "process as an array");
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
