/* Unit tests for runtime.c: hardrun refuses itself as the runtime in this very process (not a
 * second hop that refuses it instead), whatever path names it; a runtime's grammar is its
 * binary's. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "runtime.h"
#include "tap.h"

static char work[] = "/tmp/hardrun-runtime-XXXXXX";

static int resolve(const char *path, struct runtime *rt, struct hr_error *err)
{
        char text[PATH_MAX + 64];
        struct policy *p = NULL;
        int r;

        snprintf(text, sizeof(text), "{\"version\": 1, \"runtime\": {\"path\": \"%s\"}}", path);
        if (policy_parse_runtime(text, strlen(text), "policy.json", &p, err) < 0)
                return -EINVAL;
        r = runtime_resolve(p, rt, err);
        policy_free(p);
        return r;
}

static void test_self(void)
{
        const char *execfn = (const char *)getauxval(AT_EXECFN);
        char *self = execfn ? realpath(execfn, NULL) : NULL;
        char link[PATH_MAX];
        struct hr_error err = {0};
        struct runtime rt;

        ok(self != NULL, "this test's own binary: %s", self ? self : "(none)");
        if (!self)
                return;
        is_int(resolve(self, &rt, &err), -ELOOP, "its own path: refused");
        ok(strstr(err.msg, "is hardrun itself") != NULL, "the message says why: %s", err.msg);
        error_release(&err);
        snprintf(link, sizeof(link), "%s/link-to-self", work);
        ok(symlink(self, link) == 0, "a symlink to it");
        is_int(resolve(link, &rt, &err), -ELOOP, "a symlink to it: refused");
        error_release(&err);
        free(self);
}

static void test_other(void)
{
        char link[PATH_MAX];
        struct hr_error err = {0};
        struct runtime rt;

        is_int(resolve("/bin/true", &rt, &err), 0, "another binary: used");
        is_str(rt.path, "/bin/true", "as named");
        is_int(rt.dialect, CLI_DIALECT_RUNC, "runc's grammar");
        /* The name the binary has decides, not the name of the link to it. */
        snprintf(link, sizeof(link), "%s/crun", work);
        ok(symlink("/bin/true", link) == 0, "a link named crun");
        is_int(resolve(link, &rt, &err), 0, "a link named crun: used");
        is_int(rt.dialect, CLI_DIALECT_RUNC, "a link named crun to true: runc's grammar");
        error_release(&err);
}

static void remove_work(void)
{
        static const char *const names[] = {"link-to-self", "crun"};
        char path[PATH_MAX];

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
                snprintf(path, sizeof(path), "%s/%s", work, names[i]);
                unlink(path);
        }
        rmdir(work);
}

int main(void)
{
        if (!mkdtemp(work)) {
                ok(0, "a temporary directory");
                return tap_done();
        }
        test_self();
        test_other();
        remove_work();
        return tap_done();
}
