/* Unit tests for the masked_paths rule through harden_spec(): the union with the policy's lists,
 * Docker's defaults, odd specs and each mode. */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "harden.h"
#include "json.h"
#include "policy.h"
#include "tap.h"

#define RULE RULE_MASKED_PATHS

static const struct json_limits limits = {
        .max_bytes = HR_CONFIG_MAX_BYTES,
        .max_depth = HR_JSON_MAX_DEPTH,
        .max_members = HR_JSON_MAX_MEMBERS,
};

struct run {
        int r;
        struct hr_error err;
        struct harden_result res;
        char *out; /* the document after the run */
};

static void run_done(struct run *x)
{
        harden_result_done(&x->res);
        free(x->out);
        *x = (struct run){0};
}

/* A policy where only RULE runs, in mode, with settings inside its object. */
static struct policy *only_rule(const char *mode, const char *settings)
{
        struct hr_error err = {0};
        struct policy *p = NULL;
        char text[2048];
        size_t o;

        o = (size_t)snprintf(text, sizeof(text), "{\"mode\":\"%s\",\"rules\":{", mode);
        for (int i = 0; i < _RULE_MAX; i++)
                o += (size_t)snprintf(text + o, sizeof(text) - o, "%s\"%s\":{%s}", i ? "," : "",
                                      rule_id_to_string((enum rule_id)i),
                                      i == RULE ? (settings ? settings : "") : "\"mode\":\"off\"");
        snprintf(text + o, sizeof(text) - o, "}}");
        if (policy_parse(text, strlen(text), "policy.json", &p, &err) < 0)
                diag("test policy does not parse: %s", err.msg);
        return p;
}

static struct run run_mode(const char *mode, const char *settings, const char *input)
{
        struct policy *p = only_rule(mode, settings);
        struct run x = {.r = -999};
        struct json *doc = NULL;
        size_t len = 0;

        if (p && json_parse(input, strlen(input), &limits, &doc, &x.err) == 0) {
                x.r = harden_spec(p, SPEC_CONFIG, "config.json", doc, &x.res, &x.err);
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

static char *text_of(const struct json *v)
{
        char *buf = NULL;
        size_t len = 0;

        if (!v)
                return strdup("(absent)");
        if (json_write(v, &buf, &len, NULL) < 0)
                return strdup("(unprintable)");
        if (len > 0 && buf[len - 1] == '\n')
                buf[len - 1] = '\0';
        return buf;
}

static bool all_actions(const struct run *x, enum finding_action action)
{
        for (size_t i = 0; i < x->res.findings.n; i++)
                if (x->res.findings.items[i].action != action)
                        return false;
        return true;
}

/* Enforce: exact output, number of findings, and nothing more to do on the output. */
static void enforce(const char *settings, const char *input, const char *want, size_t n,
                    const char *what)
{
        struct run x = run_mode("enforce", settings, input), again;

        is_int(x.r, 0, "%s: no error (%s)", what, x.err.msg);
        is_str(x.out, want, "%s: output", what);
        is_int(x.res.findings.n, n, "%s: %zu findings", what, n);
        ok(all_actions(&x, FINDING_CHANGED), "%s: every finding changed", what);
        if (x.out) {
                again = run_mode("enforce", settings, x.out);
                is_int(again.res.findings.n, 0, "%s: idempotent", what);
                is_str(again.out, x.out, "%s: idempotent output", what);
                run_done(&again);
        }
        run_done(&x);
}

/* One finding's before and after, as JSON text. */
static void finding_is(const char *settings, const char *input, const char *path,
                       const char *before, const char *after, const char *what)
{
        struct run x = run_mode("enforce", settings, input);
        const struct finding *f = NULL;

        for (size_t i = 0; i < x.res.findings.n; i++)
                if (strcmp(x.res.findings.items[i].path, path) == 0)
                        f = &x.res.findings.items[i];
        ok(f != NULL, "%s: finding at %s", what, path);
        if (f) {
                char *b = text_of(f->before), *a = text_of(f->after);
                is_str(b, before, "%s: before", what);
                is_str(a, after, "%s: after", what);
                is_int(f->rule, RULE, "%s: rule", what);
                free(b);
                free(a);
        }
        run_done(&x);
}

/* Audit leaves the spec alone and records would_change; deny refuses. */
static void modes(const char *settings, const char *input, size_t n, const char *what)
{
        struct run x = run_mode("audit", settings, input);

        is_int(x.r, 0, "%s audit: no error (%s)", what, x.err.msg);
        is_str(x.out, input, "%s audit: spec unchanged", what);
        is_int(x.res.findings.n, n, "%s audit: %zu findings", what, n);
        ok(all_actions(&x, FINDING_WOULD_CHANGE), "%s audit: every finding would_change", what);
        ok(!x.res.changed && !x.res.denied, "%s audit: neither changed nor denied", what);
        run_done(&x);

        x = run_mode("deny", settings, input);
        is_int(x.r, 0, "%s deny: no error (%s)", what, x.err.msg);
        is_str(x.out, input, "%s deny: spec unchanged", what);
        ok(x.res.denied == (n > 0), "%s deny: denied is %s", what, n > 0 ? "set" : "clear");
        is_int(x.res.findings.n, n, "%s deny: %zu findings", what, n);
        ok(all_actions(&x, FINDING_DENIED), "%s deny: every finding denied", what);
        run_done(&x);
}

/* A malformed spec fails closed with file and JSON path in the message. */
static void fails(const char *input, const char *path, const char *part, const char *what)
{
        struct run x = run_mode("enforce", NULL, input);
        char quoted[RULE_PATH_MAX + 2];

        snprintf(quoted, sizeof(quoted), "'%s'", path);
        is_int(x.r, -EINVAL, "%s: refused", what);
        ok(strncmp(x.err.msg, "config.json: ", 13) == 0, "%s: names the file (%s)", what,
           x.err.msg);
        ok(strstr(x.err.msg, quoted) != NULL, "%s: names %s", what, quoted);
        ok(strstr(x.err.msg, part) != NULL, "%s: says '%s'", what, part);
        run_done(&x);
}

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
        enforce(NULL, "{}", want, 2, "union: no linux object");
        enforce(NULL, "{\"linux\":null}", want, 2, "union: null linux object");
        enforce(NULL, "{\"linux\":{}}", want, 2, "union: absent lists");
        enforce(NULL, "{\"linux\":{\"maskedPaths\":[],\"readonlyPaths\":[]}}", want, 2,
                "union: empty lists (docker --privileged, procMount Unmasked)");
        enforce(NULL, "{\"linux\":{\"maskedPaths\":null,\"readonlyPaths\":null}}", want, 2,
                "union: null lists");
        enforce(NULL, want, want, 0, "union: Docker's lists unchanged");
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
        enforce(NULL,
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
        enforce(NULL,
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
        enforce("\"masked\":[\"/m\"],\"readonly\":[\"/r\"]",
                "{\"linux\":{\"maskedPaths\":[\"/a\"]}}", want, 2, "union: policy lists");
        free(want);
        if (!thermal[0])
                enforce("\"masked\":[],\"readonly\":[]", "{\"linux\":{}}", "{\"linux\":{}}", 0,
                        "union: empty policy lists add nothing");
        else
                ok(1, "# SKIP this host has thermal_throttle directories");

        want = cat("[\"/x\"]", "", "");
        finding_is("\"masked\":[],\"readonly\":[\"/proc/sys\"]",
                   "{\"linux\":{\"readonlyPaths\":[\"/x\"]}}", "/linux/readonlyPaths", want,
                   "[\"/x\",\"/proc/sys\"]", "union: readonly finding");
        free(want);
        want = cat("[\"/proc/kcore\"", thermal, "]");
        finding_is("\"masked\":[\"/proc/kcore\"],\"readonly\":[]", "{\"linux\":{}}",
                   "/linux/maskedPaths", "(absent)", want, "union: masked finding from absent");
        free(want);
}

static void test_odd_specs(void)
{
        size_t o = 0;
        char *big;

        fails("{\"linux\":[]}", "/linux", "expected object", "odd: linux an array");
        fails("{\"linux\":{\"maskedPaths\":\"/proc\"}}", "/linux/maskedPaths", "expected array",
              "odd: maskedPaths a string");
        fails("{\"linux\":{\"maskedPaths\":[],\"readonlyPaths\":[\"/a\",7]}}",
              "/linux/readonlyPaths/1", "expected string", "odd: readonly entry a number");
        fails("{\"linux\":{\"MaskedPaths\":[]}}", "/linux/maskedPaths", "letter case",
              "odd: case-folded key");

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
                        run_mode("enforce", "\"masked\":[],\"readonly\":[\"/proc/sys\"]", big);
                is_int(x.r, 0, "odd: 20000 entries, no error (%s)", x.err.msg);
                ok(x.out && strstr(x.out, "\"/p/19999\",\"/proc/sys\"]") != NULL,
                   "odd: 20000 entries kept, /proc/sys appended");
                run_done(&x);
        }
        free(big);
}

static void test_modes(void)
{
        modes(NULL, "{\"linux\":{\"maskedPaths\":[],\"readonlyPaths\":[]}}", 2,
              "modes: empty lists");
        modes("\"masked\":[\"/proc/kcore\"],\"readonly\":[]",
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

        x = run_mode("enforce", settings,
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
                struct run again = run_mode("enforce", settings, x.out);
                is_int(again.res.findings.n, 0, "other mounts: idempotent");
                run_done(&again);
        }
        run_done(&x);

        x = run_mode("enforce", settings,
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
