/* Unit tests for the masked_paths rule through harden_spec(): the union with the policy's lists,
 * Docker's defaults, odd specs and each mode. */
#include <glob.h>

#include "rule-harness.h"

#define RULE RULE_MASKED_PATHS

#define DOCKER_MASKED                                                                          \
        "\"/proc/acpi\",\"/proc/asound\",\"/proc/interrupts\",\"/proc/kcore\",\"/proc/keys\"," \
        "\"/proc/latency_stats\",\"/proc/sched_debug\",\"/proc/scsi\",\"/proc/timer_list\","   \
        "\"/proc/timer_stats\",\"/sys/devices/virtual/powercap\",\"/sys/firmware\""
#define DOCKER_RO "\"/proc/bus\",\"/proc/fs\",\"/proc/irq\",\"/proc/sys\",\"/proc/sysrq-trigger\""

/* This host's thermal_throttle directories as JSON list items (",\"...\"" each), in CPU order:
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
                o += (size_t)snprintf(thermal + o, sizeof(thermal) - o, ",\"%s\"", g.gl_pathv[i]);
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

static void test_union(void)
{
        char *want;

        want = cat("{\"linux\":{\"maskedPaths\":[" DOCKER_MASKED, thermal,
                   "],\"readonlyPaths\":[" DOCKER_RO "]}}");
        enforce_rule(RULE, NULL, SPEC_CONFIG, "{}", want, 2, "union: no linux object");
        enforce_rule(RULE, NULL, SPEC_CONFIG, "{\"linux\":null}", want, 2,
                     "union: null linux object");
        enforce_rule(RULE, NULL, SPEC_CONFIG, "{\"linux\":{}}", want, 2, "union: absent lists");
        enforce_rule(RULE, NULL, SPEC_CONFIG,
                     "{\"linux\":{\"maskedPaths\":[],\"readonlyPaths\":[]}}", want, 2,
                     "union: empty lists (docker --privileged, procMount Unmasked)");
        enforce_rule(RULE, NULL, SPEC_CONFIG,
                     "{\"linux\":{\"maskedPaths\":null,\"readonlyPaths\":null}}", want, 2,
                     "union: null lists");
        enforce_rule(RULE, NULL, SPEC_CONFIG, want, want, 0, "union: Docker's lists unchanged");
        free(want);

        /* The spec's own entries stay first and in order; no duplicates. */
        want = cat(
                "{\"linux\":{\"maskedPaths\":[\"/x\",\"/proc/kcore\",\"/proc/acpi\","
                "\"/proc/asound\",\"/proc/interrupts\",\"/proc/keys\",\"/proc/latency_stats\","
                "\"/proc/sched_debug\",\"/proc/scsi\",\"/proc/timer_list\",\"/proc/timer_stats\","
                "\"/sys/devices/virtual/powercap\",\"/sys/firmware\"",
                thermal,
                "],\"readonlyPaths\":[\"/proc/sys/\",\"/proc/bus\",\"/proc/fs\",\"/proc/irq\","
                "\"/proc/sysrq-trigger\"]}}");
        enforce_rule(RULE, NULL, SPEC_CONFIG,
                     "{\"linux\":{\"maskedPaths\":[\"/x\",\"/proc/kcore\"],"
                     "\"readonlyPaths\":[\"/proc/sys/\"]}}",
                     want, 2, "union: own entries kept, trailing slash counts as the same path");
        free(want);

        /* podman's lists: /proc/asound read-only there, masked by Docker; both kept. */
        want = cat("{\"linux\":{\"maskedPaths\":[\"/proc/acpi\",\"/proc/kcore\",\"/proc/keys\","
                   "\"/proc/latency_stats\",\"/proc/sched_debug\",\"/proc/scsi\","
                   "\"/proc/timer_list\",\"/proc/timer_stats\",\"/sys/devices/virtual/powercap\","
                   "\"/sys/firmware\",\"/sys/fs/selinux\",\"/proc/interrupts\",\"/proc/asound\"",
                   thermal,
                   "],\"readonlyPaths\":[\"/proc/asound\",\"/proc/bus\",\"/proc/fs\",\"/proc/irq\","
                   "\"/proc/sys\",\"/proc/sysrq-trigger\"]}}");
        enforce_rule(RULE, NULL, SPEC_CONFIG,
                     "{\"linux\":{\"maskedPaths\":[\"/proc/acpi\",\"/proc/kcore\",\"/proc/keys\","
                     "\"/proc/latency_stats\",\"/proc/sched_debug\",\"/proc/scsi\","
                     "\"/proc/timer_list\",\"/proc/timer_stats\",\"/sys/devices/virtual/powercap\","
                     "\"/sys/firmware\",\"/sys/fs/selinux\",\"/proc/interrupts\"],"
                     "\"readonlyPaths\":[\"/proc/asound\",\"/proc/bus\",\"/proc/fs\",\"/proc/irq\","
                     "\"/proc/sys\",\"/proc/sysrq-trigger\"]}}",
                     want, 1, "union: podman's lists get /proc/asound masked");
        free(want);

        /* The policy's own lists. */
        want = cat("{\"linux\":{\"maskedPaths\":[\"/a\",\"/m\"", thermal,
                   "],\"readonlyPaths\":[\"/r\"]}}");
        enforce_rule(RULE, "\"masked\":[\"/m\"],\"readonly\":[\"/r\"]", SPEC_CONFIG,
                     "{\"linux\":{\"maskedPaths\":[\"/a\"]}}", want, 2, "union: policy lists");
        free(want);
        if (!thermal[0])
                enforce_rule(RULE, "\"masked\":[],\"readonly\":[]", SPEC_CONFIG, "{\"linux\":{}}",
                             "{\"linux\":{}}", 0, "union: empty policy lists add nothing");
        else
                ok(1, "# SKIP this host has thermal_throttle directories");

        want = cat("[\"/x\"]", "", "");
        enforce_finding(RULE, "\"masked\":[],\"readonly\":[\"/proc/sys\"]",
                        "{\"linux\":{\"readonlyPaths\":[\"/x\"]}}", "/linux/readonlyPaths", want,
                        "[\"/x\",\"/proc/sys\"]");
        free(want);
        want = cat("[\"/proc/kcore\"", thermal, "]");
        enforce_finding(RULE, "\"masked\":[\"/proc/kcore\"],\"readonly\":[]", "{\"linux\":{}}",
                        "/linux/maskedPaths", "(absent)", want);
        free(want);
}

static void test_odd_specs(void)
{
        size_t o = 0;
        char *big;

        refuse_one(RULE, NULL, SPEC_CONFIG, "{\"linux\":[]}", "/linux", "expected object",
                   "odd: linux an array");
        refuse_one(RULE, NULL, SPEC_CONFIG, "{\"linux\":{\"maskedPaths\":\"/proc\"}}",
                   "/linux/maskedPaths", "expected array", "odd: maskedPaths a string");
        refuse_one(RULE, NULL, SPEC_CONFIG,
                   "{\"linux\":{\"maskedPaths\":[],\"readonlyPaths\":[\"/a\",7]}}",
                   "/linux/readonlyPaths/1", "expected string", "odd: readonly entry a number");
        refuse_one(RULE, NULL, SPEC_CONFIG, "{\"linux\":{\"MaskedPaths\":[]}}",
                   "/linux/maskedPaths", "letter case", "odd: case-folded key");

        /* A huge list of the spec's own: all kept, the policy's appended once. */
        big = malloc(1 << 20);
        if (!big)
                abort();
        o += (size_t)sprintf(big + o, "{\"linux\":{\"readonlyPaths\":[");
        for (int i = 0; i < 20000; i++)
                o += (size_t)sprintf(big + o, "%s\"/p/%d\"", i ? "," : "", i);
        sprintf(big + o, "],\"maskedPaths\":[]}}");
        {
                struct run x =
                        run_rule(RULE, "enforce", "\"masked\":[],\"readonly\":[\"/proc/sys\"]",
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
        check_modes(RULE, NULL, "{\"linux\":{\"maskedPaths\":[],\"readonlyPaths\":[]}}", 2,
                    "modes: empty lists");
        check_modes(RULE, "\"masked\":[\"/proc/kcore\"],\"readonly\":[]",
                    "{\"linux\":{\"maskedPaths\":[\"/proc/kcore\"],\"readonlyPaths\":[]}}",
                    thermal[0] ? 1 : 0, "modes: nothing missing");
}

/* A second procfs or sysfs mount elsewhere in the container shows what the lists hide at /proc
 * and /sys (a writable .../sys/kernel/core_pattern): each gets the lists rebased onto it. */
static void test_other_mounts(void)
{
        const char *settings = "\"masked\":[\"/proc/kcore\",\"/sys/firmware\"],"
                               "\"readonly\":[\"/proc/sys\"]";
        struct run x;

        x = run_rule(RULE, "enforce", settings, SPEC_CONFIG,
                     "{\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\"},"
                     "{\"destination\":\"/mnt/p/\",\"type\":\"proc\",\"source\":\"proc\"},"
                     "{\"destination\":\"/hs\",\"type\":\"sysfs\",\"source\":\"sysfs\"},"
                     "{\"destination\":\"/b\",\"type\":\"proc\",\"options\":[\"rbind\"]}]}");
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
                struct run again = run_rule(RULE, "enforce", settings, SPEC_CONFIG, x.out);
                is_int(again.res.findings.n, 0, "other mounts: idempotent");
                run_done(&again);
        }
        run_done(&x);

        x = run_rule(RULE, "enforce", settings, SPEC_CONFIG,
                     "{\"mounts\":[{\"destination\":\"q\",\"type\":\"proc\"}]}");
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
