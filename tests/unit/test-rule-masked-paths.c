/* Unit tests for the masked_paths rule through harden_spec(): the union with the policy's lists,
 * Docker's defaults, odd specs and each mode. JSON in single
 * quotes (rule-harness.h), but for the texts searched in the output. */
#include <glob.h>

#include "rule-harness.h"

#define RULE RULE_MASKED_PATHS

#define DOCKER_MASKED                                                                \
        "'/proc/acpi','/proc/asound','/proc/interrupts','/proc/kcore','/proc/keys'," \
        "'/proc/latency_stats','/proc/sched_debug','/proc/scsi','/proc/timer_list'," \
        "'/proc/timer_stats','/sys/devices/virtual/powercap','/sys/firmware'"
#define DOCKER_RO "'/proc/bus','/proc/fs','/proc/irq','/proc/sys','/proc/sysrq-trigger'"

/* This host's thermal_throttle directories as JSON list items (",'...'" each), in CPU order:
 * the rule adds them as Docker does. */
static char thermal[16384];

static int cpu_of(const char *path)
{
        return atoi(path + strlen("/sys/devices/system/cpu/cpu"));
}

static int by_cpu(const void *a, const void *b)
{
        return cpu_of(*(char *const *)a) - cpu_of(*(char *const *)b);
}

static void find_thermal(void)
{
        glob_t g;
        size_t o = 0;

        if (glob("/sys/devices/system/cpu/cpu[0-9]*/thermal_throttle", 0, NULL, &g) != 0)
                return;
        qsort(g.gl_pathv, g.gl_pathc, sizeof(char *), by_cpu);
        for (size_t i = 0; i < g.gl_pathc && o + 128 < sizeof(thermal); i++)
                o += (size_t)snprintf(thermal + o, sizeof(thermal) - o, ",'%s'", g.gl_pathv[i]);
        diag("this host has %zu thermal_throttle directories", g.gl_pathc);
        globfree(&g);
}

static char *cat(const char *a, const char *b, const char *c)
{
        size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
        char *s = malloc(n);

        if (!s)
                abort();
        snprintf(s, n, "%s%s%s", a, b, c);
        return s;
}

static const struct rule_case union_cases[] = {
        {"union: empty policy lists add nothing", "'masked':[],'readonly':[]", "{'linux':{}}"},
};

static void test_union(void)
{
        char *want;

        want = cat("{'linux':{'maskedPaths':[" DOCKER_MASKED, thermal,
                   "],'readonlyPaths':[" DOCKER_RO "]}}");
        one_enforce(RULE, (struct rule_case){"union: no linux object", NULL, "{}", want, 2});
        one_enforce(RULE, (struct rule_case){"union: null linux object", NULL, "{'linux':null}",
                                             want, 2});
        one_enforce(RULE, (struct rule_case){"union: absent lists", NULL, "{'linux':{}}", want, 2});
        one_enforce(RULE,
                    (struct rule_case){
                            "union: empty lists (docker --privileged, procMount Unmasked)", NULL,
                            "{'linux':{'maskedPaths':[],'readonlyPaths':[]}}", want, 2});
        one_enforce(RULE, (struct rule_case){"union: null lists", NULL,
                                             "{'linux':{'maskedPaths':null,'readonlyPaths':null}}",
                                             want, 2});
        one_enforce(RULE, (struct rule_case){"union: Docker's lists unchanged", NULL, want});
        free(want);

        /* The spec's own entries stay first and in order; no duplicates. */
        want = cat("{'linux':{'maskedPaths':['/x','/proc/kcore','/proc/acpi',"
                   "'/proc/asound','/proc/interrupts','/proc/keys','/proc/latency_stats',"
                   "'/proc/sched_debug','/proc/scsi','/proc/timer_list','/proc/timer_stats',"
                   "'/sys/devices/virtual/powercap','/sys/firmware'",
                   thermal,
                   "],'readonlyPaths':['/proc/sys/','/proc/bus','/proc/fs','/proc/irq',"
                   "'/proc/sysrq-trigger']}}");
        one_enforce(RULE,
                    (struct rule_case){
                            "union: own entries kept, trailing slash counts as the same path", NULL,
                            "{'linux':{'maskedPaths':['/x','/proc/kcore'],"
                            "'readonlyPaths':['/proc/sys/']}}",
                            want, 2});
        free(want);

        /* podman's lists: /proc/asound read-only there, masked by Docker; both kept. */
        want = cat("{'linux':{'maskedPaths':['/proc/acpi','/proc/kcore','/proc/keys',"
                   "'/proc/latency_stats','/proc/sched_debug','/proc/scsi',"
                   "'/proc/timer_list','/proc/timer_stats','/sys/devices/virtual/powercap',"
                   "'/sys/firmware','/sys/fs/selinux','/proc/interrupts','/proc/asound'",
                   thermal,
                   "],'readonlyPaths':['/proc/asound','/proc/bus','/proc/fs','/proc/irq',"
                   "'/proc/sys','/proc/sysrq-trigger']}}");
        one_enforce(
                RULE,
                (struct rule_case){
                        "union: podman's lists get /proc/asound masked", NULL,
                        "{'linux':{'maskedPaths':['/proc/acpi','/proc/kcore','/proc/keys',"
                        "'/proc/latency_stats','/proc/sched_debug','/proc/scsi',"
                        "'/proc/timer_list','/proc/timer_stats','/sys/devices/virtual/powercap',"
                        "'/sys/firmware','/sys/fs/selinux','/proc/interrupts'],"
                        "'readonlyPaths':['/proc/asound','/proc/bus','/proc/fs','/proc/irq',"
                        "'/proc/sys','/proc/sysrq-trigger']}}",
                        want, 1});
        free(want);

        /* The policy's own lists. */
        want = cat("{'linux':{'maskedPaths':['/a','/m'", thermal, "],'readonlyPaths':['/r']}}");
        one_enforce(RULE,
                    (struct rule_case){"union: policy lists", "'masked':['/m'],'readonly':['/r']",
                                       "{'linux':{'maskedPaths':['/a']}}", want, 2});
        free(want);
        if (!thermal[0])
                enforce_cases(RULE, union_cases);
        else
                ok(1, "# SKIP this host has thermal_throttle directories");

        want = cat("['/x']", "", "");
        one_finding(RULE,
                    (struct finding_case){"'masked':[],'readonly':['/proc/sys']",
                                          "{'linux':{'readonlyPaths':['/x']}}",
                                          "/linux/readonlyPaths", want, "['/x','/proc/sys']"});
        free(want);
        want = cat("['/proc/kcore'", thermal, "]");
        one_finding(RULE,
                    (struct finding_case){"'masked':['/proc/kcore'],'readonly':[]", "{'linux':{}}",
                                          "/linux/maskedPaths", "(absent)", want});
        free(want);
}

static const struct refuse_case odd_specs_refusals[] = {
        {"odd: linux an array", NULL, "{'linux':[]}", "/linux", "expected object"},
        {"odd: maskedPaths a string", NULL, "{'linux':{'maskedPaths':'/proc'}}",
         "/linux/maskedPaths", "expected array"},
        {"odd: readonly entry a number", NULL,
         "{'linux':{'maskedPaths':[],'readonlyPaths':['/a',7]}}", "/linux/readonlyPaths/1",
         "expected string"},
        {"odd: case-folded key", NULL, "{'linux':{'MaskedPaths':[]}}", "/linux/maskedPaths",
         "letter case"},
};

static void test_odd_specs(void)
{
        size_t o = 0;
        char *big;

        refuse_cases(RULE, odd_specs_refusals);

        /* A huge list of the spec's own: all kept, the policy's appended once. */
        big = malloc(1 << 20);
        if (!big)
                abort();
        o += (size_t)sprintf(big + o, "{'linux':{'readonlyPaths':[");
        for (int i = 0; i < 20000; i++)
                o += (size_t)sprintf(big + o, "%s'/p/%d'", i ? "," : "", i);
        sprintf(big + o, "],'maskedPaths':[]}}");
        {
                struct run x = run_q(RULE, "enforce", "'masked':[],'readonly':['/proc/sys']",
                                     SPEC_CONFIG, big);
                is_int(x.r, 0, "odd: 20000 entries, no error (%s)", x.err.msg);
                ok(x.out && strstr(x.out, "\"/p/19999\",\"/proc/sys\"]") != NULL,
                   "odd: 20000 entries kept, /proc/sys appended");
                run_done(&x);
        }
        free(big);
}

static void test_modes(void)
{
        one_mode(RULE, (struct mode_case){"modes: empty lists", NULL,
                                          "{'linux':{'maskedPaths':[],'readonlyPaths':[]}}", 2});
        one_mode(RULE, (struct mode_case){
                               "modes: nothing missing", "'masked':['/proc/kcore'],'readonly':[]",
                               "{'linux':{'maskedPaths':['/proc/kcore'],'readonlyPaths':[]}}",
                               thermal[0] ? 1 : 0});
}

/* A second procfs or sysfs mount elsewhere in the container shows what the lists hide at /proc
 * and /sys (a writable .../sys/kernel/core_pattern): each gets the lists rebased onto it. */
static void test_other_mounts(void)
{
        const char *settings = "'masked':['/proc/kcore','/sys/firmware'],"
                               "'readonly':['/proc/sys']";
        struct run x;

        x = run_q(RULE, "enforce", settings, SPEC_CONFIG,
                  "{'mounts':[{'destination':'/proc','type':'proc'},"
                  "{'destination':'/mnt/p/','type':'proc','source':'proc'},"
                  "{'destination':'/hs','type':'sysfs','source':'sysfs'},"
                  "{'destination':'/b','type':'proc','options':['rbind']}]}");
        is_int(x.r, 0, "other mounts: no error (%s)", x.err.msg);
        ok(x.out && strstr(x.out, "\"/proc/kcore\",\"/mnt/p/kcore\"") != NULL,
           "other mounts: second procfs has kcore masked");
        ok(x.out && strstr(x.out, "\"/sys/firmware\",\"/hs/firmware\"") != NULL,
           "other mounts: second sysfs has firmware masked");
        ok(x.out && strstr(x.out, "\"readonlyPaths\":[\"/proc/sys\",\"/mnt/p/sys\"]") != NULL,
           "other mounts: second procfs has sys read-only");
        ok(x.out && !strstr(x.out, "/b/"), "other mounts: a bind mount is not a procfs");
        ok(x.out && !strstr(x.out, "/proc/kcore\",\"/proc/kcore"),
           "other mounts: /proc itself not added twice");
        if (x.out) {
                char *s = qjson(settings);
                struct run again = run_rule(RULE, "enforce", s, SPEC_CONFIG, x.out);
                is_int(again.res.findings.n, 0, "other mounts: idempotent");
                run_done(&again);
                qjson_free(s);
        }
        run_done(&x);

        x = run_q(RULE, "enforce", settings, SPEC_CONFIG,
                  "{'mounts':[{'destination':'q','type':'proc'}]}");
        ok(x.out && strstr(x.out, "\"/q/sys\"") != NULL,
           "other mounts: relative destination taken from the root");
        run_done(&x);
}

int main(void)
{
        find_thermal();
        test_union();
        test_odd_specs();
        test_modes();
        test_other_mounts();
        return tap_done();
}
