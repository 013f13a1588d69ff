/* Unit tests for the image rule through harden_spec(): the engines' image annotations, name
 * normalisation, prefix boundaries, require_name, every mode and malformed annotations. JSON in
 * single quotes (rule-harness.h). */
#include "rule-harness.h"

#define CRI "io.kubernetes.cri.image-name"
#define CRIO "io.kubernetes.cri-o.ImageName"

#define ALLOW                                                                \
        "'allow':['docker.io/library/busybox','registry.example.com/team/'," \
        "'registry.example.com/base','docker.io/user/','localhost/mine',"    \
        "'quay.io/org/app:1.2']"

/* One image name under key (no quotes in it), in enforce: allowed or refused, and the spec never
 * changes. */
static void check(const char *settings, const char *key, const char *image, bool allowed)
{
        char spec[1024];
        struct run x;

        snprintf(spec, sizeof(spec), "{'annotations':{'%s':'%s'}}", key, image);
        x = run_q(RULE_IMAGE, "enforce", settings, SPEC_CONFIG, spec);
        is_int(x.r, 0, "%s: no error (%s)", image, x.err.msg);
        ok(x.res.denied == !allowed, "%s under %s: %s", image, key,
           allowed ? "allowed" : "refused");
        is_json(x.out, spec, "%s: spec unchanged", image);
        if (!allowed && x.res.findings.n == 1) {
                const struct finding *f = &x.res.findings.items[0];
                char path[128];
                snprintf(path, sizeof(path), "/annotations/%s", key);
                is_str(f->path, path, "%s: the finding names the annotation", image);
                ok(f->unfixable && f->action == FINDING_DENIED,
                   "%s: unfixable, denied even in enforce", image);
        }
        run_done(&x);
}

/* One image name under an annotation key, allowed or refused by the policy's settings. */
struct name_case {
        const char *policy;
        const char *key;
        const char *image;
        bool allowed;
};

static const struct name_case names[] = {
        /* Bare and short Docker Hub names are completed as Docker completes them. */
        {ALLOW, CRI, "busybox", true},
        {ALLOW, CRI, "busybox:1.36", true},
        {ALLOW, CRI, "busybox@sha256:0123", true},
        {ALLOW, CRI, "library/busybox", true},
        {ALLOW, CRI, "docker.io/busybox", true},
        {ALLOW, CRI, "docker.io/library/busybox:latest", true},
        {ALLOW, CRI, "index.docker.io/library/busybox", true},
        {ALLOW, CRI, "user/img:1", true},
        {ALLOW, CRI, "docker.io/user/img", true},
        {ALLOW, CRI, "busyboxevil", false},
        {ALLOW, CRI, "busybox-evil:1", false},
        {ALLOW, CRI, "otheruser/img", false},
        {ALLOW, CRI, "alpine", false},
        /* A registry is named by a '.', a ':' or "localhost" in the first component. */
        {ALLOW, CRI, "registry.example.com/team/app:1", true},
        {ALLOW, CRI, "registry.example.com/team/sub/app@sha256:00", true},
        {ALLOW, CRI, "registry.example.com/teamevil/app", false},
        {ALLOW, CRI, "registry.example.com/team", false}, /* prefix "team/" needs more */
        {ALLOW, CRI, "registry.example.com/base", true},
        {ALLOW, CRI, "registry.example.com/base:3", true},
        {ALLOW, CRI, "registry.example.com/base/child", true},
        {ALLOW, CRI, "registry.example.com/basement", false},
        {ALLOW, CRI, "registry.example.com:5000/team/app", false},
        {ALLOW, CRI, "localhost/mine:1", true},
        {ALLOW, CRI, "localhost:5000/mine", false},
        {ALLOW, CRI, "localhost/mine2", false},
        {ALLOW, CRI, "evil.example.com/registry.example.com/team/app", false},
        /* A prefix with a tag pins the tag. */
        {ALLOW, CRI, "quay.io/org/app:1.2", true},
        {ALLOW, CRI, "quay.io/org/app:1.2@sha256:00", true},
        {ALLOW, CRI, "quay.io/org/app:1.20", false},
        {ALLOW, CRI, "quay.io/org/app", false},
        /* A registry alone as prefix: everything it serves, not another port. */
        {"'allow':['registry.example.com']", CRI, "registry.example.com/x/y:1", true},
        {"'allow':['registry.example.com']", CRI, "registry.example.com:443/x", false},
        {"'allow':['docker.io/']", CRI, "busybox", true},
        {"'allow':['docker.io/']", CRI, "quay.io/busybox", false},
        /* Both engines' keys. */
        {ALLOW, CRIO, "docker.io/library/busybox:latest", true},
        {ALLOW, CRIO, "quay.io/evil/app", false},
        /* An empty allow list allows any image. */
        {"'allow':[]", CRI, "quay.io/evil/app", true},
        {NULL, CRI, "anything", true},
};

static void test_names(void)
{
        for (size_t i = 0; i < N_CASES(names); i++)
                check(names[i].policy, names[i].key, names[i].image, names[i].allowed);
}

static void test_rule(void)
{
        char *big;
        struct run x;

        /* Every engine key present is judged. */
        x = run_q(RULE_IMAGE, "enforce", ALLOW, SPEC_CONFIG,
                  "{'annotations':{'" CRI "':'busybox','" CRIO "':'quay.io/evil/app'}}");
        ok(x.r == 0 && x.res.denied && x.res.findings.n == 1,
           "both keys: the disallowed one refuses the container");
        run_done(&x);

        /* Keys users can set on every engine are not the engine's word. */
        x = run_q(RULE_IMAGE, "enforce", ALLOW, SPEC_CONFIG,
                  "{'annotations':{'org.opencontainers.image.ref.name':'quay.io/evil/x'}}");
        ok(x.r == 0 && !x.res.denied && x.res.findings.n == 0,
           "org.opencontainers.image.ref.name is not an engine image key");
        run_done(&x);

        /* No name: allowed unless require_name. */
        static const char *const unnamed[] = {
                "{}",
                "{'annotations':null}",
                "{'annotations':{}}",
                "{'annotations':{'" CRI "':''}}",
                "{'annotations':{'other':'x'}}",
        };
        for (size_t i = 0; i < sizeof(unnamed) / sizeof(*unnamed); i++) {
                char *json = qjson(unnamed[i]);
                x = run_q(RULE_IMAGE, "enforce", ALLOW, SPEC_CONFIG, unnamed[i]);
                ok(x.r == 0 && !x.res.denied && x.res.findings.n == 0, "%s: allowed", json);
                run_done(&x);
                x = run_q(RULE_IMAGE, "enforce", ALLOW ",'require_name':true", SPEC_CONFIG,
                          unnamed[i]);
                ok(x.r == 0 && x.res.denied && x.res.findings.n == 1 &&
                           strcmp(x.res.findings.items[0].path, "/annotations") == 0,
                   "%s with require_name: refused at /annotations", json);
                run_done(&x);
                qjson_free(json);
        }
        x = run_q(RULE_IMAGE, "enforce", "'require_name':true", SPEC_CONFIG,
                  "{'annotations':{'" CRI "':'busybox'}}");
        ok(x.r == 0 && !x.res.denied, "require_name with a name and an empty allow: allowed");
        run_done(&x);

        /* Modes. */
        x = run_q(RULE_IMAGE, "audit", ALLOW, SPEC_CONFIG, "{'annotations':{'" CRI "':'alpine'}}");
        ok(x.r == 0 && !x.res.denied && x.res.findings.n == 1 &&
                   x.res.findings.items[0].action == FINDING_WOULD_DENY,
           "audit: recorded as would_deny (enforce refuses it), not refused");
        run_done(&x);
        x = run_q(RULE_IMAGE, "deny", ALLOW, SPEC_CONFIG, "{'annotations':{'" CRI "':'alpine'}}");
        ok(x.r == 0 && x.res.denied, "deny: refused");
        run_done(&x);
        x = run_q(RULE_IMAGE, "deny", ALLOW, SPEC_CONFIG, "{'annotations':{'" CRI "':'busybox'}}");
        ok(x.r == 0 && !x.res.denied && x.res.findings.n == 0, "deny: an allowed image runs");
        run_done(&x);
        x = run_q(RULE_IMAGE, "off", ALLOW, SPEC_CONFIG, "{'annotations':{'" CRI "':'alpine'}}");
        ok(x.r == 0 && x.res.findings.n == 0, "off: nothing");
        run_done(&x);
        /* Not for exec processes: the image is the container's. */
        x = run_q(RULE_IMAGE, "enforce", ALLOW ",'require_name':true", SPEC_PROCESS,
                  "{'args':['sh']}");
        ok(x.r == 0 && x.res.findings.n == 0, "exec process file: not judged");
        run_done(&x);

        /* Malformed annotations fail closed, as runc's map[string]string decode does. */
        static const char *const bad[] = {
                "{'annotations':[]}",
                "{'annotations':'x'}",
                "{'annotations':{'" CRI "':5}}",
                "{'annotations':{'" CRI "':['busybox']}}",
                "{'annotations':{'" CRI "':{}}}",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
                char *json = qjson(bad[i]);
                x = run_q(RULE_IMAGE, "enforce", ALLOW, SPEC_CONFIG, bad[i]);
                ok(x.r == -EINVAL && strstr(x.err.msg, "config.json: '/annotations"),
                   "%s: error naming the path (%s)", json, x.err.msg);
                run_done(&x);
                qjson_free(json);
        }
        /* Annotation keys match exactly (a Go map): another spelling is no image name. */
        x = run_q(RULE_IMAGE, "enforce", ALLOW ",'require_name':true", SPEC_CONFIG,
                  "{'annotations':{'io.kubernetes.cri.Image-Name':'busybox'}}");
        ok(x.r == 0 && x.res.denied, "a key in other letter case is not the engine's key");
        run_done(&x);

        /* A name too long to judge is not allowed; an empty allow list still allows it. */
        big = malloc(5000);
        if (big) {
                int o = snprintf(big, 5000, "{'annotations':{'" CRI "':'busybox/");
                memset(big + o, 'a', 4000);
                snprintf(big + o + 4000, 5000 - (size_t)o - 4000, "'}}");
                x = run_q(RULE_IMAGE, "enforce", "'allow':['docker.io/']", SPEC_CONFIG, big);
                ok(x.r == 0 && x.res.denied, "a 4000-byte name: refused");
                run_done(&x);
                x = run_q(RULE_IMAGE, "enforce", "'allow':[]", SPEC_CONFIG, big);
                ok(x.r == 0 && !x.res.denied, "a 4000-byte name, empty allow: allowed");
                run_done(&x);
                free(big);
        }
}

int main(void)
{
        test_names();
        test_rule();
        return tap_done();
}
