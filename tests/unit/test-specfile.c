/* Unit tests for specfile.c: what spec_file_read refuses, and spec_file_replace's atomic,
 * mode-keeping rewrite that leaves nothing behind. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "specfile.h"
#include "tap.h"

static char tmpdir[] = "/tmp/hardrun-test-specfile-XXXXXX";

static void path_in(char *buf, size_t size, const char *name)
{
        snprintf(buf, size, "%s/%s", tmpdir, name);
}

static int write_file(const char *path, const char *data, size_t len, mode_t mode)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        int r = 0;

        if (fd < 0)
                return -errno;
        if (write(fd, data, len) != (ssize_t)len)
                r = -EIO;
        if (fchmod(fd, mode) < 0)
                r = -errno;
        close(fd);
        return r;
}

static char *slurp(const char *path)
{
        static char buf[4096];
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n;

        if (fd < 0)
                return NULL;
        n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n < 0)
                return NULL;
        buf[n] = '\0';
        return buf;
}

/* Entries of dir other than . and ..; names of unexpected ones go to diag. */
static int count_entries(const char *dir, const char *expected)
{
        DIR *d = opendir(dir);
        struct dirent *e;
        int n = 0;

        if (!d)
                return -1;
        while ((e = readdir(d))) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                        continue;
                n++;
                if (!expected || strcmp(e->d_name, expected) != 0)
                        diag("entry in %s: %s", dir, e->d_name);
        }
        closedir(d);
        return n;
}

static void make_subdir(char *buf, size_t size, const char *name)
{
        path_in(buf, size, name);
        if (mkdir(buf, 0700) < 0 && errno != EEXIST)
                diag("mkdir %s: %s", buf, strerror(errno));
}

static void check_read_fails(const char *path, size_t max, int code, const char *part,
                             const char *what)
{
        struct spec_file f = SPEC_FILE_INIT;
        struct hr_error err = {0};
        int r = spec_file_read(path, max, &f, &err);

        is_int(r, code, "%s: refused", what);
        ok(part && strstr(err.msg, part) != NULL, "%s: message says '%s' (%s)", what, part,
           err.msg);
        ok(strncmp(err.msg, path, strlen(path)) == 0, "%s: message starts with the path", what);
        ok(f.dirfd == -1 && f.data == NULL && f.name == NULL, "%s: nothing returned", what);
        spec_file_done(&f);
}

static void test_read(void)
{
        static const char text[] = "{\"ociVersion\":\"1.2.0\"}\n";
        struct spec_file f = SPEC_FILE_INIT;
        struct hr_error err = {0};
        char path[512], other[512], dir[512], cwd[4096];
        char big[100];

        make_subdir(dir, sizeof(dir), "read");
        snprintf(path, sizeof(path), "%s/config.json", dir);
        write_file(path, text, strlen(text), 0644);
        is_int(spec_file_read(path, 1024, &f, &err), 0, "regular file read (%s)", err.msg);
        is_int(f.len, strlen(text), "length");
        ok(f.data && memcmp(f.data, text, strlen(text)) == 0 && f.data[f.len] == '\0',
           "content, NUL-terminated");
        is_str(f.name, "config.json", "name is the last component");
        is_str(f.display, path, "display is the path as given");
        ok(f.dirfd >= 0, "directory fd kept");
        is_int(f.st.st_nlink, 1, "stat kept");
        spec_file_done(&f);
        ok(f.dirfd == -1 && f.data == NULL && f.name == NULL && f.display == NULL,
           "spec_file_done resets");

        /* A spec of a megabyte is read into huge pages, and freed from there. */
        {
                size_t n = 1536 * 1024;
                char *blob = malloc(n);
                bool same;

                if (blob) {
                        for (size_t i = 0; i < n; i++)
                                blob[i] = (char)('a' + i % 26);
                        write_file(path, blob, n, 0644);
                }
                is_int(spec_file_read(path, 4u << 20, &f, &err), 0, "a 1.5 MiB file read (%s)",
                       err.msg);
                same = blob && f.data && f.len == n && memcmp(f.data, blob, n) == 0 &&
                       f.data[n] == '\0';
                ok(same && f.data_mapped >= n + 1,
                   "its content, NUL-terminated, in a mapping of %zu", f.data_mapped);
                spec_file_done(&f);
                ok(f.data == NULL && f.data_mapped == 0, "spec_file_done unmaps it");
                check_read_fails(path, n - 1, -EFBIG, "larger than", "a big file past the limit");
                write_file(path, text, strlen(text), 0644);
                free(blob);
        }

        /* Relative to the current directory. */
        if (getcwd(cwd, sizeof(cwd)) && chdir(dir) == 0) {
                is_int(spec_file_read("config.json", 1024, &f, &err), 0, "relative path read");
                is_str(f.display, "config.json", "relative display");
                spec_file_done(&f);
                if (chdir(cwd) < 0)
                        diag("chdir back: %s", strerror(errno));
        }

        snprintf(other, sizeof(other), "%s/link.json", dir);
        if (symlink("config.json", other) == 0)
                check_read_fails(other, 1024, -ELOOP, "symbolic link", "symlink");

        snprintf(other, sizeof(other), "%s/fifo.json", dir);
        if (mkfifo(other, 0600) == 0) {
                alarm(10); /* a blocking open would hang the test: fail it instead */
                check_read_fails(other, 1024, -EINVAL, "not a regular file", "FIFO");
                alarm(0);
        } else {
                ok(0, "mkfifo: %s", strerror(errno));
        }

        snprintf(other, sizeof(other), "%s/subdir", dir);
        mkdir(other, 0700);
        check_read_fails(other, 1024, -EINVAL, "not a regular file", "directory");
        snprintf(other, sizeof(other), "%s/subdir/", dir);
        check_read_fails(other, 1024, -EISDIR, "directory", "path ending in /");

        snprintf(other, sizeof(other), "%s/hardlink.json", dir);
        if (link(path, other) == 0) {
                check_read_fails(path, 1024, -EMLINK, "2 hard links", "file with 2 links");
                unlink(other);
        } else {
                ok(0, "link: %s", strerror(errno));
        }
        is_int(spec_file_read(path, 1024, &f, &err), 0, "one link again: read");
        spec_file_done(&f);

        snprintf(other, sizeof(other), "%s/missing.json", dir);
        check_read_fails(other, 1024, -ENOENT, "cannot open", "missing file");
        snprintf(other, sizeof(other), "%s/missing-dir/config.json", dir);
        check_read_fails(other, 1024, -ENOENT, "cannot open directory", "missing directory");

        memset(big, 'x', sizeof(big));
        snprintf(other, sizeof(other), "%s/big.json", dir);
        write_file(other, big, sizeof(big), 0644);
        is_int(spec_file_read(other, sizeof(big), &f, &err), 0, "file of exactly max bytes");
        is_int(f.len, sizeof(big), "file of exactly max bytes: length");
        spec_file_done(&f);
        check_read_fails(other, sizeof(big) - 1, -EFBIG, "larger than", "file of max + 1 bytes");

        snprintf(other, sizeof(other), "%s/empty.json", dir);
        write_file(other, "", 0, 0644);
        is_int(spec_file_read(other, 10, &f, &err), 0, "empty file reads");
        ok(f.len == 0 && f.data && f.data[0] == '\0', "empty file: empty string");
        spec_file_done(&f);
}

static void check_replace_mode(mode_t mode)
{
        static const char before[] = "{\"a\":1}\n", after[] = "{\"a\":2,\"b\":[]}\n";
        struct spec_file f = SPEC_FILE_INIT;
        struct hr_error err = {0};
        char dir[512], path[512], name[32];
        struct stat st_before, st_after;
        int old_fd;
        char *text;

        snprintf(name, sizeof(name), "mode%04o", (unsigned)mode);
        make_subdir(dir, sizeof(dir), name);
        snprintf(path, sizeof(path), "%s/config.json", dir);
        write_file(path, before, strlen(before), mode);
        stat(path, &st_before);
        old_fd = open(path, O_RDONLY | O_CLOEXEC);

        is_int(spec_file_read(path, 4096, &f, &err), 0, "%04o: read", (unsigned)mode);
        is_int(spec_file_replace(&f, after, strlen(after), &err), 0, "%04o: replace (%s)",
               (unsigned)mode, err.msg);
        is_int(stat(path, &st_after), 0, "%04o: file still there", (unsigned)mode);
        is_int(st_after.st_mode & 07777, mode, "%04o: mode kept", (unsigned)mode);
        ok(S_ISREG(st_after.st_mode), "%04o: still a regular file", (unsigned)mode);
        is_int(st_after.st_uid, st_before.st_uid, "%04o: owner kept", (unsigned)mode);
        is_int(st_after.st_gid, st_before.st_gid, "%04o: group kept", (unsigned)mode);
        is_int(st_after.st_nlink, 1, "%04o: one link", (unsigned)mode);
        ok(st_after.st_ino != st_before.st_ino, "%04o: a new inode took the name", (unsigned)mode);
        text = slurp(path);
        is_str(text, after, "%04o: new content", (unsigned)mode);
        if (old_fd >= 0) {
                char buf[64] = {0};
                ssize_t n = read(old_fd, buf, sizeof(buf) - 1);
                ok(n == (ssize_t)strlen(before) && strcmp(buf, before) == 0,
                   "%04o: a reader of the old file sees the old content whole", (unsigned)mode);
                close(old_fd);
        }
        is_int(count_entries(dir, "config.json"), 1, "%04o: no temporary file left",
               (unsigned)mode);

        /* The name no longer holds the file that was read. */
        is_int(spec_file_replace(&f, before, strlen(before), &err), -ESTALE,
               "%04o: a second replace with the same read is refused", (unsigned)mode);
        is_str(slurp(path), after, "%04o: refused replace changed nothing", (unsigned)mode);
        is_int(count_entries(dir, "config.json"), 1, "%04o: still no temporary file",
               (unsigned)mode);
        spec_file_done(&f);
}

static void test_replace(void)
{
        static const char mine[] = "{\"mine\":true}\n", theirs[] = "{\"theirs\":true}\n";
        struct spec_file f = SPEC_FILE_INIT;
        struct hr_error err = {0};
        char dir[512], path[512], other[512];

        check_replace_mode(0640);
        check_replace_mode(0666);
        check_replace_mode(0600);
        check_replace_mode(0444);

        /* Swapped between read and replace: rename another file over it. */
        make_subdir(dir, sizeof(dir), "stale");
        snprintf(path, sizeof(path), "%s/config.json", dir);
        snprintf(other, sizeof(other), "%s/other.json", dir);
        write_file(path, mine, strlen(mine), 0644);
        is_int(spec_file_read(path, 4096, &f, &err), 0, "stale: read");
        write_file(other, theirs, strlen(theirs), 0644);
        is_int(rename(other, path), 0, "stale: another file renamed over it");
        is_int(spec_file_replace(&f, "{}", 2, &err), -ESTALE, "stale: replace refused");
        ok(strstr(err.msg, path) && strstr(err.msg, "changed"), "stale: message (%s)", err.msg);
        is_str(slurp(path), theirs, "stale: the other file is left alone");
        is_int(count_entries(dir, "config.json"), 1, "stale: no temporary file left");
        spec_file_done(&f);

        /* Removed between read and replace. */
        write_file(path, mine, strlen(mine), 0644);
        is_int(spec_file_read(path, 4096, &f, &err), 0, "removed: read");
        unlink(path);
        is_int(spec_file_replace(&f, "{}", 2, &err), -ESTALE, "removed: replace refused");
        is_int(count_entries(dir, NULL), 0, "removed: nothing created");
        spec_file_done(&f);

        /* Replaced by a symlink to the same file: not the entry that was read. */
        write_file(path, mine, strlen(mine), 0644);
        is_int(spec_file_read(path, 4096, &f, &err), 0, "symlink swap: read");
        snprintf(other, sizeof(other), "%s/real.json", dir);
        rename(path, other);
        if (symlink("real.json", path) == 0) {
                is_int(spec_file_replace(&f, "{}", 2, &err), -ESTALE,
                       "symlink swap: replace refused");
                ok(slurp(other) && strcmp(slurp(other), mine) == 0,
                   "symlink swap: target untouched");
        }
        spec_file_done(&f);

        /* Empty replacement and owner. */
        make_subdir(dir, sizeof(dir), "owner");
        snprintf(path, sizeof(path), "%s/config.json", dir);
        write_file(path, mine, strlen(mine), 0600);
        if (geteuid() == 0 && chown(path, 4321, 8765) == 0) {
                struct stat st;
                is_int(spec_file_read(path, 4096, &f, &err), 0, "owner: read");
                is_int(spec_file_replace(&f, "", 0, &err), 0, "owner: empty replace");
                stat(path, &st);
                ok(st.st_uid == 4321 && st.st_gid == 8765, "owner: uid and gid kept (root)");
                is_int(st.st_size, 0, "owner: empty content");
                spec_file_done(&f);
        } else {
                is_int(spec_file_read(path, 4096, &f, &err), 0, "empty replace: read");
                is_int(spec_file_replace(&f, "", 0, &err), 0, "empty replace");
                is_str(slurp(path), "", "empty replace: empty content");
                spec_file_done(&f);
        }
        is_int(count_entries(dir, "config.json"), 1, "owner: no temporary file left");
}

/* Exec process files behind one of our own descriptors (exec -p <(...)). */
static void test_own_fd(void)
{
        static const char *const names[][2] = {
                {"/dev/fd/63", "63"},      {"/proc/self/fd/3", "3"},
                {"/dev/stdin", "0"},       {"/dev/fd/0", "0"},
                {"/dev/fd/063", "-1"},     {"/dev/fd/", "-1"},
                {"/dev/fd/6x", "-1"},      {"/dev/fd/99999999999", "-1"},
                {"/dev/fd/../fd/3", "-1"}, {"/tmp/process.json", "-1"},
                {"dev/fd/3", "-1"},        {"/proc/1/fd/3", "-1"},
        };
        struct spec_file f = SPEC_FILE_INIT;
        struct hr_error err = {0};
        char path[64], back[64];
        int p[2], fd;
        ssize_t n;

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                is_int(spec_own_fd(names[i][0]), atoi(names[i][1]), "spec_own_fd(%s)", names[i][0]);

        /* A pipe: drained once, then the same number holds the new content. */
        if (pipe(p) < 0 || write(p[1], "{\"a\":1}", 7) != 7) {
                ok(0, "pipe: %s", strerror(errno));
                return;
        }
        close(p[1]);
        snprintf(path, sizeof(path), "/dev/fd/%d", p[0]);
        is_int(spec_file_read_own_fd(path, p[0], 64, &f, &err), 0, "pipe: read (%s)", err.msg);
        is_str(f.data, "{\"a\":1}", "pipe: content");
        is_int(f.own_fd, p[0], "pipe: own_fd");
        is_int(spec_file_replace(&f, "{\"b\":2}", 7, &err), 0, "pipe: replaced (%s)", err.msg);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        n = fd < 0 ? -1 : read(fd, back, sizeof(back) - 1);
        back[n < 0 ? 0 : n] = '\0';
        is_str(back, "{\"b\":2}", "pipe: %s now reads the new content", path);
        ok(fd >= 0 && write(p[0], "x", 1) < 0 && errno == EPERM,
           "pipe: nobody can write the content (sealed)");
        ok(fcntl(p[0], F_GET_SEALS) == (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL),
           "pipe: the memfd is sealed");
        ok(!(fcntl(p[0], F_GETFD) & FD_CLOEXEC), "pipe: still inherited across execve");
        if (fd >= 0)
                close(fd);
        spec_file_done(&f);
        error_release(&err);

        /* Too much: refused with the bound. */
        if (pipe(p) < 0 || write(p[1], "0123456789", 10) != 10) {
                ok(0, "pipe: %s", strerror(errno));
                return;
        }
        close(p[1]);
        snprintf(path, sizeof(path), "/dev/fd/%d", p[0]);
        is_int(spec_file_read_own_fd(path, p[0], 4, &f, &err), -EFBIG, "pipe over the limit");
        ok(strstr(err.msg, "larger than the limit of 4 bytes") != NULL, "says: %s", err.msg);
        error_release(&err);
        close(p[0]);

        /* Not open, a directory. */
        is_int(spec_file_read_own_fd("/dev/fd/900", 900, 64, &f, &err), -EBADF, "fd 900 not open");
        error_release(&err);
        fd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        snprintf(path, sizeof(path), "/dev/fd/%d", fd);
        is_int(spec_file_read_own_fd(path, fd, 64, &f, &err), -EISDIR, "a directory: refused");
        error_release(&err);
        close(fd);
}

static void cleanup(void)
{
        char cmd[600];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
                diag("could not remove %s", tmpdir);
}

int main(void)
{
        umask(0);
        signal(SIGALRM, SIG_DFL);
        if (!mkdtemp(tmpdir)) {
                ok(0, "mkdtemp: %s", strerror(errno));
                return tap_done();
        }
        test_read();
        test_replace();
        test_own_fd();
        cleanup();
        return tap_done();
}
