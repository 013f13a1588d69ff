/* Allocation failures while rules edit a spec: the program is linked with --wrap for malloc,
 * calloc and realloc (tests/meson.build), so the Nth allocation of hardrun's own code can be made
 * to fail. Every run must end (a removal that fails inside a checkpoint leaves the item where a
 * "remove until none is left" loop meets it again) and fail closed: an error, or exactly the
 * outcome of a run without the failure. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rule-harness.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);

static unsigned long n_allocs; /* allocations since the counter was reset */
static unsigned long fail_at;  /* 0: none fails; else the first that fails */
static bool fail_once;         /* only that one fails, not every later one */

static bool should_fail(void)
{
        n_allocs++;
        return fail_at && (fail_once ? n_allocs == fail_at : n_allocs >= fail_at);
}

void *__wrap_malloc(size_t size)
{
        return should_fail() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
        return should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
        return should_fail() ? NULL : __real_realloc(p, size);
}

/* A spec that gives every rule with a removal loop something to remove. */
static const char spec[] =
        "{\"ociVersion\":\"1.0.2\",\"process\":{\"user\":{\"uid\":0,\"gid\":0,"
        "\"additionalGids\":[4242,0,4242,7,4242]},\"args\":[\"sh\"],\"cwd\":\"/\","
        "\"capabilities\":{\"bounding\":[\"CAP_SYS_ADMIN\",\"CAP_NET_RAW\",\"CAP_CHOWN\"],"
        "\"effective\":[\"CAP_SYS_ADMIN\",\"CAP_NET_RAW\"]}},\"root\":{\"path\":\"rootfs\"},"
        "\"annotations\":{\"run.oci.keep_original_groups\":\"1\",\"a\":\"b\","
        "\"run.oci.hooks.stdout\":\"/etc/x\",\"run.oci.seccomp_bpf_data\":\"AAAA\"},"
        "\"hooks\":{\"prestart\":[{\"path\":\"/usr/bin/evil\"},{\"path\":\"/usr/bin/evil2\"}],"
        "\"futureKind\":[{\"path\":\"/x\"}]},"
        "\"linux\":{\"sysctl\":{\"kernel.core_pattern\":\"|/x\",\"kernel.shmmax\":\"1\"},"
        "\"devices\":[{\"path\":\"/dev/sda\",\"type\":\"b\",\"major\":8,\"minor\":0}],"
        "\"netDevices\":{\"eth9\":{}},"
        "\"resources\":{\"devices\":[{\"allow\":true,\"access\":\"rwm\"}],"
        "\"unified\":{\"pids.max\":\"max\"}}}}";

static char *policy_text(const char *mode)
{
        char *text = NULL;

        if (asprintf(&text,
                     "{\"mode\":\"%s\",\"audit\":{\"file\":null},\"rules\":{"
                     "\"groups\":{\"deny\":[\"4242\"]},\"seccomp\":{\"mode\":\"off\"}}}",
                     mode) < 0)
                abort();
        return text;
}

struct outcome {
        int r;
        bool denied, changed;
        size_t n_findings;
        char *out; /* the document after the run */
};

/* One run of harden_spec() under mode; from allocation at of the run on (0: none; once: that
 * one alone) allocations fail. The policy and the document are made before. */
static struct outcome run_once(const char *mode, unsigned long at, bool once)
{
        char *text = policy_text(mode);
        struct policy *p = policy_of(text, NULL);
        struct json *doc = doc_of(spec);
        struct harden_result res = {{0}};
        struct hr_error err = {0};
        struct outcome o = {.r = -999};

        free(text);
        if (!p || !doc)
                return o;
        n_allocs = 0;
        fail_once = once;
        fail_at = at;
        o.r = harden_spec(p, SPEC_CONFIG, SPEC_FILE, doc, &res, &err);
        fail_at = 0;
        if (o.r == 0) {
                o.denied = res.denied;
                o.changed = res.changed;
                o.n_findings = res.findings.n;
                o.out = text_of(doc);
                harden_result_done(&res);
        }
        json_free(doc);
        policy_free(p);
        return o;
}

enum child_status {
        CHILD_ERROR,   /* harden_spec() failed: the spec is refused */
        CHILD_SAME,    /* the failure changed nothing */
        CHILD_DIFFERS, /* succeeded with another outcome: failed open */
};

/* Runs under mode with allocation fail_at (and later ones unless once) failing, in a child a
 * timer kills if it spins. Returns the child's status, or -1 for a spin or crash (diag). */
static int run_failing(const char *mode, unsigned long at, bool once, const struct outcome *base)
{
        pid_t pid;
        int status;

        fflush(stdout);
        pid = fork();
        if (pid < 0)
                return -1;
        if (pid == 0) {
                struct outcome o;
                alarm(10);
                o = run_once(mode, at, once);
                if (o.r < 0)
                        _exit(CHILD_ERROR);
                _exit(o.denied == base->denied && o.changed == base->changed &&
                                      o.n_findings == base->n_findings && o.out &&
                                      strcmp(o.out, base->out) == 0
                              ? CHILD_SAME
                              : CHILD_DIFFERS);
        }
        if (waitpid(pid, &status, 0) != pid)
                return -1;
        if (WIFSIGNALED(status)) {
                diag("%s: allocation %lu%s failing: killed by signal %d%s", mode, at,
                     once ? " alone" : " and later ones", WTERMSIG(status),
                     WTERMSIG(status) == SIGALRM ? " (spins)" : "");
                return -1;
        }
        /* Any other status is a crash report (valgrind's --error-exitcode: a leak on the
         * failure path). */
        if (WEXITSTATUS(status) > CHILD_DIFFERS) {
                diag("%s: allocation %lu%s failing: exit status %d", mode, at,
                     once ? " alone" : " and later ones", WEXITSTATUS(status));
                return -1;
        }
        return WEXITSTATUS(status);
}

/* valgrind runs every forked child too, at about 50 times the cost: there one sweep. */
static bool is_under_valgrind(void)
{
        const char *preload = getenv("LD_PRELOAD");

        return preload && strstr(preload, "vgpreload");
}

static void test_mode(const char *mode)
{
        struct outcome base = run_once(mode, 0, false);
        unsigned long total = n_allocs, spins = 0, open = 0, errors = 0;
        bool quick = is_under_valgrind();

        is_int(base.r, 0, "%s: the run without failures succeeds", mode);
        ok(base.n_findings >= 10, "%s: the spec gives the rules %zu findings", mode,
           base.n_findings);
        if (strcmp(mode, "deny") == 0)
                ok(base.denied, "deny: the spec is refused");
        for (int once = quick; once <= 1; once++)
                for (unsigned long at = 1; at <= total; at++) {
                        int s = run_failing(mode, at, once, &base);
                        if (s < 0)
                                spins++;
                        else if (s == CHILD_DIFFERS) {
                                open++;
                                diag("%s: allocation %lu%s failing: success with another "
                                     "outcome",
                                     mode, at, once ? " alone" : " and later ones");
                        } else if (s == CHILD_ERROR)
                                errors++;
                }
        diag("%s: %lu allocations, each failed alone and with every later one: %lu errors", mode,
             total, errors);
        ok(total > 0 && errors > 0, "%s: failures were injected (%lu allocations)", mode, total);
        is_int(spins, 0, "%s: every run with a failing allocation ends cleanly", mode);
        is_int(open, 0, "%s: every such run fails or has the outcome of a run without it", mode);
        free(base.out);
}

/* The removals themselves, inside a checkpoint that cannot save the list. */
static void test_removals(void)
{
        struct json *doc = doc_of("{\"a\":[1,2,3],\"o\":{\"k\":1,\"l\":2}}");
        struct json *a, *o;
        char *text;

        if (!doc)
                return;
        a = json_object_get(doc, "a");
        o = json_object_get(doc, "o");
        is_int(json_checkpoint(doc), 0, "checkpoint");
        fail_once = false;
        fail_at = n_allocs + 1;
        is_int(json_array_remove(a, 0), -ENOMEM, "array remove: -ENOMEM when it cannot be saved");
        is_int(json_object_remove_at(o, 0), -ENOMEM, "object remove_at: -ENOMEM");
        is_int(json_object_remove(o, "k"), -ENOMEM, "object remove: -ENOMEM, not 'removed'");
        is_int(json_object_remove(o, "zz"), 0, "object remove of an absent key: 0");
        fail_at = 0;
        is_int(json_array_remove(a, 0), -ENOMEM, "the checkpoint stays failed");
        is_int(json_rollback(doc), -ENOMEM, "rollback reports the failure");
        text = text_of(doc);
        is_str(text, "{\"a\":[1,2,3],\"o\":{\"k\":1,\"l\":2}}", "the document is unchanged");
        free(text);
        json_free(doc);
}

int main(void)
{
        test_removals();
        test_mode("deny");
        if (is_under_valgrind()) {
                ok(1, "audit and enforce # SKIP under valgrind: deny's sweep stands for them");
                return tap_done();
        }
        test_mode("audit");
        test_mode("enforce");
        return tap_done();
}
