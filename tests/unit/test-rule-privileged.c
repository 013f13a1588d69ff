/* Unit tests for the privileged rule through harden_spec(): the marks one by one, the threshold
 * (engine defaults pass, --privileged is reported), exec process files, modes, odd types, and
 * that it reports the spec as it came, before the other rules rewrite it. JSON in single quotes
 * (rule-harness.h). */
#include <sys/capability.h>

#include "capability.h"
#include "rule-harness.h"

/* privileged in mode; the rules named in also_enforce (comma-separated) in enforce. */
static struct policy *policy_with(const char *mode, const char *also_enforce)
{
        char text[2048];
        size_t o;

        o = (size_t)snprintf(text, sizeof(text), "{'mode':'enforce','rules':{");
        for (int i = 0; i < _RULE_MAX; i++) {
                const char *name = rule_id_to_string((enum rule_id)i);
                const char *m = "off";
                if (i == RULE_PRIVILEGED)
                        m = mode;
                else if (also_enforce && strstr(also_enforce, name))
                        m = "enforce";
                o += (size_t)snprintf(text + o, sizeof(text) - o, "%s'%s':{'mode':'%s'}",
                                      i ? "," : "", name, m);
        }
        snprintf(text + o, sizeof(text) - o, "}}");
        char *json = qjson(text);
        struct policy *p = policy_of(json, NULL);

        qjson_free(json);
        return p;
}

/* The privileged finding's before (its marks) as JSON text, NULL without one; valid until the
 * next call. */
static const char *marks(const struct run *x)
{
        static char buf[4096];

        for (size_t i = 0; i < x->res.findings.n; i++)
                if (x->res.findings.items[i].rule == RULE_PRIVILEGED) {
                        char *t = text_of(x->res.findings.items[i].before);
                        snprintf(buf, sizeof(buf), "%s", t);
                        free(t);
                        return buf;
                }
        return NULL;
}

static size_t privileged_findings(const struct run *x)
{
        size_t n = 0;

        for (size_t i = 0; i < x->res.findings.n; i++)
                n += x->res.findings.items[i].rule == RULE_PRIVILEGED;
        return n;
}

/* Every capability this kernel knows, as a JSON array of names. */
static char all_caps[4096];

static void fill_all_caps(void)
{
        size_t o = (size_t)snprintf(all_caps, sizeof(all_caps), "[");
        int n = cap_max_bits();

        for (int c = 0; c < n && c < 64; c++) {
                char name[64];
                if (!capability_to_name((unsigned)c, name, sizeof(name)))
                        continue;
                o += (size_t)snprintf(all_caps + o, sizeof(all_caps) - o, "%s'%s'", c ? "," : "",
                                      name);
        }
        snprintf(all_caps + o, sizeof(all_caps) - o, "]");
}

#define DOCKER_CAPS                                                              \
        "['CAP_CHOWN','CAP_DAC_OVERRIDE','CAP_FSETID','CAP_FOWNER','CAP_MKNOD'," \
        "'CAP_NET_RAW','CAP_SETGID','CAP_SETUID','CAP_SETFCAP','CAP_SETPCAP',"   \
        "'CAP_NET_BIND_SERVICE','CAP_SYS_CHROOT','CAP_KILL','CAP_AUDIT_WRITE']"
#define STD_MOUNTS                                                           \
        "{'destination':'/proc','type':'proc','source':'proc'},"             \
        "{'destination':'/sys','type':'sysfs','source':'sysfs',"             \
        "'options':['nosuid','noexec','nodev','ro']},"                       \
        "{'destination':'/sys/fs/cgroup','type':'cgroup','source':'cgroup'," \
        "'options':['ro','nosuid','noexec','nodev']}"
#define RW_MOUNTS                                                            \
        "{'destination':'/proc','type':'proc','source':'proc'},"             \
        "{'destination':'/sys','type':'sysfs','source':'sysfs',"             \
        "'options':['nosuid','noexec','nodev']},"                            \
        "{'destination':'/sys/fs/cgroup','type':'cgroup','source':'cgroup'," \
        "'options':['nosuid','noexec','nodev']}"
#define MASKED                                           \
        "'maskedPaths':['/proc/kcore','/sys/firmware']," \
        "'readonlyPaths':['/proc/sys','/proc/sysrq-trigger']"
#define DEFAULT_DEVICE_RULES                                            \
        "[{'allow':false,'access':'rwm'},"                              \
        "{'allow':true,'type':'c','major':1,'minor':3,'access':'rwm'}," \
        "{'allow':true,'type':'c','major':136,'access':'rwm'}]"
#define SECCOMP                                                            \
        "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['read']," \
        "'action':'SCMP_ACT_ALLOW'}]}"

/* A spec from parts: bounding caps, apparmor (NULL: none), mounts, linux members. */
static char *spec(const char *caps, const char *apparmor, const char *mounts, const char *linux)
{
        char *s = NULL;

        if (asprintf(&s,
                     "{'process':{'args':['sh'],'capabilities':{'bounding':%s,"
                     "'effective':%s,'permitted':%s}%s%s%s},'mounts':[%s],'linux':{%s}}",
                     caps, caps, caps, apparmor ? ",'apparmorProfile':'" : "",
                     apparmor ? apparmor : "", apparmor ? "'" : "", mounts, linux) < 0)
                abort();
        return s;
}

/* A spec with Docker's defaults: what every part of a clean spec looks like. */
static char *docker_default(void)
{
        return spec(DOCKER_CAPS, "docker-default", STD_MOUNTS,
                    MASKED ",'seccomp':" SECCOMP ",'resources':{'devices':" DEFAULT_DEVICE_RULES
                           "}");
}

/* What moby makes of `docker run --privileged` (daemon/oci_linux.go): all caps, no seccomp,
 * AppArmor unconfined, no masked or read-only paths, /sys and cgroup rw, every host device. */
static char *docker_privileged(void)
{
        return spec(all_caps, "unconfined", RW_MOUNTS,
                    "'resources':{'devices':[{'allow':false,'access':'rwm'},"
                    "{'allow':true,'access':'rwm'}]},"
                    "'devices':[{'path':'/dev/sda','type':'b','major':8,'minor':0},"
                    "{'path':'/dev/null','type':'c','major':1,'minor':3},"
                    "{'path':'/dev/kmsg','type':'c','major':1,'minor':11}]");
}

static void expect(struct policy *p, enum spec_kind kind, const char *text, const char *want,
                   const char *what)
{
        struct run x = run_text_q(p, kind, text);

        is_int(x.r, 0, "%s: no error (%s)", what, x.err.msg);
        if (want) {
                is_int(privileged_findings(&x), 1, "%s: one privileged finding", what);
                is_json(marks(&x), want, "%s: marks", what);
        } else {
                is_int(privileged_findings(&x), 0, "%s: not reported (%s)", what,
                       marks(&x) ? marks(&x) : "");
        }
        is_str(x.out, x.in, "%s: spec not rewritten by privileged", what);
        run_done(&x);
}

static void expect_free(struct policy *p, char *text, const char *want, const char *what)
{
        expect(p, SPEC_CONFIG, text, want, what);
        free(text);
}

static void test_engines(struct policy *p)
{
        struct run x;
        char *s;

        expect_free(p, docker_default(), NULL, "Docker default");
        /* runc spec: 3 caps, no seccomp, masked and ro paths, /sys ro, deny-all devices. */
        expect_free(p,
                    spec("['CAP_AUDIT_WRITE','CAP_KILL','CAP_NET_BIND_SERVICE']", NULL, STD_MOUNTS,
                         MASKED ",'resources':{'devices':[{'allow':false,'access':'rwm'}]}"),
                    NULL, "runc spec (one mark: no seccomp)");
        /* ctr run: Docker's caps, no seccomp, no AppArmor profile unless asked. */
        expect_free(p,
                    spec(DOCKER_CAPS, NULL, STD_MOUNTS,
                         MASKED ",'resources':{'devices':" DEFAULT_DEVICE_RULES "}"),
                    NULL, "ctr run (one mark: no seccomp)");
        /* Docker with userns-remap: cgroup mounted rw, nothing else. */
        expect_free(p,
                    spec(DOCKER_CAPS, "docker-default",
                         "{'destination':'/sys','type':'sysfs','options':['ro']},"
                         "{'destination':'/sys/fs/cgroup','type':'cgroup'}",
                         MASKED ",'seccomp':" SECCOMP),
                    NULL, "Docker userns-remap (one mark: cgroup rw)");
        /* podman --device /dev/fuse: one host device. */
        expect_free(p,
                    spec(DOCKER_CAPS, NULL, STD_MOUNTS,
                         MASKED ",'seccomp':" SECCOMP ",'devices':[{'path':'/dev/fuse',"
                                "'type':'c','major':10,'minor':229}]"),
                    NULL, "--device /dev/fuse (one mark)");

        s = docker_privileged();
        x = run_text_q(p, SPEC_CONFIG, s);
        is_int(x.r, 0, "docker --privileged: no error");
        is_int(x.res.findings.n, 1, "docker --privileged: one finding");
        if (x.res.findings.n == 1) {
                const struct finding *f = &x.res.findings.items[0];
                char *a = text_of(f->after);
                is_str(f->path, "/", "docker --privileged: path /");
                is_json(marks(&x),
                        "['all capabilities','AppArmor profile unconfined',"
                        "'no seccomp filter','no masked or read-only paths',"
                        "'/sys mounted read-write','cgroup filesystem mounted read-write',"
                        "'device cgroup allows every device',"
                        "'2 host devices in linux.devices']",
                        "docker --privileged: every mark listed");
                is_json(a, "'not privileged'", "docker --privileged: after");
                is_int(f->action, FINDING_DETECTED, "docker --privileged: detected in enforce");
                ok(f->report_only && !f->unfixable, "docker --privileged: report-only");
                free(a);
        }
        ok(!x.res.changed && !x.res.denied, "docker --privileged: neither changed nor denied");
        is_str(x.out, x.in, "docker --privileged: spec not rewritten");
        run_done(&x);
        free(s);
}

/* Each mark alone stays under the threshold; with one more it is reported. */
static void test_marks(struct policy *p)
{
        const char *clean_linux =
                MASKED ",'seccomp':" SECCOMP ",'resources':{'devices':" DEFAULT_DEVICE_RULES "}";
        const char *no_seccomp = MASKED ",'resources':{'devices':" DEFAULT_DEVICE_RULES "}";
        const struct {
                const char *caps, *apparmor, *mounts, *linux, *mark;
        } one[] = {
                {"['CAP_SYS_ADMIN']", NULL, STD_MOUNTS, clean_linux,
                 "CAP_SYS_ADMIN in the bounding set"},
                {DOCKER_CAPS, "unconfined", STD_MOUNTS, clean_linux, "AppArmor profile unconfined"},
                /* What the kernel also runs unconfined (rules/lsm.h), as the lsm rule reads it. */
                {DOCKER_CAPS, " &unconf", STD_MOUNTS, clean_linux, "AppArmor profile unconfined"},
                {DOCKER_CAPS, NULL, STD_MOUNTS,
                 MASKED ",'seccomp':{'defaultAction':'SCMP_ACT_ALLOW'}",
                 "seccomp allows every syscall"},
                {DOCKER_CAPS, NULL, STD_MOUNTS,
                 MASKED ",'seccomp':{'defaultAction':'SCMP_ACT_LOG','syscalls':[]}",
                 "seccomp allows every syscall"},
                {DOCKER_CAPS, NULL, STD_MOUNTS, "'seccomp':" SECCOMP,
                 "no masked or read-only paths"},
                {DOCKER_CAPS, NULL, STD_MOUNTS,
                 "'maskedPaths':[],'readonlyPaths':null,'seccomp':" SECCOMP,
                 "no masked or read-only paths"},
                {DOCKER_CAPS, NULL, "{'destination':'//sys/','type':'sysfs','options':['ro','rw']}",
                 clean_linux, "/sys mounted read-write"},
                {DOCKER_CAPS, NULL, "{'destination':'/sys','type':'bind','source':'/sys'}",
                 clean_linux, "/sys mounted read-write"},
                {DOCKER_CAPS, NULL, "{'destination':'/cg','type':'cgroup2'}", clean_linux,
                 "cgroup filesystem mounted read-write"},
                /* runc applies the recursive rrw with mount_setattr() after the mount's ro. */
                {DOCKER_CAPS, NULL, "{'destination':'/sys','type':'sysfs','options':['ro','rrw']}",
                 clean_linux, "/sys mounted read-write"},
                {DOCKER_CAPS, NULL, STD_MOUNTS,
                 MASKED ",'seccomp':" SECCOMP ",'resources':{'devices':["
                        "{'allow':false,'access':'rwm'},{'allow':true}]}",
                 "device cgroup allows every device"},
                {DOCKER_CAPS, NULL, STD_MOUNTS,
                 MASKED ",'seccomp':" SECCOMP ",'resources':{'devices':["
                        "{'allow':true,'type':'a','major':-1,'minor':-1,'access':'rw'}]}",
                 "device cgroup allows every device"},
                /* runc reads an empty type as "a". */
                {DOCKER_CAPS, NULL, STD_MOUNTS,
                 MASKED ",'seccomp':" SECCOMP ",'resources':{'devices':["
                        "{'allow':false,'access':'rwm'},"
                        "{'allow':true,'type':'','access':'rwm'}]}",
                 "device cgroup allows every device"},
                {DOCKER_CAPS, NULL, STD_MOUNTS,
                 MASKED ",'seccomp':" SECCOMP ",'devices':[{'type':'c','major':1,"
                        "'minor':'3'}]",
                 "1 host device in linux.devices"},
        };
        char want[256], *s;

        for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++) {
                char what[128];
                snprintf(what, sizeof(what), "'%s' alone", one[i].mark);
                expect_free(p, spec(one[i].caps, one[i].apparmor, one[i].mounts, one[i].linux),
                            NULL, what);
                /* The same without seccomp: two marks. */
                if (strstr(one[i].mark, "seccomp"))
                        continue;
                snprintf(what, sizeof(what), "'%s' and no seccomp", one[i].mark);
                if (strstr(one[i].linux, "'seccomp':" SECCOMP)) {
                        char linux[1024];
                        const char *at = strstr(one[i].linux, ",'seccomp':" SECCOMP);
                        size_t cut = strlen(",'seccomp':" SECCOMP);
                        if (!at) {
                                at = strstr(one[i].linux, "'seccomp':" SECCOMP);
                                cut = strlen("'seccomp':" SECCOMP);
                        }
                        snprintf(linux, sizeof(linux), "%.*s%s", (int)(at - one[i].linux),
                                 one[i].linux, at + cut);
                        s = spec(one[i].caps, one[i].apparmor, one[i].mounts, linux);
                } else {
                        s = spec(one[i].caps, one[i].apparmor, one[i].mounts, no_seccomp);
                }
                /* Process marks come before the seccomp one, the others after it. */
                if (strstr(one[i].mark, "CAP_") || strstr(one[i].mark, "AppArmor"))
                        snprintf(want, sizeof(want), "['%s','no seccomp filter']", one[i].mark);
                else
                        snprintf(want, sizeof(want), "['no seccomp filter','%s']", one[i].mark);
                expect_free(p, s, want, what);
        }

        /* Not marks. */
        expect_free(p,
                    spec(DOCKER_CAPS, NULL, STD_MOUNTS,
                         MASKED ",'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':"
                                "[{'names':['mount'],'action':'SCMP_ACT_ERRNO'}]},"
                                "'resources':{'devices':[{'allow':true,'access':'rwm'},"
                                "{'allow':false,'access':'rwm'}]},"
                                "'devices':[{'type':'c','major':5,'minor':2}]"),
                    NULL, "allow-list seccomp, allow-all undone by deny-all, ptmx device");
        expect_free(p,
                    spec(DOCKER_CAPS, "unconfined", STD_MOUNTS,
                         MASKED ",'seccomp':" SECCOMP ",'resources':{'devices':["
                                "{'allow':true,'access':'m'},"
                                "{'allow':true,'type':'c','access':'rwm'}]}"),
                    NULL, "mknod-only and char-only allow rules are no allow-all");
        expect_free(p,
                    spec(DOCKER_CAPS, NULL,
                         "{'destination':'/sys','type':'sysfs','options':['rro',"
                         "'rw']}",
                         MASKED ",'resources':{'devices':" DEFAULT_DEVICE_RULES "}"),
                    NULL, "rro wins over a later rw: /sys read-only");

        /* No capabilities object: runc keeps every capability. */
        expect(p, SPEC_CONFIG,
               "{'process':{'args':['sh']},'linux':{" MASKED
               ",'resources':{'devices':" DEFAULT_DEVICE_RULES "}}}",
               "['no capabilities object (all capabilities)','no seccomp filter']",
               "no capabilities object and no seccomp");
        expect(p, SPEC_CONFIG, "{}", "['no seccomp filter','no masked or read-only paths']",
               "empty spec: no linux object");
}

static void test_process(struct policy *p)
{
        char *s = NULL;

        if (asprintf(&s, "{'args':['sh'],'capabilities':{'bounding':%s}}", all_caps) < 0)
                abort();
        expect(p, SPEC_PROCESS, s, "['all capabilities']", "exec --privileged (all caps)");
        free(s);
        if (asprintf(&s,
                     "{'args':['sh'],'apparmorProfile':'unconfined','capabilities':"
                     "{'bounding':%s}}",
                     all_caps) < 0)
                abort();
        expect(p, SPEC_PROCESS, s, "['all capabilities','AppArmor profile unconfined']",
               "exec into a privileged container");
        free(s);
        expect(p, SPEC_PROCESS, "{'args':['sh'],'capabilities':{'bounding':['CAP_SYS_ADMIN']}}",
               "['CAP_SYS_ADMIN in the bounding set']", "exec with CAP_SYS_ADMIN");
        expect(p, SPEC_PROCESS, "{'args':['sh'],'apparmorProfile':'unconfined'}", NULL,
               "exec: AppArmor unconfined alone");
        expect(p, SPEC_PROCESS, "{'args':['sh']}", NULL,
               "exec: no capabilities object (the container's caps)");
        expect(p, SPEC_PROCESS, "{'args':['sh'],'capabilities':{'bounding':" DOCKER_CAPS "}}", NULL,
               "exec: Docker's default caps");
}

static void test_modes(void)
{
        char *s = docker_privileged();
        struct policy *p;
        struct run x;

        p = policy_with("deny", NULL);
        x = run_text_q(p, SPEC_CONFIG, s);
        ok(x.res.denied, "deny: denied");
        if (x.res.findings.n == 1)
                is_int(x.res.findings.items[0].action, FINDING_DENIED, "deny: action denied");
        run_done(&x);
        x = run_text_q(p, SPEC_CONFIG, "{'linux':{'seccomp':" SECCOMP "," MASKED "}}");
        is_int(x.res.findings.n, 0, "deny: a spec under the threshold passes");
        run_done(&x);
        policy_free(p);

        p = policy_with("audit", NULL);
        x = run_text_q(p, SPEC_CONFIG, s);
        ok(!x.res.denied && !x.res.changed, "audit: neither denied nor changed");
        if (x.res.findings.n == 1)
                is_int(x.res.findings.items[0].action, FINDING_DETECTED, "audit: detected");
        run_done(&x);
        policy_free(p);

        p = policy_with("off", NULL);
        x = run_text_q(p, SPEC_CONFIG, s);
        is_int(x.res.findings.n, 0, "off: nothing");
        run_done(&x);
        policy_free(p);

        /* Runs first: it sees the spec as it came, then the other rules harden it. On their
         * output the marks they remove are gone (the rest belong to rules not run here). */
        p = policy_with("enforce", "capabilities,seccomp,devices");
        x = run_text_q(p, SPEC_CONFIG, s);
        is_int(x.r, 0, "with other rules: no error (%s)", x.err.msg);
        ok(x.res.findings.n > 1 && x.res.findings.items[0].rule == RULE_PRIVILEGED,
           "with other rules: the privileged finding comes first");
        ok(marks(&x) && strstr(marks(&x), "all capabilities") && strstr(marks(&x), "no seccomp") &&
                   strstr(marks(&x), "allows every device"),
           "with other rules: it lists the marks of the spec as it came");
        ok(x.res.changed, "with other rules: the others changed the spec");
        {
                struct run y = run_text(p, SPEC_CONFIG, x.out);
                ok(marks(&y) && !strstr(marks(&y), "capabilit") && !strstr(marks(&y), "seccomp") &&
                           !strstr(marks(&y), "device"),
                   "with other rules: their marks are gone from the hardened spec (%s)",
                   marks(&y) ? marks(&y) : "");
                ok(!y.res.changed, "with other rules: idempotent");
                run_done(&y);
        }
        run_done(&x);
        policy_free(p);
        free(s);
}

static void test_types(struct policy *p)
{
        const struct {
                const char *doc, *path;
        } bad[] = {
                {"{'process':[]}", "'/process'"},
                {"{'process':{'capabilities':[]}}", "'/process/capabilities'"},
                {"{'process':{'capabilities':{'bounding':{}}}}",
                 "'/process/capabilities/bounding'"},
                {"{'process':{'capabilities':{'bounding':[1]}}}",
                 "'/process/capabilities/bounding/0'"},
                {"{'process':{'apparmorProfile':true}}", "'/process/apparmorProfile'"},
                {"{'linux':[]}", "'/linux'"},
                {"{'linux':{'seccomp':[]}}", "'/linux/seccomp'"},
                {"{'linux':{'seccomp':{'defaultAction':1}}}", "'/linux/seccomp/defaultAction'"},
                {"{'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':{}}}}",
                 "'/linux/seccomp/syscalls'"},
                {"{'linux':{'maskedPaths':'/proc'}}", "'/linux/maskedPaths'"},
                {"{'mounts':{}}", "'/mounts'"},
                {"{'mounts':['/sys']}", "'/mounts/0'"},
                {"{'mounts':[{'destination':5}]}", "'/mounts/0/destination'"},
                {"{'mounts':[{'destination':'/sys','options':'ro'}]}", "'/mounts/0/options'"},
                {"{'mounts':[{'destination':'/sys','options':['ro',7]}]}", "'/mounts/0/options/1'"},
                {"{'linux':{'resources':{'devices':{}}}}", "'/linux/resources/devices'"},
                {"{'linux':{'resources':{'devices':[true]}}}", "'/linux/resources/devices/0'"},
                {"{'linux':{'devices':[[]]}}", "'/linux/devices/0'"},
        };

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                struct run x = run_text_q(p, SPEC_CONFIG, bad[i].doc);
                char *doc = qjson(bad[i].doc);
                is_int(x.r, -EINVAL, "%s: refused", doc);
                ok(strstr(x.err.msg, bad[i].path) != NULL, "%s: message names %s (%s)", doc,
                   bad[i].path, x.err.msg);
                run_done(&x);
                qjson_free(doc);
        }
}

/* Huge arrays are walked once each. */
static void test_huge(struct policy *p)
{
        size_t n = 100000, size = n * 64 + 256, o = 0;
        char *s = malloc(size);
        struct run x;

        if (!s)
                abort();
        o += (size_t)snprintf(s + o, size - o, "{'mounts':[");
        for (size_t i = 0; i < n; i++)
                o += (size_t)snprintf(s + o, size - o, "%s{'destination':'/m%zu'}", i ? "," : "",
                                      i);
        o += (size_t)snprintf(s + o, size - o, "],'linux':{'devices':[");
        for (size_t i = 0; i < n / 4; i++)
                o += (size_t)snprintf(s + o, size - o, "%s{'type':'c','major':1,'minor':3}",
                                      i ? "," : "");
        snprintf(s + o, size - o, "]}}");
        x = run_text_q(p, SPEC_CONFIG, s);
        is_int(x.r, 0, "huge arrays: no error");
        is_json(marks(&x), "['no seccomp filter','no masked or read-only paths']",
                "huge arrays: standard devices only");
        run_done(&x);
        free(s);
}

int main(void)
{
        struct policy *p = policy_with("enforce", NULL);

        if (!p)
                return 1;
        fill_all_caps();
        test_engines(p);
        test_marks(p);
        test_process(p);
        test_modes();
        test_types(p);
        test_huge(p);
        policy_free(p);
        return tap_done();
}
