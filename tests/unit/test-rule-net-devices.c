/* Unit tests for the net_devices rule through harden_spec(): the allowlist, absent and null
 * fields, malformed entries, the modes, idempotence and a large map. */
#include "rule-harness.h"

static void test_absent(void)
{
        enforce_removal(RULE_NET_DEVICES, NULL, "{}", "{}", 0, "no linux");
        enforce_removal(RULE_NET_DEVICES, NULL, "{\"linux\":{}}", "{\"linux\":{}}", 0,
                        "no netDevices");
        enforce_removal(RULE_NET_DEVICES, NULL, "{\"linux\":null}", "{\"linux\":null}", 0,
                        "linux null");
        enforce_removal(RULE_NET_DEVICES, NULL, "{\"linux\":{\"netDevices\":null}}",
                        "{\"linux\":{\"netDevices\":null}}", 0, "netDevices null");
        enforce_removal(RULE_NET_DEVICES, NULL, "{\"linux\":{\"netDevices\":{}}}",
                        "{\"linux\":{\"netDevices\":{}}}", 0, "netDevices empty");
}

static void test_allowlist(void)
{
        struct run x;

        x = run_rule(RULE_NET_DEVICES, "enforce", NULL, SPEC_CONFIG,
                     "{\"linux\":{\"netDevices\":{\"eth0\":{\"name\":\"ctr0\"}}}}");
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

        enforce_removal(RULE_NET_DEVICES, "\"allow\":[\"eth1\",\"dummy0\"]",
                        "{\"linux\":{\"netDevices\":{\"eth0\":{},\"eth1\":{\"name\":\"x\"},"
                        "\"dummy0\":null,\"dummy\":{},\"eth10\":{}}}}",
                        "{\"linux\":{\"netDevices\":{\"eth1\":{\"name\":\"x\"},\"dummy0\":null}}}",
                        3, "allowed names kept exactly; others (a prefix, a longer name) removed");
}

static void test_malformed(void)
{
        refuse_one(RULE_NET_DEVICES, NULL, SPEC_CONFIG, "{\"linux\":{\"netDevices\":[]}}",
                   "/linux/netDevices", "expected object, got array", "netDevices array");
        refuse_one(RULE_NET_DEVICES, NULL, SPEC_CONFIG,
                   "{\"linux\":{\"netDevices\":{\"eth0\":\"ctr0\"}}}", "/linux/netDevices/eth0",
                   "expected object, got string", "entry a string");
        refuse_one(RULE_NET_DEVICES, NULL, SPEC_CONFIG,
                   "{\"linux\":{\"netDevices\":{\"eth0\":{\"name\":1}}}}",
                   "/linux/netDevices/eth0/name", "expected string, got number", "name a number");
        refuse_one(RULE_NET_DEVICES, NULL, SPEC_CONFIG, "{\"linux\":{\"NetDevices\":{}}}",
                   "/linux/netDevices", "letter case", "key differing in case");
}

static void test_modes(void)
{
        const char *in = "{\"linux\":{\"netDevices\":{\"eth0\":{}}}}";
        struct run x;

        check_modes(RULE_NET_DEVICES, NULL, in, 1, "one interface");

        x = run_rule(RULE_NET_DEVICES, "deny", "\"allow\":[\"eth0\"]", SPEC_CONFIG, in);
        ok(x.r == 0 && x.res.findings.n == 0 && !x.res.denied, "deny: an allowed interface passes");
        run_done(&x);

        x = run_rule(RULE_NET_DEVICES, "enforce", "\"mode\":\"off\"", SPEC_CONFIG, in);
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
        enforce_removal(RULE_NET_DEVICES, "\"allow\":[\"veth7\"]", in,
                        "{\"linux\":{\"netDevices\":{\"veth7\":{}}}}", n - 1,
                        "5000 interfaces: all but the allowed one removed");
        free(in);
}

/* A name with '/' or '~' appears escaped in the finding's JSON pointer (RFC 6901): the path
 * names that one member, not a nested one. */
static void test_path_escaping(void)
{
        enforce_finding(RULE_NET_DEVICES, NULL,
                        "{\"linux\":{\"netDevices\":{\"a/b~c\":{\"name\":\"x\"}}}}",
                        "/linux/netDevices/a~1b~0c", "{\"name\":\"x\"}", NULL);
}

int main(void)
{
        test_absent();
        test_path_escaping();
        test_allowlist();
        test_malformed();
        test_modes();
        test_huge();
        return tap_done();
}
