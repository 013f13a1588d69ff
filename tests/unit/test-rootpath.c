/* Unit tests for rootpath (destinations resolved inside a root filesystem as runc resolves
 * them) and for what the rootfs rule does with it: the scratch tmpfs mounts go before the
 * engine's mounts below them, in a bundle whose image links /var/run to /run. */
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rootpath.h"
#include "rule-harness.h"

static char bundle[] = "/tmp/hardrun-rootpath.XXXXXX";

static void make(const char *kind, const char *rel, const char *target)
{
        char path[PATH_MAX];

        snprintf(path, sizeof(path), "%s/rootfs/%s", bundle, rel);
        if (strcmp(kind, "dir") == 0) {
                if (mkdir(path, 0755) < 0)
                        diag("mkdir %s: %s", path, strerror(errno));
        } else if (strcmp(kind, "link") == 0) {
                if (symlink(target, path) < 0)
                        diag("symlink %s: %s", path, strerror(errno));
        } else {
                int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
                if (fd < 0)
                        diag("create %s: %s", path, strerror(errno));
                else
                        close(fd);
        }
}

static void cleanup(void)
{
        char cmd[PATH_MAX + 16];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", bundle);
        if (system(cmd) != 0)
                diag("could not remove %s", bundle);
}

static void check_resolve(int fd, const char *in, const char *want, const char *what)
{
        char out[PATH_MAX];
        int r = rootpath_resolve(fd, in, out, sizeof(out));

        is_int(r, 0, "%s: resolves", what);
        is_str(r == 0 ? out : NULL, want, "%s: %s -> %s", what, in, want);
}

static void test_resolve(void)
{
        char spec[PATH_MAX], out[PATH_MAX];
        int fd;

        /* An image: /var/run -> /run (absolute), /etc/alt -> ../run/x (relative), a loop,
         * links that try to leave the root, a file where a directory is expected. */
        make("dir", "", NULL);
        make("dir", "run", NULL);
        make("dir", "var", NULL);
        make("dir", "etc", NULL);
        make("dir", "tmp", NULL);
        make("link", "var/run", "/run");
        make("link", "var/tmp", "../tmp");
        make("link", "etc/alt", "../run/x");
        make("link", "etc/up", "../../../../");
        make("link", "etc/host", "/../../etc/shadow");
        make("link", "loop1", "loop2");
        make("link", "loop2", "/loop1");
        make("file", "etc/file", NULL);

        snprintf(spec, sizeof(spec), "%s/config.json", bundle);
        fd = rootpath_open(spec, "rootfs");
        ok(fd >= 0, "rootpath_open: a relative root.path is taken from the spec file's directory");

        check_resolve(fd, "/var/run/secrets/kubernetes.io/serviceaccount",
                      "/run/secrets/kubernetes.io/serviceaccount", "absolute link");
        check_resolve(fd, "var/tmp/cache", "/tmp/cache", "relative destination, relative link");
        check_resolve(fd, "//etc/./alt/y/", "/run/x/y", "link to a path that does not exist yet");
        check_resolve(fd, "/etc/up/run", "/run", "a link to ../../.. stops at the root");
        check_resolve(fd, "/etc/host", "/etc/shadow", "an absolute link with .. stays inside");
        check_resolve(fd, "/../../../tmp", "/tmp", ".. above the root");
        check_resolve(fd, "/missing/../run", "/run", ".. after a missing component");
        check_resolve(fd, "/etc/file/x", "/etc/file/x", "below a regular file: kept as written");
        check_resolve(fd, "/", "/", "the root itself");
        check_resolve(fd, "", "/", "an empty destination");
        is_int(rootpath_resolve(fd, "/loop1/x", out, sizeof(out)), -ELOOP,
               "a link loop: -ELOOP, as securejoin gives up");
        is_int(rootpath_resolve(fd, "/var/run/a-long-name", out, 8), -ENAMETOOLONG,
               "a result that does not fit: -ENAMETOOLONG");

        check_resolve(-1, "/var/run/./secrets//x/", "/var/run/secrets/x",
                      "no root: the text is cleaned only");
        check_resolve(-1, "/a/../../b", "/b", "no root: .. never above /");

        ok(rootpath_open(spec, "missing") < 0, "rootpath_open: a missing root gives -1");
        ok(rootpath_open(spec, "") < 0, "rootpath_open: an empty root.path gives -1");
        close(fd);
        snprintf(spec, sizeof(spec), "%s/rootfs", bundle);
        fd = rootpath_open("config.json", spec);
        ok(fd >= 0, "rootpath_open: an absolute root.path is used as is");
        if (fd >= 0)
                close(fd);
}

#define TMPFS_OPTS "[\"mode=1777\",\"size=64m\",\"nosuid\",\"nodev\",\"noexec\"]"
#define TMPFS(dest)                \
        "{\"destination\":\"" dest \
        "\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":" TMPFS_OPTS "}"
/* /run keeps what the image ships there (the process here stays root). */
#define RUN_TMPFS                                                                        \
        "{\"destination\":\"/run\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":" \
        "[\"mode=1777\",\"size=64m\",\"tmpcopyup\",\"nosuid\",\"nodev\",\"noexec\"]}"
#define BIND(dest) "{\"destination\":\"" dest "\",\"type\":\"bind\",\"source\":\"/h\"}"

/* The rootfs rule alone on input, run on the bundle's config.json; output compared. */
static void check_placement(const char *input, const char *want, size_t n, const char *what)
{
        struct policy *p = only_rule(RULE_ROOTFS, "enforce", NULL);
        struct json *doc = doc_of(input), *again = NULL;
        struct harden_result res = {{0}}, res2 = {{0}};
        struct hr_error err = {0};
        char spec[PATH_MAX], *out;

        snprintf(spec, sizeof(spec), "%s/config.json", bundle);
        is_int(harden_spec(p, SPEC_CONFIG, spec, doc, &res, &err), 0, "%s: no error (%s)", what,
               err.msg);
        out = text_of(doc);
        is_str(out, want, "%s: output", what);
        is_int(res.findings.n, n, "%s: %zu findings", what, n);
        again = doc_of(out);
        is_int(harden_spec(p, SPEC_CONFIG, spec, again, &res2, &err), 0, "%s: again", what);
        is_int(res2.findings.n, 0, "%s: idempotent, nothing more to add", what);
        harden_result_done(&res);
        harden_result_done(&res2);
        json_free(doc);
        json_free(again);
        free(out);
        policy_free(p);
}

#define ROOT_RO "\"root\":{\"path\":\"rootfs\",\"readonly\":true}"
#define PROC "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"}"

static void test_placement(void)
{
        /* containerd's order for a pod: kubelet's mounts sorted by depth, the token last. */
        static const char pod_in[] = "{" ROOT_RO ",\"mounts\":[" PROC "," BIND(
                "/etc/hosts") "," BIND("/tmp/cache") "," BIND("/var/run/secrets/token") "]}";
        static const char pod_out[] =
                "{" ROOT_RO ",\"mounts\":[" PROC "," BIND("/etc/hosts") "," TMPFS("/tmp") "," BIND(
                        "/tmp/cache") "," RUN_TMPFS "," BIND("/var/run/secrets/token") "]}";
        /* The engine mounts /var/run itself (it is /run): no scratch /run. */
        static const char varrun_in[] =
                "{\"root\":{\"path\":\"rootfs\"},\"mounts\":[" BIND("/var/run") "]}";
        static const char varrun_out[] =
                "{" ROOT_RO ",\"mounts\":[" BIND("/var/run") "," TMPFS("/tmp") "]}";
        /* A mount above the scratch directory does not move it before that mount. */
        static const char above_in[] =
                "{" ROOT_RO ",\"mounts\":[" BIND("/run/a") "," BIND("/") "]}";
        static const char above_out[] = "{" ROOT_RO ",\"mounts\":[" RUN_TMPFS
                                        "," BIND("/run/a") "," BIND("/") "," TMPFS("/tmp") "]}";

        check_placement(pod_in, pod_out, 2,
                        "scratch /tmp before /tmp/cache, /run before /var/run/secrets (-> /run); "
                        "/var/tmp (-> /tmp) is there already");
        check_placement(varrun_in, varrun_out, 2, "a mount at /var/run counts as one at /run");
        check_placement(above_in, above_out, 2, "before the first mount below it, else at the end");
}

int main(void)
{
        if (!mkdtemp(bundle)) {
                printf("1..0 # SKIP mkdtemp: %s\n", strerror(errno));
                return 0;
        }
        test_resolve();
        test_placement();
        cleanup();
        return tap_done();
}
