/* pause: the pod sandbox's process for the CRI tests (what registry.k8s.io/pause does). It holds
 * the pod's namespaces, reaps the orphans it inherits as pid 1 (shareProcessNamespace pods) and
 * exits on SIGINT or SIGTERM. Linked statically, so the image holds this file and nothing else. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
        stop = sig;
}

static void on_child(int sig)
{
        (void)sig;
        while (waitpid(-1, NULL, WNOHANG) > 0)
                ;
}

int main(int argc, char **argv)
{
        struct sigaction sa;

        (void)argv;
        if (argc > 1) {
                fprintf(stderr, "usage: pause\n");
                return 2;
        }
        if (getpid() != 1)
                fprintf(stderr, "pause: warning: not pid 1\n");
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_stop;
        if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0)
                return 1;
        sa.sa_handler = on_child;
        sa.sa_flags = SA_NOCLDSTOP;
        if (sigaction(SIGCHLD, &sa, NULL) < 0)
                return 1;
        while (!stop)
                pause();
        fprintf(stderr, "pause: shutting down, got signal %d\n", (int)stop);
        return 0;
}
