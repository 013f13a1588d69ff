/* Unit tests for the net_devices rule through harden_spec(): the allowlist, absent and null
 * fields, malformed entries, the modes, idempotence and a large map. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "harden.h"
#include "json.h"
#include "policy.h"
#include "tap.h"

#define FILE_NAME "/run/b/config.json"

struct run {
        int r;
        struct hr_error err;
        struct harden_result res;
        char *out;
};

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

/* Only the net_devices rule, in mode, with settings inside its object (NULL: the built-in list). */
static struct policy *nd_policy(const char *mode, const char *settings)
{
        struct hr_error err = {0};
        struct policy *p = NULL;
        char *text = NULL;
        size_t o;

        o = (size_t)asprintf(&text, "{\"mode\":\"%s\",\"rules\":{", mode);
        for (int i = 0; i < _RULE_MAX && text; i++) {
                const char *name = rule_id_to_string((enum rule_id)i);
                char *more = NULL;
                if (i == RULE_NET_DEVICES)
                        o = (size_t)asprintf(&more, "%s%s\"%s\":{%s}", text, i ? "," : "", name,
                                             settings ? settings : "");
                else
                        o = (size_t)asprintf(&more, "%s%s\"%s\":{\"mode\":\"off\"}", text,
                                             i ? "," : "", name);
                free(text);
                text = more;
        }
        if (text) {
                char *more = NULL;
                o = (size_t)asprintf(&more, "%s}}", text);
                free(text);
                text = more;
        }
        if (!text || policy_parse(text, o, "policy.json", &p, &err) < 0)
                diag("test policy does not parse: %s", err.msg);
        free(text);
        return p;
}

static struct run run_in(struct policy *p, enum spec_kind kind, const char *input)
{
        static const struct json_limits limits = {
                .max_bytes = HR_CONFIG_MAX_BYTES,
                .max_depth = HR_JSON_MAX_DEPTH,
                .max_members = HR_JSON_MAX_MEMBERS,
        };
        struct run x = {0};
        struct json *doc = NULL;

        if (!p || json_parse(input, strlen(input), &limits, &doc, &x.err) < 0) {
                diag("bad test input: %s", x.err.msg);
                x.r = -999;
                return x;
        }
        x.r = harden_spec(p, kind, FILE_NAME, doc, &x.res, &x.err);
        x.out = text_of(doc);
        json_free(doc);
        return x;
}

static struct run run(const char *mode, const char *settings, const char *input)
{
        struct policy *p = nd_policy(mode, settings);
        struct run x = run_in(p, SPEC_CONFIG, input);
        policy_free(p);
        return x;
}

static void run_done(struct run *x)
{
        harden_result_done(&x->res);
        free(x->out);
        *x = (struct run){0};
}

/* Enforce: exact output, number of findings, and the output is a fixed point. */
static void enforce(const char *settings, const char *input, const char *want, size_t n,
                    const char *what)
{
        struct run x = run("enforce", settings, input), y;

        is_int(x.r, 0, "%s: no error (%s)", what, x.err.msg);
        is_str(x.out, want, "%s: output", what);
        is_int(x.res.findings.n, n, "%s: %zu findings", what, n);
        is_int(x.res.changed, n > 0, "%s: changed flag", what);
        for (size_t i = 0; i < x.res.findings.n; i++)
                if (x.res.findings.items[i].rule != RULE_NET_DEVICES ||
                    x.res.findings.items[i].after != NULL ||
                    x.res.findings.items[i].action != FINDING_CHANGED)
                        ok(false, "%s: finding %zu is a removal by rule net_devices", what, i);
        y = run("enforce", settings, x.out ? x.out : "{}");
        ok(y.r == 0 && y.res.findings.n == 0 && x.out && strcmp(y.out, x.out) == 0,
           "%s: idempotent", what);
        run_done(&y);
        run_done(&x);
}

static void refuse(const char *input, const char *path, const char *part, const char *what)
{
        struct run x = run("enforce", NULL, input);
        char quoted[300];

        snprintf(quoted, sizeof(quoted), FILE_NAME ": '%s': ", path);
        is_int(x.r, -EINVAL, "%s: refused", what);
        ok(strncmp(x.err.msg, quoted, strlen(quoted)) == 0, "%s: message names %s (%s)", what, path,
           x.err.msg);
        ok(strstr(x.err.msg, part) != NULL, "%s: message says '%s'", what, part);
        run_done(&x);
}

static void test_absent(void)
{
        enforce(NULL, "{}", "{}", 0, "no linux");
        enforce(NULL, "{\"linux\":{}}", "{\"linux\":{}}", 0, "no netDevices");
        enforce(NULL, "{\"linux\":null}", "{\"linux\":null}", 0, "linux null");
        enforce(NULL, "{\"linux\":{\"netDevices\":null}}", "{\"linux\":{\"netDevices\":null}}", 0,
                "netDevices null");
        enforce(NULL, "{\"linux\":{\"netDevices\":{}}}", "{\"linux\":{\"netDevices\":{}}}", 0,
                "netDevices empty");
}

static void test_allowlist(void)
{
        struct run x;

        x = run("enforce", NULL, "{\"linux\":{\"netDevices\":{\"eth0\":{\"name\":\"ctr0\"}}}}");
        is_int(x.r, 0, "default: no error");
        is_str(x.out, "{\"linux\":{\"netDevices\":{}}}", "default: the host interface is removed");
        ok(x.res.findings.n == 1 &&
                   strcmp(x.res.findings.items[0].path, "/linux/netDevices/eth0") == 0,
           "default: one finding at /linux/netDevices/eth0");
        if (x.res.findings.n == 1) {
                char *b = text_of(x.res.findings.items[0].before);
                is_str(b, "{\"name\":\"ctr0\"}", "default: finding holds the entry");
                free(b);
        }
        run_done(&x);

        enforce("\"allow\":[\"eth1\",\"dummy0\"]",
                "{\"linux\":{\"netDevices\":{\"eth0\":{},\"eth1\":{\"name\":\"x\"},"
                "\"dummy0\":null,\"dummy\":{},\"eth10\":{}}}}",
                "{\"linux\":{\"netDevices\":{\"eth1\":{\"name\":\"x\"},\"dummy0\":null}}}", 3,
                "allowed names kept exactly; others (a prefix, a longer name) removed");
}

static void test_malformed(void)
{
        refuse("{\"linux\":{\"netDevices\":[]}}", "/linux/netDevices", "expected object, got array",
               "netDevices array");
        refuse("{\"linux\":{\"netDevices\":{\"eth0\":\"ctr0\"}}}", "/linux/netDevices/eth0",
               "expected object, got string", "entry a string");
        refuse("{\"linux\":{\"netDevices\":{\"eth0\":{\"name\":1}}}}",
               "/linux/netDevices/eth0/name", "expected string, got number", "name a number");
        refuse("{\"linux\":{\"NetDevices\":{}}}", "/linux/netDevices", "letter case",
               "key differing in case");
}

static void test_modes(void)
{
        const char *in = "{\"linux\":{\"netDevices\":{\"eth0\":{}}}}";
        struct run x;

        x = run("audit", NULL, in);
        is_str(x.out, in, "audit: document unchanged");
        ok(x.r == 0 && x.res.findings.n == 1 &&
                   x.res.findings.items[0].action == FINDING_WOULD_CHANGE && !x.res.changed,
           "audit: one would_change finding");
        run_done(&x);

        x = run("deny", NULL, in);
        is_str(x.out, in, "deny: document unchanged");
        ok(x.r == 0 && x.res.findings.n == 1 && x.res.findings.items[0].action == FINDING_DENIED &&
                   x.res.denied,
           "deny: one denied finding");
        run_done(&x);

        x = run("deny", "\"allow\":[\"eth0\"]", in);
        ok(x.r == 0 && x.res.findings.n == 0 && !x.res.denied, "deny: an allowed interface passes");
        run_done(&x);

        x = run("enforce", "\"mode\":\"off\"", in);
        ok(x.r == 0 && x.res.findings.n == 0 && strcmp(x.out, in) == 0, "off: nothing done");
        run_done(&x);
}

static void test_huge(void)
{
        const size_t n = 5000;
        size_t cap = n * 32 + 64, o = 0;
        char *in = malloc(cap);

        if (!in) {
                ok(false, "huge: malloc");
                return;
        }
        o += (size_t)snprintf(in + o, cap - o, "{\"linux\":{\"netDevices\":{");
        for (size_t i = 0; i < n; i++)
                o += (size_t)snprintf(in + o, cap - o, "%s\"veth%zu\":{}", i ? "," : "", i);
        snprintf(in + o, cap - o, "}}}");
        enforce("\"allow\":[\"veth7\"]", in, "{\"linux\":{\"netDevices\":{\"veth7\":{}}}}", n - 1,
                "5000 interfaces: all but the allowed one removed");
        free(in);
}

int main(void)
{
        test_absent();
        test_allowlist();
        test_malformed();
        test_modes();
        test_huge();
        return tap_done();
}
