/* Kills a command with SIGKILL the moment a file grows: kill-on-append FILE SPIN -- CMD ARGS...
 * runs CMD and polls FILE's size; once it is larger than at the start, waits SPIN more polls
 * (so kills land at different offsets of a write) and kills CMD. The kernel copies a large
 * write() page by page and gives up at the next page once SIGKILL is pending, so this lands
 * kills inside the audit log's append far more often than a random delay can. Prints "killed"
 * or "exited" (CMD finished before the file grew). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static off_t size_of(const char *path)
{
        struct stat st;

        return stat(path, &st) == 0 ? st.st_size : -1;
}

int main(int argc, char **argv)
{
        const char *file;
        long spin;
        off_t start;
        pid_t pid;
        int status;

        if (argc < 5 || strcmp(argv[3], "--") != 0) {
                fprintf(stderr, "usage: kill-on-append FILE SPIN -- CMD [ARG...]\n");
                return 2;
        }
        file = argv[1];
        spin = strtol(argv[2], NULL, 10);
        start = size_of(file);
        pid = fork();
        if (pid < 0)
                return 2;
        if (pid == 0) {
                execv(argv[4], argv + 4);
                _exit(127);
        }
        for (;;) {
                if (waitpid(pid, &status, WNOHANG) == pid) {
                        puts("exited");
                        return 0;
                }
                if (size_of(file) != start)
                        break;
        }
        for (long i = 0; i < spin; i++)
                (void)size_of(file);
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        puts(WIFSIGNALED(status) ? "killed" : "exited");
        return 0;
}
