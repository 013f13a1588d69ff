/* syscall-probe: runs inside a container to show what its seccomp filter does. Linked
 * statically (glibc), so it needs nothing from the image.
 *
 *   syscall-probe [LABEL=NR[,ARG...]]... [basics] [status]
 *
 * LABEL=NR[,ARG...]  raw syscall(NR, ARG...) (missing arguments are -1, a value no call
 *                    accepts as valid); prints "LABEL ERRNO", 0 when the call succeeded
 * basics             ordinary things a service does; prints "basic:NAME ERRNO" for each
 * status             prints "status:seccomp N" from /proc/self/status
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int raw(const char *spec)
{
        unsigned long long a[7] = {0, -1ULL, -1ULL, -1ULL, -1ULL, -1ULL, -1ULL};
        char label[128], *end;
        const char *eq = strchr(spec, '='), *p;
        long r;

        if (!eq || (size_t)(eq - spec) >= sizeof(label))
                return -1;
        memcpy(label, spec, (size_t)(eq - spec));
        label[eq - spec] = '\0';
        p = eq + 1;
        for (int i = 0; i < 7 && *p; i++) {
                errno = 0;
                a[i] = strtoull(p, &end, 0);
                if (errno || end == p || (*end && *end != ','))
                        return -1;
                p = *end ? end + 1 : end;
        }
        errno = 0;
        r = syscall((long)a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
        printf("%s %d\n", label, r == -1 ? errno : 0);
        return 0;
}

static int file_io(void)
{
        char path[] = "/tmp/syscall-probe-XXXXXX", out[4096], in[4096];
        int fd = mkstemp(path), r = 0;

        if (fd < 0)
                return errno;
        memset(out, 'x', sizeof(out));
        if (write(fd, out, sizeof(out)) != (ssize_t)sizeof(out) || fsync(fd) < 0 ||
            lseek(fd, 0, SEEK_SET) < 0 || read(fd, in, sizeof(in)) != (ssize_t)sizeof(in))
                r = errno ? errno : EIO;
        else if (memcmp(in, out, sizeof(in)) != 0)
                r = EIO;
        close(fd);
        if (unlink(path) < 0 && !r)
                r = errno;
        return r;
}

static int tcp_loopback(void)
{
        struct sockaddr_in addr = {.sin_family = AF_INET};
        socklen_t len = sizeof(addr);
        int srv, cli = -1, con = -1, r = 0;
        char buf[4];

        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        srv = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (srv < 0)
                return errno;
        if (bind(srv, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(srv, 1) < 0 ||
            getsockname(srv, (struct sockaddr *)&addr, &len) < 0 ||
            (cli = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
            connect(cli, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
            (con = accept4(srv, NULL, NULL, SOCK_CLOEXEC)) < 0 || write(cli, "ping", 4) != 4 ||
            read(con, buf, 4) != 4)
                r = errno ? errno : EIO;
        else if (memcmp(buf, "ping", 4) != 0)
                r = EIO;
        if (con >= 0)
                close(con);
        if (cli >= 0)
                close(cli);
        close(srv);
        return r;
}

static void *thread_main(void *arg)
{
        return arg;
}

/* glibc 2.34+ tries clone3 first and falls back to clone on ENOSYS only. */
static int threads(void)
{
        int marker = 42;
        void *ret = NULL;
        pthread_t t;
        int r = pthread_create(&t, NULL, thread_main, &marker);

        if (r)
                return r;
        r = pthread_join(t, &ret);
        return r ? r : ret == &marker ? 0 : EIO;
}

static int spawn(void)
{
        char *argv[] = {"true", NULL};
        int status, r;
        pid_t pid;

        r = posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ);
        if (r)
                return r;
        if (waitpid(pid, &status, 0) < 0)
                return errno;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : ECHILD;
}

static int forking(void)
{
        int status;
        pid_t pid = fork();

        if (pid < 0)
                return errno;
        if (pid == 0)
                _exit(0);
        if (waitpid(pid, &status, 0) < 0)
                return errno;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : ECHILD;
}

static int unix_pair(void)
{
        int sv[2], r = 0;
        char c;

        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
                return errno;
        if (write(sv[0], "x", 1) != 1 || read(sv[1], &c, 1) != 1)
                r = errno ? errno : EIO;
        close(sv[0]);
        close(sv[1]);
        return r;
}

/* What getaddrinfo(AI_ADDRCONFIG) and if_nameindex open. */
static int netlink_route(void)
{
        struct sockaddr_nl nl = {.nl_family = AF_NETLINK};
        int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), r = 0;

        if (fd < 0)
                return errno;
        if (bind(fd, (struct sockaddr *)&nl, sizeof(nl)) < 0)
                r = errno;
        close(fd);
        return r;
}

static int randomness(void)
{
        char buf[16];

        return getrandom(buf, sizeof(buf), 0) == (ssize_t)sizeof(buf) ? 0 : errno;
}

static int epoll(void)
{
        struct epoll_event ev = {.events = EPOLLIN};
        int ep = epoll_create1(EPOLL_CLOEXEC), sv[2], r = 0;

        if (ep < 0)
                return errno;
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
                r = errno;
                close(ep);
                return r;
        }
        if (epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev) < 0 || write(sv[0], "x", 1) != 1 ||
            epoll_wait(ep, &ev, 1, 1000) != 1)
                r = errno ? errno : EIO;
        close(sv[0]);
        close(sv[1]);
        close(ep);
        return r;
}

static void basics(void)
{
        static const struct {
                const char *name;
                int (*run)(void);
        } checks[] = {
                {"file_io", file_io},
                {"tcp_loopback", tcp_loopback},
                {"pthread", threads},
                {"posix_spawn", spawn},
                {"fork", forking},
                {"unix_socketpair", unix_pair},
                {"netlink_route", netlink_route},
                {"getrandom", randomness},
                {"epoll", epoll},
        };

        for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
                errno = 0;
                printf("basic:%s %d\n", checks[i].name, checks[i].run());
                fflush(stdout);
        }
}

static void status(void)
{
        char line[256];
        FILE *f = fopen("/proc/self/status", "re");

        while (f && fgets(line, sizeof(line), f))
                if (strncmp(line, "Seccomp:", 8) == 0)
                        printf("status:seccomp %d\n", atoi(line + 8));
        if (f)
                fclose(f);
}

int main(int argc, char **argv)
{
        int bad = 0;

        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "basics") == 0)
                        basics();
                else if (strcmp(argv[i], "status") == 0)
                        status();
                else if (raw(argv[i]) < 0) {
                        fprintf(stderr, "syscall-probe: bad argument '%s'\n", argv[i]);
                        bad = 1;
                }
                fflush(stdout);
        }
        return bad ? 2 : 0;
}
