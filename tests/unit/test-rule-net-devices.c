/* Unit tests for the net_devices rule through harden_spec(): the allowlist, absent and null
 * fields, malformed entries, the modes, idempotence and a large map. JSON in single quotes
 * (rule-harness.h). */
#include "rule-harness.h"

static const struct rule_case absent_cases[] = {
        {"no linux", NULL, "{}"},
        {"no netDevices", NULL, "{'linux':{}}"},
        {"linux null", NULL, "{'linux':null}"},
        {"netDevices null", NULL, "{'linux':{'netDevices':null}}"},
        {"netDevices empty", NULL, "{'linux':{'netDevices':{}}}"},
};

static void test_absent(void)
{
        removal_cases(RULE_NET_DEVICES, absent_cases);
}

static const struct rule_case allowlist_cases[] = {
        {"allowed names kept exactly; others (a prefix, a longer name) removed",
         "'allow':['eth1','dummy0']",
         "{'linux':{'netDevices':{'eth0':{},'eth1':{'name':'x'},'dummy0':null,'dummy':{},'eth10':{}"
         "}}}",
         "{'linux':{'netDevices':{'eth1':{'name':'x'},'dummy0':null}}}", 3},
};

static void test_allowlist(void)
{
        struct run x;

        x = run_q(RULE_NET_DEVICES, "enforce", NULL, SPEC_CONFIG,
                  "{'linux':{'netDevices':{'eth0':{'name':'ctr0'}}}}");
        is_int(x.r, 0, "default: no error");
        is_json(x.out, "{'linux':{'netDevices':{}}}", "default: the host interface is removed");
        ok(x.res.findings.n == 1 &&
                   strcmp(x.res.findings.items[0].path, "/linux/netDevices/eth0") == 0,
           "default: one finding at /linux/netDevices/eth0");
        if (x.res.findings.n == 1) {
                char *b = text_of(x.res.findings.items[0].before);
                is_json(b, "{'name':'ctr0'}", "default: finding holds the entry");
                free(b);
        }
        run_done(&x);

        removal_cases(RULE_NET_DEVICES, allowlist_cases);
}

static const struct refuse_case malformed_refusals[] = {
        {"netDevices array", NULL, "{'linux':{'netDevices':[]}}", "/linux/netDevices",
         "expected object, got array"},
        {"entry a string", NULL, "{'linux':{'netDevices':{'eth0':'ctr0'}}}",
         "/linux/netDevices/eth0", "expected object, got string"},
        {"name a number", NULL, "{'linux':{'netDevices':{'eth0':{'name':1}}}}",
         "/linux/netDevices/eth0/name", "expected string, got number"},
        {"key differing in case", NULL, "{'linux':{'NetDevices':{}}}", "/linux/netDevices",
         "letter case"},
};

static void test_malformed(void)
{
        refuse_cases(RULE_NET_DEVICES, malformed_refusals);
}

static const char one_interface[] = "{'linux':{'netDevices':{'eth0':{}}}}";

static const struct mode_case modes[] = {
        {"one interface", NULL, one_interface, 1},
};

static void test_modes(void)
{
        const char *in = one_interface;
        struct run x;

        mode_cases(RULE_NET_DEVICES, modes);

        x = run_q(RULE_NET_DEVICES, "deny", "'allow':['eth0']", SPEC_CONFIG, in);
        ok(x.r == 0 && x.res.findings.n == 0 && !x.res.denied, "deny: an allowed interface passes");
        run_done(&x);

        x = run_q(RULE_NET_DEVICES, "enforce", "'mode':'off'", SPEC_CONFIG, in);
        ok(x.r == 0 && x.res.findings.n == 0 && json_equals(x.out, in), "off: nothing done");
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
        o += (size_t)snprintf(in + o, cap - o, "{'linux':{'netDevices':{");
        for (size_t i = 0; i < n; i++)
                o += (size_t)snprintf(in + o, cap - o, "%s'veth%zu':{}", i ? "," : "", i);
        snprintf(in + o, cap - o, "}}}");
        const struct rule_case huge = {"5000 interfaces: all but the allowed one removed",
                                       "'allow':['veth7']", in,
                                       "{'linux':{'netDevices':{'veth7':{}}}}", n - 1};
        run_rule_cases(RULE_NET_DEVICES, &huge, 1, true);
        free(in);
}

/* A name with '/' or '~' appears escaped in the finding's JSON pointer (RFC 6901): the path
 * names that one member, not a nested one. */
static const struct finding_case path_escaping_findings[] = {
        {NULL, "{'linux':{'netDevices':{'a/b~c':{'name':'x'}}}}", "/linux/netDevices/a~1b~0c",
         "{'name':'x'}", NULL},
};

static void test_path_escaping(void)
{
        finding_cases(RULE_NET_DEVICES, path_escaping_findings);
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
