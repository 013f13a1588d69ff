/* Unit tests for the lsm rule through harden_spec(): AppArmor "unconfined", SELinux types,
 * defaults filled in only on hosts with the LSM (a fake /sys tree), exec process files, every
 * mode, malformed specs, and the policy's own checks on its default profile and label. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rule-harness.h"
#include "rules/lsm.h"

/* One finding at path with that action and after (JSON text), and the output. */
static void expect(const char *mode, const char *settings, enum spec_kind kind, const char *spec,
                   const char *path, enum finding_action action, const char *after,
                   const char *want_out, const char *what)
{
        struct run x = run_rule(RULE_LSM, mode, settings, kind, spec);
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
                check_idempotent(RULE_LSM, settings, kind, &x, what);
        run_done(&x);
}

static void expect_error(const char *settings, enum spec_kind kind, const char *spec,
                         const char *part, const char *what)
{
        struct run x = run_rule(RULE_LSM, "enforce", settings, kind, spec);

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
static void fake_host(const char *host)
{
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

#define AA "\"apparmor_profile\":\"hr-default\""
#define SE "\"selinux_label\":\"system_u:system_r:container_t:s0\""
#define SPEC_AA(v) "{\"process\":{\"apparmorProfile\":" v "}}"
#define SPEC_SE(v) "{\"process\":{\"selinuxLabel\":" v "}}"

static void test_apparmor(void)
{
        static const char *const unconfined[] = {
                "\"unconfined\"",
                "\" unconfined\\n\"",
                "\"&unconfined\"",
                "\"unconfined\\u0000x\"",
                "\"\\tunconfined \"",
                /* The kernel's lookup takes any prefix of "unconfined" no profile has as the
                 * name (aa_lookupn_profile), and a namespace without a profile name as that
                 * namespace's unconfined (aa_fqlookupn_profile). */
                "\"u\"",
                "\"unconf\"",
                "\"unconfine\"",
                "\"& unc\"",
                "\":\"",
                "\"::\"",
                "\": :\"",
                "\"::unconfined\"",
                "\":ns:\"",
                "\":ns://unc\"",
                "\":ns\"",
                "\"&::\"",
        };
        char what[128];

        fake_host("");
        expect("enforce", AA, SPEC_CONFIG, SPEC_AA("\"unconfined\""), "/process/apparmorProfile",
               FINDING_CHANGED, "\"hr-default\"", SPEC_AA("\"hr-default\""),
               "unconfined with a policy profile: replaced");
        for (size_t i = 0; i < sizeof(unconfined) / sizeof(*unconfined); i++) {
                snprintf(what, sizeof(what), "unconfined spelled %s: refused", unconfined[i]);
                char spec[128];
                snprintf(spec, sizeof(spec), SPEC_AA("%s"), unconfined[i]);
                expect("enforce", NULL, SPEC_CONFIG, spec, "/process/apparmorProfile",
                       FINDING_DENIED, NULL, NULL, what);
        }
        expect("enforce", NULL, SPEC_CONFIG, SPEC_AA("\"unconfined\""), "/process/apparmorProfile",
               FINDING_DENIED, "\"an AppArmor profile, not 'unconfined'\"",
               SPEC_AA("\"unconfined\""), "unconfined without a policy profile: refused");
        expect("deny", AA, SPEC_CONFIG, SPEC_AA("\"unconfined\""), "/process/apparmorProfile",
               FINDING_DENIED, "\"hr-default\"", SPEC_AA("\"unconfined\""), "deny: refused");
        expect("audit", AA, SPEC_CONFIG, SPEC_AA("\"unconfined\""), "/process/apparmorProfile",
               FINDING_WOULD_CHANGE, "\"hr-default\"", SPEC_AA("\"unconfined\""),
               "audit: would change, spec kept");
        expect("audit", NULL, SPEC_CONFIG, SPEC_AA("\"unconfined\""), "/process/apparmorProfile",
               FINDING_WOULD_DENY, NULL, SPEC_AA("\"unconfined\""),
               "audit without a profile: recorded as would_deny, spec kept");
        /* Profiles that only look like unconfined are someone's own profile. */
        expect("enforce", NULL, SPEC_CONFIG, SPEC_AA("\"unconfined-ish\""), NULL, 0, NULL,
               SPEC_AA("\"unconfined-ish\""), "a profile named unconfined-ish is kept");
        expect("enforce", NULL, SPEC_CONFIG, SPEC_AA("\"\""), NULL, 0, NULL, SPEC_AA("\"\""),
               "an empty profile (none) is no unconfined spelling");
        expect("enforce", NULL, SPEC_CONFIG, SPEC_AA("\":ns:docker-default\""), NULL, 0, NULL,
               SPEC_AA("\":ns:docker-default\""), "a profile in another namespace is kept");
        expect("enforce", NULL, SPEC_CONFIG, SPEC_AA("\"docker-default//&unconfined\""), NULL, 0,
               NULL, SPEC_AA("\"docker-default//&unconfined\""),
               "a stack with a confining profile is kept");
        expect("enforce", NULL, SPEC_CONFIG, SPEC_AA("\"unc//&:ns:\""), "/process/apparmorProfile",
               FINDING_DENIED, NULL, NULL, "a stack of unconfined only: refused");
        expect("enforce", AA, SPEC_CONFIG, SPEC_AA("\"docker-default\""), NULL, 0, NULL,
               SPEC_AA("\"docker-default\""), "another confining profile is kept");

        /* Defaults: only where the host has AppArmor, as runc would fail otherwise. */
        expect("enforce", AA, SPEC_CONFIG, "{\"process\":{}}", NULL, 0, NULL, "{\"process\":{}}",
               "absent, host without AppArmor: left absent");
        fake_host("apparmor-off");
        expect("enforce", AA, SPEC_CONFIG, "{\"process\":{}}", NULL, 0, NULL, "{\"process\":{}}",
               "absent, AppArmor module disabled: left absent");
        fake_host("apparmor-dir");
        expect("enforce", AA, SPEC_CONFIG, "{\"process\":{}}", NULL, 0, NULL, "{\"process\":{}}",
               "absent, no module parameter: left absent");
        fake_host("apparmor");
        expect("enforce", AA, SPEC_CONFIG, "{\"process\":{}}", "/process/apparmorProfile",
               FINDING_CHANGED, "\"hr-default\"", SPEC_AA("\"hr-default\""),
               "absent, AppArmor host: policy profile set");
        expect("enforce", AA, SPEC_CONFIG, SPEC_AA("\"\""), "/process/apparmorProfile",
               FINDING_CHANGED, "\"hr-default\"", SPEC_AA("\"hr-default\""),
               "empty, AppArmor host: policy profile set");
        expect("enforce", AA, SPEC_CONFIG, SPEC_AA("null"), "/process/apparmorProfile",
               FINDING_CHANGED, "\"hr-default\"", SPEC_AA("\"hr-default\""),
               "null, AppArmor host: policy profile set");
        expect("audit", AA, SPEC_CONFIG, "{\"process\":{}}", "/process/apparmorProfile",
               FINDING_WOULD_CHANGE, "\"hr-default\"", "{\"process\":{}}",
               "absent, AppArmor host, audit: would set");
        expect("enforce", NULL, SPEC_CONFIG, "{\"process\":{}}", NULL, 0, NULL, "{\"process\":{}}",
               "absent, AppArmor host, no policy profile: left absent");
        /* An exec process without a profile runs under the container's. */
        expect("enforce", AA, SPEC_PROCESS, "{\"args\":[\"sh\"]}", NULL, 0, NULL,
               "{\"args\":[\"sh\"]}", "exec process without a profile: inherits, nothing set");
        expect("enforce", AA, SPEC_PROCESS, "{\"apparmorProfile\":\"unconfined\"}",
               "/apparmorProfile", FINDING_CHANGED, "\"hr-default\"",
               "{\"apparmorProfile\":\"hr-default\"}", "exec process unconfined: replaced");
        expect("enforce", NULL, SPEC_PROCESS, "{\"apparmorProfile\":\"unconfined\"}",
               "/apparmorProfile", FINDING_DENIED, NULL, NULL,
               "exec process unconfined without a policy profile: refused");
        fake_host("");
}

static void test_selinux(void)
{
        static const char *const refused[] = {
                "\"system_u:system_r:unconfined_t:s0\"",
                "\"system_u:system_r:container_runtime_t:s0\"",
                "\"container_t\"",
                "\"system_u:system_r\"",
                "\"system_u:system_r:container_t\\n\"",
                "\"system_u:system_r:Container_t:s0\"",
        };
        char what[160], spec[160];

        fake_host("");
        expect("enforce", NULL, SPEC_CONFIG,
               SPEC_SE("\"system_u:system_r:container_t:s0:c123,c456\""), NULL, 0, NULL, NULL,
               "container_t with categories: kept");
        expect("enforce", NULL, SPEC_CONFIG,
               SPEC_SE("\"system_u:system_r:container_init_t:s0-s0:c0.c1023\""), NULL, 0, NULL,
               NULL, "container_init_t with a level range: kept");
        expect("enforce", NULL, SPEC_CONFIG, SPEC_SE("\"u:r:container_kvm_t\""), NULL, 0, NULL,
               NULL, "container_kvm_t without a level: kept");
        for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
                snprintf(what, sizeof(what), "%s without a policy label: refused", refused[i]);
                snprintf(spec, sizeof(spec), SPEC_SE("%s"), refused[i]);
                expect("enforce", NULL, SPEC_CONFIG, spec, "/process/selinuxLabel", FINDING_DENIED,
                       "\"an SELinux label whose type the policy allows\"", spec, what);
                snprintf(what, sizeof(what), "%s with a policy label: replaced", refused[i]);
                expect("enforce", SE, SPEC_CONFIG, spec, "/process/selinuxLabel", FINDING_CHANGED,
                       "\"system_u:system_r:container_t:s0\"",
                       SPEC_SE("\"system_u:system_r:container_t:s0\""), what);
        }
        expect("enforce", SE, SPEC_CONFIG, SPEC_SE("\"system_u:system_r:spc_t:s0\""),
               "/process/selinuxLabel", FINDING_DENIED, "\"a confined SELinux type, not 'spc_t'\"",
               NULL, "spc_t: refused even with a policy label");
        expect("enforce", "\"selinux_types\":[\"spc_t\",\"container_t\"]", SPEC_CONFIG,
               SPEC_SE("\"system_u:system_r:spc_t:s0\""), "/process/selinuxLabel", FINDING_DENIED,
               NULL, NULL, "spc_t: refused even when selinux_types lists it");
        expect("audit", SE, SPEC_CONFIG, SPEC_SE("\"u:r:spc_t:s0\""), "/process/selinuxLabel",
               FINDING_WOULD_DENY, NULL, SPEC_SE("\"u:r:spc_t:s0\""),
               "spc_t in audit: recorded as would_deny");
        expect("deny", SE, SPEC_CONFIG, SPEC_SE("\"u:r:unconfined_t:s0\""), "/process/selinuxLabel",
               FINDING_DENIED, NULL, SPEC_SE("\"u:r:unconfined_t:s0\""),
               "deny: a disallowed type is refused");
        expect("audit", SE, SPEC_CONFIG, SPEC_SE("\"u:r:unconfined_t:s0\""),
               "/process/selinuxLabel", FINDING_WOULD_CHANGE, NULL,
               SPEC_SE("\"u:r:unconfined_t:s0\""), "audit: a disallowed type is recorded");
        /* The policy's own list replaces the PSS one. */
        expect("enforce", "\"selinux_types\":[\"my_t\"]", SPEC_CONFIG, SPEC_SE("\"u:r:my_t:s0\""),
               NULL, 0, NULL, NULL, "selinux_types: a listed type is kept");
        expect("enforce", "\"selinux_types\":[\"my_t\"]", SPEC_CONFIG,
               SPEC_SE("\"u:r:container_t:s0\""), "/process/selinuxLabel", FINDING_DENIED, NULL,
               NULL, "selinux_types: container_t is no longer allowed");
        expect("enforce", "\"selinux_types\":[]", SPEC_CONFIG, SPEC_SE("\"u:r:container_t:s0\""),
               "/process/selinuxLabel", FINDING_DENIED, NULL, NULL,
               "selinux_types empty: every label refused");
        /* mountLabel labels the container's own mounts; the rule leaves it to the engine. */
        expect("enforce", SE, SPEC_CONFIG,
               "{\"process\":{},\"linux\":{\"mountLabel\":\"u:object_r:etc_t:s0\"}}", NULL, 0, NULL,
               "{\"process\":{},\"linux\":{\"mountLabel\":\"u:object_r:etc_t:s0\"}}",
               "linux.mountLabel is left alone");

        /* Defaults: only on SELinux hosts (runc refuses any label elsewhere). */
        expect("enforce", SE, SPEC_CONFIG, "{\"process\":{}}", NULL, 0, NULL, "{\"process\":{}}",
               "absent, host without SELinux: left absent");
        fake_host("selinux");
        expect("enforce", SE, SPEC_CONFIG, "{\"process\":{}}", "/process/selinuxLabel",
               FINDING_CHANGED, "\"system_u:system_r:container_t:s0\"",
               SPEC_SE("\"system_u:system_r:container_t:s0\""), "absent, SELinux host: label set");
        expect("enforce", SE, SPEC_CONFIG, SPEC_SE("\"\""), "/process/selinuxLabel",
               FINDING_CHANGED, NULL, NULL, "empty, SELinux host: label set");
        expect("enforce", NULL, SPEC_CONFIG, "{\"process\":{}}", NULL, 0, NULL, NULL,
               "absent, SELinux host, no policy label: left absent");
        expect("enforce", SE, SPEC_PROCESS, "{}", NULL, 0, NULL, "{}",
               "exec process without a label: inherits the container's");
        expect("enforce", SE, SPEC_PROCESS, "{\"selinuxLabel\":\"u:r:unconfined_t:s0\"}",
               "/selinuxLabel", FINDING_CHANGED, NULL,
               "{\"selinuxLabel\":\"system_u:system_r:container_t:s0\"}",
               "exec process with a disallowed type: replaced");
        expect("enforce", SE, SPEC_PROCESS, "{\"selinuxLabel\":\"u:r:spc_t:s0\"}", "/selinuxLabel",
               FINDING_DENIED, NULL, NULL, "exec process spc_t: refused");
        fake_host("");
}

static void test_both_and_odd(void)
{
        char *big;
        size_t n = 200000;
        struct run x;

        fake_host("");
        x = run_rule(RULE_LSM, "enforce", AA "," SE, SPEC_CONFIG,
                     "{\"process\":{\"apparmorProfile\":\"unconfined\","
                     "\"selinuxLabel\":\"u:r:spc_t:s0\"}}");
        is_int(x.r, 0, "both: no error");
        is_int(x.res.findings.n, 2, "both: two findings");
        ok(x.res.denied, "both: spc_t refuses the container");
        run_done(&x);

        expect("enforce", AA "," SE, SPEC_CONFIG, "{}", NULL, 0, NULL, "{}",
               "no process object: nothing to do");
        expect("enforce", AA "," SE, SPEC_CONFIG, "{\"process\":null}", NULL, 0, NULL,
               "{\"process\":null}", "process null: nothing to do");
        expect_error(AA, SPEC_CONFIG, SPEC_AA("5"), "'/process/apparmorProfile': expected string",
                     "apparmorProfile a number");
        expect_error(AA, SPEC_CONFIG, SPEC_AA("[\"unconfined\"]"),
                     "'/process/apparmorProfile': expected string", "apparmorProfile an array");
        expect_error(SE, SPEC_CONFIG, SPEC_SE("{}"), "'/process/selinuxLabel': expected string",
                     "selinuxLabel an object");
        expect_error(NULL, SPEC_CONFIG, "{\"process\":{\"ApparmorProfile\":\"unconfined\"}}",
                     "only in letter case", "a case-folded apparmorProfile key");
        expect_error(NULL, SPEC_CONFIG, "{\"process\":{\"selinuxlabel\":\"u:r:spc_t:s0\"}}",
                     "only in letter case", "a case-folded selinuxLabel key");
        expect_error(NULL, SPEC_CONFIG, "{\"process\":\"x\"}", "'/process': expected object",
                     "process a string");
        expect_error(NULL, SPEC_PROCESS, "[]", "expected a JSON object", "exec process an array");

        /* A huge label: judged by its type like any other. */
        big = malloc(n + 64);
        if (big) {
                int o = snprintf(big, n + 64, "{\"process\":{\"selinuxLabel\":\"u:r:container_t:");
                memset(big + o, 'c', n);
                snprintf(big + o + n, 64, "\"}}");
                x = run_rule(RULE_LSM, "enforce", NULL, SPEC_CONFIG, big);
                is_int(x.r, 0, "huge label: no error");
                is_int(x.res.findings.n, 0, "huge label with container_t: kept");
                run_done(&x);
                memcpy(big + o - strlen("container_t:"), "xontainer_t:", strlen("xontainer_t:"));
                x = run_rule(RULE_LSM, "enforce", NULL, SPEC_CONFIG, big);
                ok(x.r == 0 && x.res.denied, "huge label with another type: refused");
                run_done(&x);
                free(big);
        }
}

static void policy_refused(const char *settings, const char *part, const char *what)
{
        struct hr_error err = {0};
        char *text = only_rule_text(RULE_LSM, "enforce", settings);
        struct policy *p = policy_of(text, &err);

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
        char *text;

        policy_refused("\"apparmor_profile\":\"unconfined\"", "'/rules/lsm/apparmor_profile'",
                       "profile unconfined");
        policy_refused("\"apparmor_profile\":\" unconfined\"", "no blanks", "profile with a blank");
        policy_refused("\"apparmor_profile\":\"&unconfined\"", "leading '&'",
                       "profile stacked unconfined");
        policy_refused("\"apparmor_profile\":\"\"", "must name a profile", "empty profile");
        policy_refused("\"apparmor_profile\":\"unconf\"", "not unconfined",
                       "a prefix of unconfined, which the kernel reads as unconfined");
        policy_refused("\"apparmor_profile\":\"::\"", "not unconfined",
                       "a namespace without a profile name");
        policy_refused("\"selinux_label\":\"u:r:spc_t:s0\"", "'/rules/lsm/selinux_label'",
                       "label with spc_t");
        policy_refused("\"selinux_label\":\"u:r:unconfined_t:s0\"", "not one of selinux_types",
                       "label with a type outside the PSS list");
        policy_refused("\"selinux_label\":\"u:r:container_t:s0\",\"selinux_types\":[\"my_t\"]",
                       "not one of selinux_types", "label outside the policy's own list");
        policy_refused("\"selinux_label\":\"container_t\"", "user:role:type:level",
                       "label without colons");
        {
                /* The rule reads types of up to 255 bytes: a longer one in the policy's label
                 * would be replaced by itself on every run. */
                char long_type[301], settings[800];
                memset(long_type, 'a', sizeof(long_type) - 1);
                long_type[sizeof(long_type) - 1] = '\0';
                snprintf(settings, sizeof(settings),
                         "\"selinux_label\":\"u:r:%s:s0\",\"selinux_types\":[\"%s\"]", long_type,
                         long_type);
                policy_refused(settings, "not one of selinux_types",
                               "label whose type is too long for the rule to read");
        }
        text = only_rule_text(RULE_LSM, "enforce",
                              "\"selinux_label\":\"u:r:my_t:s0\",\"selinux_types\":[\"my_t\"]");
        p = policy_of(text, &err);
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
