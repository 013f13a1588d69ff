/* The floor reference: less than any policy shim of hardrun's shape can do, to show where the
 * copy-only shim's ratio cannot go. It reads the policy file and the spec and checks both with
 * yajl (no document: no callbacks at all), appends one short audit record under the log's lock,
 * then writes the spec back unchanged (temporary file, rename) and execs the runtime. No rule,
 * no document, no serializer; linked as hardrun links yajl.
 *   floor-ref POLICY AUDIT_LOG BUNDLE RUNTIME [ARGS...] */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>

static char *read_file(const char *path, size_t *len, mode_t *mode)
{
        struct stat st;
        char *buf;
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0 || fstat(fd, &st) < 0)
                return NULL;
        buf = malloc((size_t)st.st_size + 1);
        if (!buf || read(fd, buf, (size_t)st.st_size) != st.st_size)
                return NULL;
        close(fd);
        *len = (size_t)st.st_size;
        *mode = st.st_mode & 07777;
        return buf;
}

static int is_json(const char *buf, size_t len)
{
        yajl_handle h = yajl_alloc(NULL, NULL, NULL);

        return h && yajl_parse(h, (const unsigned char *)buf, len) == yajl_status_ok &&
               yajl_complete_parse(h) == yajl_status_ok;
}

int main(int argc, char **argv)
{
        static const char record[] = "{\"time\":\"2026-01-01T00:00:00.000000Z\",\"event\":"
                                     "\"decision\",\"container\":\"id\",\"changes\":1}\n";
        char spec[4096], tmp[4096];
        size_t len, policy_len;
        mode_t mode, policy_mode;
        char *policy, *buf;
        int log, out;

        if (argc < 5)
                return 2;
        policy = read_file(argv[1], &policy_len, &policy_mode);
        if (!policy || !is_json(policy, policy_len))
                return 1;
        snprintf(spec, sizeof(spec), "%s/config.json", argv[3]);
        snprintf(tmp, sizeof(tmp), "%s/.config.json.tmp", argv[3]);
        buf = read_file(spec, &len, &mode);
        if (!buf || !is_json(buf, len))
                return 1;
        log = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
        if (log < 0 || flock(log, LOCK_EX) < 0 ||
            write(log, record, sizeof(record) - 1) != (ssize_t)sizeof(record) - 1 || close(log) < 0)
                return 1;
        out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        if (out < 0 || write(out, buf, len) != (ssize_t)len || close(out) < 0)
                return 1;
        if (rename(tmp, spec) < 0)
                return 1;
        execv(argv[4], &argv[4]);
        return 127;
}
