/* Exemptions: which containers they take out of which rules, the "exempted" records, and the
 * policy errors that keep an exemption from matching more than the admins meant. JSON in single
 * quotes (rule-harness.h). */
#include "policy-show.h"
#include "rule-harness.h"
#include "util/cleanup.h"

/* A root container of a kube-system pod, and the same with another namespace. */
#define SPEC(ns)                                                         \
        "{'process':{'user':{'uid':0,'gid':0},'args':['sh'],'cwd':'/',"  \
        "'noNewPrivileges':false},"                                      \
        "'root':{'path':'rootfs'},"                                      \
        "'annotations':{'io.kubernetes.cri.sandbox-namespace':'" ns "'," \
        "'io.kubernetes.cri.container-name':'proxy'}}"

#define ONLY_USER_AND_NNP                                                     \
        "'rules':{'privileged':{'mode':'off'},'capabilities':{'mode':'off'}," \
        "'seccomp':{'mode':'off'},'rootfs':{'mode':'off'},"                   \
        "'namespaces':{'mode':'off'},'mounts':{'mode':'off'},"                \
        "'mount_options':{'mode':'off'},'masked_paths':{'mode':'off'},"       \
        "'devices':{'mode':'off'},'hooks':{'mode':'off'},"                    \
        "'sysctls':{'mode':'off'},'resources':{'mode':'off'},"                \
        "'rlimits':{'mode':'off'},'lsm':{'mode':'off'},"                      \
        "'net_devices':{'mode':'off'},'env_secrets':{'mode':'off'},"          \
        "'image':{'mode':'off'}}"

struct outcome {
        int r;
        size_t exempted, changed, user_denied; /* findings by action */
        bool user_changed, nnp_changed;
        char reason[128];
        long long index;
};

/* policy_text and spec in single quotes (rule-harness.h). */
static struct outcome run(const char *policy_text, const char *id, enum spec_kind kind,
                          const char *spec)
{
        struct hr_error err = {0};
        char *text = qjson(policy_text), *json = qjson(spec);
        struct policy *p = policy_of(text, &err);
        struct harden_result res = {{0}};
        struct json *doc = doc_of(json);
        struct outcome o = {.r = -999, .index = -1};

        qjson_free(json);
        qjson_free(text);
        if (!p) {
                diag("policy: %s", err.msg);
                json_free(doc);
                return o;
        }
        if (!doc) {
                policy_free(p);
                return o;
        }
        o.r = harden_container(p, kind, "config.json", id, NULL, doc, &res, &err);
        for (size_t i = 0; o.r == 0 && i < res.findings.n; i++) {
                const struct finding *f = &res.findings.items[i];
                if (f->action == FINDING_EXEMPTED) {
                        const struct json *v = json_object_get(f->after, "reason");
                        const struct json *n = json_object_get(f->after, "exemption");
                        unsigned long long idx;
                        o.exempted++;
                        if (v && v->type == JSON_STRING)
                                snprintf(o.reason, sizeof(o.reason), "%s", v->scalar.text);
                        if (n && json_get_uint(n, 1000, &idx) == 0)
                                o.index = (long long)idx;
                        is_str(f->path, "", "exempted record has the empty path");
                        ok(f->before == NULL, "exempted record has no before");
                } else if (f->action == FINDING_DENIED && f->rule == RULE_USER) {
                        o.user_denied++;
                } else if (f->action == FINDING_CHANGED) {
                        o.changed++;
                        o.user_changed |= f->rule == RULE_USER;
                        o.nnp_changed |= f->rule == RULE_NO_NEW_PRIVILEGES;
                }
        }
        harden_result_done(&res);
        json_free(doc);
        policy_free(p);
        return o;
}

static void test_match(void)
{
        static const char by_namespace[] =
                "{'mode':'enforce'," ONLY_USER_AND_NNP ",'exemptions':[{'rules':['user'],"
                "'annotations':{'io.kubernetes.cri.sandbox-namespace':'kube-system'},"
                "'reason':'kube-proxy runs as root'}]}";
        static const char by_id[] = "{'mode':'enforce'," ONLY_USER_AND_NNP
                                    ",'exemptions':[{'rules':['user','no_new_privileges'],"
                                    "'ids':['debug-*','other']}]}";
        static const char both[] =
                "{'mode':'enforce'," ONLY_USER_AND_NNP ",'exemptions':[{'rules':['user'],"
                "'ids':['abc*'],"
                "'annotations':{'io.kubernetes.cri.sandbox-namespace':'kube-*'}}]}";
        struct outcome o;

        o = run(by_namespace, "c1", SPEC_CONFIG, SPEC("kube-system"));
        is_int(o.r, 0, "namespace match: no error");
        is_int(o.exempted, 1, "namespace match: one exempted record");
        ok(!o.user_changed, "namespace match: user rule did not run");
        ok(o.nnp_changed, "namespace match: no_new_privileges still ran");
        is_str(o.reason, "kube-proxy runs as root", "namespace match: the reason is recorded");
        is_int(o.index, 0, "namespace match: the exemption's index is recorded");

        o = run(by_namespace, "c1", SPEC_CONFIG, SPEC("default"));
        is_int(o.exempted, 0, "other namespace: not exempted");
        ok(o.user_changed, "other namespace: user rule ran");

        /* Exact keys: the annotations are a Go map, "IO.kubernetes..." is another key. */
        o = run(by_namespace, "c1", SPEC_CONFIG,
                "{'process':{'user':{'uid':0,'gid':0}},'annotations':"
                "{'IO.kubernetes.cri.sandbox-namespace':'kube-system'}}");
        is_int(o.exempted, 0, "a case-folded annotation key does not match");

        o = run(by_namespace, "c1", SPEC_CONFIG,
                "{'process':{'user':{'uid':0,'gid':0}},'annotations':"
                "{'io.kubernetes.cri.sandbox-namespace':['kube-system']}}");
        is_int(o.exempted, 0, "a non-string annotation does not match");

        o = run(by_namespace, "c1", SPEC_CONFIG,
                "{'process':{'user':{'uid':0,'gid':0}},'annotations':"
                "{'io.kubernetes.cri.sandbox-namespace':'kube-system\\u0000x'}}");
        is_int(o.exempted, 0, "an annotation value with a NUL byte does not match");

        o = run(by_namespace, "c1", SPEC_CONFIG,
                "{'process':{'user':{'uid':0,'gid':0}},'annotations':[]}");
        is_int(o.r, -EINVAL,
               "annotations of the wrong type: refused (runc cannot decode it), no crash");
        is_int(o.exempted, 0, "annotations of the wrong type: no exemption");

        o = run(by_id, "debug-42", SPEC_CONFIG, SPEC("default"));
        is_int(o.exempted, 2, "id pattern: two rules exempted");
        ok(!o.user_changed && !o.nnp_changed, "id pattern: neither rule ran");
        o = run(by_id, "other", SPEC_CONFIG, SPEC("default"));
        is_int(o.exempted, 2, "id list: second entry matches");
        o = run(by_id, "prod-1", SPEC_CONFIG, SPEC("default"));
        is_int(o.exempted, 0, "id pattern: another id is not exempted");
        o = run(by_id, NULL, SPEC_CONFIG, SPEC("default"));
        is_int(o.exempted, 0, "no container id: an id exemption never matches");
        /* crun 1.8 takes "debug-a/../prod" as container prod. */
        static const char *const not_plain[] = {"debug-a/../prod", "debug-/x", "debug-1 x",
                                                "debug-1:2"};
        for (size_t i = 0; i < ELEMENTSOF(not_plain); i++) {
                o = run(by_id, not_plain[i], SPEC_PROCESS,
                        "{'user':{'uid':0,'gid':0},'args':['sh'],'cwd':'/'}");
                is_int(o.exempted, 0, "id '%s' (not a plain name) matches no id pattern",
                       not_plain[i]);
        }
        o = run(by_id, "debug-a+b,c.d_E", SPEC_PROCESS,
                "{'user':{'uid':0,'gid':0},'args':['sh'],'cwd':'/'}");
        is_int(o.exempted, 2, "id of every character runc allows: matches");

        o = run(both, "abc1", SPEC_CONFIG, SPEC("kube-system"));
        is_int(o.exempted, 1, "id and annotation: both match");
        o = run(both, "abc1", SPEC_CONFIG, SPEC("default"));
        is_int(o.exempted, 0, "id matches, annotation does not: not exempted");
        o = run(both, "xyz", SPEC_CONFIG, SPEC("kube-system"));
        is_int(o.exempted, 0, "annotation matches, id does not: not exempted");

        /* exec --process files carry no annotations: only an id exemption reaches them. */
        o = run(by_namespace, "c1", SPEC_PROCESS,
                "{'user':{'uid':0,'gid':0},'args':['sh'],'cwd':'/'}");
        is_int(o.exempted, 0, "exec process: annotation exemptions do not apply");
        ok(o.user_changed, "exec process: the user rule ran");
        o = run(by_id, "debug-1", SPEC_PROCESS,
                "{'user':{'uid':0,'gid':0},'args':['sh'],'cwd':'/'}");
        is_int(o.exempted, 2, "exec process: id exemption applies");
}

static void test_modes(void)
{
        static const char audit[] =
                "{'mode':'audit'," ONLY_USER_AND_NNP ",'exemptions':[{'rules':['user'],"
                "'ids':['c1']}]}";
        static const char off[] = "{'mode':'enforce','rules':{'user':{'mode':'off'}},"
                                  "'exemptions':[{'rules':['user'],'ids':['c1']}]}";
        struct outcome o;

        o = run(audit, "c1", SPEC_CONFIG, SPEC("default"));
        is_int(o.exempted, 1, "audit mode: the exemption is recorded too");
        o = run(off, "c1", SPEC_CONFIG, SPEC("default"));
        is_int(o.exempted, 0, "a rule that is off: nothing to exempt, no record");
}

/* The user rule in deny mode lets root pass when user_namespace (enforce) will remap it; a
 * container exempted from user_namespace gets no user namespace, so root stays host root. */
static void test_user_namespace(void)
{
        static const char policy[] =
                "{'mode':'enforce','rules':{'user':{'mode':'deny'},"
                "'user_namespace':{'mode':'enforce'}},"
                "'exemptions':[{'rules':['user_namespace'],'ids':['hostnet-*']}]}";
        static const char spec[] = "{'process':{'user':{'uid':0,'gid':0},'args':['sh'],'cwd':'/'},"
                                   "'linux':{'namespaces':[{'type':'pid'},{'type':'ipc'},"
                                   "{'type':'uts'},{'type':'mount'}]}}";
        struct outcome o;

        o = run(policy, "hostnet-1", SPEC_CONFIG, spec);
        is_int(o.r, 0, "user_namespace exempted: no error");
        is_int(o.exempted, 1, "user_namespace exempted: recorded");
        is_int(o.user_denied, 2, "user_namespace exempted: root is refused by the user rule");
}

/* A policy (in single quotes) refused with a message that says part. */
struct policy_error {
        const char *text;
        const char *part;
        const char *what;
};

static void check_policy_error(const char *quoted, const char *part, const char *what)
{
        struct hr_error err = {0};
        char *text = qjson(quoted);
        struct policy *p = policy_of(text, &err);

        qjson_free(text);

        ok(p == NULL, "%s: refused", what);
        ok(strstr(err.msg, part) != NULL, "%s: message says '%s' (%s)", what, part, err.msg);
        policy_free(p);
}

static const struct policy_error policy_errors[] = {
        {"{'exemptions':{}}", "'/exemptions': expected array", "not an array"},
        {"{'exemptions':[{'ids':['a']}]}", "'/exemptions/0/rules': missing", "no rules"},
        {"{'exemptions':[{'rules':[],'ids':['a']}]}", "must name at least one rule", "empty rules"},
        {"{'exemptions':[{'rules':['bogus'],'ids':['a']}]}", "unknown rule 'bogus'",
         "unknown rule"},
        {"{'exemptions':[{'rules':['user']}]}", "matches every container", "no criterion"},
        {"{'exemptions':[{'rules':['user'],'ids':[],"
         "'annotations':{}}]}",
         "matches every container", "empty criteria"},
        {"{'exemptions':[{'rules':['user'],'ids':['']}]}",
         "'/exemptions/0/ids/0': must not be empty", "empty id pattern"},
        {"{'exemptions':[{'rules':['user'],'annotations':{'a':1}}]}",
         "'/exemptions/0/annotations/a': expected string", "non-string value"},
        {"{'exemptions':[{'rules':['user'],'ids':['a'],'why':'x'}]}", "unknown key 'why'",
         "unknown key"},
};

static void test_policy_errors(void)
{
        for (size_t i = 0; i < N_CASES(policy_errors); i++)
                check_policy_error(policy_errors[i].text, policy_errors[i].part,
                                   policy_errors[i].what);
}

static void test_show(void)
{
        static const char text[] = "{'exemptions':[{'rules':['mounts','user'],'ids':['a*'],"
                                   "'annotations':{'k':'v*'},'reason':'r'}]}";
        struct hr_error err = {0};
        char *json = qjson(text);
        struct policy *p = policy_of(json, &err);
        struct json *doc = NULL;
        char *out = NULL;
        size_t len = 0;

        ok(p && policy_to_json(p, &doc, &err) == 0, "policy show with exemptions (%s)", err.msg);
        if (doc && json_write(json_object_get(doc, "exemptions"), &out, &len, &err) == 0) {
                if (len > 0 && out[len - 1] == '\n')
                        out[len - 1] = '\0';
                is_json(out,
                        "[{'rules':['user','mounts'],'ids':['a*'],"
                        "'annotations':{'k':'v*'},'reason':'r'}]",
                        "exemptions are shown in rule order with every criterion");
        }
        free(out);
        json_free(doc);
        policy_free(p);
        qjson_free(json);
}

int main(void)
{
        test_match();
        test_modes();
        test_user_namespace();
        test_policy_errors();
        test_show();
        return tap_done();
}
