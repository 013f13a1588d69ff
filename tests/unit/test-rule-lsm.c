/* Unit tests for the lsm rule through harden_spec(): AppArmor "unconfined", SELinux types,
 * defaults filled in only on hosts with the LSM (a fake /sys tree), exec process files, every
 * mode, malformed specs, and the policy's own checks on its default profile and label. JSON in
 * single quotes (rule-harness.h). */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rule-harness.h"
#include "rules/lsm.h"

/* One finding at path with that action and after (JSON text, NULL: not checked), and the output
 * (NULL: not checked). JSON in single quotes (rule-harness.h). */
static void expect(const char *mode, const char *settings, enum spec_kind kind, const char *spec,
                   const char *path, enum finding_action action, const char *after_q,
                   const char *want_q, const char *what)
{
        struct run x = run_q(RULE_LSM, mode, settings, kind, spec);
        char *after = qjson(after_q), *want_out = qjson(want_q), *s = qjson(settings);
        const struct finding *f;

        is_int(x.r, 0, "%s: no error (%s)", what, x.err.msg);
        is_int(x.res.findings.n, path ? 1 : 0, "%s: %d finding(s)", what, path ? 1 : 0);
        if (path) {
                f = find(&x, path);
                ok(f != NULL, "%s: finding at %s", what, path);
                if (f) {
                        char *a = text_of(f->after);
                        is_int(f->action, action, "%s: action %s", what,
                               finding_action_to_string(action));
                        is_int(f->rule, RULE_LSM, "%s: rule lsm", what);
                        if (after)
                                is_str(a, after, "%s: after", what);
                        free(a);
                }
        }
        is_int(x.res.denied, action == FINDING_DENIED && path, "%s: denied flag", what);
        if (want_out)
                is_str(x.out, want_out, "%s: output", what);
        if (strcmp(mode, "enforce") == 0 && !x.res.denied)
                check_idempotent(RULE_LSM, s, kind, &x, what);
        run_done(&x);
        qjson_free(s);
        qjson_free(want_out);
        qjson_free(after);
}

static void expect_error(const char *settings, enum spec_kind kind, const char *spec,
                         const char *part, const char *what)
{
        struct run x = run_q(RULE_LSM, "enforce", settings, kind, spec);

        is_int(x.r, -EINVAL, "%s: error", what);
        ok(strstr(x.err.msg, part) != NULL, "%s: message says \"%s\" (%s)", what, part, x.err.msg);
        is_int(x.res.findings.n, 0, "%s: no findings after an error", what);
        run_done(&x);
}

/* ---- a fake /sys ---- */

static char sysroot[64];

static void write_file(const char *rel, const char *content)
{
        char path[256];
        int fd;

        snprintf(path, sizeof(path), "%s%s", sysroot, rel);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, content, strlen(content)) != (ssize_t)strlen(content))
                diag("cannot write %s", path);
        if (fd >= 0)
                close(fd);
}

/* mkdir -p, or with clean rm -rf first, of a path under the fake root. */
static void make_dir(const char *rel, bool clean)
{
        char cmd[512];

        snprintf(cmd, sizeof(cmd), "%s%s%s%s mkdir -p '%s%s'", clean ? "rm -rf '" : "",
                 clean ? sysroot : "", clean ? rel : "", clean ? "' &&" : "", sysroot, rel);
        if (system(cmd) != 0)
                diag("command failed: %s", cmd);
}

/* host: "" (no LSM), "apparmor", "apparmor-off" (module says N), "apparmor-dir" (no
 * parameter file), "selinux". */
static const char *host_now = "";

static void fake_host(const char *host)
{
        host_now = host;
        make_dir("/sys", true);
        if (strncmp(host, "apparmor", 8) == 0) {
                make_dir("/sys/kernel/security/apparmor", false);
                make_dir("/sys/module/apparmor/parameters", false);
                if (strcmp(host, "apparmor") == 0)
                        write_file("/sys/module/apparmor/parameters/enabled", "Y\n");
                else if (strcmp(host, "apparmor-off") == 0)
                        write_file("/sys/module/apparmor/parameters/enabled", "N\n");
        } else if (strcmp(host, "selinux") == 0) {
                make_dir("/sys/fs/selinux", false);
                write_file("/sys/fs/selinux/enforce", "1");
        }
}

/* One run of the rule on a host faked by fake_host(host); JSON in single quotes. */
struct lsm_case {
        const char *name;
        const char *mode;
        const char *policy;
        const char *spec;
        const char *path; /* the one finding; NULL: none */
        enum finding_action action;
        const char *after;   /* the finding's after; NULL: not checked */
        const char *want;    /* the output; NULL: the spec unchanged; any_value: not checked */
        enum spec_kind kind; /* SPEC_CONFIG unless set */
        const char *host;    /* NULL: "" (no LSM) */
};

static void run_lsm_cases(const struct lsm_case *cases, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                const struct lsm_case *c = &cases[i];
                const char *host = c->host ? c->host : "";
                const char *want = c->want == any_value ? NULL : c->want ? c->want : c->spec;

                if (strcmp(host, host_now) != 0)
                        fake_host(host);
                expect(c->mode, c->policy, c->kind, c->spec, c->path, c->action, c->after, want,
                       c->name);
        }
}
#define lsm_cases(cases) run_lsm_cases(cases, N_CASES(cases))

#define AA "'apparmor_profile':'hr-default'"
#define SE "'selinux_label':'system_u:system_r:container_t:s0'"
#define SPEC_AA(v) "{'process':{'apparmorProfile':" v "}}"
#define SPEC_SE(v) "{'process':{'selinuxLabel':" v "}}"

static const struct lsm_case apparmor_replaced[] = {
        {"unconfined with a policy profile: replaced", "enforce", AA, SPEC_AA("'unconfined'"),
         "/process/apparmorProfile", FINDING_CHANGED, "'hr-default'", SPEC_AA("'hr-default'")},
};

static const struct lsm_case apparmor_more[] = {
        {"unconfined without a policy profile: refused", "enforce", NULL, SPEC_AA("'unconfined'"),
         "/process/apparmorProfile", FINDING_DENIED, "'an AppArmor profile, not \\'unconfined\\''"},
        {"deny: refused", "deny", AA, SPEC_AA("'unconfined'"), "/process/apparmorProfile",
         FINDING_DENIED, "'hr-default'"},
        {"audit: would change, spec kept", "audit", AA, SPEC_AA("'unconfined'"),
         "/process/apparmorProfile", FINDING_WOULD_CHANGE, "'hr-default'"},
        {"audit without a profile: recorded as would_deny, spec kept", "audit", NULL,
         SPEC_AA("'unconfined'"), "/process/apparmorProfile", FINDING_WOULD_DENY},
        /* Profiles that only look like unconfined are someone's own profile. */
        {"a profile named unconfined-ish is kept", "enforce", NULL, SPEC_AA("'unconfined-ish'")},
        {"an empty profile (none) is no unconfined spelling", "enforce", NULL, SPEC_AA("''")},
        {"a profile in another namespace is kept", "enforce", NULL,
         SPEC_AA("':ns:docker-default'")},
        {"a stack with a confining profile is kept", "enforce", NULL,
         SPEC_AA("'docker-default//&unconfined'")},
        {"a stack of unconfined only: refused", "enforce", NULL, SPEC_AA("'unc//&:ns:'"),
         "/process/apparmorProfile", FINDING_DENIED, NULL, any_value},
        {"another confining profile is kept", "enforce", AA, SPEC_AA("'docker-default'")},
        /* Defaults: only where the host has AppArmor, as runc would fail otherwise. */
        {"absent, host without AppArmor: left absent", "enforce", AA, "{'process':{}}"},
        {"absent, AppArmor module disabled: left absent", "enforce", AA, "{'process':{}}",
         .host = "apparmor-off"},
        {"absent, no module parameter: left absent", "enforce", AA, "{'process':{}}",
         .host = "apparmor-dir"},
        {"absent, AppArmor host: policy profile set", "enforce", AA, "{'process':{}}",
         "/process/apparmorProfile", FINDING_CHANGED, "'hr-default'", SPEC_AA("'hr-default'"),
         .host = "apparmor"},
        {"empty, AppArmor host: policy profile set", "enforce", AA, SPEC_AA("''"),
         "/process/apparmorProfile", FINDING_CHANGED, "'hr-default'", SPEC_AA("'hr-default'"),
         .host = "apparmor"},
        {"null, AppArmor host: policy profile set", "enforce", AA, SPEC_AA("null"),
         "/process/apparmorProfile", FINDING_CHANGED, "'hr-default'", SPEC_AA("'hr-default'"),
         .host = "apparmor"},
        {"absent, AppArmor host, audit: would set", "audit", AA, "{'process':{}}",
         "/process/apparmorProfile", FINDING_WOULD_CHANGE, "'hr-default'", .host = "apparmor"},
        {"absent, AppArmor host, no policy profile: left absent", "enforce", NULL, "{'process':{}}",
         .host = "apparmor"},
        /* An exec process without a profile runs under the container's. */
        {"exec process without a profile: inherits, nothing set", "enforce", AA, "{'args':['sh']}",
         .kind = SPEC_PROCESS, .host = "apparmor"},
        {"exec process unconfined: replaced", "enforce", AA, "{'apparmorProfile':'unconfined'}",
         "/apparmorProfile", FINDING_CHANGED, "'hr-default'", "{'apparmorProfile':'hr-default'}",
         .kind = SPEC_PROCESS, .host = "apparmor"},
        {"exec process unconfined without a policy profile: refused", "enforce", NULL,
         "{'apparmorProfile':'unconfined'}", "/apparmorProfile", FINDING_DENIED, NULL, any_value,
         .kind = SPEC_PROCESS, .host = "apparmor"},
};

static void test_apparmor(void)
{
        static const char *const unconfined[] = {
                "'unconfined'",
                "' unconfined\\n'",
                "'&unconfined'",
                "'unconfined\\u0000x'",
                "'\\tunconfined '",
                /* The kernel's lookup takes any prefix of "unconfined" no profile has as the
                 * name (aa_lookupn_profile), and a namespace without a profile name as that
                 * namespace's unconfined (aa_fqlookupn_profile). */
                "'u'",
                "'unconf'",
                "'unconfine'",
                "'& unc'",
                "':'",
                "'::'",
                "': :'",
                "'::unconfined'",
                "':ns:'",
                "':ns://unc'",
                "':ns'",
                "'&::'",
        };
        char what[128];

        fake_host("");
        lsm_cases(apparmor_replaced);
        for (size_t i = 0; i < sizeof(unconfined) / sizeof(*unconfined); i++) {
                char *json = qjson(unconfined[i]);
                snprintf(what, sizeof(what), "unconfined spelled %s: refused", json);
                qjson_free(json);
                char spec[128];
                snprintf(spec, sizeof(spec), SPEC_AA("%s"), unconfined[i]);
                expect("enforce", NULL, SPEC_CONFIG, spec, "/process/apparmorProfile",
                       FINDING_DENIED, NULL, NULL, what);
        }
        lsm_cases(apparmor_more);
        fake_host("");
}

static const struct lsm_case selinux_kept[] = {
        {"container_t with categories: kept", "enforce", NULL,
         SPEC_SE("'system_u:system_r:container_t:s0:c123,c456'"), NULL, 0, NULL, any_value},
        {"container_init_t with a level range: kept", "enforce", NULL,
         SPEC_SE("'system_u:system_r:container_init_t:s0-s0:c0.c1023'"), NULL, 0, NULL, any_value},
        {"container_kvm_t without a level: kept", "enforce", NULL, SPEC_SE("'u:r:container_kvm_t'"),
         NULL, 0, NULL, any_value},
};

static const struct lsm_case selinux_more[] = {
        {"spc_t: refused even with a policy label", "enforce", SE,
         SPEC_SE("'system_u:system_r:spc_t:s0'"), "/process/selinuxLabel", FINDING_DENIED,
         "'a confined SELinux type, not \\'spc_t\\''", any_value},
        {"spc_t: refused even when selinux_types lists it", "enforce",
         "'selinux_types':['spc_t','container_t']", SPEC_SE("'system_u:system_r:spc_t:s0'"),
         "/process/selinuxLabel", FINDING_DENIED, NULL, any_value},
        {"spc_t in audit: recorded as would_deny", "audit", SE, SPEC_SE("'u:r:spc_t:s0'"),
         "/process/selinuxLabel", FINDING_WOULD_DENY},
        {"deny: a disallowed type is refused", "deny", SE, SPEC_SE("'u:r:unconfined_t:s0'"),
         "/process/selinuxLabel", FINDING_DENIED},
        {"audit: a disallowed type is recorded", "audit", SE, SPEC_SE("'u:r:unconfined_t:s0'"),
         "/process/selinuxLabel", FINDING_WOULD_CHANGE},
        /* The policy's own list replaces the PSS one. */
        {"selinux_types: a listed type is kept", "enforce", "'selinux_types':['my_t']",
         SPEC_SE("'u:r:my_t:s0'"), NULL, 0, NULL, any_value},
        {"selinux_types: container_t is no longer allowed", "enforce", "'selinux_types':['my_t']",
         SPEC_SE("'u:r:container_t:s0'"), "/process/selinuxLabel", FINDING_DENIED, NULL, any_value},
        {"selinux_types empty: every label refused", "enforce", "'selinux_types':[]",
         SPEC_SE("'u:r:container_t:s0'"), "/process/selinuxLabel", FINDING_DENIED, NULL, any_value},
        /* mountLabel labels the container's own mounts; the rule leaves it to the engine. */
        {"linux.mountLabel is left alone", "enforce", SE,
         "{'process':{},'linux':{'mountLabel':'u:object_r:etc_t:s0'}}"},
        /* Defaults: only on SELinux hosts (runc refuses any label elsewhere). */
        {"absent, host without SELinux: left absent", "enforce", SE, "{'process':{}}"},
        {"absent, SELinux host: label set", "enforce", SE, "{'process':{}}",
         "/process/selinuxLabel", FINDING_CHANGED, "'system_u:system_r:container_t:s0'",
         SPEC_SE("'system_u:system_r:container_t:s0'"), .host = "selinux"},
        {"empty, SELinux host: label set", "enforce", SE, SPEC_SE("''"), "/process/selinuxLabel",
         FINDING_CHANGED, NULL, any_value, .host = "selinux"},
        {"absent, SELinux host, no policy label: left absent", "enforce", NULL, "{'process':{}}",
         NULL, 0, NULL, any_value, .host = "selinux"},
        {"exec process without a label: inherits the container's", "enforce", SE, "{}",
         .kind = SPEC_PROCESS, .host = "selinux"},
        {"exec process with a disallowed type: replaced", "enforce", SE,
         "{'selinuxLabel':'u:r:unconfined_t:s0'}", "/selinuxLabel", FINDING_CHANGED, NULL,
         "{'selinuxLabel':'system_u:system_r:container_t:s0'}", .kind = SPEC_PROCESS,
         .host = "selinux"},
        {"exec process spc_t: refused", "enforce", SE, "{'selinuxLabel':'u:r:spc_t:s0'}",
         "/selinuxLabel", FINDING_DENIED, NULL, any_value, .kind = SPEC_PROCESS, .host = "selinux"},
};

static void test_selinux(void)
{
        static const char *const refused[] = {
                "'system_u:system_r:unconfined_t:s0'",
                "'system_u:system_r:container_runtime_t:s0'",
                "'container_t'",
                "'system_u:system_r'",
                "'system_u:system_r:container_t\\n'",
                "'system_u:system_r:Container_t:s0'",
        };
        char what[160], spec[160];

        fake_host("");
        lsm_cases(selinux_kept);
        for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
                char *json = qjson(refused[i]);
                snprintf(what, sizeof(what), "%s without a policy label: refused", json);
                snprintf(spec, sizeof(spec), SPEC_SE("%s"), refused[i]);
                expect("enforce", NULL, SPEC_CONFIG, spec, "/process/selinuxLabel", FINDING_DENIED,
                       "'an SELinux label whose type the policy allows'", spec, what);
                snprintf(what, sizeof(what), "%s with a policy label: replaced", json);
                qjson_free(json);
                expect("enforce", SE, SPEC_CONFIG, spec, "/process/selinuxLabel", FINDING_CHANGED,
                       "'system_u:system_r:container_t:s0'",
                       SPEC_SE("'system_u:system_r:container_t:s0'"), what);
        }
        lsm_cases(selinux_more);
        fake_host("");
}

static const struct lsm_case no_process[] = {
        {"no process object: nothing to do", "enforce", AA "," SE, "{}"},
        {"process null: nothing to do", "enforce", AA "," SE, "{'process':null}"},
};

static void test_both_and_odd(void)
{
        char *big;
        size_t n = 200000;
        struct run x;

        fake_host("");
        x = run_q(RULE_LSM, "enforce", AA "," SE, SPEC_CONFIG,
                  "{'process':{'apparmorProfile':'unconfined',"
                  "'selinuxLabel':'u:r:spc_t:s0'}}");
        is_int(x.r, 0, "both: no error");
        is_int(x.res.findings.n, 2, "both: two findings");
        ok(x.res.denied, "both: spc_t refuses the container");
        run_done(&x);

        lsm_cases(no_process);
        expect_error(AA, SPEC_CONFIG, SPEC_AA("5"), "'/process/apparmorProfile': expected string",
                     "apparmorProfile a number");
        expect_error(AA, SPEC_CONFIG, SPEC_AA("['unconfined']"),
                     "'/process/apparmorProfile': expected string", "apparmorProfile an array");
        expect_error(SE, SPEC_CONFIG, SPEC_SE("{}"), "'/process/selinuxLabel': expected string",
                     "selinuxLabel an object");
        expect_error(NULL, SPEC_CONFIG, "{'process':{'ApparmorProfile':'unconfined'}}",
                     "only in letter case", "a case-folded apparmorProfile key");
        expect_error(NULL, SPEC_CONFIG, "{'process':{'selinuxlabel':'u:r:spc_t:s0'}}",
                     "only in letter case", "a case-folded selinuxLabel key");
        expect_error(NULL, SPEC_CONFIG, "{'process':'x'}", "'/process': expected object",
                     "process a string");
        expect_error(NULL, SPEC_PROCESS, "[]", "expected a JSON object", "exec process an array");

        /* A huge label: judged by its type like any other. */
        big = malloc(n + 64);
        if (big) {
                int o = snprintf(big, n + 64, "{'process':{'selinuxLabel':'u:r:container_t:");
                memset(big + o, 'c', n);
                snprintf(big + o + n, 64, "'}}");
                x = run_q(RULE_LSM, "enforce", NULL, SPEC_CONFIG, big);
                is_int(x.r, 0, "huge label: no error");
                is_int(x.res.findings.n, 0, "huge label with container_t: kept");
                run_done(&x);
                memcpy(big + o - strlen("container_t:"), "xontainer_t:", strlen("xontainer_t:"));
                x = run_q(RULE_LSM, "enforce", NULL, SPEC_CONFIG, big);
                ok(x.r == 0 && x.res.denied, "huge label with another type: refused");
                run_done(&x);
                free(big);
        }
}

static void policy_refused(const char *settings, const char *part, const char *what)
{
        struct hr_error err = {0};
        char *s = qjson(settings);
        char *text = only_rule_text(RULE_LSM, "enforce", s);
        struct policy *p = policy_of(text, &err);

        qjson_free(s);
        ok(p == NULL, "policy: %s is refused", what);
        ok(strstr(err.msg, part) != NULL, "policy: %s: message says \"%s\" (%s)", what, part,
           err.msg);
        policy_free(p);
        free(text);
}

static void test_policy(void)
{
        struct hr_error err = {0};
        struct policy *p;
        char *text, *own;

        policy_refused("'apparmor_profile':'unconfined'", "'/rules/lsm/apparmor_profile'",
                       "profile unconfined");
        policy_refused("'apparmor_profile':' unconfined'", "no blanks", "profile with a blank");
        policy_refused("'apparmor_profile':'&unconfined'", "leading '&'",
                       "profile stacked unconfined");
        policy_refused("'apparmor_profile':''", "must name a profile", "empty profile");
        policy_refused("'apparmor_profile':'unconf'", "not unconfined",
                       "a prefix of unconfined, which the kernel reads as unconfined");
        policy_refused("'apparmor_profile':'::'", "not unconfined",
                       "a namespace without a profile name");
        policy_refused("'selinux_label':'u:r:spc_t:s0'", "'/rules/lsm/selinux_label'",
                       "label with spc_t");
        policy_refused("'selinux_label':'u:r:unconfined_t:s0'", "not one of selinux_types",
                       "label with a type outside the PSS list");
        policy_refused("'selinux_label':'u:r:container_t:s0','selinux_types':['my_t']",
                       "not one of selinux_types", "label outside the policy's own list");
        policy_refused("'selinux_label':'container_t'", "user:role:type:level",
                       "label without colons");
        {
                /* The rule reads types of up to 255 bytes: a longer one in the policy's label
                 * would be replaced by itself on every run. */
                char long_type[301], settings[800];
                memset(long_type, 'a', sizeof(long_type) - 1);
                long_type[sizeof(long_type) - 1] = '\0';
                snprintf(settings, sizeof(settings),
                         "'selinux_label':'u:r:%s:s0','selinux_types':['%s']", long_type,
                         long_type);
                policy_refused(settings, "not one of selinux_types",
                               "label whose type is too long for the rule to read");
        }
        own = qjson("'selinux_label':'u:r:my_t:s0','selinux_types':['my_t']");
        text = only_rule_text(RULE_LSM, "enforce", own);
        p = policy_of(text, &err);
        qjson_free(own);
        free(text);
        ok(p != NULL, "policy: a label within the policy's own list is accepted (%s)", err.msg);
        policy_free(p);
}

int main(void)
{
        snprintf(sysroot, sizeof(sysroot), "/tmp/hardrun-lsm.XXXXXX");
        if (!mkdtemp(sysroot)) {
                printf("1..0 # SKIP cannot make a temp dir\n");
                return 0;
        }
        lsm_sysfs_prefix = sysroot;
        test_apparmor();
        test_selinux();
        test_both_and_odd();
        test_policy();
        make_dir("", true);
        rmdir(sysroot);
        return tap_done();
}
