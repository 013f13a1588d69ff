/* Unit tests for refusal.c: the engine recognised from real engine specs, every refusal of a
 * call in the message, the engine's terms, the contact line, and the size bound. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "fileio.h"
#include "findings.h"
#include "harden.h"
#include "json.h"
#include "policy.h"
#include "refusal.h"
#include "tap.h"
#include "util/cleanup.h"

static const struct json_limits limits = {
        .max_bytes = HR_CONFIG_MAX_BYTES,
        .max_depth = HR_JSON_MAX_DEPTH,
        .max_members = HR_JSON_MAX_MEMBERS,
};

static struct json *engine_spec(const char *name)
{
        const char *srcdir = getenv("HARDRUN_SRCDIR");
        _cleanup_free_ char *buf = NULL;
        struct hr_error err = {0};
        struct json *doc = NULL;
        char path[4096];
        size_t len;
        int fd;

        snprintf(path, sizeof(path), "%s/tests/data/engine-specs/%s.json", srcdir ? srcdir : ".",
                 name);
        fd = fileio_open_regular(-100 /* AT_FDCWD */, path, false, NULL, &err);
        if (fd < 0 || fileio_read_all(fd, HR_CONFIG_MAX_BYTES, &buf, &len, &err) < 0 ||
            json_parse(buf, len, &limits, &doc, &err) < 0) {
                diag("%s: %s", path, err.msg);
                doc = NULL;
        }
        if (fd >= 0)
                close(fd);
        return doc;
}

static struct policy *policy_of(const char *text)
{
        struct hr_error err = {0};
        struct policy *p = NULL;

        if (policy_parse(text, strlen(text), "test-policy.json", &p, &err) < 0)
                diag("policy: %s", err.msg);
        return p;
}

static size_t count_lines(const char *s)
{
        size_t n = 1;

        for (; *s; s++)
                n += *s == '\n';
        return n;
}

static size_t count_str(const char *s, const char *needle)
{
        size_t n = 0;

        for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
                n++;
        return n;
}

/* The message hardrun would give for this spec under this policy; the number of refusals. */
static size_t refusal_for(const char *spec_name, const char *policy_text, const char *bundle,
                          char *msg, size_t size)
{
        _cleanup_(policy_freep) struct policy *p = policy_of(policy_text);
        _cleanup_(json_freep) struct json *original = engine_spec(spec_name);
        _cleanup_(json_freep) struct json *doc = json_clone(original);
        struct harden_result result = {{0}};
        struct hr_error err = {0};
        size_t denied = 0;

        msg[0] = '\0';
        if (!p || !doc)
                return 0;
        if (harden_container(p, SPEC_CONFIG, "/b/config.json", "id", bundle, doc, &result, &err) <
            0) {
                diag("%s: %s", spec_name, err.msg);
                return 0;
        }
        for (size_t i = 0; i < result.findings.n; i++)
                denied += result.findings.items[i].action == FINDING_DENIED;
        const struct refusal r = {
                .file = "/b/config.json",
                .what = "container",
                .spec = doc,
                .engine = engine_from_spec(original, bundle),
                .contact = p->messages.contact,
        };
        refusal_format(&r, &result.findings, msg, size);
        harden_result_done(&result);
        return denied;
}

static void test_engines(void)
{
        static const struct {
                const char *spec;
                const char *bundle;
                enum engine want;
        } cases[] = {
                {"docker-default", "/tmp/b", ENGINE_DOCKER},
                {"docker-privileged", "/tmp/b", ENGINE_DOCKER},
                {"ctr-default", "/tmp/b", ENGINE_UNKNOWN},
                {"ctr-default", "/run/containerd/io.containerd.runtime.v2.task/moby/abc",
                 ENGINE_DOCKER},
                {"podman-default", "/tmp/b", ENGINE_PODMAN},
                {"cri-container", "/tmp/b", ENGINE_KUBERNETES},
                {"cri-sandbox-hostnetwork", NULL, ENGINE_KUBERNETES},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(json_freep) struct json *doc = engine_spec(cases[i].spec);
                is_int(engine_from_spec(doc, cases[i].bundle), cases[i].want,
                       "engine of %s (bundle %s)", cases[i].spec,
                       cases[i].bundle ? cases[i].bundle : "none");
        }

        /* nerdctl marks its specs with nerdctl/ annotations; a spec without any is no engine's */
        _cleanup_(json_freep) struct json *nerdctl = NULL;
        struct hr_error err = {0};
        const char text[] = "{\"annotations\": {\"nerdctl/name\": \"web\"}, \"mounts\": []}";
        json_parse(text, sizeof(text) - 1, &limits, &nerdctl, &err);
        is_int(engine_from_spec(nerdctl, NULL), ENGINE_NERDCTL, "nerdctl/ annotations: nerdctl");
        is_int(engine_from_spec(NULL, NULL), ENGINE_UNKNOWN, "no spec: unknown engine");
}

static void test_docker_deny(void)
{
        char msg[HR_ERROR_MSG_MAX];
        size_t denied = refusal_for("docker-privileged",
                                    "{\"mode\": \"deny\", \"messages\": {\"contact\": "
                                    "\"Questions: #platform, https://wiki.example/hardrun\"}}",
                                    "/tmp/b", msg, sizeof(msg));
        char first[512], count[64];
        size_t listed;
        unsigned long more = 0;
        const char *rest;

        ok(denied > REFUSAL_LINES_MAX, "docker --privileged in deny mode: %zu refusals", denied);
        snprintf(first, sizeof(first),
                 "/b/config.json: '/process/user/uid': 0 is not allowed by rule 'user' (policy "
                 "needs 65534); refusing the container (%zu refusals)\n",
                 denied);
        ok(strncmp(msg, first, strlen(first)) == 0, "first line: the field to fix, the count");
        listed = count_str(msg, "\n/b/config.json: '") + 1;
        is_int(listed, REFUSAL_LINES_MAX, "the first %d refusals have a line each",
               REFUSAL_LINES_MAX);
        ok(strstr(msg, "\n/b/config.json: '/': [\"CAP_SYS_ADMIN in the bounding set\"") != NULL,
           "the privileged report has its line too");
        rest = strstr(msg, "\nand ");
        ok(rest && sscanf(rest, "\nand %lu more:", &more) == 1 && listed + more == denied,
           "the rest are counted per rule: %zu listed + %lu = %zu", listed, more, denied);
        snprintf(count, sizeof(count), "devices (");
        ok(rest && strstr(rest, count) != NULL, "... devices among them");
        ok(strstr(msg, "\ndocker run options behind this: --privileged, running as root") != NULL,
           "Docker's terms: --privileged, running as root");
        ok(strstr(msg, "--security-opt seccomp=unconfined") != NULL, "... and no seccomp");
        ok(strstr(msg, "-v ") == NULL, "Docker's own file mounts are no -v of the user's");
        is_str(strrchr(msg, '\n') + 1, "Questions: #platform, https://wiki.example/hardrun",
               "the contact is the last line");
        ok(strlen(msg) < sizeof(msg) - 1, "bounded: %zu bytes", strlen(msg));
}

static void test_cri(void)
{
        char msg[HR_ERROR_MSG_MAX];
        size_t denied;

        /* A hostNetwork pod's sandbox has no network entry: refused even in enforce. */
        denied = refusal_for("cri-sandbox-hostnetwork", "{\"mode\": \"enforce\"}", "/tmp/b", msg,
                             sizeof(msg));
        ok(denied >= 1, "CRI hostNetwork sandbox: refused (%zu)", denied);
        ok(strstr(msg, "/b/config.json: '/linux/namespaces': \"no 'network' entry") != NULL,
           "the technical line names the namespaces");
        ok(strstr(msg, "\npod spec settings behind this: hostNetwork: true") != NULL,
           "in pod terms: hostNetwork: true");
        ok(strchr(msg, '\n') && !strstr(msg, "Questions"), "no contact line without a contact");

        denied = refusal_for("cri-container-privileged", "{\"mode\": \"deny\"}", "/tmp/b", msg,
                             sizeof(msg));
        ok(denied > 1 && strstr(msg, "securityContext.privileged: true") != NULL,
           "CRI privileged container: securityContext.privileged: true");
        ok(strstr(msg, "running as root (set runAsNonRoot: true and runAsUser)") != NULL,
           "... and runAsNonRoot");
        ok(count_lines(msg) <= REFUSAL_LINES_MAX + 3, "at most %d lines (%zu)",
           REFUSAL_LINES_MAX + 3, count_lines(msg));
}

static void test_single(void)
{
        char msg[HR_ERROR_MSG_MAX];
        size_t denied = refusal_for(
                "ctr-default",
                "{\"mode\": \"enforce\", \"rules\": {\"resources\": {\"mode\": \"deny\"}, "
                "\"mounts\": {\"mode\": \"off\"}}}",
                "/tmp/b", msg, sizeof(msg));

        is_int(denied, 1, "ctr, one rule in deny: one refusal");
        is_str(msg,
               "/b/config.json: '/linux/resources/pids/limit': (absent) is not allowed by rule "
               "'resources' (policy needs 4096); refusing the container",
               "one refusal, unknown engine: the one line as it always was");
}

/* Hostile sizes: hundreds of refusals with long paths stay within the buffer, whole lines
 * only, and the contact line survives. */
static void test_bound(void)
{
        _cleanup_(policy_freep) struct policy *p =
                policy_of("{\"messages\": {\"contact\": \"ask the platform team\"}}");
        _cleanup_(json_freep) struct json *src = NULL;
        struct findings found = {0};
        struct hr_error err = {0};
        char msg[HR_ERROR_MSG_MAX], path[3000];
        char *long_text = malloc(5000);
        unsigned long more = 0;
        const char *rest;

        memset(long_text, 'x', 4999);
        long_text[4999] = '\0';
        src = json_new_string(long_text);
        for (int i = 0; i < 400; i++) {
                snprintf(path, sizeof(path), "/mounts/%d/source/%.2000s", i, long_text);
                findings_add(&found, RULE_MOUNTS, path, src, src);
                found.items[found.n - 1].action = FINDING_DENIED;
        }
        const struct refusal r = {"/b/config.json", "container", NULL, ENGINE_DOCKER,
                                  p ? p->messages.contact : NULL};
        refusal_format(&r, &found, msg, sizeof(msg));
        ok(strlen(msg) < sizeof(msg), "400 refusals of 9 KB each: %zu bytes", strlen(msg));
        rest = strstr(msg, "\nand ");
        ok(rest && sscanf(rest, "\nand %lu more: mounts (%lu)", &more, &more) == 2,
           "the ones left out are counted");
        is_str(strrchr(msg, '\n') + 1, "ask the platform team", "the contact line survives");
        findings_clear(&found);
        free(long_text);
        (void)err;
}

int main(void)
{
        test_engines();
        test_docker_deny();
        test_cri();
        test_single();
        test_bound();
        return tap_done();
}
