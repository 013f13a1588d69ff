/* static-app: the "static binary" workload of the real-image suite, linked statically so it
 * needs nothing from the image (like a Go or Rust service built FROM scratch).
 *
 *   static-app job DIR      writes, reads back and removes DIR/job.out; prints "job ok N"
 *   static-app serve PORT   answers every TCP connection on 127.0.0.1:PORT with "static ok"
 *
 * Errors are one line on stderr in the style of a real service ("job: open ...: reason").
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int job(const char *dir)
{
        static const char payload[] = "result of a batch job\n";
        char path[4096], back[sizeof(payload)];
        ssize_t n;
        int fd;

        snprintf(path, sizeof(path), "%s/job.out", dir);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
                fprintf(stderr, "job: open %s: %s\n", path, strerror(errno));
                return 1;
        }
        if (write(fd, payload, sizeof(payload) - 1) != (ssize_t)sizeof(payload) - 1 ||
            close(fd) < 0) {
                fprintf(stderr, "job: write %s: %s\n", path, strerror(errno));
                return 1;
        }
        fd = open(path, O_RDONLY | O_CLOEXEC);
        n = fd < 0 ? -1 : read(fd, back, sizeof(back));
        if (n != (ssize_t)sizeof(payload) - 1 || memcmp(back, payload, (size_t)n) != 0) {
                fprintf(stderr, "job: read back %s: %s\n", path, n < 0 ? strerror(errno) : "short");
                return 1;
        }
        close(fd);
        unlink(path);
        printf("job ok %zd\n", n);
        return 0;
}

static int serve(const char *port_text)
{
        static const char reply[] = "static ok\n";
        struct sockaddr_in sa = {.sin_family = AF_INET};
        int one = 1, s;

        sa.sin_port = htons((unsigned short)atoi(port_text));
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
            bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 16) < 0) {
                fprintf(stderr, "serve: bind 127.0.0.1:%s: %s\n", port_text, strerror(errno));
                return 1;
        }
        fprintf(stderr, "serve: listening on 127.0.0.1:%s as uid %u\n", port_text,
                (unsigned)getuid());
        signal(SIGPIPE, SIG_IGN);
        for (;;) {
                int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);
                if (c < 0)
                        continue;
                (void)!write(c, reply, sizeof(reply) - 1);
                close(c);
        }
}

int main(int argc, char **argv)
{
        setvbuf(stdout, NULL, _IOLBF, 0);
        if (argc == 3 && strcmp(argv[1], "job") == 0)
                return job(argv[2]);
        if (argc == 3 && strcmp(argv[1], "serve") == 0)
                return serve(argv[2]);
        fprintf(stderr, "usage: static-app job DIR | serve PORT\n");
        return 2;
}
