/* Versions for bug reports and health checks. The runtime is asked for its own --version, the
 * libraries for theirs: libseccomp and yajl at run time, libcap as built (it has no call), and
 * libmount through dlopen, as hardrun loads it. */
#include "ctl-version.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "json.h"
#include "policy.h"
#include "runtime.h"
#include "util/cleanup.h"

#define RUNTIME_VERSION_TIMEOUT_MS 5000

extern char **environ;

/* hardrun lives next to hardrunctl (installed or in the build directory); without it, the
 * lookup skips nothing but hardrunctl itself. */
static void hardrun_path(char *buf, size_t size)
{
        _cleanup_free_ char *self = realpath("/proc/self/exe", NULL);
        char *slash = self ? strrchr(self, '/') : NULL;
        struct stat st;

        if (slash) {
                *slash = '\0';
                snprintf(buf, size, "%s/hardrun", self);
                if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
                        return;
        }
        snprintf(buf, size, "/proc/self/exe");
}

static long elapsed_ms(const struct timespec *start)
{
        struct timespec now;

        clock_gettime(CLOCK_MONOTONIC, &now);
        return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Runs "RUNTIME --version" with the runtime's argv[0], no stdin, stderr dropped, and keeps the
 * first line of its output. */
static int runtime_version(const struct runtime *rt, char *buf, size_t size, struct hr_error *err)
{
        char out[4096];
        size_t len = 0;
        struct timespec start;
        int fds[2], status;
        pid_t pid;

        if (pipe2(fds, O_CLOEXEC) < 0)
                return error_set(err, -errno, "cannot create a pipe: %s", strerror(errno));
        pid = fork();
        if (pid < 0) {
                close(fds[0]);
                close(fds[1]);
                return error_set(err, -errno, "cannot fork: %s", strerror(errno));
        }
        if (pid == 0) {
                char *argv[] = {(char *)rt->argv0, (char *)"--version", NULL};
                int null = open("/dev/null", O_RDWR | O_CLOEXEC);
                if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(fds[1], STDOUT_FILENO) < 0 ||
                    dup2(null, STDERR_FILENO) < 0)
                        _exit(127);
                execve(rt->path, argv, environ);
                _exit(127);
        }
        close(fds[1]);
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (;;) {
                struct pollfd p = {.fd = fds[0], .events = POLLIN};
                long left = RUNTIME_VERSION_TIMEOUT_MS - elapsed_ms(&start);
                ssize_t n;
                if (left <= 0 || len == sizeof(out) - 1)
                        break;
                if (poll(&p, 1, (int)left) <= 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                n = read(fds[0], out + len, sizeof(out) - 1 - len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                len += (size_t)n;
        }
        close(fds[0]);
        /* A runtime that hangs or floods is stopped: we have what we need. */
        if (waitpid(pid, &status, WNOHANG) == 0) {
                kill(pid, SIGKILL);
                (void)waitpid(pid, &status, 0);
        }
        out[len] = '\0';
        out[strcspn(out, "\n")] = '\0';
        if (out[0] == '\0')
                return error_set(err, -EIO, "'%s --version' printed nothing%s", rt->path,
                                 WIFEXITED(status) && WEXITSTATUS(status) == 127
                                         ? " (cannot execute it)"
                                         : "");
        snprintf(buf, size, "%s", out);
        return 0;
}

static void libmount_version(char *buf, size_t size)
{
        int (*get)(const char **);
        const char *v = NULL;
        void *lib = dlopen("libmount.so.1", RTLD_LAZY | RTLD_LOCAL);

        if (!lib) {
                snprintf(buf, size, "not loadable (%s)", dlerror());
                return;
        }
        *(void **)&get = dlsym(lib, "mnt_get_library_version");
        if (get && get(&v) >= 0 && v)
                snprintf(buf, size, "%s", v);
        else
                snprintf(buf, size, "unknown");
        dlclose(lib);
}

int ctl_version_print(FILE *out, const char *policy_path)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        const struct scmp_version *sv = seccomp_version();
        struct hr_error err = {0};
        char self[PATH_MAX + 16];
        char line[HR_ERROR_MSG_MAX];
        struct runtime rt;
        int y = json_yajl_version(), status = 0;

        hardrun_path(self, sizeof(self));
        fprintf(out, "hardrun: %s\n", HARDRUN_VERSION);
        fprintf(out, "hardrun binary: %s\n",
                strcmp(self, "/proc/self/exe") == 0 ? "(not next to hardrunctl)" : self);
        if (policy_load_runtime(policy_path, &p, &err) < 0) {
                fprintf(out, "policy: %s\nruntime: (unknown: the policy cannot be read)\n",
                        err.msg);
                status = 1;
        } else {
                fprintf(out, "policy: %s%s%s\n", p->source,
                        strcmp(p->source, policy_path) == 0 ? "" : ", no file at ",
                        strcmp(p->source, policy_path) == 0 ? "" : policy_path);
                if (runtime_resolve_as(p, self, &rt, &err) < 0) {
                        fprintf(out, "runtime: (none: %s)\n", err.msg);
                        status = 1;
                } else {
                        fprintf(out, "runtime: %s (argv[0] %s)\n", rt.path, rt.argv0);
                        if (runtime_version(&rt, line, sizeof(line), &err) < 0) {
                                snprintf(line, sizeof(line), "(unknown: %s)", err.msg);
                                status = 1;
                        }
                        fprintf(out, "runtime version: %s\n", line);
                }
        }
        fprintf(out, "libseccomp: %u.%u.%u\n", sv ? sv->major : 0, sv ? sv->minor : 0,
                sv ? sv->micro : 0);
        fprintf(out, "yajl: %d.%d.%d\n", y / 10000, y / 100 % 100, y % 100);
        fprintf(out, "libcap: %s (built with)\n", HARDRUN_LIBCAP_VERSION);
        libmount_version(line, sizeof(line));
        fprintf(out, "libmount: %s\n", line);
        return status;
}
