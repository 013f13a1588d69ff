/* Replays corpus files through a fuzz target without libFuzzer, so that any compiler's build
 * runs the corpus as an ordinary test (TAP, one line per file). Arguments: files or
 * directories (their regular files, sorted). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int count;

static int run_file(const char *path)
{
        FILE *f = fopen(path, "rbe");
        uint8_t *buf = NULL;
        size_t len = 0, cap = 0, n;

        if (!f) {
                printf("not ok %d - %s: %s\n", ++count, path, strerror(errno));
                return 1;
        }
        do {
                if (len == cap) {
                        cap = cap ? cap * 2 : 65536;
                        buf = realloc(buf, cap);
                        if (!buf)
                                abort();
                }
                n = fread(buf + len, 1, cap - len, f);
                len += n;
        } while (n > 0);
        fclose(f);
        fflush(stdout);
        LLVMFuzzerTestOneInput(buf, len); /* a broken invariant aborts */
        free(buf);
        printf("ok %d - %s\n", ++count, path);
        return 0;
}

static int cmp(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir)
{
        struct dirent *e;
        DIR *d = opendir(dir);
        char **names = NULL;
        size_t n = 0;
        int failed = 0;

        if (!d) {
                printf("not ok %d - %s: %s\n", ++count, dir, strerror(errno));
                return 1;
        }
        while ((e = readdir(d))) {
                if (e->d_name[0] == '.')
                        continue;
                names = realloc(names, (n + 1) * sizeof(*names));
                if (!names || asprintf(&names[n], "%s/%s", dir, e->d_name) < 0)
                        abort();
                n++;
        }
        closedir(d);
        if (n > 0)
                qsort(names, n, sizeof(*names), cmp);
        for (size_t i = 0; i < n; i++) {
                failed += run_file(names[i]);
                free(names[i]);
        }
        free(names);
        return failed;
}

int main(int argc, char **argv)
{
        int failed = 0;

        for (int i = 1; i < argc; i++) {
                struct stat st;

                if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
                        failed += run_dir(argv[i]);
                else
                        failed += run_file(argv[i]);
        }
        printf("1..%d\n", count);
        return failed ? 1 : 0;
}
