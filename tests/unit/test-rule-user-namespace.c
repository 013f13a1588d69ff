/* Unit tests for rule user_namespace through harden_spec(): the added namespace and mappings,
 * refusals (host root mappings, the host's user namespace, namespaces the new one would not
 * own), the modes, odd types, and the user rule's exception for remapped root. */
#include "rule-harness.h"

/* runc spec's namespaces, and the same with the user namespace hardrun adds. */
#define RUNC_NS                                                                             \
        "[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},{\"type\":\"uts\"}," \
        "{\"type\":\"mount\"}"
#define NS RUNC_NS "]"
#define NS_USER RUNC_NS ",{\"type\":\"user\"}]"
#define MAP(host) "[{\"containerID\":0,\"hostID\":" #host ",\"size\":65536}]"
#define REMAPPED "\"uidMappings\":" MAP(100000) ",\"gidMappings\":" MAP(100000)
#define ROOT_USER "\"process\":{\"user\":{\"uid\":0,\"gid\":0}}"
#define USERNS_ON "\"mode\":\"enforce\""

/* A policy in global mode where only user_namespace and user run, with these settings (NULL:
 * off). */
static struct policy *policy_for(const char *mode, const char *userns, const char *user)
{
        char text[2048];
        size_t o;

        o = (size_t)snprintf(text, sizeof(text), "{\"mode\":\"%s\",\"rules\":{", mode);
        for (int i = 0; i < _RULE_MAX; i++) {
                const char *name = rule_id_to_string((enum rule_id)i);
                const char *settings = i == RULE_USER_NAMESPACE ? userns
                                       : i == RULE_USER         ? user
                                                                : NULL;
                o += (size_t)snprintf(text + o, sizeof(text) - o, "%s\"%s\":{%s}", i ? "," : "",
                                      name, settings ? settings : "\"mode\":\"off\"");
        }
        snprintf(text + o, sizeof(text) - o, "}}");
        return policy_of(text, NULL);
}

/* run_text(), then p freed. */
static struct run run_with(struct policy *p, enum spec_kind kind, const char *input)
{
        struct run x = run_text(p, kind, input);

        policy_free(p);
        return x;
}

/* user_namespace alone in enforce mode: exact output, number of findings, denied flag. */
static struct run enforce(const char *settings, const char *input, const char *want, size_t n,
                          bool denied, const char *what)
{
        char s[256];
        struct run x;

        snprintf(s, sizeof(s), USERNS_ON "%s%s", settings ? "," : "", settings ? settings : "");
        x = run_with(policy_for("enforce", s, NULL), SPEC_CONFIG, input);
        is_int(x.r, 0, "%s: no error (%s)", what, x.err.msg);
        if (want)
                is_str(x.out, want, "%s: output", what);
        is_int(x.res.findings.n, n, "%s: %zu findings", what, n);
        is_int(x.res.denied, denied, "%s: denied flag", what);
        return x;
}

static void test_add(void)
{
        struct run x, y;

        x = enforce(NULL, "{\"linux\":{\"namespaces\":" NS "}}",
                    "{\"linux\":{\"namespaces\":" NS_USER "," REMAPPED "}}", 3, false,
                    "no user namespace: one added with the default mappings");
        check_finding(&x, "/linux/namespaces/5", RULE_USER_NAMESPACE, "(absent)",
                      "{\"type\":\"user\"}", FINDING_CHANGED);
        check_finding(&x, "/linux/uidMappings", RULE_USER_NAMESPACE, "(absent)", MAP(100000),
                      FINDING_CHANGED);
        check_finding(&x, "/linux/gidMappings", RULE_USER_NAMESPACE, "(absent)", MAP(100000),
                      FINDING_CHANGED);
        y = enforce(NULL, x.out, x.out, 0, false, "idempotent: its own output is left alone");
        run_done(&y);
        run_done(&x);

        x = enforce("\"host_uid\":200000,\"host_gid\":300000,\"size\":1000",
                    "{\"linux\":{\"namespaces\":" NS "}}",
                    "{\"linux\":{\"namespaces\":" NS_USER ",\"uidMappings\":[{\"containerID\":0,"
                    "\"hostID\":200000,\"size\":1000}],\"gidMappings\":[{\"containerID\":0,"
                    "\"hostID\":300000,\"size\":1000}]}}",
                    3, false, "the policy's host ids and size");
        run_done(&x);

        x = enforce(NULL,
                    "{\"linux\":{\"namespaces\":" NS ",\"uidMappings\":" MAP(0) ",\"gidMappings\":"
                                                                                "[]}}",
                    "{\"linux\":{\"namespaces\":" NS_USER "," REMAPPED "}}", 3, false,
                    "mappings without a user namespace are replaced");
        check_finding(&x, "/linux/uidMappings", RULE_USER_NAMESPACE, MAP(0), MAP(100000),
                      FINDING_CHANGED);
        run_done(&x);

        x = enforce(NULL, "{\"linux\":{\"namespaces\":" NS_USER "}}",
                    "{\"linux\":{\"namespaces\":" NS_USER "," REMAPPED "}}", 2, false,
                    "a user namespace without mappings gets the policy's");
        run_done(&x);

        x = enforce(NULL,
                    "{\"linux\":{\"namespaces\":" NS_USER ",\"uidMappings\":null,"
                    "\"gidMappings\":[]}}",
                    "{\"linux\":{\"namespaces\":" NS_USER "," REMAPPED "}}", 2, false,
                    "null and empty mappings count as absent");
        run_done(&x);

        x = enforce(NULL,
                    "{\"linux\":{\"namespaces\":" RUNC_NS ",{\"type\":\"user\",\"path\":null},"
                    "{\"type\":\"time\"},{\"type\":\"cgroup\",\"path\":\"/run/cg\"}]," REMAPPED
                    "}}",
                    NULL, 0, false,
                    "a null path is no path; time and cgroup namespaces are not looked at");
        run_done(&x);
}

static void test_keep(void)
{
        struct run x;

        x = enforce(NULL,
                    "{\"linux\":{\"namespaces\":" NS_USER ",\"uidMappings\":[{\"containerID\":0,"
                    "\"hostID\":231072,\"size\":65536},{\"containerID\":65536,\"hostID\":1000,"
                    "\"size\":1}],\"gidMappings\":" MAP(231072) "}}",
                    "{\"linux\":{\"namespaces\":" NS_USER ",\"uidMappings\":[{\"containerID\":0,"
                    "\"hostID\":231072,\"size\":65536},{\"containerID\":65536,\"hostID\":1000,"
                    "\"size\":1}],\"gidMappings\":" MAP(231072) "}}",
                    0, false, "an engine's own user namespace and mappings are kept");
        run_done(&x);

        /* A pod container joining its sandbox's user namespace: the namespace has mappings,
         * the spec's copy is checked but never replaced. */
        x = enforce(NULL,
                    "{\"linux\":{\"namespaces\":[{\"type\":\"network\",\"path\":\"/run/netns/p\"},"
                    "{\"type\":\"user\",\"path\":\"/run/userns/p\"}]}}",
                    "{\"linux\":{\"namespaces\":[{\"type\":\"network\",\"path\":\"/run/netns/p\"},"
                    "{\"type\":\"user\",\"path\":\"/run/userns/p\"}]}}",
                    0, false, "joining another user namespace by path is allowed");
        run_done(&x);

        /* 100000 entries of 11 bytes: within the spec size limit. */
        {
                size_t n = 100000, len = 0, cap = n * 48 + 256;
                char *big = malloc(cap);
                len += (size_t)snprintf(big + len, cap - len,
                                        "{\"linux\":{\"namespaces\":" NS_USER
                                        ",\"gidMappings\":" MAP(100000) ",\"uidMappings\":[");
                for (size_t i = 0; i < n; i++)
                        len += (size_t)snprintf(big + len, cap - len,
                                                "%s{\"containerID\":%zu,\"hostID\":%zu,\"size\":1}",
                                                i ? "," : "", i, i + 1);
                snprintf(big + len, cap - len, "]}}");
                x = enforce(NULL, big, NULL, 0, false, "100000 mappings, none onto host 0");
                run_done(&x);
                big[strlen(big) - 3 -
                    strlen("{\"containerID\":99999,\"hostID\":100000,"
                           "\"size\":1}")] = '\0';
                strcat(big, "{\"containerID\":99999,\"hostID\":0,\"size\":1}]}}");
                x = enforce(NULL, big, NULL, 1, true, "the last of 100000 mappings onto host 0");
                check_finding(&x, "/linux/uidMappings/99999/hostID", RULE_USER_NAMESPACE, "0",
                              any_value, FINDING_DENIED);
                run_done(&x);
                free(big);
        }
}

static void test_refuse(void)
{
        struct run x;

        x = enforce(NULL,
                    "{\"linux\":{\"namespaces\":" NS_USER ",\"uidMappings\":[{\"containerID\":0,"
                    "\"hostID\":100000,\"size\":1},{\"containerID\":1,\"hostID\":0,\"size\":1}],"
                    "\"gidMappings\":[{\"containerID\":0,\"size\":65536}]}}",
                    NULL, 2, true, "mappings onto host id 0 are refused in enforce mode");
        check_finding(&x, "/linux/uidMappings/1/hostID", RULE_USER_NAMESPACE, "0",
                      "\"a host id other than 0 (host root)\"", FINDING_DENIED);
        check_finding(&x, "/linux/gidMappings/0/hostID", RULE_USER_NAMESPACE, "(absent)", any_value,
                      FINDING_DENIED);
        run_done(&x);

        x = enforce(NULL,
                    "{\"linux\":{\"namespaces\":[{\"type\":\"user\",\"path\":\"/run/userns/p\"}],"
                    "\"uidMappings\":" MAP(0) ",\"gidMappings\":" MAP(100000) "}}",
                    NULL, 1, true, "a joined namespace's mappings are still checked");
        run_done(&x);

        x = enforce(NULL,
                    "{\"linux\":{\"namespaces\":" RUNC_NS
                    ",{\"type\":\"user\",\"path\":\"/proc/self/ns/user\"}]}}",
                    NULL, 1, true, "the host's user namespace is refused");
        check_finding(&x, "/linux/namespaces/5/path", RULE_USER_NAMESPACE, "\"/proc/self/ns/user\"",
                      "\"a user namespace of the container's own\"", FINDING_DENIED);
        run_done(&x);

        x = enforce(NULL,
                    "{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},"
                    "{\"type\":\"network\",\"path\":\"/run/netns/pod\"},"
                    "{\"type\":\"ipc\",\"path\":\"/proc/42/ns/ipc\"},{\"type\":\"uts\"},"
                    "{\"type\":\"mount\"}]}}",
                    "{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},"
                    "{\"type\":\"network\",\"path\":\"/run/netns/pod\"},"
                    "{\"type\":\"ipc\",\"path\":\"/proc/42/ns/ipc\"},{\"type\":\"uts\"},"
                    "{\"type\":\"mount\"}]}}",
                    2, true, "a pod container joining its sandbox: refused, nothing added");
        check_finding(&x, "/linux/namespaces/1/path", RULE_USER_NAMESPACE, "\"/run/netns/pod\"",
                      "\"a new network namespace, which an added user namespace would own\"",
                      FINDING_DENIED);
        check_finding(&x, "/linux/namespaces/2/path", RULE_USER_NAMESPACE, any_value, any_value,
                      FINDING_DENIED);
        run_done(&x);

        x = enforce(NULL, "{\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}", NULL, 4, true,
                    "host network, ipc, pid and uts namespaces: refused");
        check_finding(&x, "/linux/namespaces", RULE_USER_NAMESPACE, "[{\"type\":\"mount\"}]",
                      "\"a new network namespace, which an added user namespace would own\"",
                      FINDING_DENIED);
        run_done(&x);

        x = enforce(NULL, "{}", "{\"linux\":{\"namespaces\":[]}}", 5, true,
                    "no linux object: every namespace is the host's, refused");
        run_done(&x);
}

static void test_malformed(void)
{
        refuse_one(RULE_USER_NAMESPACE, USERNS_ON, SPEC_CONFIG, "{\"linux\":[]}", "/linux",
                   "expected object, got array", "linux as an array");
        refuse_one(RULE_USER_NAMESPACE, USERNS_ON, SPEC_CONFIG, "{\"linux\":{\"namespaces\":{}}}",
                   "/linux/namespaces", "expected array", "namespaces as an object");
        refuse_one(RULE_USER_NAMESPACE, USERNS_ON, SPEC_CONFIG,
                   "{\"linux\":{\"namespaces\":[\"user\"]}}", "/linux/namespaces/0",
                   "expected object, got string", "a namespace as a string");
        refuse_one(RULE_USER_NAMESPACE, USERNS_ON, SPEC_CONFIG,
                   "{\"linux\":{\"namespaces\":[{\"path\":\"/x\"}]}}", "/linux/namespaces/0",
                   "without a type", "a namespace without a type");
        refuse_one(RULE_USER_NAMESPACE, USERNS_ON, SPEC_CONFIG,
                   "{\"linux\":{\"namespaces\":[{\"type\":7}]}}", "/linux/namespaces/0/type",
                   "expected string, got number", "a numeric type");
        refuse_one(RULE_USER_NAMESPACE, USERNS_ON, SPEC_CONFIG,
                   "{\"linux\":{\"namespaces\":[{\"type\":\"user\",\"path\":1}]}}",
                   "/linux/namespaces/0/path", "expected string", "a numeric path");
        refuse_one(RULE_USER_NAMESPACE, USERNS_ON, SPEC_CONFIG,
                   "{\"linux\":{\"namespaces\":[{\"type\":\"user\"},{\"type\":\"user\"}]}}",
                   "/linux/namespaces/1", "a second user namespace", "two user entries");
        refuse_one(RULE_USER_NAMESPACE, USERNS_ON, SPEC_CONFIG,
                   "{\"linux\":{\"namespaces\":" NS_USER ",\"uidMappings\":{}}}",
                   "/linux/uidMappings", "expected array, got object", "uidMappings as an object");
        refuse_one(RULE_USER_NAMESPACE, USERNS_ON, SPEC_CONFIG,
                   "{\"linux\":{\"namespaces\":" NS_USER ",\"UidMappings\":[]}}",
                   "/linux/uidMappings", "letter case", "key 'UidMappings'");
        refuse_one(RULE_USER_NAMESPACE, USERNS_ON, SPEC_CONFIG,
                   "{\"linux\":{\"namespaces\":" NS_USER ",\"uidMappings\":[0]}}",
                   "/linux/uidMappings/0", "expected object, got number", "a mapping as a number");
        refuse_one(RULE_USER_NAMESPACE, USERNS_ON, SPEC_CONFIG,
                   "{\"linux\":{\"namespaces\":" NS_USER ",\"uidMappings\":[{\"hostID\":\"1\"}]}}",
                   "/linux/uidMappings/0/hostID", "expected number", "hostID as a string");
        refuse_one(RULE_USER_NAMESPACE, USERNS_ON, SPEC_CONFIG,
                   "{\"linux\":{\"namespaces\":" NS_USER ",\"uidMappings\":[{\"hostID\":-1}]}}",
                   "/linux/uidMappings/0/hostID", "unsigned 32-bit", "hostID -1");
        refuse_one(RULE_USER_NAMESPACE, USERNS_ON, SPEC_CONFIG,
                   "{\"linux\":{\"namespaces\":" NS_USER
                   ",\"gidMappings\":[{\"hostID\":1,\"size\":4294967296}]}}",
                   "/linux/gidMappings/0/size", "unsigned 32-bit", "size 2^32");
        refuse_one(RULE_USER_NAMESPACE, USERNS_ON, SPEC_CONFIG,
                   "{\"linux\":{\"namespaces\":" NS_USER
                   ",\"uidMappings\":[{\"containerID\":1.5}]}}",
                   "/linux/uidMappings/0/containerID", "'1.5'", "containerID 1.5");
}

static void test_modes(void)
{
        static const char spec[] = "{\"linux\":{\"namespaces\":" NS "}}";
        struct run x;

        x = run_with(policy_for("enforce", "\"mode\":\"audit\"", NULL), SPEC_CONFIG, spec);
        is_int(x.r, 0, "audit: no error");
        is_str(x.out, spec, "audit: the spec is unchanged");
        is_int(x.res.findings.n, 3, "audit: three findings");
        is_int(x.res.findings.items[0].action, FINDING_WOULD_CHANGE, "audit: would_change");
        ok(!x.res.changed && !x.res.denied, "audit: neither changed nor denied");
        run_done(&x);

        x = run_with(policy_for("enforce", "\"mode\":\"deny\"", NULL), SPEC_CONFIG, spec);
        is_int(x.r, 0, "deny: no error");
        is_str(x.out, spec, "deny: the spec is unchanged");
        ok(x.res.denied && x.res.findings.n == 3, "deny: denied, three findings");
        is_int(x.res.findings.items[0].action, FINDING_DENIED, "deny: denied");
        is_str(x.res.findings.items[0].path, "/linux/namespaces/5",
               "deny: the first refusal names the missing namespace");
        run_done(&x);

        x = run_with(policy_for("enforce", "\"mode\":\"deny\"", NULL), SPEC_CONFIG,
                     "{\"linux\":{\"namespaces\":" NS_USER "," REMAPPED "}}");
        ok(x.r == 0 && x.res.findings.n == 0, "deny: a remapped spec passes");
        run_done(&x);

        x = run_with(policy_for("deny", "", NULL), SPEC_CONFIG, spec);
        ok(x.r == 0 && x.res.findings.n == 0, "opt-in: a global mode does not turn it on");
        run_done(&x);

        x = run_with(policy_for("enforce", "\"host_uid\":5", NULL), SPEC_CONFIG, spec);
        ok(x.r == 0 && x.res.findings.n == 0, "opt-in: settings alone do not turn it on");
        run_done(&x);

        x = run_with(policy_for("enforce", USERNS_ON, NULL), SPEC_PROCESS,
                     "{\"user\":{\"uid\":0},\"args\":[\"sh\"]}");
        ok(x.r == 0 && x.res.findings.n == 0, "exec process files are not looked at");
        run_done(&x);
}

/* The user rule in deny mode lets root pass where a user namespace maps it off host root. */
static void test_user_rule(void)
{
        static const struct {
                const char *userns, *spec;
                enum spec_kind kind;
                size_t denied;
                const char *what;
        } cases[] = {
                {NULL, "{" ROOT_USER ",\"linux\":{\"namespaces\":" NS_USER "," REMAPPED "}}",
                 SPEC_CONFIG, 0, "root remapped to 100000 passes"},
                {NULL,
                 "{" ROOT_USER ",\"linux\":{\"namespaces\":" NS_USER
                 ",\"uidMappings\":" MAP(100000) ",\"gidMappings\":" MAP(0) "}}",
                 SPEC_CONFIG, 2, "gid mappings onto host 0: refused"},
                {NULL, "{" ROOT_USER ",\"linux\":{\"namespaces\":" NS "," REMAPPED "}}",
                 SPEC_CONFIG, 2, "mappings without a user namespace: refused"},
                {NULL,
                 "{" ROOT_USER ",\"linux\":{\"namespaces\":[{\"type\":\"user\",\"path\":"
                 "\"/run/userns/p\"}]," REMAPPED "}}",
                 SPEC_CONFIG, 2, "a joined user namespace: refused"},
                {NULL,
                 "{\"process\":{\"user\":{\"uid\":4294967295,\"gid\":0}},\"linux\":{"
                 "\"namespaces\":" NS_USER "," REMAPPED "}}",
                 SPEC_CONFIG, 1, "uid 4294967295 is still refused"},
                {NULL, "{\"user\":{\"uid\":0,\"gid\":0}}", SPEC_PROCESS, 2,
                 "exec process files: refused"},
                {NULL, "{" ROOT_USER ",\"linux\":{\"namespaces\":" NS "}}", SPEC_CONFIG, 2,
                 "no user namespace, user_namespace off: refused"},
                {"\"mode\":\"audit\"", "{" ROOT_USER ",\"linux\":{\"namespaces\":" NS "}}",
                 SPEC_CONFIG, 2, "no user namespace, user_namespace audit: refused"},
                {USERNS_ON, "{" ROOT_USER ",\"linux\":{\"namespaces\":" NS "}}", SPEC_CONFIG, 0,
                 "no user namespace, user_namespace enforce adds one: passes"},
                {USERNS_ON, "{" ROOT_USER ",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}",
                 SPEC_CONFIG, 4, "user_namespace enforce refuses the spec instead"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct run x = run_with(policy_for("enforce", cases[i].userns, "\"mode\":\"deny\""),
                                        cases[i].kind, cases[i].spec);
                size_t denied = 0;
                for (size_t k = 0; k < x.res.findings.n; k++)
                        denied += x.res.findings.items[k].action == FINDING_DENIED;
                is_int(x.r, 0, "user deny, %s: no error (%s)", cases[i].what, x.err.msg);
                is_int(denied, cases[i].denied, "user deny, %s: %zu denied", cases[i].what,
                       cases[i].denied);
                run_done(&x);
        }

        {
                struct run x = run_with(policy_for("enforce", NULL, ""), SPEC_CONFIG,
                                        "{" ROOT_USER ",\"linux\":{\"namespaces\":" NS_USER
                                        "," REMAPPED "}}");
                check_finding(&x, "/process/user/uid", RULE_USER, "0", "65534", FINDING_CHANGED);
                run_done(&x);
        }
}

/* keep_root_in_user_namespace and allow_in_user_namespace: root and capabilities kept only
 * where a user namespace remaps root. */
static void test_root_kept(void)
{
        static const char *const caps_in =
                "\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_SETUID\","
                "\"CAP_SYS_ADMIN\",\"CAP_NET_BIND_SERVICE\"],\"effective\":[\"CAP_CHOWN\","
                "\"CAP_SYS_ADMIN\"]}";
        static const struct {
                const char *userns, *linux_obj;
                enum spec_kind kind;
                uint32_t uid;
                const char *bounding;
                const char *what;
        } cases[] = {
                {"\"mode\":\"enforce\"", "{\"namespaces\":" NS "}", SPEC_CONFIG, 0,
                 "[\"CAP_CHOWN\",\"CAP_SETUID\",\"CAP_NET_BIND_SERVICE\"]",
                 "user_namespace enforce adds a namespace: root and its capabilities stay"},
                {"\"mode\":\"off\"", "{\"namespaces\":" NS "}", SPEC_CONFIG, 65534,
                 "[\"CAP_NET_BIND_SERVICE\"]", "no user namespace: root replaced, allow only"},
                {"\"mode\":\"audit\"", "{\"namespaces\":" NS "}", SPEC_CONFIG, 65534,
                 "[\"CAP_NET_BIND_SERVICE\"]", "user_namespace audit adds none: as without"},
                {"\"mode\":\"off\"", "{\"namespaces\":" NS_USER "," REMAPPED "}", SPEC_CONFIG, 0,
                 "[\"CAP_CHOWN\",\"CAP_SETUID\",\"CAP_NET_BIND_SERVICE\"]",
                 "the config's own namespace remaps root: kept"},
                {"\"mode\":\"off\"",
                 "{\"namespaces\":" NS_USER
                 ",\"uidMappings\":" MAP(0) ",\"gidMappings\":" MAP(100000) "}",
                 SPEC_CONFIG, 65534, "[\"CAP_NET_BIND_SERVICE\"]",
                 "the config's own namespace maps root onto host root: replaced"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char policy[1024], spec[1024], want[256];
                struct policy *p;
                struct run x;
                snprintf(policy, sizeof(policy),
                         "{\"mode\":\"enforce\",\"rules\":{\"user_namespace\":{%s},"
                         "\"user\":{\"keep_root_in_user_namespace\":true},\"capabilities\":{"
                         "\"allow\":[\"NET_BIND_SERVICE\"],\"allow_in_user_namespace\":["
                         "\"CHOWN\",\"SETUID\"]}}}",
                         cases[i].userns);
                snprintf(spec, sizeof(spec),
                         "{\"process\":{\"user\":{\"uid\":0,\"gid\":0},%s},\"linux\":%s}", caps_in,
                         cases[i].linux_obj);
                p = policy_of(policy, NULL);
                ok(p != NULL, "%s: policy parses", cases[i].what);
                if (!p)
                        continue;
                x = run_with(p, cases[i].kind, spec);
                is_int(x.r, 0, "%s: no error (%s)", cases[i].what, x.err.msg);
                snprintf(want, sizeof(want), "\"uid\":%u,", cases[i].uid);
                ok(x.out && strstr(x.out, want), "%s: uid %u", cases[i].what, cases[i].uid);
                snprintf(want, sizeof(want), "\"bounding\":%s", cases[i].bounding);
                ok(x.out && strstr(x.out, want), "%s: bounding %s", cases[i].what,
                   cases[i].bounding);
                ok(x.out && !strstr(x.out, "SYS_ADMIN"), "%s: SYS_ADMIN never kept", cases[i].what);
                run_done(&x);
        }
        /* An exec process file carries no mappings: root there is replaced. */
        {
                struct policy *p =
                        policy_of("{\"rules\":{\"user_namespace\":{\"mode\":\"enforce\"},\"user\":{"
                                  "\"keep_root_in_user_namespace\":true}}}",
                                  NULL);
                struct run x = run_with(p, SPEC_PROCESS, "{\"user\":{\"uid\":0,\"gid\":0}}");
                check_finding(&x, "/user/uid", RULE_USER, "0", "65534", FINDING_CHANGED);
                run_done(&x);
        }
}

/* Docker's "net.ipv4.ping_group_range": "0 2147483647" names gids the added namespace does
 * not map; the kernel would refuse it inside. */
static void test_ping_group_range(void)
{
        static const struct {
                const char *settings, *value, *want;
        } cases[] = {
                {NULL, "0 2147483647", "0 65535"},
                {"\"size\":1000", "0 2147483647", "0 999"},
                {NULL, "100000 200000", "1 0"},
                {NULL, "0 1000", "0 1000"},
                {NULL, "1 0", "1 0"},
                {NULL, "0 x", "0 x"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char spec[256], want[96], what[96];
                struct run x;
                snprintf(spec, sizeof(spec),
                         "{\"linux\":{\"namespaces\":" NS
                         ",\"sysctl\":{\"net.ipv4.ping_group_range\":\"%s\"}}}",
                         cases[i].value);
                snprintf(what, sizeof(what), "ping_group_range '%s'", cases[i].value);
                x = enforce(cases[i].settings, spec, NULL,
                            strcmp(cases[i].value, cases[i].want) ? 4 : 3, false, what);
                snprintf(want, sizeof(want), "\"net.ipv4.ping_group_range\":\"%s\"", cases[i].want);
                ok(x.out && strstr(x.out, want), "%s: becomes '%s'", what, cases[i].want);
                run_done(&x);
        }
}

int main(void)
{
        test_add();
        test_keep();
        test_refuse();
        test_malformed();
        test_modes();
        test_user_rule();
        test_root_kept();
        test_ping_group_range();
        return tap_done();
}
