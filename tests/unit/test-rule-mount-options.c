/* Unit tests for the mount_options rule through harden_spec(): forced bind mount options, the
 * kernel filesystems' options, propagation, odd specs and each mode. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "harden.h"
#include "json.h"
#include "policy.h"
#include "tap.h"

#define RULE RULE_MOUNT_OPTIONS

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

#define BIND(opts) \
        "{\"mounts\":[{\"destination\":\"/d\",\"type\":\"bind\",\"source\":\"/s\"" opts "}]}"

static void test_bind(void)
{
        enforce(NULL, BIND(""), BIND(",\"options\":[\"nosuid\",\"nodev\"]"), 1,
                "bind: absent options get nosuid,nodev");
        enforce(NULL, BIND(",\"options\":null"), BIND(",\"options\":[\"nosuid\",\"nodev\"]"), 1,
                "bind: null options count as absent");
        enforce(NULL, BIND(",\"options\":[]"), BIND(",\"options\":[\"nosuid\",\"nodev\"]"), 1,
                "bind: empty options");
        /* Docker's own binds (hosts, resolv.conf, hostname, /dev/shm): engine options kept. */
        enforce(NULL, BIND(",\"options\":[\"rbind\",\"rprivate\"]"),
                BIND(",\"options\":[\"rbind\",\"rprivate\",\"nosuid\",\"nodev\"]"), 1,
                "bind: Docker's rbind,rprivate kept");
        enforce(NULL, BIND(",\"options\":[\"rbind\",\"ro\",\"nodev\",\"rprivate\",\"nosuid\"]"),
                BIND(",\"options\":[\"rbind\",\"ro\",\"nodev\",\"rprivate\",\"nosuid\"]"), 0,
                "bind: nothing missing, order kept");
        enforce(NULL, BIND(",\"options\":[\"rbind\",\"suid\",\"dev\",\"exec\",\"rw\"]"),
                BIND(",\"options\":[\"rbind\",\"exec\",\"rw\",\"nosuid\",\"nodev\"]"), 1,
                "bind: suid and dev replaced, exec and rw kept when not forced");
        enforce(NULL, BIND(",\"options\":[\"rsuid\",\"rdev\",\"nosuid\"]"),
                BIND(",\"options\":[\"nosuid\",\"nodev\"]"), 1,
                "bind: recursive undoers (rsuid, rdev) dropped");
        enforce("\"bind\":[\"nosuid\",\"nodev\",\"noexec\",\"ro\"]",
                BIND(",\"options\":[\"rbind\",\"rw\",\"exec\",\"rrw\",\"rexec\"]"),
                BIND(",\"options\":[\"rbind\",\"nosuid\",\"nodev\",\"noexec\",\"ro\"]"), 1,
                "bind: policy noexec,ro replace exec,rw and their recursive forms");
        enforce("\"bind\":[\"rro\",\"rnosuid\"]", BIND(",\"options\":[\"rbind\",\"rw\",\"suid\"]"),
                BIND(",\"options\":[\"rbind\",\"rro\",\"rnosuid\"]"), 1,
                "bind: recursive options only when the policy lists them");
        enforce("\"bind\":[]", BIND(",\"options\":[\"rbind\",\"suid\"]"),
                BIND(",\"options\":[\"rbind\",\"suid\"]"), 0,
                "bind: empty policy list forces nothing");
        /* A bind by option, whatever the type. */
        enforce(NULL,
                "{\"mounts\":[{\"destination\":\"/d\",\"type\":\"none\",\"source\":\"/s\","
                "\"options\":[\"rbind\"]}]}",
                "{\"mounts\":[{\"destination\":\"/d\",\"type\":\"none\",\"source\":\"/s\","
                "\"options\":[\"rbind\",\"nosuid\",\"nodev\"]}]}",
                1, "bind: type none with rbind");
        enforce(NULL,
                "{\"mounts\":[{\"destination\":\"/d\",\"source\":\"/s\",\"options\":[\"bind\"]}]}",
                "{\"mounts\":[{\"destination\":\"/d\",\"source\":\"/s\","
                "\"options\":[\"bind\",\"nosuid\",\"nodev\"]}]}",
                1, "bind: no type, bind option");
        /* runc reads an element with a comma as mount data, crun as a C string: an element
         * hiding an undoer goes as a whole and is never split into flags. */
        enforce(NULL, BIND(",\"options\":[\"rbind\",\"nosuid,suid\",\"mode=1,x\"]"),
                BIND(",\"options\":[\"rbind\",\"mode=1,x\",\"nosuid\",\"nodev\"]"), 1,
                "bind: element with a comma holding suid dropped, other data kept");
        enforce(NULL, BIND(",\"options\":[\"rbind\",\"context=\\\"a,suid\\\"\"]"),
                BIND(",\"options\":[\"rbind\",\"context=\\\"a,suid\\\"\",\"nosuid\",\"nodev\"]"), 1,
                "bind: quoted value with a comma is one option (libmount)");
        enforce(NULL, BIND(",\"options\":[\"rbind\",\"suid=1\"]"),
                BIND(",\"options\":[\"rbind\",\"suid=1\",\"nosuid\",\"nodev\"]"), 1,
                "bind: name=value is data, not an undoer");
        finding_is(NULL, BIND(",\"options\":[\"rbind\",\"suid\"]"), "/mounts/0/options",
                   "[\"rbind\",\"suid\"]", "[\"rbind\",\"nosuid\",\"nodev\"]", "bind: finding");
        finding_is(NULL, BIND(""), "/mounts/0/options", "(absent)", "[\"nosuid\",\"nodev\"]",
                   "bind: finding for absent options");
}

static void test_kernel_filesystems(void)
{
        /* Docker's defaults are left exactly as they are. */
        static const char docker[] =
                "{\"mounts\":["
                "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\","
                "\"options\":[\"nosuid\",\"noexec\",\"nodev\"]},"
                "{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                "\"options\":[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]},"
                "{\"destination\":\"/dev/pts\",\"type\":\"devpts\",\"source\":\"devpts\","
                "\"options\":[\"nosuid\",\"noexec\",\"newinstance\",\"ptmxmode=0666\","
                "\"mode=0620\",\"gid=5\"]},"
                "{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\","
                "\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]},"
                "{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\","
                "\"options\":[\"ro\",\"nosuid\",\"noexec\",\"nodev\"]},"
                "{\"destination\":\"/dev/mqueue\",\"type\":\"mqueue\",\"source\":\"mqueue\","
                "\"options\":[\"nosuid\",\"noexec\",\"nodev\"]},"
                "{\"destination\":\"/dev/shm\",\"type\":\"tmpfs\",\"source\":\"shm\","
                "\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"mode=1777\",\"size=67108864\"]},"
                "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/h\","
                "\"options\":[\"rbind\",\"rprivate\",\"nosuid\",\"nodev\"]}],"
                "\"linux\":{\"rootfsPropagation\":\"rprivate\"}}";
        /* What `docker run --privileged` makes of /sys and cgroups. */
        static const char privileged[] =
                "{\"mounts\":["
                "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
                "{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\","
                "\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"rw\"]},"
                "{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup2\",\"source\":\"cgroup\","
                "\"options\":[\"rw\",\"nosuid\",\"noexec\",\"nodev\"]}]}";
        static const char privileged_fixed[] =
                "{\"mounts\":["
                "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\","
                "\"options\":[\"nosuid\",\"noexec\",\"nodev\"]},"
                "{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\","
                "\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]},"
                "{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup2\",\"source\":\"cgroup\","
                "\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]}]}";

        enforce(NULL, docker, docker, 0, "kernel fs: Docker's default mounts unchanged");
        enforce(NULL, privileged, privileged_fixed, 3,
                "kernel fs: privileged /sys and cgroup made read-only, proc gets "
                "nosuid,noexec,nodev");
        finding_is(NULL, privileged, "/mounts/1/options",
                   "[\"nosuid\",\"noexec\",\"nodev\",\"rw\"]",
                   "[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]", "kernel fs: sysfs finding");
        enforce(NULL,
                "{\"mounts\":[{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                "\"options\":[\"exec\",\"suid\",\"dev\",\"rw\"]}]}",
                "{\"mounts\":[{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                "\"options\":[\"exec\",\"suid\",\"dev\",\"rw\"]}]}",
                0, "kernel fs: other filesystems are not this rule's");
}

static void test_propagation(void)
{
        enforce(NULL, BIND(",\"options\":[\"rbind\",\"rshared\",\"nosuid\",\"nodev\"]"),
                BIND(",\"options\":[\"rbind\",\"nosuid\",\"nodev\",\"rprivate\"]"), 1,
                "propagation: rshared bind replaced by rprivate");
        enforce("\"propagation\":\"rslave\"",
                "{\"mounts\":[{\"destination\":\"/t\",\"type\":\"tmpfs\",\"source\":\"t\","
                "\"options\":[\"shared\",\"size=1m\"]}]}",
                "{\"mounts\":[{\"destination\":\"/t\",\"type\":\"tmpfs\",\"source\":\"t\","
                "\"options\":[\"size=1m\",\"rslave\"]}]}",
                1, "propagation: shared on any mount replaced by the policy's");
        enforce(NULL,
                BIND(",\"options\":[\"rbind\",\"rprivate\",\"rshared\",\"shared\",\"nosuid\","
                     "\"nodev\"]"),
                BIND(",\"options\":[\"rbind\",\"rprivate\",\"nosuid\",\"nodev\"]"), 1,
                "propagation: no duplicate when the policy's is already there");
        enforce(NULL, BIND(",\"options\":[\"rbind\",\"size=1,rshared\",\"nosuid\",\"nodev\"]"),
                BIND(",\"options\":[\"rbind\",\"nosuid\",\"nodev\",\"rprivate\"]"), 1,
                "propagation: rshared inside a comma element");
        enforce(NULL, "{\"linux\":{\"rootfsPropagation\":\"rshared\"}}",
                "{\"linux\":{\"rootfsPropagation\":\"rprivate\"}}", 1,
                "propagation: rootfsPropagation rshared");
        enforce("\"propagation\":\"rslave\"", "{\"linux\":{\"rootfsPropagation\":\"shared\"}}",
                "{\"linux\":{\"rootfsPropagation\":\"rslave\"}}", 1,
                "propagation: rootfsPropagation shared");
        finding_is(NULL, "{\"linux\":{\"rootfsPropagation\":\"rshared\"}}",
                   "/linux/rootfsPropagation", "\"rshared\"", "\"rprivate\"",
                   "propagation: rootfsPropagation finding");
        enforce(NULL, "{\"linux\":{\"rootfsPropagation\":\"rslave\"}}",
                "{\"linux\":{\"rootfsPropagation\":\"rslave\"}}", 0,
                "propagation: rslave root kept");
        enforce(NULL, "{\"linux\":{\"rootfsPropagation\":null}}",
                "{\"linux\":{\"rootfsPropagation\":null}}", 0, "propagation: null root kept");
}

static void test_odd_specs(void)
{
        char *big, *want;
        size_t o = 0, w = 0;

        enforce(NULL, "{}", "{}", 0, "odd: no mounts, no linux");
        enforce(NULL, "{\"mounts\":null,\"linux\":null}", "{\"mounts\":null,\"linux\":null}", 0,
                "odd: null mounts and linux");
        enforce(NULL, "{\"mounts\":[]}", "{\"mounts\":[]}", 0, "odd: empty mounts");
        fails("{\"mounts\":{}}", "/mounts", "expected array", "odd: mounts an object");
        fails("{\"mounts\":[1]}", "/mounts/0", "expected object", "odd: mount a number");
        fails("{\"mounts\":[{\"type\":1}]}", "/mounts/0/type", "expected string",
              "odd: type a number");
        fails("{\"mounts\":[{\"type\":\"bind\",\"options\":\"nosuid\"}]}", "/mounts/0/options",
              "expected array", "odd: options a string");
        fails("{\"mounts\":[{\"type\":\"bind\",\"options\":[\"rbind\",null]}]}",
              "/mounts/0/options/1", "expected string", "odd: option null");
        fails("{\"mounts\":[{\"type\":\"bind\",\"Options\":[]}]}", "/mounts/0/options",
              "letter case", "odd: case-folded key");
        fails("{\"linux\":{\"rootfsPropagation\":true}}", "/linux/rootfsPropagation",
              "expected string", "odd: rootfsPropagation a bool");

        /* Thousands of bind mounts, each with Docker's options. */
        big = malloc(1 << 20);
        want = malloc(1 << 20);
        if (!big || !want)
                abort();
        o += (size_t)sprintf(big + o, "{\"mounts\":[");
        w += (size_t)sprintf(want + w, "{\"mounts\":[");
        for (int i = 0; i < 5000; i++) {
                o += (size_t)sprintf(big + o,
                                     "%s{\"destination\":\"/d%d\",\"type\":\"bind\","
                                     "\"source\":\"/s\",\"options\":[\"rbind\",\"suid\"]}",
                                     i ? "," : "", i);
                w += (size_t)sprintf(want + w,
                                     "%s{\"destination\":\"/d%d\",\"type\":\"bind\","
                                     "\"source\":\"/s\",\"options\":[\"rbind\",\"nosuid\","
                                     "\"nodev\"]}",
                                     i ? "," : "", i);
        }
        sprintf(big + o, "]}");
        sprintf(want + w, "]}");
        enforce(NULL, big, want, 5000, "odd: 5000 bind mounts");
        free(big);
        free(want);
}

static void test_modes(void)
{
        modes(NULL,
              "{\"mounts\":[{\"destination\":\"/d\",\"type\":\"bind\",\"source\":\"/s\","
              "\"options\":[\"rbind\",\"rshared\"]},"
              "{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\"}],"
              "\"linux\":{\"rootfsPropagation\":\"rshared\"}}",
              3, "modes: hostile spec");
        modes(NULL, BIND(",\"options\":[\"rbind\",\"nosuid\",\"nodev\"]"), 0,
              "modes: nothing to do");
}

int main(void)
{
        test_bind();
        test_kernel_filesystems();
        test_propagation();
        test_odd_specs();
        test_modes();
        return tap_done();
}
