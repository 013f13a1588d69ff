/* Benchmark harness: runs alternatives interleaved (each round all of them, in a shuffled order:
 * A C B, B A C, ...), restores the file each one rewrites before every run (untimed), and
 * reports the median wall time and peak RSS of each.
 *
 *   harness ITERATIONS WARMUP [--truncate FILE] --alt NAME SRC DST CMD [ARGS...] [--alt ...]
 *
 * SRC/DST: copy SRC over DST before each run of this alternative ("-" for none). --truncate:
 * empty FILE before each run (an audit log, which would otherwise grow by megabytes). Output,
 * one line per alternative: NAME median_us p10_us p90_us max_rss_kib median_cpu_us
 * median_page_faults. The CPU time (user + system, the runtime it execs included) is what a
 * machine busy with other work distorts least: wall time there includes the wait for a free
 * core. The page faults (minor, the runtime's included) are what a VM that shadows page tables
 * charges most for, 10-20 µs each, and they do not vary from run to run. The kernel counts a
 * page put in place on request (MADV_POPULATE_WRITE) as one too, at a quarter of the price:
 * the count is of pages mapped in, not of traps. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct alt {
        const char *name;
        const char *src, *dst;
        char **argv;
        double *us, *cpu;
        long *rss, *faults;
};

static int copy_file(const char *src, const char *dst)
{
        char buf[1 << 16];
        int in, out;
        ssize_t n;

        in = open(src, O_RDONLY | O_CLOEXEC);
        if (in < 0)
                return -1;
        out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (out < 0) {
                close(in);
                return -1;
        }
        while ((n = read(in, buf, sizeof(buf))) > 0)
                if (write(out, buf, (size_t)n) != n) {
                        n = -1;
                        break;
                }
        close(in);
        close(out);
        return n < 0 ? -1 : 0;
}

static double now_us(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static const char *truncate_path;

/* xorshift64: the same orders on every run of the harness. */
static uint64_t next_random(void)
{
        static uint64_t x = 0x9e3779b97f4a7c15u;

        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
}

static double timeval_us(struct timeval tv)
{
        return (double)tv.tv_sec * 1e6 + (double)tv.tv_usec;
}

static int run_once(struct alt *a, double *ret_us, double *ret_cpu, long *ret_rss, long *ret_faults)
{
        posix_spawn_file_actions_t fa;
        struct rusage ru;
        double start;
        int status;
        pid_t pid;

        if (a->src && copy_file(a->src, a->dst) < 0) {
                fprintf(stderr, "harness: cannot restore %s: %s\n", a->dst, strerror(errno));
                return -1;
        }
        if (truncate_path && truncate(truncate_path, 0) < 0 && errno != ENOENT) {
                fprintf(stderr, "harness: cannot truncate %s: %s\n", truncate_path,
                        strerror(errno));
                return -1;
        }
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        start = now_us();
        if (posix_spawn(&pid, a->argv[0], &fa, NULL, a->argv, environ) != 0) {
                fprintf(stderr, "harness: cannot run %s\n", a->argv[0]);
                return -1;
        }
        if (wait4(pid, &status, 0, &ru) < 0)
                return -1;
        *ret_us = now_us() - start;
        *ret_rss = ru.ru_maxrss;
        *ret_faults = ru.ru_minflt + ru.ru_majflt;
        *ret_cpu = timeval_us(ru.ru_utime) + timeval_us(ru.ru_stime);
        posix_spawn_file_actions_destroy(&fa);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "harness: %s failed (status %d)\n", a->name, status);
                return -1;
        }
        return 0;
}

static int cmp_double(const void *x, const void *y)
{
        double a = *(const double *)x, b = *(const double *)y;
        return (a > b) - (a < b);
}

static int cmp_long(const void *x, const void *y)
{
        long a = *(const long *)x, b = *(const long *)y;
        return (a > b) - (a < b);
}

int main(int argc, char **argv)
{
        struct alt alts[16];
        int n_alts = 0, iterations, warmup;

        if (argc < 4) {
                fprintf(stderr, "usage: harness ITERATIONS WARMUP --alt NAME SRC DST CMD... ...\n");
                return 2;
        }
        iterations = atoi(argv[1]);
        warmup = atoi(argv[2]);
        int first = 3;
        if (argc > 5 && strcmp(argv[3], "--truncate") == 0) {
                truncate_path = argv[4];
                first = 5;
        }
        for (int i = first; i < argc;) {
                struct alt *a;
                int end;
                if (strcmp(argv[i], "--alt") != 0 || i + 4 >= argc || n_alts == 16) {
                        fprintf(stderr, "harness: bad arguments at '%s'\n", argv[i]);
                        return 2;
                }
                for (end = i + 4; end < argc && strcmp(argv[end], "--alt") != 0; end++)
                        ;
                a = &alts[n_alts++];
                a->name = argv[i + 1];
                a->src = strcmp(argv[i + 2], "-") ? argv[i + 2] : NULL;
                a->dst = argv[i + 3];
                /* A NULL-terminated copy of this alternative's command line. */
                a->argv = calloc((size_t)(end - i - 4) + 1, sizeof(char *));
                a->us = calloc((size_t)iterations, sizeof(double));
                a->cpu = calloc((size_t)iterations, sizeof(double));
                a->rss = calloc((size_t)iterations, sizeof(long));
                a->faults = calloc((size_t)iterations, sizeof(long));
                if (!a->argv || !a->us || !a->cpu || !a->rss || !a->faults)
                        return 1;
                memcpy(a->argv, &argv[i + 4], (size_t)(end - i - 4) * sizeof(char *));
                i = end;
        }
        for (int it = -warmup; it < iterations; it++) {
                int order[16];
                /* A fresh order every round: a run pays for what the one before it left behind
                 * (on the test VM, the writeback of a rewritten spec costs the next process up
                 * to 3 ms), so no alternative may follow the same one round after round, as a
                 * rotation would have it. */
                for (int k = 0; k < n_alts; k++)
                        order[k] = k;
                for (int k = n_alts - 1; k > 0; k--) {
                        int j = (int)(next_random() % (uint64_t)(k + 1)), t = order[k];
                        order[k] = order[j];
                        order[j] = t;
                }
                for (int k = 0; k < n_alts; k++) {
                        struct alt *a = &alts[order[k]];
                        double us, cpu;
                        long rss, faults;
                        if (run_once(a, &us, &cpu, &rss, &faults) < 0)
                                return 1;
                        if (it >= 0) {
                                a->us[it] = us;
                                a->cpu[it] = cpu;
                                a->rss[it] = rss;
                                a->faults[it] = faults;
                        }
                }
        }
        for (int k = 0; k < n_alts; k++) {
                struct alt *a = &alts[k];
                qsort(a->us, (size_t)iterations, sizeof(double), cmp_double);
                qsort(a->cpu, (size_t)iterations, sizeof(double), cmp_double);
                qsort(a->rss, (size_t)iterations, sizeof(long), cmp_long);
                qsort(a->faults, (size_t)iterations, sizeof(long), cmp_long);
                printf("%s %.1f %.1f %.1f %ld %.1f %ld\n", a->name, a->us[iterations / 2],
                       a->us[iterations / 10], a->us[iterations * 9 / 10], a->rss[iterations - 1],
                       a->cpu[iterations / 2], a->faults[iterations / 2]);
        }
        return 0;
}
