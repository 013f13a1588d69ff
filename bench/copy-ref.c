/* The copy-only reference: what any spec-rewriting shim must at least do, with no parsing.
 * Reads BUNDLE/config.json, writes it to a temporary file in the bundle, renames it over the
 * original, then execs the runtime.   copy-ref BUNDLE RUNTIME [ARGS...] */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        char src[4096], tmp[4096];
        struct stat st;
        char *buf;
        int in, out;

        if (argc < 3)
                return 2;
        snprintf(src, sizeof(src), "%s/config.json", argv[1]);
        snprintf(tmp, sizeof(tmp), "%s/.config.json.tmp", argv[1]);
        in = open(src, O_RDONLY | O_CLOEXEC);
        if (in < 0 || fstat(in, &st) < 0)
                return 1;
        buf = malloc((size_t)st.st_size + 1);
        if (!buf || read(in, buf, (size_t)st.st_size) != st.st_size)
                return 1;
        out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, st.st_mode & 07777);
        if (out < 0 || write(out, buf, (size_t)st.st_size) != st.st_size || close(out) < 0)
                return 1;
        if (rename(tmp, src) < 0)
                return 1;
        execv(argv[2], &argv[2]);
        return 127;
}
