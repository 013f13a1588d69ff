/* Unit tests for the rules through harden_spec(): what each rule changes, the findings it
 * records, the modes (enforce, audit, deny, off), idempotence and exec process files. JSON in
 * single quotes (rule-harness.h). */
#include "rule-harness.h"
#include "rules/seccomp.h"
#include "util/cleanup.h"

#define EMPTY_CAPS "{'bounding':[],'effective':[],'permitted':[],'inheritable':[],'ambient':[]}"
/* Docker's lists, which the masked_paths rule completes (this host has no thermal_throttle). */
#define MASKED_PATHS                                                                  \
        "['/proc/acpi','/proc/asound','/proc/interrupts','/proc/kcore','/proc/keys'," \
        "'/proc/latency_stats','/proc/sched_debug','/proc/scsi','/proc/timer_list',"  \
        "'/proc/timer_stats','/sys/devices/virtual/powercap','/sys/firmware']"
#define READONLY_PATHS "['/proc/bus','/proc/fs','/proc/irq','/proc/sys','/proc/sysrq-trigger']"
#define TMPFS_OPTS "['mode=1777','size=64m','nosuid','nodev','noexec']"
#define TMPFS_RUN                                                          \
        "{'destination':'/run','type':'tmpfs','source':'tmpfs','options':" \
        "['mode=1777','size=64m','tmpcopyup','nosuid','nodev','noexec']}"
#define TMPFS(dest) \
        "{'destination':'" dest "','type':'tmpfs','source':'tmpfs','options':" TMPFS_OPTS "}"
/* The three the rootfs rule adds by default. */
#define TMPFS_DEFAULTS TMPFS("/tmp") "," TMPFS("/var/tmp") "," TMPFS_RUN
/* The same, owned by uid and gid 1000: a non-root process's scratch. */
#define TMPFS_1000(dest)                                                       \
        "{'destination':'" dest "','type':'tmpfs','source':'tmpfs','options':" \
        "['mode=1777','size=64m','nosuid','nodev','noexec','uid=1000','gid=1000']}"

/* An engine's config for a root container with every weakness the rules look at. */
static const char insecure_config[] =
        "{'ociVersion':'1.2.0',"
        "'process':{'terminal':false,'user':{'uid':0,'gid':0,'additionalGids':[0,10]},"
        "'args':['sh'],'cwd':'/',"
        "'capabilities':{'bounding':['CAP_CHOWN','CAP_SYS_ADMIN'],"
        "'effective':['CAP_CHOWN'],'permitted':['CAP_CHOWN'],"
        "'inheritable':['CAP_CHOWN'],'ambient':['CAP_CHOWN']},"
        "'noNewPrivileges':false},"
        "'root':{'path':'rootfs','readonly':false},"
        "'mounts':[{'destination':'/proc','type':'proc','source':'proc'}],"
        "'linux':{'namespaces':[{'type':'pid'}],"
        "'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[]}}}";

/* A finding a case expects: its path, before and after (NULL: absent), each a change. */
struct found {
        const char *path;
        const char *before;
        const char *after;
};

/* One enforce run (enforce_one()) and the findings it must hold; JSON in single quotes. */
struct checked_case {
        const char *name;
        const char *policy; /* the rule's settings inside its object; NULL: none */
        const char *spec;
        const char *want; /* the output; NULL: the input unchanged; any_value: not checked */
        size_t changed;
        struct found found[5]; /* up to the first with no path */
        enum spec_kind kind;
};

static void run_checked_cases(enum rule_id id, const struct checked_case *cases, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                const struct checked_case *c = &cases[i];
                const char *want = c->want ? c->want : c->spec;
                struct run x = enforce_one_q(id, c->policy, c->kind, c->spec,
                                             want == any_value ? NULL : want, c->changed, c->name);

                for (size_t k = 0; k < N_CASES(c->found) && c->found[k].path; k++)
                        check_finding_q(&x, c->found[k].path, id, c->found[k].before,
                                        c->found[k].after, FINDING_CHANGED);
                run_done(&x);
        }
}
#define checked_cases(id, cases) run_checked_cases(id, cases, N_CASES(cases))

/* The output holds the text written in single quotes. */
static bool out_has(const struct run *x, const char *quoted)
{
        char *s = qjson(quoted);
        bool has = x->out && s && strstr(x->out, s);

        qjson_free(s);
        return has;
}

static const struct checked_case user_cases[] = {
        {"user: absent user object created",
         NULL,
         "{'process':{'args':['sh']}}",
         "{'process':{'args':['sh'],'user':{'uid':65534,'gid':65534}}}",
         2,
         {{"/process/user/uid", NULL, "65534"}, {"/process/user/gid", NULL, "65534"}}},
        {"user: null uid counts as 0",
         NULL,
         "{'process':{'user':{'uid':null,'gid':7}}}",
         "{'process':{'user':{'uid':65534,'gid':7}}}",
         1,
         {{"/process/user/uid", NULL, "65534"}}},
        {"user: null user object replaced", NULL, "{'process':{'user':null}}",
         "{'process':{'user':{'uid':65534,'gid':65534}}}", 2},
        {"user: non-root kept (keep_non_root)", NULL,
         "{'process':{'user':{'uid':1000,'gid':1000,'additionalGids':[10]}}}", NULL, 0},
        {"user: non-root uid kept, gid 0 replaced", NULL,
         "{'process':{'user':{'uid':1000,'gid':0}}}",
         "{'process':{'user':{'uid':1000,'gid':65534}}}", 1},
        {"user: non-root replaced without keep_non_root",
         "'keep_non_root':false",
         "{'process':{'user':{'uid':1000,'gid':1000}}}",
         "{'process':{'user':{'uid':65534,'gid':65534}}}",
         2,
         {{"/process/user/uid", "1000", "65534"}}},
        {"user: the policy's own ids are left alone", "'keep_non_root':false",
         "{'process':{'user':{'uid':65534,'gid':65534}}}", NULL, 0},
        {"user: the policy's ids are used", "'uid':1234,'gid':5678",
         "{'process':{'user':{'uid':0,'gid':0}}}", "{'process':{'user':{'uid':1234,'gid':5678}}}",
         2},
        {"user: no process, nothing to do", NULL, "{'hostname':'x'}", NULL, 0},
        /* Regression (was a bug): 4294967295 is (uid_t)-1. crun switches user with
         * setresuid(uid, uid, uid) and setresgid(gid, gid, gid) (libcrun/linux.c
         * set_required_caps), where -1 means "leave unchanged": the process keeps uid 0 and gid
         * 0. The rule keeps it as a non-root id. */
        {"regression: user: uid/gid 4294967295 ((uid_t)-1) replaced", NULL,
         "{'process':{'user':{'uid':4294967295,'gid':4294967295}}}",
         "{'process':{'user':{'uid':65534,'gid':65534}}}", 2},
};

static const struct refuse_case user_refusals[] = {
        {"user: uid as a string", NULL, "{'process':{'user':{'uid':'0'}}}", "/process/user/uid",
         "expected number, got string"},
        {"user: uid 0.0", NULL, "{'process':{'user':{'uid':0.0}}}", "/process/user/uid", "'0.0'"},
        {"user: uid 1e3", NULL, "{'process':{'user':{'uid':1e3}}}", "/process/user/uid", "'1e3'"},
        {"user: uid -1", NULL, "{'process':{'user':{'uid':-1}}}", "/process/user/uid", NULL},
        {"user: uid 2^32", NULL, "{'process':{'user':{'uid':4294967296}}}", "/process/user/uid",
         NULL},
        {"user: gid true", NULL, "{'process':{'user':{'gid':true}}}", "/process/user/gid", NULL},
        {"user: key 'User'", NULL, "{'process':{'User':{'uid':1000}}}", "/process/user",
         "letter case"},
        {"user: key 'UID'", NULL, "{'process':{'user':{'UID':0}}}", "/process/user/uid",
         "letter case"},
        {"user: key 'Process'", NULL, "{'Process':{'user':{'uid':0}}}", "/process", "letter case"},
        {"user: user as an array", NULL, "{'process':{'user':[]}}", "/process/user",
         "expected object, got array"},
        {"user: process as an array", NULL, "{'process':[]}", "/process",
         "expected object, got array"},
        {"user: additional gid as a string", NULL,
         "{'process':{'user':{'uid':1,'gid':1,'additionalGids':[10,'0']}}}",
         "/process/user/additionalGids/1", NULL},
        {"user: additionalGids as an object", NULL,
         "{'process':{'user':{'uid':1,'gid':1,'additionalGids':{}}}}",
         "/process/user/additionalGids", NULL},
};

static void test_user(void)
{
        struct run x;

        x = enforce_one_q(RULE_USER, NULL, SPEC_CONFIG,
                          "{'process':{'user':{'uid':0,'gid':0,'additionalGids':[0,10,0,20]}}}",
                          "{'process':{'user':{'uid':65534,'gid':65534,'additionalGids':[10,20]}}}",
                          3, "user: root replaced");
        check_finding(&x, "/process/user/uid", RULE_USER, "0", "65534", FINDING_CHANGED);
        check_finding(&x, "/process/user/gid", RULE_USER, "0", "65534", FINDING_CHANGED);
        check_finding(&x, "/process/user/additionalGids", RULE_USER, "[0,10,0,20]", "[10,20]",
                      FINDING_CHANGED);
        is_int(x.res.findings.items[0].mode, HR_MODE_ENFORCE, "user: finding mode enforce");
        run_done(&x);

        checked_cases(RULE_USER, user_cases);
        refuse_cases(RULE_USER, user_refusals);
}

#define NET_NS "'namespaces':[{'type':'network'}]"
#define LOW_PORTS_PATH "/linux/sysctl/net.ipv4.ip_unprivileged_port_start"
#define ROOT_IN_NET_NS "{'process':{'user':{'uid':0,'gid':0}},'linux':{" NET_NS "}}"

static const struct rule_case low_ports_rules[] = {
        {"low ports: root in its own network namespace", NULL, ROOT_IN_NET_NS,
         "{'process':{'user':{'uid':65534,'gid':65534}},'linux':{" NET_NS
         ",'sysctl':{'net.ipv4.ip_unprivileged_port_start':'0'}}}",
         3},
};

static const struct finding_case low_ports_findings[] = {
        {NULL,
         "{'process':{'user':{'uid':0}},'linux':{" NET_NS
         ",'sysctl':{'kernel.shm_rmid_forced':'1'}}}",
         LOW_PORTS_PATH, NULL, "'0'"},
};

static const struct checked_case low_ports_kept[] = {
        {"low ports: the spec's own value, slash spelling, stays", NULL,
         "{'process':{'user':{'uid':0}},'linux':{" NET_NS
         ",'sysctl':{'net/ipv4/ip_unprivileged_port_start':'80'}}}",
         any_value, 2},
};

static const struct checked_case low_ports_none[] = {
        {"low ports: an image's own non-root user gets nothing", NULL,
         "{'process':{'user':{'uid':1000,'gid':1000}},'linux':{" NET_NS "}}", any_value, 0},
        {"low ports: no network namespace and rule namespaces off", NULL,
         "{'process':{'user':{'uid':0}}}", "{'process':{'user':{'uid':65534,'gid':65534}}}", 2},
};

/* Root moved off in a network namespace of its own keeps ports below 1024. */
static void test_user_low_ports(void)
{
        struct policy *p;
        struct run x;

        enforce_cases(RULE_USER, low_ports_rules);
        finding_cases(RULE_USER, low_ports_findings);
        x = enforce_one_q(RULE_USER, NULL, SPEC_CONFIG,
                          "{'process':{'user':{'uid':0}},"
                          "'linux':{'namespaces':[{'type':'network','path':''}]}}",
                          NULL, 3, "low ports: path \"\" is a namespace of its own");
        check_finding_q(&x, LOW_PORTS_PATH, RULE_USER, NULL, "'0'", FINDING_CHANGED);
        run_done(&x);

        x = enforce_one_q(RULE_USER, NULL, SPEC_CONFIG,
                          "{'process':{'user':{'uid':0}},'linux':{'namespaces':"
                          "[{'type':'network','path':'/proc/42/ns/net'}]}}",
                          NULL, 2, "low ports: a joined (pod) network namespace is left alone");
        ok(!find(&x, LOW_PORTS_PATH), "low ports: no sysctl in a joined namespace");
        run_done(&x);

        x = enforce_one_q(RULE_USER, NULL, SPEC_CONFIG,
                          "{'process':{'user':{'uid':0}},'linux':{" NET_NS
                          ",'sysctl':{'net.ipv4.ip_unprivileged_port_start':'1024'}}}",
                          NULL, 2, "low ports: the spec's own value stays");
        ok(out_has(&x, "'1024'"), "low ports: 1024 kept");
        run_done(&x);
        checked_cases(RULE_USER, low_ports_kept);

        x = enforce_one_q(RULE_USER, "'low_ports':false", SPEC_CONFIG,
                          "{'process':{'user':{'uid':0}},'linux':{" NET_NS "}}", NULL, 2,
                          "low ports: off with low_ports false");
        ok(!find(&x, LOW_PORTS_PATH), "low ports false: no sysctl");
        run_done(&x);

        checked_cases(RULE_USER, low_ports_none);

        /* No entry, but rule namespaces (enforce, later in the table) adds one. */
        p = only_rule(RULE_USER, "enforce", NULL);
        if (p) {
                p->rule_mode[RULE_NAMESPACES] = HR_MODE_ENFORCE;
                x = run_text_q(p, SPEC_CONFIG, "{'process':{'user':{'uid':0}}}");
                check_finding_q(&x, LOW_PORTS_PATH, RULE_USER, NULL, "'0'", FINDING_CHANGED);
                run_done(&x);
                p->rule_mode[RULE_NAMESPACES] = HR_MODE_AUDIT;
                x = run_text_q(p, SPEC_CONFIG, "{'process':{'user':{'uid':0}}}");
                ok(x.r == 0 && !find(&x, LOW_PORTS_PATH),
                   "low ports: rule namespaces in audit adds no namespace, so no sysctl");
                run_done(&x);
                policy_free(p);
        }

        x = enforce_one_q(RULE_USER, NULL, SPEC_PROCESS, "{'user':{'uid':0,'gid':0}}",
                          "{'user':{'uid':65534,'gid':65534}}", 2,
                          "low ports: nothing for an exec process file");
        run_done(&x);

        /* Audit records what enforce would add; deny forces nothing, so only uid and gid. */
        x = run_q(RULE_USER, "audit", NULL, SPEC_CONFIG, ROOT_IN_NET_NS);
        check_finding_q(&x, LOW_PORTS_PATH, RULE_USER, NULL, "'0'", FINDING_WOULD_CHANGE);
        run_done(&x);
        x = run_q(RULE_USER, "deny", NULL, SPEC_CONFIG, ROOT_IN_NET_NS);
        ok(x.res.denied && x.res.findings.n == 2 && !find(&x, LOW_PORTS_PATH),
           "low ports: deny mode refuses uid and gid, adds nothing");
        run_done(&x);
}

#define CAPS_THREE "['CAP_CHOWN','CAP_NET_BIND_SERVICE','CAP_SYS_ADMIN']"
#define ALL_SETS                                                                        \
        "{'process':{'capabilities':{'bounding':" CAPS_THREE ",'effective':" CAPS_THREE \
        ",'permitted':" CAPS_THREE ",'inheritable':" CAPS_THREE ",'ambient':" CAPS_THREE "}}}"
#define ONLY_NET_BIND "['CAP_NET_BIND_SERVICE']"

static const struct checked_case caps_cases[] = {
        {"caps: absent object gets five empty sets",
         NULL,
         "{'process':{'args':['sh']}}",
         "{'process':{'args':['sh'],'capabilities':" EMPTY_CAPS "}}",
         1,
         {{"/process/capabilities", NULL, EMPTY_CAPS}}},
        {"caps: null object replaced", NULL, "{'process':{'capabilities':null}}",
         "{'process':{'capabilities':" EMPTY_CAPS "}}", 1},
        {"caps: allow NET_BIND_SERVICE",
         "'allow':['NET_BIND_SERVICE']",
         ALL_SETS,
         "{'process':{'capabilities':{'bounding':" ONLY_NET_BIND ",'effective':" ONLY_NET_BIND
         ",'permitted':" ONLY_NET_BIND ",'inheritable':[],'ambient':[]}}}",
         5,
         {{"/process/capabilities/bounding", CAPS_THREE, ONLY_NET_BIND},
          {"/process/capabilities/effective", CAPS_THREE, ONLY_NET_BIND},
          {"/process/capabilities/permitted", CAPS_THREE, ONLY_NET_BIND},
          {"/process/capabilities/inheritable", CAPS_THREE, "[]"},
          {"/process/capabilities/ambient", CAPS_THREE, "[]"}}},
        {"caps: inheritable true keeps inheritable and ambient",
         "'allow':['NET_BIND_SERVICE'],'inheritable':true", ALL_SETS,
         "{'process':{'capabilities':{'bounding':" ONLY_NET_BIND ",'effective':" ONLY_NET_BIND
         ",'permitted':" ONLY_NET_BIND ",'inheritable':" ONLY_NET_BIND ",'ambient':" ONLY_NET_BIND
         "}}}",
         5},
        {"caps: absent object gets the allowed sets", "'allow':['NET_BIND_SERVICE','CHOWN']",
         "{'process':{}}",
         "{'process':{'capabilities':{"
         "'bounding':['CAP_CHOWN','CAP_NET_BIND_SERVICE'],"
         "'effective':['CAP_CHOWN','CAP_NET_BIND_SERVICE'],"
         "'permitted':['CAP_CHOWN','CAP_NET_BIND_SERVICE'],"
         "'inheritable':[],'ambient':[]}}}",
         1},
        {"caps: unknown and numeric names dropped",
         "'allow':['NET_BIND_SERVICE']",
         "{'process':{'capabilities':{'bounding':"
         "['CAP_FOO','CAP_NET_BIND_SERVICE','21','CAP_NET_BIND_SERVICE']}}}",
         "{'process':{'capabilities':{'bounding':"
         "['CAP_NET_BIND_SERVICE','CAP_NET_BIND_SERVICE']}}}",
         1,
         {{"/process/capabilities/bounding",
           "['CAP_FOO','CAP_NET_BIND_SERVICE','21','CAP_NET_BIND_SERVICE']",
           "['CAP_NET_BIND_SERVICE','CAP_NET_BIND_SERVICE']"}}},
        {"caps: compliant sets, absent sets left absent", "'allow':['NET_BIND_SERVICE']",
         "{'process':{'capabilities':{'bounding':['CAP_NET_BIND_SERVICE'],'ambient':[]}}}", NULL,
         0},
        {"caps: a null set is an empty one", NULL,
         "{'process':{'capabilities':{'bounding':null,'effective':[]}}}", NULL, 0},
};

static const struct refuse_case caps_refusals[] = {
        {"caps: non-string entry", NULL,
         "{'process':{'capabilities':{'bounding':['CAP_CHOWN',5]}}}",
         "/process/capabilities/bounding/1", "expected string, got number"},
        {"caps: capabilities as an array", NULL, "{'process':{'capabilities':[]}}",
         "/process/capabilities", "expected object, got array"},
        {"caps: set as a string", NULL, "{'process':{'capabilities':{'bounding':'CAP_CHOWN'}}}",
         "/process/capabilities/bounding", "expected array, got string"},
        {"caps: key 'Capabilities'", NULL, "{'process':{'Capabilities':{}}}",
         "/process/capabilities", "letter case"},
        {"caps: key 'Bounding'", NULL,
         "{'process':{'capabilities':{'Bounding':['CAP_SYS_ADMIN']}}}",
         "/process/capabilities/bounding", "letter case"},
};

static void test_capabilities(void)
{
        checked_cases(RULE_CAPABILITIES, caps_cases);
        refuse_cases(RULE_CAPABILITIES, caps_refusals);
}

/* {'profile':'default','defaultAction':...,'syscallRules':N} for the built-in profile, in
 * single quotes. */
static void default_summary(struct policy *p, char *buf, size_t size, const struct json **ret)
{
        struct hr_error err = {0};
        const struct json *prof = NULL, *sys;

        buf[0] = '\0';
        *ret = NULL;
        if (policy_seccomp_profile(p, &prof, &err) < 0) {
                diag("default profile: %s", err.msg);
                return;
        }
        sys = json_object_get(prof, "syscalls");
        snprintf(buf, size,
                 "{'profile':'default','defaultAction':'SCMP_ACT_ERRNO','syscallRules':%zu}",
                 sys && sys->type == JSON_ARRAY ? sys->array.n : 0);
        *ret = prof;
}

static const struct refuse_case seccomp_refusals[] = {
        {"seccomp: linux as an array", NULL, "{'linux':[]}", "/linux",
         "expected object, got array"},
        {"seccomp: as a string", NULL, "{'linux':{'seccomp':'none'}}", "/linux/seccomp",
         "expected object, got string"},
        {"seccomp: key 'Linux'", NULL, "{'Linux':{}}", "/linux", "letter case"},
        {"seccomp: key 'Seccomp'", NULL, "{'linux':{'Seccomp':{}}}", "/linux/seccomp",
         "letter case"},
};

static void test_seccomp(void)
{
        struct policy *p = only_rule(RULE_SECCOMP, "enforce", NULL);
        const struct json *prof = NULL;
        struct json *want = NULL;
        char summary[160];
        struct json *doc, *linux_obj, *sc;
        struct run x, y;

        if (!p)
                return;
        default_summary(p, summary, sizeof(summary), &prof);
        ok(prof != NULL, "seccomp: built-in profile available");
        /* The rule hands the policy's loaded profile to the spec: compare with a copy. */
        want = json_clone(prof);

        x = run_text_q(p, SPEC_CONFIG, "{'process':{}}");
        is_int(x.r, 0, "seccomp: absent linux (%s)", x.err.msg);
        is_int(x.res.findings.n, 1, "seccomp: one finding");
        check_finding_q(&x, "/linux/seccomp", RULE_SECCOMP, NULL, summary, FINDING_CHANGED);
        doc = doc_of(x.out);
        linux_obj = json_object_get(doc, "linux");
        ok(linux_obj && linux_obj->object.n == 1, "seccomp: linux object created");
        ok(json_equal(json_object_get(linux_obj, "seccomp"), want),
           "seccomp: the default profile installed");
        y = run_text(p, SPEC_CONFIG, x.out);
        is_int(y.res.findings.n, 0, "seccomp: second application has no findings");
        is_str(y.out, x.out, "seccomp: second application changes nothing");
        ok(!y.res.changed, "seccomp: second application not changed");
        run_done(&y);
        run_done(&x);
        json_free(doc);

        x = run_text_q(p, SPEC_CONFIG,
                       "{'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW',"
                       "'syscalls':[{'names':['read'],'action':'SCMP_ACT_ERRNO'}]},"
                       "'namespaces':[]}}");
        is_int(x.r, 0, "seccomp: existing profile replaced");
        check_finding_q(&x, "/linux/seccomp", RULE_SECCOMP,
                        "{'defaultAction':'SCMP_ACT_ALLOW','syscallRules':1}", summary,
                        FINDING_CHANGED);
        doc = doc_of(x.out);
        linux_obj = json_object_get(doc, "linux");
        ok(linux_obj && linux_obj->object.n == 2 &&
                   strcmp(linux_obj->object.members[0].key, "seccomp") == 0,
           "seccomp: replaced in place, other linux members kept");
        ok(json_equal(json_object_get(linux_obj, "seccomp"), want), "seccomp: profile equal");
        run_done(&x);
        json_free(doc);

        x = run_text_q(p, SPEC_CONFIG, "{'linux':{'seccomp':null}}");
        check_finding_q(&x, "/linux/seccomp", RULE_SECCOMP, NULL, summary, FINDING_CHANGED);
        run_done(&x);
        policy_free(p);

        /* The audit record is a summary, never the 30 KiB profile. */
        p = only_rule(RULE_SECCOMP, "audit", NULL);
        x = run_text_q(p, SPEC_CONFIG, "{'linux':{}}");
        is_json(x.out, "{'linux':{}}", "seccomp audit: document unchanged");
        ok(x.res.findings.n == 1 && x.res.findings.items[0].after &&
                   x.res.findings.items[0].after->type == JSON_OBJECT &&
                   x.res.findings.items[0].after->object.n == 3 &&
                   !json_object_get(x.res.findings.items[0].after, "syscalls"),
           "seccomp audit: the finding holds a 3-member summary");
        check_finding_q(&x, "/linux/seccomp", RULE_SECCOMP, NULL, summary, FINDING_WOULD_CHANGE);
        run_done(&x);
        policy_free(p);

        want = json_free(want);

        /* A config that already carries exactly the profile. */
        p = only_rule(RULE_SECCOMP, "enforce", NULL);
        default_summary(p, summary, sizeof(summary), &prof); /* the old policy owned prof */
        doc = doc_of("{\"linux\":{}}");
        if (doc && prof) {
                struct harden_result res;
                struct hr_error err = {0};
                json_object_set(json_object_get(doc, "linux"), "seccomp", json_clone(prof));
                is_int(harden_spec(p, SPEC_CONFIG, SPEC_FILE, doc, &res, &err), 0,
                       "seccomp: profile already present");
                is_int(res.findings.n, 0, "seccomp: profile already present, no finding");
                harden_result_done(&res);
                sc = json_object_get(json_object_get(doc, "linux"), "seccomp");
                ok(json_equal(sc, prof), "seccomp: present profile kept");
        }
        json_free(doc);
        policy_free(p);

        refuse_cases(RULE_SECCOMP, seccomp_refusals);
}

#define ROOT_RO "'root':{'path':'rootfs','readonly':true}"

static const struct checked_case rootfs_cases[] = {
        {"rootfs: readonly false becomes true",
         "'tmpfs':[]",
         "{'root':{'path':'rootfs','readonly':false}}",
         "{" ROOT_RO "}",
         1,
         {{"/root/readonly", "false", "true"}}},
        {"rootfs: absent readonly added",
         "'tmpfs':[]",
         "{'root':{'path':'rootfs'}}",
         "{" ROOT_RO "}",
         1,
         {{"/root/readonly", NULL, "true"}}},
        {"rootfs: null readonly replaced", "'tmpfs':[]",
         "{'root':{'path':'rootfs','readonly':null}}", "{" ROOT_RO "}", 1},
        {"rootfs: readonly true kept", "'tmpfs':[]", "{" ROOT_RO "}", NULL, 0},
        {"rootfs: tmpfs mounts appended",
         NULL,
         "{" ROOT_RO ",'mounts':[{'destination':'/proc','type':'proc','source':'proc'}]}",
         "{" ROOT_RO
         ",'mounts':[{'destination':'/proc','type':'proc','source':'proc'}," TMPFS_DEFAULTS "]}",
         3,
         {{"/mounts/1", NULL, TMPFS("/tmp")},
          {"/mounts/2", NULL, TMPFS("/var/tmp")},
          {"/mounts/3", NULL, TMPFS_RUN}}},
        {"rootfs: existing /tmp/ and //run/. mounts kept",
         NULL,
         "{" ROOT_RO ",'mounts':[{'destination':'/tmp/','type':'bind','source':'/h'},"
         "{'destination':'//run/.','type':'tmpfs','source':'x'}]}",
         "{" ROOT_RO ",'mounts':[{'destination':'/tmp/','type':'bind','source':'/h'},"
         "{'destination':'//run/.','type':'tmpfs','source':'x'}," TMPFS("/var/tmp") "]}",
         1,
         {{"/mounts/2", NULL, TMPFS("/var/tmp")}}},
        {"rootfs: no root object, no mounts: mounts added, root not", NULL,
         "{'ociVersion':'1.2.0'}", "{'ociVersion':'1.2.0','mounts':[" TMPFS_DEFAULTS "]}", 3},
        {"rootfs: policy tmpfs list and options",
         "'tmpfs':[{'path':'/scratch','options':'size=1m,uid=1000'}]", "{'mounts':null}",
         "{'mounts':[{'destination':'/scratch','type':'tmpfs','source':'tmpfs',"
         "'options':['size=1m','uid=1000','nosuid','nodev','noexec']}]}",
         1},
};

static const struct refuse_case rootfs_refusals[] = {
        {"rootfs: non-object mount entry", NULL, "{'mounts':[{'destination':'/proc'},'/tmp']}",
         "/mounts/1", "expected object, got string"},
        {"rootfs: destination as a number", NULL, "{'mounts':[{'destination':7}]}",
         "/mounts/0/destination", "expected string, got number"},
        {"rootfs: mounts as an object", NULL, "{'mounts':{}}", "/mounts",
         "expected array, got object"},
        {"rootfs: readonly as a string", NULL, "{'root':{'readonly':'true'}}", "/root/readonly",
         "expected boolean, got string"},
        {"rootfs: key 'ReadOnly'", NULL, "{'root':{'ReadOnly':false}}", "/root/readonly",
         "letter case"},
        {"rootfs: key 'Destination'", NULL, "{'mounts':[{'Destination':'/tmp'}]}",
         "/mounts/0/destination", "letter case"},
};

static void test_rootfs(void)
{
        checked_cases(RULE_ROOTFS, rootfs_cases);
        refuse_cases(RULE_ROOTFS, rootfs_refusals);
}

#define USER_1000 "'process':{'user':{'uid':1000,'gid':1001}}"
#define OWNED "'uid=1000','gid=1001'"

static const struct rule_case owner_scratch[] = {
        {"rootfs owner: scratch owned by the process's uid and gid",
         "'tmpfs':[{'path':'/tmp','options':'size=1m'}]", "{" USER_1000 "}",
         "{" USER_1000 ",'mounts':[{'destination':'/tmp','type':'tmpfs','source':'tmpfs',"
         "'options':['size=1m','nosuid','nodev','noexec'," OWNED "]}]}",
         1},
        {"rootfs owner: the spec's tmpfs mounts get the ids they lack, /dev and binds stay",
         "'tmpfs':[]",
         "{" USER_1000 ",'mounts':[{'destination':'/data','type':'tmpfs','source':'tmpfs',"
         "'options':['nosuid','mode=755']},"
         "{'destination':'/w','type':'tmpfs','source':'tmpfs'},"
         "{'destination':'/c','type':'tmpfs','options':['size=1m,uid=7']},"
         "{'destination':'/dev','type':'tmpfs','options':['mode=755']},"
         "{'destination':'/dev//shm','type':'tmpfs'},"
         "{'destination':'/b','type':'bind','source':'/x'}]}",
         "{" USER_1000 ",'mounts':[{'destination':'/data','type':'tmpfs','source':'tmpfs',"
         "'options':['nosuid','mode=755'," OWNED "]},"
         "{'destination':'/w','type':'tmpfs','source':'tmpfs','options':[" OWNED "]},"
         "{'destination':'/c','type':'tmpfs','options':['size=1m,uid=7','gid=1001']},"
         "{'destination':'/dev','type':'tmpfs','options':['mode=755']},"
         "{'destination':'/dev//shm','type':'tmpfs'},"
         "{'destination':'/b','type':'bind','source':'/x'}]}",
         3},
};

static const struct checked_case owner_finding[] = {
        {"rootfs owner: finding",
         "'tmpfs':[]",
         "{" USER_1000 ",'mounts':[{'destination':'/w','type':'tmpfs','options':['size=1m']}]}",
         any_value,
         1,
         {{"/mounts/0/options", "['size=1m']", "['size=1m'," OWNED "]"}}},
};

/* Root writes anyway; ids that are not plain numbers are the user rule's business. */
static const struct rule_case owner_root[] = {
        {"rootfs owner: nothing for root", "'tmpfs':[{'path':'/tmp'}]",
         "{'process':{'user':{'uid':0,'gid':1000}},'mounts':[{'destination':'/w','type':'tmpfs'}]}",
         "{'process':{'user':{'uid':0,'gid':1000}},'mounts':[{'destination':'/w','type':'tmpfs'},"
         "{'destination':'/tmp','type':'tmpfs','source':'tmpfs',"
         "'options':['nosuid','nodev','noexec']}]}",
         1},
};

static const struct checked_case owner_ids[] = {
        {"rootfs owner: nothing for uid 4294967295", "'tmpfs':[]",
         "{'process':{'user':{'uid':4294967295}},'mounts':[{'destination':'/w','type':'tmpfs'}]}",
         any_value, 0},
        {"rootfs owner: an absent gid is 0",
         "'tmpfs':[]",
         "{'process':{'user':{'uid':1000}},'mounts':[{'destination':'/w','type':'tmpfs'}]}",
         any_value,
         1,
         {{"/mounts/0/options", NULL, "['uid=1000','gid=0']"}}},
        {"rootfs owner: no mounts array is not added", "'tmpfs':[]", "{" USER_1000 "}", NULL, 0},
};

static const struct refuse_case owner_refusals[] = {
        {"rootfs owner: a non-string option", "'tmpfs':[]",
         "{" USER_1000 ",'mounts':[{'destination':'/w','type':'tmpfs','options':['size=1m',7]}]}",
         "/mounts/0/options/1", "expected string, got number"},
};

/* A non-root process gets its scratch: hardrun's tmpfs mounts and the spec's own. */
static void test_rootfs_owner(void)
{
        struct run x;

        enforce_cases(RULE_ROOTFS, owner_scratch);
        checked_cases(RULE_ROOTFS, owner_finding);
        enforce_cases(RULE_ROOTFS, owner_root);
        checked_cases(RULE_ROOTFS, owner_ids);
        refuse_cases(RULE_ROOTFS, owner_refusals);

        /* After rule user: the ids it forced, in the full default policy. */
        {
                struct policy *def = policy_new_default();
                x = run_text_q(def, SPEC_CONFIG,
                               "{'process':{'user':{'uid':0,'gid':0}},'mounts':["
                               "{'destination':'/w','type':'tmpfs'}]}");
                check_finding_q(&x, "/mounts/0/options", RULE_ROOTFS, NULL,
                                "['uid=65534','gid=65534']", FINDING_CHANGED);
                ok(out_has(&x, "'size=64m','nosuid','nodev','noexec','uid=65534','gid=65534']}]"),
                   "rootfs owner: the default /run scratch belongs to 65534, without tmpcopyup");
                run_done(&x);
                /* An image's own non-root user keeps what the image ships in /run. */
                x = run_text_q(def, SPEC_CONFIG,
                               "{'process':{'user':{'uid':102,'gid':104}},'mounts':[]}");
                ok(out_has(&x, "'tmpcopyup','nosuid','nodev','noexec','uid=102','gid=104']}]"),
                   "rootfs owner: the image's user 102 gets /run with tmpcopyup");
                run_done(&x);
                policy_free(def);
        }
}

static const struct checked_case nnp_cases[] = {
        {"nnp: false becomes true",
         NULL,
         "{'process':{'noNewPrivileges':false}}",
         "{'process':{'noNewPrivileges':true}}",
         1,
         {{"/process/noNewPrivileges", "false", "true"}}},
        {"nnp: absent added",
         NULL,
         "{'process':{}}",
         "{'process':{'noNewPrivileges':true}}",
         1,
         {{"/process/noNewPrivileges", NULL, "true"}}},
        {"nnp: true kept", NULL, "{'process':{'noNewPrivileges':true}}", NULL, 0},
};

static const struct refuse_case nnp_refusals[] = {
        {"nnp: as a string", NULL, "{'process':{'noNewPrivileges':'true'}}",
         "/process/noNewPrivileges", "expected boolean, got string"},
        {"nnp: key 'nonewprivileges'", NULL, "{'process':{'nonewprivileges':true}}",
         "/process/noNewPrivileges", "letter case"},
};

static void test_no_new_privileges(void)
{
        checked_cases(RULE_NO_NEW_PRIVILEGES, nnp_cases);
        refuse_cases(RULE_NO_NEW_PRIVILEGES, nnp_refusals);
}

/* The policy text in single quotes parsed. */
static struct policy *policy_q(const char *quoted)
{
        char *text = qjson(quoted);
        struct policy *p = policy_of(text, NULL);

        qjson_free(text);
        return p;
}

static void test_modes(void)
{
        struct policy *def = policy_new_default();
        struct policy *audit = policy_q("{'mode':'audit'}");
        struct policy *deny = policy_q("{'mode':'deny'}");
        struct policy *user_off =
                policy_q("{'rules':{'user':{'mode':'off'},'groups':{'mode':'off'}}}");
        struct policy *mixed =
                policy_q("{'rules':{'seccomp':{'mode':'audit'},'capabilities':{'mode':'deny'}}}");
        char *insecure = qjson(insecure_config);
        struct json *orig = doc_of(insecure);
        char *orig_text = text_of(orig);
        struct run x, y;
        bool all;

        x = run_text(audit, SPEC_CONFIG, insecure);
        is_int(x.r, 0, "audit: no error (%s)", x.err.msg);
        is_str(x.out, orig_text, "audit: document byte-identical");
        ok(x.res.findings.n >= 10, "audit: findings recorded (%zu)", x.res.findings.n);
        all = true;
        /* The privileged report is a fact, not a change: "detected" in audit mode too. */
        for (size_t i = 0; i < x.res.findings.n; i++)
                all = all &&
                      x.res.findings.items[i].action ==
                              (x.res.findings.items[i].rule == RULE_PRIVILEGED
                                       ? FINDING_DETECTED
                                       : FINDING_WOULD_CHANGE) &&
                      x.res.findings.items[i].mode == HR_MODE_AUDIT;
        ok(all, "audit: every finding is would_change (privileged: detected) in audit mode");
        check_finding_q(&x, "/", RULE_PRIVILEGED,
                        "['CAP_SYS_ADMIN in the bounding set','seccomp allows every syscall',"
                        "'no masked or read-only paths']",
                        "'not privileged'", FINDING_DETECTED);
        ok(!x.res.changed && !x.res.denied, "audit: neither changed nor denied");
        check_finding(&x, "/process/user/uid", RULE_USER, "0", "65534", FINDING_WOULD_CHANGE);
        run_done(&x);

        x = run_text(deny, SPEC_CONFIG, insecure);
        is_int(x.r, 0, "deny: no error");
        ok(x.res.denied, "deny: denied");
        ok(!x.res.changed, "deny: not changed");
        is_str(x.out, orig_text, "deny: document unchanged");
        all = x.res.findings.n > 0;
        for (size_t i = 0; i < x.res.findings.n; i++)
                all = all && x.res.findings.items[i].action == FINDING_DENIED &&
                      x.res.findings.items[i].mode == HR_MODE_DENY;
        ok(all, "deny: every finding is denied");
        run_done(&x);

        x = run_text(user_off, SPEC_CONFIG, insecure);
        is_int(x.r, 0, "user off: no error");
        all = true;
        for (size_t i = 0; i < x.res.findings.n; i++)
                all = all && x.res.findings.items[i].rule != RULE_USER;
        ok(all && x.res.findings.n > 0, "user off: no user findings, others present");
        ok(out_has(&x, "'user':{'uid':0,'gid':0,'additionalGids':[0,10]}"),
           "user off: user left as it was");
        run_done(&x);

        x = run_text(mixed, SPEC_CONFIG, insecure);
        is_int(x.r, 0, "mixed: no error");
        ok(x.res.changed && x.res.denied, "mixed: changed (enforce rules) and denied (caps)");
        check_finding(&x, "/process/user/uid", RULE_USER, "0", "65534", FINDING_CHANGED);
        ok(find(&x, "/linux/seccomp") && find(&x, "/linux/seccomp")->action == FINDING_WOULD_CHANGE,
           "mixed: seccomp would_change");
        ok(find(&x, "/process/capabilities/bounding") &&
                   find(&x, "/process/capabilities/bounding")->action == FINDING_DENIED,
           "mixed: capabilities denied");
        ok(x.out && strstr(x.out, "SCMP_ACT_ALLOW") && strstr(x.out, "CAP_SYS_ADMIN"),
           "mixed: audited and denied parts untouched");
        ok(out_has(&x, "'uid':65534"), "mixed: enforced part changed");
        run_done(&x);

        /* Enforce twice == enforce once. */
        x = run_text(def, SPEC_CONFIG, insecure);
        is_int(x.r, 0, "enforce: no error");
        ok(x.res.changed && !x.res.denied, "enforce: changed");
        /* The privileged report, 14 from the five original rules, the low-ports sysctl (root
         * moved off in the network namespace rule namespaces adds), 5 namespaces added, the
         * proc mount's options, masked and read-only paths, 9 device cgroup rules, the default
         * pids limit. */
        is_int(x.res.findings.n, 34, "enforce: 34 findings on the insecure config");
        all = true;
        for (size_t i = 0; i < x.res.findings.n; i++)
                all = all &&
                      x.res.findings.items[i].action ==
                              (x.res.findings.items[i].rule == RULE_PRIVILEGED ? FINDING_DETECTED
                                                                               : FINDING_CHANGED);
        ok(all, "enforce: every finding is changed (privileged: detected)");
        y = run_text(def, SPEC_CONFIG, x.out ? x.out : "{}");
        is_int(y.r, 0, "enforce again: no error");
        is_int(y.res.findings.n, 0, "enforce again: zero findings");
        ok(!y.res.changed, "enforce again: not changed");
        is_str(y.out, x.out, "enforce again: identical output");
        run_done(&y);

        /* The hardened output passes audit and deny too. */
        y = run_text(deny, SPEC_CONFIG, x.out ? x.out : "{}");
        ok(y.r == 0 && !y.res.denied && y.res.findings.n == 0, "hardened config passes deny");
        run_done(&y);
        run_done(&x);

        json_free(orig);
        free(orig_text);
        qjson_free(insecure);
        policy_free(def);
        policy_free(audit);
        policy_free(deny);
        policy_free(user_off);
        policy_free(mixed);
}

/* Written by hand: what a careful engine would send. */
#define SCRATCH_1000 TMPFS_1000("/tmp") "," TMPFS_1000("/var/tmp")
static const char hardened_config[] =
        "{'ociVersion':'1.2.0','process':{'user':{'uid':1000,'gid':1000,'additionalGids':[1000]},"
        "'args':['app'],'capabilities':" EMPTY_CAPS ",'noNewPrivileges':true},"
        "'root':{'path':'rootfs','readonly':true},"
        "'mounts':["
        "{'destination':'/proc','type':'proc','options':['nosuid','noexec','nodev']}," SCRATCH_1000
        ",{'destination':'/run','type':'tmpfs','source':'tmpfs',"
        "'options':['nosuid','uid=1000,gid=1000']}],"
        "'linux':{'namespaces':[{'type':'pid'},{'type':'network'},{'type':'ipc'},{'type':'uts'},"
        "{'type':'mount'}],"
        "'resources':{'devices':[{'allow':false,'access':'rwm'}],'pids':{'limit':4096}},"
        "'maskedPaths':" MASKED_PATHS ",'readonlyPaths':" READONLY_PATHS "}}";

static void test_hardened_config(void)
{
        struct policy *def = policy_new_default();
        struct hr_error err = {0};
        const struct json *prof = NULL;
        struct harden_result res;
        char *text = qjson(hardened_config);
        struct json *doc = doc_of(text);
        char *before, *after;

        qjson_free(text);
        if (!def || !doc || policy_seccomp_profile(def, &prof, &err) < 0) {
                ok(0, "hardened config: setup (%s)", err.msg);
                json_free(doc);
                policy_free(def);
                return;
        }
        json_object_set(json_object_get(doc, "linux"), "seccomp", json_clone(prof));
        before = text_of(doc);
        is_int(harden_spec(def, SPEC_CONFIG, SPEC_FILE, doc, &res, &err), 0,
               "hardened config: no error");
        is_int(res.findings.n, 0, "hardened config: zero findings");
        ok(!res.changed && !res.denied, "hardened config: not changed, not denied");
        after = text_of(doc);
        is_str(after, before, "hardened config: unchanged");
        harden_result_done(&res);
        free(before);
        free(after);
        json_free(doc);
        policy_free(def);
}

static void test_process_file(void)
{
        struct policy *def = policy_new_default();
        struct run x;

        x = run_text_q(def, SPEC_PROCESS, "{'args':['sh'],'user':{'uid':0,'gid':0},'cwd':'/'}");
        is_int(x.r, 0, "process file: no error (%s)", x.err.msg);
        is_json(x.out,
                "{'args':['sh'],'user':{'uid':65534,'gid':65534},'cwd':'/',"
                "'capabilities':" EMPTY_CAPS ",'noNewPrivileges':true}",
                "process file: only user, capabilities and no_new_privileges applied");
        is_int(x.res.findings.n, 4, "process file: 4 findings");
        check_finding(&x, "/user/uid", RULE_USER, "0", "65534", FINDING_CHANGED);
        check_finding(&x, "/user/gid", RULE_USER, "0", "65534", FINDING_CHANGED);
        check_finding_q(&x, "/capabilities", RULE_CAPABILITIES, NULL, EMPTY_CAPS, FINDING_CHANGED);
        check_finding(&x, "/noNewPrivileges", RULE_NO_NEW_PRIVILEGES, NULL, "true",
                      FINDING_CHANGED);
        ok(!find(&x, "/linux/seccomp") && !find(&x, "/root/readonly"),
           "process file: no seccomp or rootfs findings");
        run_done(&x);

        x = run_text_q(def, SPEC_PROCESS, "{'process':{'user':{'uid':0}}}");
        ok(out_has(&x, "{'process':{'user':{'uid':0}},'user':"),
           "process file: a nested 'process' key is just an unknown field");
        run_done(&x);

        x = run_text_q(def, SPEC_PROCESS, "{'User':{}}");
        is_int(x.r, -EINVAL, "process file: fold-variant key refused");
        ok(strstr(x.err.msg, "'/user'") != NULL, "process file: path without /process (%s)",
           x.err.msg);
        run_done(&x);
        policy_free(def);
}

static void test_misc(void)
{
        struct policy *def = policy_new_default();
        struct run x;

        x = run_text(def, SPEC_CONFIG, "[]");
        is_int(x.r, -EINVAL, "non-object spec refused");
        ok(strstr(x.err.msg, SPEC_FILE) && strstr(x.err.msg, "expected a JSON object"),
           "non-object spec message (%s)", x.err.msg);
        run_done(&x);

        /* A rule failing after others enforced: error, findings released. */
        x = run_text_q(def, SPEC_CONFIG, "{'process':{'user':{'uid':0}},'mounts':['bad']}");
        is_int(x.r, -EINVAL, "late rule error is returned");
        is_int(x.res.findings.n, 0, "late rule error: findings released");
        ok(x.res.findings.items == NULL, "late rule error: findings array freed");
        ok(!x.res.changed, "late rule error: changed flag cleared");
        run_done(&x);

        ok(rule_get(RULE_USER) && rule_get(RULE_USER)->for_process, "user applies to exec");
        ok(rule_get(RULE_SECCOMP) && !rule_get(RULE_SECCOMP)->for_process,
           "seccomp does not apply to exec");
        ok(rule_get(RULE_ROOTFS) && !rule_get(RULE_ROOTFS)->for_process,
           "rootfs does not apply to exec");
        ok(rule_get(_RULE_MAX) == NULL, "rule_get out of range");
        for (int i = 0; i < _RULE_MAX; i++) {
                const struct rule *r = rule_get((enum rule_id)i);
                is_int(r->id, i, "rule table entry %d has its id", i);
                ok(r->name && strcmp(r->name, rule_id_to_string((enum rule_id)i)) == 0,
                   "rule %d: its descriptor's name is its id's (%s)", i, r->name);
                ok(!r->doc || strcmp(r->doc->rule, r->name) == 0,
                   "rule %s: its documentation names it", r->name);
                ok(r->opt_in == (i == RULE_USER_NAMESPACE),
                   "rule %s: opt-in only for user_namespace", r->name);
        }
        is_str(finding_action_to_string(FINDING_WOULD_CHANGE), "would_change", "action name");
        policy_free(def);
}

/* The cheap path builders write what snprintf writes, cut the same way. */
static void test_paths(void)
{
        static const size_t indices[] = {0, 7, 10, 3199, 18446744073709551615ULL};
        char parent[RULE_PATH_MAX + 8], got[RULE_PATH_MAX], want[RULE_PATH_MAX];
        bool same = true;

        for (size_t len = 0; len < sizeof(parent) - 1; len += 13) {
                memset(parent, 'p', len);
                parent[len] = '\0';
                for (size_t k = 0; k < ELEMENTSOF(indices); k++) {
                        rule_index_path(got, parent, indices[k]);
                        snprintf(want, sizeof(want), "%s/%zu", parent, indices[k]);
                        same = same && strcmp(got, want) == 0;
                }
                rule_key_path(got, parent, "options");
                snprintf(want, sizeof(want), "%s/%s", parent, "options");
                same = same && strcmp(got, want) == 0;
        }
        ok(same, "rule_index_path and rule_key_path write what snprintf writes, cut alike");
        rule_index_path(got, "/mounts", 3199);
        is_str(got, "/mounts/3199", "an item's path");
        rule_key_path(got, "", "process");
        is_str(got, "/process", "a top-level field's path");
}

int main(void)
{
        test_user();
        test_user_low_ports();
        test_capabilities();
        test_seccomp();
        test_rootfs();
        test_rootfs_owner();
        test_no_new_privileges();
        test_modes();
        test_hardened_config();
        test_process_file();
        test_misc();
        test_paths();
        return tap_done();
}
