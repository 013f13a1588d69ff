/* Unit tests for the sysctls rule through harden_spec(): the PSS safe set, cr8escape values,
 * '/' separated names, the policy's own list, wrong types, each mode and idempotence. JSON in
 * single quotes (rule-harness.h). */
#include "rule-harness.h"

#define DOCKER                            \
        "'net.ipv4.ping_group_range':'0 " \
        "2147483647','net.ipv4.ip_unprivileged_port_start':'0'"

static const struct rule_case kept_cases[] = {
        {"no linux object", "", "{}"},
        {"no sysctl object", "", "{'linux':{}}"},
        {"sysctl null", "", "{'linux':{'sysctl':null}}"},
        {"empty sysctl object", "", "{'linux':{'sysctl':{}}}"},
        {"Docker's two sysctls stay", "", "{'linux':{'sysctl':{" DOCKER "}}}"},
        {"the whole PSS safe set stays", "",
         "{'linux':{'sysctl':{'kernel.shm_rmid_forced':'1',"
         "'net.ipv4.ip_local_port_range':'1024 65535','net.ipv4.tcp_syncookies':'1',"
         "'net.ipv4.ip_local_reserved_ports':'8080',"
         "'net.ipv4.tcp_keepalive_time':'60','net.ipv4.tcp_fin_timeout':'30',"
         "'net.ipv4.tcp_keepalive_intvl':'10','net.ipv4.tcp_keepalive_probes':'3',"
         "'net.ipv4.tcp_rmem':'4096 87380 6291456',"
         "'net.ipv4.tcp_wmem':'4096 16384 4194304',"
         "'net.ipv4.tcp_slow_start_after_idle':'0',"
         "'net.ipv4.tcp_notsent_lowat':'16384'}}}"},
        {"'/' separated names of safe sysctls stay", "",
         "{'linux':{'sysctl':{'net/ipv4/ping_group_range':'0 0',"
         "'kernel/shm_rmid_forced':'1'}}}"},
        {"an empty value stays", "", "{'linux':{'sysctl':{'net.ipv4.ip_local_port_range':''}}}"},
};

static void test_kept(void)
{
        enforce_cases(RULE_SYSCTLS, kept_cases);
}

static const struct rule_case dropped_cases[] = {
        {"cr8escape: a safe key with '+' and '=' in its value is dropped", "",
         "{'linux':{'sysctl':{'kernel.shm_rmid_forced':'1+kernel.core_pattern=|/x',"
         "'net.ipv4.tcp_syncookies':'1'}}}",
         "{'linux':{'sysctl':{'net.ipv4.tcp_syncookies':'1'}}}", 1},
        {"cr8escape: '+' alone is dropped", "",
         "{'linux':{'sysctl':{'net.ipv4.tcp_syncookies':'1+1'}}}", "{'linux':{'sysctl':{}}}", 1},
        {"cr8escape: '=' alone is dropped", "",
         "{'linux':{'sysctl':{'net.ipv4.tcp_syncookies':'kernel.x=1'}}}", "{'linux':{'sysctl':{}}}",
         1},
};

static const struct rule_case dropped_more[] = {
        {"names compare exactly (a Go map): other letter cases are dropped", "",
         "{'linux':{'sysctl':{'Kernel.shm_rmid_forced':'1',"
         "'kernel.shm_rmid_forced':'1','KERNEL.SHM_RMID_FORCED':'1'}}}",
         "{'linux':{'sysctl':{'kernel.shm_rmid_forced':'1'}}}", 2},
        {"empty and odd names are dropped; after a first '.' a '/' is part of a "
         "component (an interface name), so net.ipv4/tcp_syncookies is no safe name",
         "",
         "{'linux':{'sysctl':{'':'1','.net.ipv4.tcp_syncookies':'1',"
         "'net.ipv4.tcp_syncookies.':'1','net.ipv4..tcp_syncookies':'1',"
         "'/net/ipv4/tcp_syncookies':'1','net.ipv4/tcp_syncookies':'1'}}}",
         "{'linux':{'sysctl':{}}}", 6},
        {"a '..' path is dropped", "",
         "{'linux':{'sysctl':{'net/ipv4/../../kernel/core_pattern':'|/x'}}}",
         "{'linux':{'sysctl':{}}}", 1},
};

static void test_dropped(void)
{
        struct run x;
        const struct finding *f;

        x = run_q(RULE_SYSCTLS, "enforce", "", SPEC_CONFIG,
                  "{'linux':{'sysctl':{'kernel.msgmax':'65536'," DOCKER
                  ",'net.ipv4.ip_forward':'1'}},'hostname':'h'}");
        is_int(x.r, 0, "unsafe sysctls: no error");
        is_json(x.out, "{'linux':{'sysctl':{" DOCKER "}},'hostname':'h'}",
                "unsafe sysctls: dropped, Docker's kept");
        is_int(x.res.findings.n, 2, "unsafe sysctls: two findings");
        f = find(&x, "/linux/sysctl/kernel.msgmax");
        ok(f && f->rule == RULE_SYSCTLS && f->action == FINDING_CHANGED && !f->after && f->before &&
                   f->before->type == JSON_STRING && strcmp(f->before->scalar.text, "65536") == 0,
           "unsafe sysctls: kernel.msgmax finding, before \"65536\", after absent");
        ok(find(&x, "/linux/sysctl/net.ipv4.ip_forward") != NULL,
           "unsafe sysctls: net.ipv4.ip_forward finding");
        run_done(&x);

        enforce_cases(RULE_SYSCTLS, dropped_cases);

        x = run_q(RULE_SYSCTLS, "enforce", "", SPEC_CONFIG,
                  "{'linux':{'sysctl':{'kernel/msgmax':'1',"
                  "'net/ipv4/conf/eth0.100/forwarding':'1','a~b':'1'}}}");
        is_json(x.out, "{'linux':{'sysctl':{}}}", "'/' names: unsafe ones dropped");
        ok(find(&x, "/linux/sysctl/kernel~1msgmax") != NULL,
           "'/' names: the finding's path escapes '/' as ~1");
        ok(find(&x, "/linux/sysctl/net~1ipv4~1conf~1eth0.100~1forwarding") != NULL,
           "'/' names: interface name with a dot");
        ok(find(&x, "/linux/sysctl/a~0b") != NULL, "'~' escaped as ~0");
        run_done(&x);

        enforce_cases(RULE_SYSCTLS, dropped_more);
}

static const struct rule_case policy_list_cases[] = {
        {"the policy's list replaces the PSS set; '/' names match dotted ones",
         "'allow':['kernel.msgmax','net/ipv4/ip_forward']",
         "{'linux':{'sysctl':{'kernel.msgmax':'1','net.ipv4.ip_forward':"
         "'1'," DOCKER "}}}",
         "{'linux':{'sysctl':{'kernel.msgmax':'1','net.ipv4.ip_forward':'1'}}}", 2},
        {"an empty list drops everything", "'allow':[]", "{'linux':{'sysctl':{" DOCKER "}}}",
         "{'linux':{'sysctl':{}}}", 2},
        {"a listed key still loses a cr8escape value", "'allow':['kernel.msgmax']",
         "{'linux':{'sysctl':{'kernel.msgmax':'1=2'}}}", "{'linux':{'sysctl':{}}}", 1},
};

static void test_policy_list(void)
{
        enforce_cases(RULE_SYSCTLS, policy_list_cases);
}

static const char input[] = "{'linux':{'sysctl':{'kernel.msgmax':'1'}}}";

static const struct mode_case mode_runs[] = {
        {"one sysctl", "", input, 1},
};

static void test_modes(void)
{
        struct run x;

        mode_cases(RULE_SYSCTLS, mode_runs);

        x = run_q(RULE_SYSCTLS, "deny", "", SPEC_CONFIG,
                  "{'linux':{'sysctl':{'net.ipv4.tcp_syncookies':'1+kernel.x=1'}}}");
        ok(x.res.denied, "deny: a cr8escape value is denied");
        run_done(&x);

        x = run_q(RULE_SYSCTLS, "deny", "", SPEC_CONFIG, "{'linux':{'sysctl':{" DOCKER "}}}");
        ok(x.r == 0 && !x.res.denied && x.res.findings.n == 0, "deny: Docker's sysctls pass");
        run_done(&x);

        /* Exec process files have no linux object: the rule does not run on them. */
        x = run_q(RULE_SYSCTLS, "enforce", "", SPEC_PROCESS, "{'args':['sh'],'sysctl':{'a':1}}");
        ok(x.r == 0 && x.res.findings.n == 0, "exec process file: not looked at");
        run_done(&x);
}

static const struct refuse_case types_refusals[] = {
        {"sysctl as an array", "", "{'linux':{'sysctl':[]}}", "/linux/sysctl",
         "expected object, got array"},
        {"sysctl as a string", "", "{'linux':{'sysctl':'kernel.msgmax=1'}}", "/linux/sysctl",
         "expected object, got string"},
        {"a number value", "", "{'linux':{'sysctl':{'kernel.msgmax':65536}}}",
         "/linux/sysctl/kernel.msgmax", "expected string, got number"},
        {"a null value", "", "{'linux':{'sysctl':{'net.ipv4.tcp_syncookies':'1','kernel.x':null}}}",
         "/linux/sysctl/kernel.x", "expected string, got null"},
        {"a boolean value under a '/' name", "", "{'linux':{'sysctl':{'net/ipv4/x':true}}}",
         "/linux/sysctl/net~1ipv4~1x", "expected string, got boolean"},
        {"an object value", "", "{'linux':{'sysctl':{'a':{}}}}", "/linux/sysctl/a",
         "expected string, got object"},
        {"key 'Sysctl'", "", "{'linux':{'Sysctl':{'kernel.msgmax':'1'}}}", "/linux/sysctl",
         "letter case"},
        {"linux as an array", "", "{'linux':[]}", "/linux", "expected object, got array"},
};

static void test_types(void)
{
        refuse_cases(RULE_SYSCTLS, types_refusals);
}

/* Thousands of keys: each one outside the list is dropped. */
static void test_huge(void)
{
        size_t n = 5000, cap = n * 40 + 64, o;
        char *in = malloc(cap);
        struct run x;

        if (!in)
                return;
        o = (size_t)snprintf(in, cap, "{'linux':{'sysctl':{" DOCKER);
        for (size_t i = 0; i < n; i++)
                o += (size_t)snprintf(in + o, cap - o, ",'net.ipv4.conf.x%zu.forwarding':'1'", i);
        snprintf(in + o, cap - o, "}}}");
        x = run_q(RULE_SYSCTLS, "enforce", "", SPEC_CONFIG, in);
        is_int(x.r, 0, "huge: no error");
        is_int(x.res.findings.n, n, "huge: %zu findings", n);
        is_json(x.out, "{'linux':{'sysctl':{" DOCKER "}}}", "huge: Docker's two left");
        run_done(&x);
        free(in);
}

int main(void)
{
        test_kept();
        test_dropped();
        test_policy_list();
        test_modes();
        test_types();
        test_huge();
        return tap_done();
}
