/* A stand-in for runc in unit tests: records what it was given (argv, environment, open fds,
 * pid, cwd, and with $FAKE_RUNTIME_READ the content of that path as the runtime would open it)
 * to $FAKE_RUNTIME_OUT, prints canned output, exits with $FAKE_RUNTIME_EXIT. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
        const char *out = getenv("FAKE_RUNTIME_OUT");
        const char *code = getenv("FAKE_RUNTIME_EXIT");
        const char *read_path = getenv("FAKE_RUNTIME_READ");
        char cwd[4096];
        FILE *f;
        DIR *d;
        struct dirent *e;

        if (argc > 1 && strcmp(argv[argc - 1], "--version") == 0) {
                printf("runc version 1.1.5\ncommit: fake\nspec: 1.0.2-dev\n");
                fprintf(stderr, "fake stderr line\n");
        }
        if (!out)
                return code ? atoi(code) : 0;
        f = fopen(out, "we");
        if (!f)
                return 99;
        fprintf(f, "pid=%d\n", (int)getpid());
        fprintf(f, "cwd=%s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
        for (int i = 0; i < argc; i++)
                fprintf(f, "argv[%d]=%s\n", i, argv[i]);
        for (char **env = environ; *env; env++)
                fprintf(f, "env=%s\n", *env);
        d = opendir("/proc/self/fd");
        while (d && (e = readdir(d)))
                if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d) &&
                    atoi(e->d_name) != fileno(f))
                        fprintf(f, "fd=%s\n", e->d_name);
        if (d)
                closedir(d);
        if (read_path) {
                FILE *r = fopen(read_path, "re");
                char buf[4096];
                size_t n = r ? fread(buf, 1, sizeof(buf) - 1, r) : 0;
                buf[n] = '\0';
                fprintf(f, "read=%s\n", r ? buf : "(cannot open)");
                if (r)
                        fclose(r);
        }
        fclose(f);
        return code ? atoi(code) : 0;
}
