/* Unit tests for the rules through harden_spec(): what each rule changes, the findings it
 * records, the modes (enforce, audit, deny, off), idempotence and exec process files. */
#include "rule-harness.h"
#include "util/cleanup.h"

#define EMPTY_CAPS \
        "{\"bounding\":[],\"effective\":[],\"permitted\":[],\"inheritable\":[],\"ambient\":[]}"
/* Docker's lists, which the masked_paths rule completes (this host has no thermal_throttle). */
#define MASKED_PATHS                                                                            \
        "[\"/proc/acpi\",\"/proc/asound\",\"/proc/interrupts\",\"/proc/kcore\",\"/proc/keys\"," \
        "\"/proc/latency_stats\",\"/proc/sched_debug\",\"/proc/scsi\",\"/proc/timer_list\","    \
        "\"/proc/timer_stats\",\"/sys/devices/virtual/powercap\",\"/sys/firmware\"]"
#define READONLY_PATHS \
        "[\"/proc/bus\",\"/proc/fs\",\"/proc/irq\",\"/proc/sys\",\"/proc/sysrq-trigger\"]"
#define TMPFS_OPTS "[\"mode=1777\",\"size=64m\",\"nosuid\",\"nodev\",\"noexec\"]"
#define TMPFS_RUN                                                                        \
        "{\"destination\":\"/run\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":" \
        "[\"mode=1777\",\"size=64m\",\"tmpcopyup\",\"nosuid\",\"nodev\",\"noexec\"]}"
#define TMPFS(dest)                \
        "{\"destination\":\"" dest \
        "\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":" TMPFS_OPTS "}"
/* The same, owned by uid and gid 1000: a non-root process's scratch. */
#define TMPFS_1000(dest)                                                                     \
        "{\"destination\":\"" dest "\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":" \
        "[\"mode=1777\",\"size=64m\",\"nosuid\",\"nodev\",\"noexec\",\"uid=1000\",\"gid=1000\"]}"

/* An engine's config for a root container with every weakness the rules look at. */
static const char insecure_config[] =
        "{\"ociVersion\":\"1.2.0\","
        "\"process\":{\"terminal\":false,\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[0,10]},"
        "\"args\":[\"sh\"],\"cwd\":\"/\","
        "\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_SYS_ADMIN\"],"
        "\"effective\":[\"CAP_CHOWN\"],\"permitted\":[\"CAP_CHOWN\"],"
        "\"inheritable\":[\"CAP_CHOWN\"],\"ambient\":[\"CAP_CHOWN\"]},"
        "\"noNewPrivileges\":false},"
        "\"root\":{\"path\":\"rootfs\",\"readonly\":false},"
        "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"}],"
        "\"linux\":{\"namespaces\":[{\"type\":\"pid\"}],"
        "\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[]}}}";

static void test_user(void)
{
        struct run x;

        x = enforce_one(RULE_USER, NULL, SPEC_CONFIG,
                        "{\"process\":{\"user\":{\"uid\":0,\"gid\":0,"
                        "\"additionalGids\":[0,10,0,20]}}}",
                        "{\"process\":{\"user\":{\"uid\":65534,\"gid\":65534,"
                        "\"additionalGids\":[10,20]}}}",
                        3, "user: root replaced");
        check_finding(&x, "/process/user/uid", RULE_USER, "0", "65534", FINDING_CHANGED);
        check_finding(&x, "/process/user/gid", RULE_USER, "0", "65534", FINDING_CHANGED);
        check_finding(&x, "/process/user/additionalGids", RULE_USER, "[0,10,0,20]", "[10,20]",
                      FINDING_CHANGED);
        is_int(x.res.findings.items[0].mode, HR_MODE_ENFORCE, "user: finding mode enforce");
        run_done(&x);

        x = enforce_one(RULE_USER, NULL, SPEC_CONFIG, "{\"process\":{\"args\":[\"sh\"]}}",
                        "{\"process\":{\"args\":[\"sh\"],\"user\":{\"uid\":65534,\"gid\":65534}}}",
                        2, "user: absent user object created");
        check_finding(&x, "/process/user/uid", RULE_USER, NULL, "65534", FINDING_CHANGED);
        check_finding(&x, "/process/user/gid", RULE_USER, NULL, "65534", FINDING_CHANGED);
        run_done(&x);

        x = enforce_one(RULE_USER, NULL, SPEC_CONFIG,
                        "{\"process\":{\"user\":{\"uid\":null,\"gid\":7}}}",
                        "{\"process\":{\"user\":{\"uid\":65534,\"gid\":7}}}", 1,
                        "user: null uid counts as 0");
        check_finding(&x, "/process/user/uid", RULE_USER, NULL, "65534", FINDING_CHANGED);
        run_done(&x);

        x = enforce_one(RULE_USER, NULL, SPEC_CONFIG, "{\"process\":{\"user\":null}}",
                        "{\"process\":{\"user\":{\"uid\":65534,\"gid\":65534}}}", 2,
                        "user: null user object replaced");
        run_done(&x);

        x = enforce_one(RULE_USER, NULL, SPEC_CONFIG,
                        "{\"process\":{\"user\":{\"uid\":1000,\"gid\":1000,"
                        "\"additionalGids\":[10]}}}",
                        "{\"process\":{\"user\":{\"uid\":1000,\"gid\":1000,"
                        "\"additionalGids\":[10]}}}",
                        0, "user: non-root kept (keep_non_root)");
        run_done(&x);

        x = enforce_one(RULE_USER, NULL, SPEC_CONFIG,
                        "{\"process\":{\"user\":{\"uid\":1000,\"gid\":0}}}",
                        "{\"process\":{\"user\":{\"uid\":1000,\"gid\":65534}}}", 1,
                        "user: non-root uid kept, gid 0 replaced");
        run_done(&x);

        x = enforce_one(RULE_USER, "\"keep_non_root\":false", SPEC_CONFIG,
                        "{\"process\":{\"user\":{\"uid\":1000,\"gid\":1000}}}",
                        "{\"process\":{\"user\":{\"uid\":65534,\"gid\":65534}}}", 2,
                        "user: non-root replaced without keep_non_root");
        check_finding(&x, "/process/user/uid", RULE_USER, "1000", "65534", FINDING_CHANGED);
        run_done(&x);

        x = enforce_one(RULE_USER, "\"keep_non_root\":false", SPEC_CONFIG,
                        "{\"process\":{\"user\":{\"uid\":65534,\"gid\":65534}}}",
                        "{\"process\":{\"user\":{\"uid\":65534,\"gid\":65534}}}", 0,
                        "user: the policy's own ids are left alone");
        run_done(&x);

        x = enforce_one(RULE_USER, "\"uid\":1234,\"gid\":5678", SPEC_CONFIG,
                        "{\"process\":{\"user\":{\"uid\":0,\"gid\":0}}}",
                        "{\"process\":{\"user\":{\"uid\":1234,\"gid\":5678}}}", 2,
                        "user: the policy's ids are used");
        run_done(&x);

        x = enforce_one(RULE_USER, NULL, SPEC_CONFIG, "{\"hostname\":\"x\"}",
                        "{\"hostname\":\"x\"}", 0, "user: no process, nothing to do");
        run_done(&x);

        /* Regression (was a bug): 4294967295 is (uid_t)-1. crun switches user with setresuid(uid,
         * uid, uid) and setresgid(gid, gid, gid) (libcrun/linux.c set_required_caps), where -1
         * means "leave unchanged": the process keeps uid 0 and gid 0. The rule keeps it as a
         * non-root id. */
        x = enforce_one(RULE_USER, NULL, SPEC_CONFIG,
                        "{\"process\":{\"user\":{\"uid\":4294967295,\"gid\":4294967295}}}",
                        "{\"process\":{\"user\":{\"uid\":65534,\"gid\":65534}}}", 2,
                        "regression: user: uid/gid 4294967295 ((uid_t)-1) replaced");
        run_done(&x);

        refuse_one(RULE_USER, NULL, SPEC_CONFIG, "{\"process\":{\"user\":{\"uid\":\"0\"}}}",
                   "/process/user/uid", "expected number, got string", "user: uid as a string");
        refuse_one(RULE_USER, NULL, SPEC_CONFIG, "{\"process\":{\"user\":{\"uid\":0.0}}}",
                   "/process/user/uid", "'0.0'", "user: uid 0.0");
        refuse_one(RULE_USER, NULL, SPEC_CONFIG, "{\"process\":{\"user\":{\"uid\":1e3}}}",
                   "/process/user/uid", "'1e3'", "user: uid 1e3");
        refuse_one(RULE_USER, NULL, SPEC_CONFIG, "{\"process\":{\"user\":{\"uid\":-1}}}",
                   "/process/user/uid", NULL, "user: uid -1");
        refuse_one(RULE_USER, NULL, SPEC_CONFIG, "{\"process\":{\"user\":{\"uid\":4294967296}}}",
                   "/process/user/uid", NULL, "user: uid 2^32");
        refuse_one(RULE_USER, NULL, SPEC_CONFIG, "{\"process\":{\"user\":{\"gid\":true}}}",
                   "/process/user/gid", NULL, "user: gid true");
        refuse_one(RULE_USER, NULL, SPEC_CONFIG, "{\"process\":{\"User\":{\"uid\":1000}}}",
                   "/process/user", "letter case", "user: key 'User'");
        refuse_one(RULE_USER, NULL, SPEC_CONFIG, "{\"process\":{\"user\":{\"UID\":0}}}",
                   "/process/user/uid", "letter case", "user: key 'UID'");
        refuse_one(RULE_USER, NULL, SPEC_CONFIG, "{\"Process\":{\"user\":{\"uid\":0}}}", "/process",
                   "letter case", "user: key 'Process'");
        refuse_one(RULE_USER, NULL, SPEC_CONFIG, "{\"process\":{\"user\":[]}}", "/process/user",
                   "expected object, got array", "user: user as an array");
        refuse_one(RULE_USER, NULL, SPEC_CONFIG, "{\"process\":[]}", "/process",
                   "expected object, got array", "user: process as an array");
        refuse_one(RULE_USER, NULL, SPEC_CONFIG,
                   "{\"process\":{\"user\":{\"uid\":1,\"gid\":1,\"additionalGids\":[10,\"0\"]}}}",
                   "/process/user/additionalGids/1", NULL, "user: additional gid as a string");
        refuse_one(RULE_USER, NULL, SPEC_CONFIG,
                   "{\"process\":{\"user\":{\"uid\":1,\"gid\":1,\"additionalGids\":{}}}}",
                   "/process/user/additionalGids", NULL, "user: additionalGids as an object");
}

#define NET_NS "\"namespaces\":[{\"type\":\"network\"}]"
#define LOW_PORTS_PATH "/linux/sysctl/net.ipv4.ip_unprivileged_port_start"

/* Root moved off in a network namespace of its own keeps ports below 1024. */
static void test_user_low_ports(void)
{
        struct policy *p;
        struct run x;

        enforce_rule(RULE_USER, NULL, SPEC_CONFIG,
                     "{\"process\":{\"user\":{\"uid\":0,\"gid\":0}},\"linux\":{" NET_NS "}}",
                     "{\"process\":{\"user\":{\"uid\":65534,\"gid\":65534}},\"linux\":{" NET_NS
                     ",\"sysctl\":{\"net.ipv4.ip_unprivileged_port_start\":\"0\"}}}",
                     3, "low ports: root in its own network namespace");
        enforce_finding(RULE_USER, NULL,
                        "{\"process\":{\"user\":{\"uid\":0}},\"linux\":{" NET_NS
                        ",\"sysctl\":{\"kernel.shm_rmid_forced\":\"1\"}}}",
                        LOW_PORTS_PATH, NULL, "\"0\"");
        x = enforce_one(RULE_USER, NULL, SPEC_CONFIG,
                        "{\"process\":{\"user\":{\"uid\":0}},"
                        "\"linux\":{\"namespaces\":[{\"type\":\"network\",\"path\":\"\"}]}}",
                        NULL, 3, "low ports: path \"\" is a namespace of its own");
        check_finding(&x, LOW_PORTS_PATH, RULE_USER, NULL, "\"0\"", FINDING_CHANGED);
        run_done(&x);

        x = enforce_one(RULE_USER, NULL, SPEC_CONFIG,
                        "{\"process\":{\"user\":{\"uid\":0}},\"linux\":{\"namespaces\":"
                        "[{\"type\":\"network\",\"path\":\"/proc/42/ns/net\"}]}}",
                        NULL, 2, "low ports: a joined (pod) network namespace is left alone");
        ok(!find(&x, LOW_PORTS_PATH), "low ports: no sysctl in a joined namespace");
        run_done(&x);

        x = enforce_one(RULE_USER, NULL, SPEC_CONFIG,
                        "{\"process\":{\"user\":{\"uid\":0}},\"linux\":{" NET_NS
                        ",\"sysctl\":{\"net.ipv4.ip_unprivileged_port_start\":\"1024\"}}}",
                        NULL, 2, "low ports: the spec's own value stays");
        ok(x.out && strstr(x.out, "\"1024\""), "low ports: 1024 kept");
        run_done(&x);
        x = enforce_one(RULE_USER, NULL, SPEC_CONFIG,
                        "{\"process\":{\"user\":{\"uid\":0}},\"linux\":{" NET_NS
                        ",\"sysctl\":{\"net/ipv4/ip_unprivileged_port_start\":\"80\"}}}",
                        NULL, 2, "low ports: the spec's own value, slash spelling, stays");
        run_done(&x);

        x = enforce_one(RULE_USER, "\"low_ports\":false", SPEC_CONFIG,
                        "{\"process\":{\"user\":{\"uid\":0}},\"linux\":{" NET_NS "}}", NULL, 2,
                        "low ports: off with low_ports false");
        ok(!find(&x, LOW_PORTS_PATH), "low ports false: no sysctl");
        run_done(&x);

        x = enforce_one(RULE_USER, NULL, SPEC_CONFIG,
                        "{\"process\":{\"user\":{\"uid\":1000,\"gid\":1000}},\"linux\":{" NET_NS
                        "}}",
                        NULL, 0, "low ports: an image's own non-root user gets nothing");
        run_done(&x);

        x = enforce_one(RULE_USER, NULL, SPEC_CONFIG, "{\"process\":{\"user\":{\"uid\":0}}}",
                        "{\"process\":{\"user\":{\"uid\":65534,\"gid\":65534}}}", 2,
                        "low ports: no network namespace and rule namespaces off");
        run_done(&x);

        /* No entry, but rule namespaces (enforce, later in the table) adds one. */
        p = only_rule(RULE_USER, "enforce", NULL);
        if (p) {
                p->rule_mode[RULE_NAMESPACES] = HR_MODE_ENFORCE;
                x = run_text(p, SPEC_CONFIG, "{\"process\":{\"user\":{\"uid\":0}}}");
                check_finding(&x, LOW_PORTS_PATH, RULE_USER, NULL, "\"0\"", FINDING_CHANGED);
                run_done(&x);
                p->rule_mode[RULE_NAMESPACES] = HR_MODE_AUDIT;
                x = run_text(p, SPEC_CONFIG, "{\"process\":{\"user\":{\"uid\":0}}}");
                ok(x.r == 0 && !find(&x, LOW_PORTS_PATH),
                   "low ports: rule namespaces in audit adds no namespace, so no sysctl");
                run_done(&x);
                policy_free(p);
        }

        x = enforce_one(RULE_USER, NULL, SPEC_PROCESS, "{\"user\":{\"uid\":0,\"gid\":0}}",
                        "{\"user\":{\"uid\":65534,\"gid\":65534}}", 2,
                        "low ports: nothing for an exec process file");
        run_done(&x);

        /* Audit records what enforce would add; deny forces nothing, so only uid and gid. */
        x = run_rule(RULE_USER, "audit", NULL, SPEC_CONFIG,
                     "{\"process\":{\"user\":{\"uid\":0,\"gid\":0}},\"linux\":{" NET_NS "}}");
        check_finding(&x, LOW_PORTS_PATH, RULE_USER, NULL, "\"0\"", FINDING_WOULD_CHANGE);
        run_done(&x);
        x = run_rule(RULE_USER, "deny", NULL, SPEC_CONFIG,
                     "{\"process\":{\"user\":{\"uid\":0,\"gid\":0}},\"linux\":{" NET_NS "}}");
        ok(x.res.denied && x.res.findings.n == 2 && !find(&x, LOW_PORTS_PATH),
           "low ports: deny mode refuses uid and gid, adds nothing");
        run_done(&x);
}

static void test_capabilities(void)
{
        static const char all_sets[] =
                "{\"process\":{\"capabilities\":{"
                "\"bounding\":[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\",\"CAP_SYS_ADMIN\"],"
                "\"effective\":[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\",\"CAP_SYS_ADMIN\"],"
                "\"permitted\":[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\",\"CAP_SYS_ADMIN\"],"
                "\"inheritable\":[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\",\"CAP_SYS_ADMIN\"],"
                "\"ambient\":[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\",\"CAP_SYS_ADMIN\"]}}}";
        static const char all_before[] =
                "[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\",\"CAP_SYS_ADMIN\"]";
        static const char *const sets[] = {"bounding", "effective", "permitted", "inheritable",
                                           "ambient"};
        struct run x;

        x = enforce_one(RULE_CAPABILITIES, NULL, SPEC_CONFIG, "{\"process\":{\"args\":[\"sh\"]}}",
                        "{\"process\":{\"args\":[\"sh\"],\"capabilities\":" EMPTY_CAPS "}}", 1,
                        "caps: absent object gets five empty sets");
        check_finding(&x, "/process/capabilities", RULE_CAPABILITIES, NULL, EMPTY_CAPS,
                      FINDING_CHANGED);
        run_done(&x);

        x = enforce_one(
                RULE_CAPABILITIES, NULL, SPEC_CONFIG, "{\"process\":{\"capabilities\":null}}",
                "{\"process\":{\"capabilities\":" EMPTY_CAPS "}}", 1, "caps: null object replaced");
        run_done(&x);

        x = enforce_one(RULE_CAPABILITIES, "\"allow\":[\"NET_BIND_SERVICE\"]", SPEC_CONFIG,
                        all_sets,
                        "{\"process\":{\"capabilities\":{"
                        "\"bounding\":[\"CAP_NET_BIND_SERVICE\"],"
                        "\"effective\":[\"CAP_NET_BIND_SERVICE\"],"
                        "\"permitted\":[\"CAP_NET_BIND_SERVICE\"],"
                        "\"inheritable\":[],\"ambient\":[]}}}",
                        5, "caps: allow NET_BIND_SERVICE");
        for (size_t i = 0; i < 5; i++) {
                char path[64];
                snprintf(path, sizeof(path), "/process/capabilities/%s", sets[i]);
                check_finding(&x, path, RULE_CAPABILITIES, all_before,
                              i < 3 ? "[\"CAP_NET_BIND_SERVICE\"]" : "[]", FINDING_CHANGED);
        }
        run_done(&x);

        x = enforce_one(RULE_CAPABILITIES, "\"allow\":[\"NET_BIND_SERVICE\"],\"inheritable\":true",
                        SPEC_CONFIG, all_sets,
                        "{\"process\":{\"capabilities\":{"
                        "\"bounding\":[\"CAP_NET_BIND_SERVICE\"],"
                        "\"effective\":[\"CAP_NET_BIND_SERVICE\"],"
                        "\"permitted\":[\"CAP_NET_BIND_SERVICE\"],"
                        "\"inheritable\":[\"CAP_NET_BIND_SERVICE\"],"
                        "\"ambient\":[\"CAP_NET_BIND_SERVICE\"]}}}",
                        5, "caps: inheritable true keeps inheritable and ambient");
        run_done(&x);

        x = enforce_one(RULE_CAPABILITIES, "\"allow\":[\"NET_BIND_SERVICE\",\"CHOWN\"]",
                        SPEC_CONFIG, "{\"process\":{}}",
                        "{\"process\":{\"capabilities\":{"
                        "\"bounding\":[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\"],"
                        "\"effective\":[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\"],"
                        "\"permitted\":[\"CAP_CHOWN\",\"CAP_NET_BIND_SERVICE\"],"
                        "\"inheritable\":[],\"ambient\":[]}}}",
                        1, "caps: absent object gets the allowed sets");
        run_done(&x);

        x = enforce_one(RULE_CAPABILITIES, "\"allow\":[\"NET_BIND_SERVICE\"]", SPEC_CONFIG,
                        "{\"process\":{\"capabilities\":{\"bounding\":"
                        "[\"CAP_FOO\",\"CAP_NET_BIND_SERVICE\",\"21\",\"CAP_NET_BIND_SERVICE\"]}}}",
                        "{\"process\":{\"capabilities\":{\"bounding\":"
                        "[\"CAP_NET_BIND_SERVICE\",\"CAP_NET_BIND_SERVICE\"]}}}",
                        1, "caps: unknown and numeric names dropped");
        check_finding(&x, "/process/capabilities/bounding", RULE_CAPABILITIES,
                      "[\"CAP_FOO\",\"CAP_NET_BIND_SERVICE\",\"21\",\"CAP_NET_BIND_SERVICE\"]",
                      "[\"CAP_NET_BIND_SERVICE\",\"CAP_NET_BIND_SERVICE\"]", FINDING_CHANGED);
        run_done(&x);

        x = enforce_one(RULE_CAPABILITIES, "\"allow\":[\"NET_BIND_SERVICE\"]", SPEC_CONFIG,
                        "{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_NET_BIND_SERVICE\"],"
                        "\"ambient\":[]}}}",
                        "{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_NET_BIND_SERVICE\"],"
                        "\"ambient\":[]}}}",
                        0, "caps: compliant sets, absent sets left absent");
        run_done(&x);

        x = enforce_one(RULE_CAPABILITIES, NULL, SPEC_CONFIG,
                        "{\"process\":{\"capabilities\":{\"bounding\":null,\"effective\":[]}}}",
                        "{\"process\":{\"capabilities\":{\"bounding\":null,\"effective\":[]}}}", 0,
                        "caps: a null set is an empty one");
        run_done(&x);

        refuse_one(RULE_CAPABILITIES, NULL, SPEC_CONFIG,
                   "{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",5]}}}",
                   "/process/capabilities/bounding/1", "expected string, got number",
                   "caps: non-string entry");
        refuse_one(RULE_CAPABILITIES, NULL, SPEC_CONFIG, "{\"process\":{\"capabilities\":[]}}",
                   "/process/capabilities", "expected object, got array",
                   "caps: capabilities as an array");
        refuse_one(RULE_CAPABILITIES, NULL, SPEC_CONFIG,
                   "{\"process\":{\"capabilities\":{\"bounding\":\"CAP_CHOWN\"}}}",
                   "/process/capabilities/bounding", "expected array, got string",
                   "caps: set as a string");
        refuse_one(RULE_CAPABILITIES, NULL, SPEC_CONFIG, "{\"process\":{\"Capabilities\":{}}}",
                   "/process/capabilities", "letter case", "caps: key 'Capabilities'");
        refuse_one(RULE_CAPABILITIES, NULL, SPEC_CONFIG,
                   "{\"process\":{\"capabilities\":{\"Bounding\":[\"CAP_SYS_ADMIN\"]}}}",
                   "/process/capabilities/bounding", "letter case", "caps: key 'Bounding'");
}

/* {"profile":"default","defaultAction":...,"syscallRules":N} for the built-in profile. */
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
                 "{\"profile\":\"default\",\"defaultAction\":\"SCMP_ACT_ERRNO\","
                 "\"syscallRules\":%zu}",
                 sys && sys->type == JSON_ARRAY ? sys->array.n : 0);
        *ret = prof;
}

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

        x = run_text(p, SPEC_CONFIG, "{\"process\":{}}");
        is_int(x.r, 0, "seccomp: absent linux (%s)", x.err.msg);
        is_int(x.res.findings.n, 1, "seccomp: one finding");
        check_finding(&x, "/linux/seccomp", RULE_SECCOMP, NULL, summary, FINDING_CHANGED);
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

        x = run_text(p, SPEC_CONFIG,
                     "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\","
                     "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\"}]},"
                     "\"namespaces\":[]}}");
        is_int(x.r, 0, "seccomp: existing profile replaced");
        check_finding(&x, "/linux/seccomp", RULE_SECCOMP,
                      "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscallRules\":1}", summary,
                      FINDING_CHANGED);
        doc = doc_of(x.out);
        linux_obj = json_object_get(doc, "linux");
        ok(linux_obj && linux_obj->object.n == 2 &&
                   strcmp(linux_obj->object.members[0].key, "seccomp") == 0,
           "seccomp: replaced in place, other linux members kept");
        ok(json_equal(json_object_get(linux_obj, "seccomp"), want), "seccomp: profile equal");
        run_done(&x);
        json_free(doc);

        x = run_text(p, SPEC_CONFIG, "{\"linux\":{\"seccomp\":null}}");
        check_finding(&x, "/linux/seccomp", RULE_SECCOMP, NULL, summary, FINDING_CHANGED);
        run_done(&x);
        policy_free(p);

        /* The audit record is a summary, never the 30 KiB profile. */
        p = only_rule(RULE_SECCOMP, "audit", NULL);
        x = run_text(p, SPEC_CONFIG, "{\"linux\":{}}");
        is_str(x.out, "{\"linux\":{}}", "seccomp audit: document unchanged");
        ok(x.res.findings.n == 1 && x.res.findings.items[0].after &&
                   x.res.findings.items[0].after->type == JSON_OBJECT &&
                   x.res.findings.items[0].after->object.n == 3 &&
                   !json_object_get(x.res.findings.items[0].after, "syscalls"),
           "seccomp audit: the finding holds a 3-member summary");
        check_finding(&x, "/linux/seccomp", RULE_SECCOMP, NULL, summary, FINDING_WOULD_CHANGE);
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

        refuse_one(RULE_SECCOMP, NULL, SPEC_CONFIG, "{\"linux\":[]}", "/linux",
                   "expected object, got array", "seccomp: linux as an array");
        refuse_one(RULE_SECCOMP, NULL, SPEC_CONFIG, "{\"linux\":{\"seccomp\":\"none\"}}",
                   "/linux/seccomp", "expected object, got string", "seccomp: as a string");
        refuse_one(RULE_SECCOMP, NULL, SPEC_CONFIG, "{\"Linux\":{}}", "/linux", "letter case",
                   "seccomp: key 'Linux'");
        refuse_one(RULE_SECCOMP, NULL, SPEC_CONFIG, "{\"linux\":{\"Seccomp\":{}}}",
                   "/linux/seccomp", "letter case", "seccomp: key 'Seccomp'");
}

static void test_rootfs(void)
{
        struct run x;

        x = enforce_one(RULE_ROOTFS, "\"tmpfs\":[]", SPEC_CONFIG,
                        "{\"root\":{\"path\":\"rootfs\",\"readonly\":false}}",
                        "{\"root\":{\"path\":\"rootfs\",\"readonly\":true}}", 1,
                        "rootfs: readonly false becomes true");
        check_finding(&x, "/root/readonly", RULE_ROOTFS, "false", "true", FINDING_CHANGED);
        run_done(&x);

        x = enforce_one(RULE_ROOTFS, "\"tmpfs\":[]", SPEC_CONFIG,
                        "{\"root\":{\"path\":\"rootfs\"}}",
                        "{\"root\":{\"path\":\"rootfs\",\"readonly\":true}}", 1,
                        "rootfs: absent readonly added");
        check_finding(&x, "/root/readonly", RULE_ROOTFS, NULL, "true", FINDING_CHANGED);
        run_done(&x);

        x = enforce_one(RULE_ROOTFS, "\"tmpfs\":[]", SPEC_CONFIG,
                        "{\"root\":{\"path\":\"rootfs\",\"readonly\":null}}",
                        "{\"root\":{\"path\":\"rootfs\",\"readonly\":true}}", 1,
                        "rootfs: null readonly replaced");
        run_done(&x);

        x = enforce_one(RULE_ROOTFS, "\"tmpfs\":[]", SPEC_CONFIG,
                        "{\"root\":{\"path\":\"rootfs\",\"readonly\":true}}",
                        "{\"root\":{\"path\":\"rootfs\",\"readonly\":true}}", 0,
                        "rootfs: readonly true kept");
        run_done(&x);

        x = enforce_one(RULE_ROOTFS, NULL, SPEC_CONFIG,
                        "{\"root\":{\"path\":\"rootfs\",\"readonly\":true},\"mounts\":["
                        "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"}]}",
                        "{\"root\":{\"path\":\"rootfs\",\"readonly\":true},\"mounts\":["
                        "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"}," TMPFS(
                                "/tmp") "," TMPFS("/var/tmp") "," TMPFS_RUN "]}",
                        3, "rootfs: tmpfs mounts appended");
        check_finding(&x, "/mounts/1", RULE_ROOTFS, NULL, TMPFS("/tmp"), FINDING_CHANGED);
        check_finding(&x, "/mounts/2", RULE_ROOTFS, NULL, TMPFS("/var/tmp"), FINDING_CHANGED);
        check_finding(&x, "/mounts/3", RULE_ROOTFS, NULL, TMPFS_RUN, FINDING_CHANGED);
        run_done(&x);

        x = enforce_one(RULE_ROOTFS, NULL, SPEC_CONFIG,
                        "{\"root\":{\"path\":\"rootfs\",\"readonly\":true},\"mounts\":["
                        "{\"destination\":\"/tmp/\",\"type\":\"bind\",\"source\":\"/h\"},"
                        "{\"destination\":\"//run/.\",\"type\":\"tmpfs\",\"source\":\"x\"}]}",
                        "{\"root\":{\"path\":\"rootfs\",\"readonly\":true},\"mounts\":["
                        "{\"destination\":\"/tmp/\",\"type\":\"bind\",\"source\":\"/h\"},"
                        "{\"destination\":\"//run/.\",\"type\":\"tmpfs\",\"source\":\"x\"}," TMPFS(
                                "/var/tmp") "]}",
                        1, "rootfs: existing /tmp/ and //run/. mounts kept");
        check_finding(&x, "/mounts/2", RULE_ROOTFS, NULL, TMPFS("/var/tmp"), FINDING_CHANGED);
        run_done(&x);

        x = enforce_one(RULE_ROOTFS, NULL, SPEC_CONFIG, "{\"ociVersion\":\"1.2.0\"}",
                        "{\"ociVersion\":\"1.2.0\",\"mounts\":[" TMPFS("/tmp") "," TMPFS(
                                "/var/tmp") "," TMPFS_RUN "]}",
                        3, "rootfs: no root object, no mounts: mounts added, root not");
        run_done(&x);

        x = enforce_one(RULE_ROOTFS,
                        "\"tmpfs\":[{\"path\":\"/scratch\",\"options\":\"size=1m,uid=1000\"}]",
                        SPEC_CONFIG, "{\"mounts\":null}",
                        "{\"mounts\":[{\"destination\":\"/scratch\",\"type\":\"tmpfs\","
                        "\"source\":\"tmpfs\",\"options\":[\"size=1m\",\"uid=1000\",\"nosuid\","
                        "\"nodev\",\"noexec\"]}]}",
                        1, "rootfs: policy tmpfs list and options");
        run_done(&x);

        refuse_one(RULE_ROOTFS, NULL, SPEC_CONFIG,
                   "{\"mounts\":[{\"destination\":\"/proc\"},\"/tmp\"]}", "/mounts/1",
                   "expected object, got string", "rootfs: non-object mount entry");
        refuse_one(RULE_ROOTFS, NULL, SPEC_CONFIG, "{\"mounts\":[{\"destination\":7}]}",
                   "/mounts/0/destination", "expected string, got number",
                   "rootfs: destination as a number");
        refuse_one(RULE_ROOTFS, NULL, SPEC_CONFIG, "{\"mounts\":{}}", "/mounts",
                   "expected array, got object", "rootfs: mounts as an object");
        refuse_one(RULE_ROOTFS, NULL, SPEC_CONFIG, "{\"root\":{\"readonly\":\"true\"}}",
                   "/root/readonly", "expected boolean, got string",
                   "rootfs: readonly as a string");
        refuse_one(RULE_ROOTFS, NULL, SPEC_CONFIG, "{\"root\":{\"ReadOnly\":false}}",
                   "/root/readonly", "letter case", "rootfs: key 'ReadOnly'");
        refuse_one(RULE_ROOTFS, NULL, SPEC_CONFIG, "{\"mounts\":[{\"Destination\":\"/tmp\"}]}",
                   "/mounts/0/destination", "letter case", "rootfs: key 'Destination'");
}

#define USER_1000 "\"process\":{\"user\":{\"uid\":1000,\"gid\":1001}}"
#define OWNED "\"uid=1000\",\"gid=1001\""

/* A non-root process gets its scratch: hardrun's tmpfs mounts and the spec's own. */
static void test_rootfs_owner(void)
{
        struct run x;

        enforce_rule(RULE_ROOTFS, "\"tmpfs\":[{\"path\":\"/tmp\",\"options\":\"size=1m\"}]",
                     SPEC_CONFIG, "{" USER_1000 "}",
                     "{" USER_1000 ",\"mounts\":[{\"destination\":\"/tmp\",\"type\":\"tmpfs\","
                     "\"source\":\"tmpfs\",\"options\":[\"size=1m\",\"nosuid\",\"nodev\","
                     "\"noexec\"," OWNED "]}]}",
                     1, "rootfs owner: scratch owned by the process's uid and gid");
        enforce_rule(RULE_ROOTFS, "\"tmpfs\":[]", SPEC_CONFIG,
                     "{" USER_1000 ",\"mounts\":[{\"destination\":\"/data\",\"type\":\"tmpfs\","
                     "\"source\":\"tmpfs\",\"options\":[\"nosuid\",\"mode=755\"]},"
                     "{\"destination\":\"/w\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"},"
                     "{\"destination\":\"/c\",\"type\":\"tmpfs\",\"options\":[\"size=1m,uid=7\"]},"
                     "{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"options\":[\"mode=755\"]},"
                     "{\"destination\":\"/dev//shm\",\"type\":\"tmpfs\"},"
                     "{\"destination\":\"/b\",\"type\":\"bind\",\"source\":\"/x\"}]}",
                     "{" USER_1000 ",\"mounts\":[{\"destination\":\"/data\",\"type\":\"tmpfs\","
                     "\"source\":\"tmpfs\",\"options\":[\"nosuid\",\"mode=755\"," OWNED "]},"
                     "{\"destination\":\"/w\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":"
                     "[" OWNED "]},"
                     "{\"destination\":\"/c\",\"type\":\"tmpfs\",\"options\":[\"size=1m,uid=7\","
                     "\"gid=1001\"]},"
                     "{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"options\":[\"mode=755\"]},"
                     "{\"destination\":\"/dev//shm\",\"type\":\"tmpfs\"},"
                     "{\"destination\":\"/b\",\"type\":\"bind\",\"source\":\"/x\"}]}",
                     3,
                     "rootfs owner: the spec's tmpfs mounts get the ids they lack, /dev and "
                     "binds stay");
        x = enforce_one(RULE_ROOTFS, "\"tmpfs\":[]", SPEC_CONFIG,
                        "{" USER_1000 ",\"mounts\":[{\"destination\":\"/w\",\"type\":\"tmpfs\","
                        "\"options\":[\"size=1m\"]}]}",
                        NULL, 1, "rootfs owner: finding");
        check_finding(&x, "/mounts/0/options", RULE_ROOTFS, "[\"size=1m\"]",
                      "[\"size=1m\"," OWNED "]", FINDING_CHANGED);
        run_done(&x);

        /* Root writes anyway; ids that are not plain numbers are the user rule's business. */
        enforce_rule(RULE_ROOTFS, "\"tmpfs\":[{\"path\":\"/tmp\"}]", SPEC_CONFIG,
                     "{\"process\":{\"user\":{\"uid\":0,\"gid\":1000}},\"mounts\":["
                     "{\"destination\":\"/w\",\"type\":\"tmpfs\"}]}",
                     "{\"process\":{\"user\":{\"uid\":0,\"gid\":1000}},\"mounts\":["
                     "{\"destination\":\"/w\",\"type\":\"tmpfs\"},{\"destination\":\"/tmp\","
                     "\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":[\"nosuid\",\"nodev\","
                     "\"noexec\"]}]}",
                     1, "rootfs owner: nothing for root");
        x = enforce_one(RULE_ROOTFS, "\"tmpfs\":[]", SPEC_CONFIG,
                        "{\"process\":{\"user\":{\"uid\":4294967295}},\"mounts\":["
                        "{\"destination\":\"/w\",\"type\":\"tmpfs\"}]}",
                        NULL, 0, "rootfs owner: nothing for uid 4294967295");
        run_done(&x);
        x = enforce_one(RULE_ROOTFS, "\"tmpfs\":[]", SPEC_CONFIG,
                        "{\"process\":{\"user\":{\"uid\":1000}},\"mounts\":["
                        "{\"destination\":\"/w\",\"type\":\"tmpfs\"}]}",
                        NULL, 1, "rootfs owner: an absent gid is 0");
        check_finding(&x, "/mounts/0/options", RULE_ROOTFS, NULL, "[\"uid=1000\",\"gid=0\"]",
                      FINDING_CHANGED);
        run_done(&x);
        x = enforce_one(RULE_ROOTFS, "\"tmpfs\":[]", SPEC_CONFIG, "{" USER_1000 "}",
                        "{" USER_1000 "}", 0, "rootfs owner: no mounts array is not added");
        run_done(&x);
        refuse_one(RULE_ROOTFS, "\"tmpfs\":[]", SPEC_CONFIG,
                   "{" USER_1000 ",\"mounts\":[{\"destination\":\"/w\",\"type\":\"tmpfs\","
                   "\"options\":[\"size=1m\",7]}]}",
                   "/mounts/0/options/1", "expected string, got number",
                   "rootfs owner: a non-string option");

        /* After rule user: the ids it forced, in the full default policy. */
        {
                struct policy *def = policy_new_default();
                x = run_text(def, SPEC_CONFIG,
                             "{\"process\":{\"user\":{\"uid\":0,\"gid\":0}},\"mounts\":["
                             "{\"destination\":\"/w\",\"type\":\"tmpfs\"}]}");
                check_finding(&x, "/mounts/0/options", RULE_ROOTFS, NULL,
                              "[\"uid=65534\",\"gid=65534\"]", FINDING_CHANGED);
                ok(x.out && strstr(x.out, "\"size=64m\",\"nosuid\",\"nodev\",\"noexec\","
                                          "\"uid=65534\",\"gid=65534\"]}]"),
                   "rootfs owner: the default /run scratch belongs to 65534, without tmpcopyup");
                run_done(&x);
                /* An image's own non-root user keeps what the image ships in /run. */
                x = run_text(def, SPEC_CONFIG,
                             "{\"process\":{\"user\":{\"uid\":102,\"gid\":104}},\"mounts\":[]}");
                ok(x.out && strstr(x.out, "\"tmpcopyup\",\"nosuid\",\"nodev\",\"noexec\","
                                          "\"uid=102\",\"gid=104\"]}]"),
                   "rootfs owner: the image's user 102 gets /run with tmpcopyup");
                run_done(&x);
                policy_free(def);
        }
}

static void test_no_new_privileges(void)
{
        struct run x;

        x = enforce_one(RULE_NO_NEW_PRIVILEGES, NULL, SPEC_CONFIG,
                        "{\"process\":{\"noNewPrivileges\":false}}",
                        "{\"process\":{\"noNewPrivileges\":true}}", 1, "nnp: false becomes true");
        check_finding(&x, "/process/noNewPrivileges", RULE_NO_NEW_PRIVILEGES, "false", "true",
                      FINDING_CHANGED);
        run_done(&x);

        x = enforce_one(RULE_NO_NEW_PRIVILEGES, NULL, SPEC_CONFIG, "{\"process\":{}}",
                        "{\"process\":{\"noNewPrivileges\":true}}", 1, "nnp: absent added");
        check_finding(&x, "/process/noNewPrivileges", RULE_NO_NEW_PRIVILEGES, NULL, "true",
                      FINDING_CHANGED);
        run_done(&x);

        x = enforce_one(RULE_NO_NEW_PRIVILEGES, NULL, SPEC_CONFIG,
                        "{\"process\":{\"noNewPrivileges\":true}}",
                        "{\"process\":{\"noNewPrivileges\":true}}", 0, "nnp: true kept");
        run_done(&x);

        refuse_one(RULE_NO_NEW_PRIVILEGES, NULL, SPEC_CONFIG,
                   "{\"process\":{\"noNewPrivileges\":\"true\"}}", "/process/noNewPrivileges",
                   "expected boolean, got string", "nnp: as a string");
        refuse_one(RULE_NO_NEW_PRIVILEGES, NULL, SPEC_CONFIG,
                   "{\"process\":{\"nonewprivileges\":true}}", "/process/noNewPrivileges",
                   "letter case", "nnp: key 'nonewprivileges'");
}

static void test_modes(void)
{
        struct policy *def = policy_new_default();
        struct policy *audit = policy_of("{\"mode\":\"audit\"}", NULL);
        struct policy *deny = policy_of("{\"mode\":\"deny\"}", NULL);
        struct policy *user_off = policy_of(
                "{\"rules\":{\"user\":{\"mode\":\"off\"},\"groups\":{\"mode\":\"off\"}}}", NULL);
        struct policy *mixed = policy_of("{\"rules\":{\"seccomp\":{\"mode\":\"audit\"},"
                                         "\"capabilities\":{\"mode\":\"deny\"}}}",
                                         NULL);
        struct json *orig = doc_of(insecure_config);
        char *orig_text = text_of(orig);
        struct run x, y;
        bool all;

        x = run_text(audit, SPEC_CONFIG, insecure_config);
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
        check_finding(&x, "/", RULE_PRIVILEGED,
                      "[\"CAP_SYS_ADMIN in the bounding set\",\"seccomp allows every syscall\","
                      "\"no masked or read-only paths\"]",
                      "\"not privileged\"", FINDING_DETECTED);
        ok(!x.res.changed && !x.res.denied, "audit: neither changed nor denied");
        check_finding(&x, "/process/user/uid", RULE_USER, "0", "65534", FINDING_WOULD_CHANGE);
        run_done(&x);

        x = run_text(deny, SPEC_CONFIG, insecure_config);
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

        x = run_text(user_off, SPEC_CONFIG, insecure_config);
        is_int(x.r, 0, "user off: no error");
        all = true;
        for (size_t i = 0; i < x.res.findings.n; i++)
                all = all && x.res.findings.items[i].rule != RULE_USER;
        ok(all && x.res.findings.n > 0, "user off: no user findings, others present");
        ok(x.out && strstr(x.out, "\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[0,10]}"),
           "user off: user left as it was");
        run_done(&x);

        x = run_text(mixed, SPEC_CONFIG, insecure_config);
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
        ok(x.out && strstr(x.out, "\"uid\":65534"), "mixed: enforced part changed");
        run_done(&x);

        /* Enforce twice == enforce once. */
        x = run_text(def, SPEC_CONFIG, insecure_config);
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
        policy_free(def);
        policy_free(audit);
        policy_free(deny);
        policy_free(user_off);
        policy_free(mixed);
}

/* Written by hand: what a careful engine would send. */
static void test_hardened_config(void)
{
        struct policy *def = policy_new_default();
        struct hr_error err = {0};
        const struct json *prof = NULL;
        struct harden_result res;
        struct json *doc;
        char *before, *after;

        doc = doc_of("{\"ociVersion\":\"1.2.0\",\"process\":{\"user\":{\"uid\":1000,\"gid\":1000,"
                     "\"additionalGids\":[1000]},\"args\":[\"app\"],\"capabilities\":" EMPTY_CAPS
                     ",\"noNewPrivileges\":true},"
                     "\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
                     "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"options\":"
                     "[\"nosuid\",\"noexec\",\"nodev\"]}," TMPFS_1000("/tmp") "," TMPFS_1000(
                             "/var/tmp") ",{\"destination\":\"/run\","
                                         "\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                                         "\"options\":[\"nosuid\",\"uid=1000,gid=1000\"]}],"
                                         "\"linux\":{\"namespaces\":[{\"type\":"
                                         "\"pid\"},{\"type\":\"network\"},"
                                         "{\"type\":\"ipc\"},{\"type\":\"uts\"},"
                                         "{\"type\":\"mount\"}],\"resources\":"
                                         "{\"devices\":[{\"allow\":false,"
                                         "\"access\":\"rwm\"}],"
                                         "\"pids\":{\"limit\":4096}},"
                                         "\"maskedPaths\":" MASKED_PATHS ","
                                         "\"readonlyPaths\":" READONLY_PATHS "}}");
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

        x = run_text(def, SPEC_PROCESS,
                     "{\"args\":[\"sh\"],\"user\":{\"uid\":0,\"gid\":0},\"cwd\":\"/\"}");
        is_int(x.r, 0, "process file: no error (%s)", x.err.msg);
        is_str(x.out,
               "{\"args\":[\"sh\"],\"user\":{\"uid\":65534,\"gid\":65534},\"cwd\":\"/\","
               "\"capabilities\":" EMPTY_CAPS ",\"noNewPrivileges\":true}",
               "process file: only user, capabilities and no_new_privileges applied");
        is_int(x.res.findings.n, 4, "process file: 4 findings");
        check_finding(&x, "/user/uid", RULE_USER, "0", "65534", FINDING_CHANGED);
        check_finding(&x, "/user/gid", RULE_USER, "0", "65534", FINDING_CHANGED);
        check_finding(&x, "/capabilities", RULE_CAPABILITIES, NULL, EMPTY_CAPS, FINDING_CHANGED);
        check_finding(&x, "/noNewPrivileges", RULE_NO_NEW_PRIVILEGES, NULL, "true",
                      FINDING_CHANGED);
        ok(!find(&x, "/linux/seccomp") && !find(&x, "/root/readonly"),
           "process file: no seccomp or rootfs findings");
        run_done(&x);

        x = run_text(def, SPEC_PROCESS, "{\"process\":{\"user\":{\"uid\":0}}}");
        ok(x.out && strstr(x.out, "{\"process\":{\"user\":{\"uid\":0}},\"user\":"),
           "process file: a nested 'process' key is just an unknown field");
        run_done(&x);

        x = run_text(def, SPEC_PROCESS, "{\"User\":{}}");
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
        x = run_text(def, SPEC_CONFIG, "{\"process\":{\"user\":{\"uid\":0}},\"mounts\":[\"bad\"]}");
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
