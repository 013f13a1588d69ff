/* Records one by one: the same reader and parser as the summary, a row or the line itself per
 * record; following polls the file and its name, as tail -F does. */
#include "auditlog-records.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "util/cleanup.h"

#define FOLLOW_POLL_NS (200L * 1000 * 1000)

/* A value as the table shows it: a record's null means absent (before) or removed (after). */
static void render(const struct json *v, char *buf, size_t size)
{
        json_render(json_is_null(v) ? NULL : v, "(absent)", 40, buf, size);
}

/* "changed: user,seccomp; denied: mounts" */
static void summary_text(const struct json *summary, char *buf, size_t size)
{
        size_t o = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < summary->object.n && o < size; i++) {
                const struct json_member *m = &summary->object.members[i];
                o += (size_t)snprintf(buf + o, size - o, "%s%s: ", i ? "; " : "", m->key);
                for (size_t j = 0; j < m->value->array.n && o < size; j++)
                        o += (size_t)snprintf(buf + o, size - o, "%s%s", j ? "," : "",
                                              m->value->array.items[j]->scalar.text);
        }
}

static void print_row(struct auditlog_view *v, const struct auditlog_record *rec)
{
        char change[400], desc[512], before[64], after[64];
        const struct json *path = json_object_get(rec->doc, "path");
        const char *container = rec->container ? rec->container : "(none)";

        if (!v->header_done) {
                fprintf(v->out, "%-19s  %-12s  %-17s  %-12s  %s\n", "TIME", "ACTION", "RULE",
                        "CONTAINER", "CHANGE [WORKLOAD]");
                v->header_done = true;
        }
        if (rec->summary) {
                summary_text(rec->summary, change, sizeof(change));
        } else {
                render(json_object_get(rec->doc, "before"), before, sizeof(before));
                render(json_object_get(rec->doc, "after"), after, sizeof(after));
                if (json_is_clean_string(path) && path->scalar.len > 0)
                        snprintf(change, sizeof(change), "%s: %s -> %s", path->scalar.text, before,
                                 after);
                else /* an exemption: after names it */
                        snprintf(change, sizeof(change), "%s", after);
        }
        auditlog_workload_describe(rec->workload, desc, sizeof(desc));
        fprintf(v->out, "%-19.19s  %-12s  %-17s  ", rec->time,
                finding_action_to_string(rec->action), rec->rule ? rec->rule : "(summary)");
        fprintf(v->out, auditlog_is_engine_id(container) ? "%-12.12s" : "%-12s", container);
        fprintf(v->out, "  %s%s%s%s\n", change, desc[0] ? " [" : "", desc, desc[0] ? "]" : "");
}

/* One line of the log: shown, filtered out, or counted as not a record. */
static int show_line(struct auditlog_view *v, const char *line, size_t len, bool too_long,
                     const char *name)
{
        struct auditlog_record rec;
        int r;

        if (too_long) {
                v->too_long++;
                return 0;
        }
        if (len == 0)
                return 0;
        r = auditlog_record_parse(line, len, &rec);
        if (r == -EINVAL) {
                v->unparseable++;
                if (v->notes)
                        fprintf(v->notes,
                                "hardrunctl: %s: skipped an unparseable line (%llu so far)\n", name,
                                v->unparseable);
                return 0;
        }
        if (r < 0)
                return r;
        if (auditlog_record_matches(v->filter, &rec)) {
                v->shown++;
                if (v->json)
                        fprintf(v->out, "%.*s\n", (int)len, line);
                else
                        print_row(v, &rec);
        }
        auditlog_record_done(&rec);
        return 0;
}

/* Every whole line fd has now; with follow an incomplete last one waits for its end. */
static int drain(struct auditlog_view *v, struct auditlog_reader *rd, bool follow, const char *name,
                 struct hr_error *err)
{
        const char *line;
        size_t len;
        bool too_long;
        int r;

        while ((r = auditlog_reader_next(rd, follow, &line, &len, &too_long)) > 0)
                if ((r = show_line(v, line, len, too_long, name)) < 0)
                        return error_set(err, r, "out of memory");
        if (r < 0)
                return error_set(err, r, "%s: cannot read: %s", name, strerror(-r));
        if (fflush(v->out) != 0 || ferror(v->out))
                return error_set(err, -EPIPE, "cannot write to standard output");
        return 0;
}

int auditlog_show_records(struct auditlog_view *v, int fd, const char *name, struct hr_error *err)
{
        struct auditlog_reader *rd = auditlog_reader_new(fd, ULLONG_MAX);
        int r;

        if (!rd)
                return error_set(err, -ENOMEM, "out of memory");
        r = drain(v, rd, false, name, err);
        auditlog_reader_free(rd);
        return r;
}

/* The log, or -EAGAIN while it does not exist (yet, or between a rotation's rename and its
 * create): following waits for it. */
static int open_log(const char *path, struct stat *st, struct hr_error *err)
{
        int fd = fileio_open_regular(AT_FDCWD, path, false, st, err);

        if (fd == -ENOENT) {
                error_release(err);
                return -EAGAIN;
        }
        return fd < 0 ? error_prefix(err, "%s: ", path) : fd;
}

/* Starting at the end: after the last whole line, so that a record being written is not cut. */
static int seek_end(int fd, off_t size)
{
        char block[4096];
        off_t at = size;

        while (at > 0 && size - at < (off_t)AUDITLOG_LINE_MAX) {
                size_t n = at < (off_t)sizeof(block) ? (size_t)at : sizeof(block);
                char *nl;
                if (pread(fd, block, n, at - (off_t)n) != (ssize_t)n)
                        return -EIO;
                nl = memrchr(block, '\n', n);
                if (nl) {
                        at = at - (off_t)n + (nl - block) + 1;
                        break;
                }
                at -= (off_t)n;
        }
        return lseek(fd, at, SEEK_SET) < 0 ? -errno : 0;
}

int auditlog_follow(struct auditlog_view *v, const char *path, bool from_start,
                    struct hr_error *err)
{
        struct auditlog_reader *rd = auditlog_reader_new(-1, ULLONG_MAX);
        _cleanup_close_ int fd = -1;
        struct stat st, now;
        int r = 0;

        if (!rd)
                return error_set(err, -ENOMEM, "out of memory");
        for (;;) {
                if (fd < 0) {
                        fd = open_log(path, &st, err);
                        if (fd >= 0) {
                                if (!from_start && (r = seek_end(fd, st.st_size)) < 0) {
                                        r = error_set(err, r, "%s: cannot read: %s", path,
                                                      strerror(-r));
                                        break;
                                }
                                /* Whatever comes after the first open is new. */
                                from_start = true;
                                auditlog_reader_reset(rd, fd);
                        } else if (fd != -EAGAIN) {
                                r = fd;
                                break;
                        } else {
                                /* A log that appears later is new from its first byte. */
                                from_start = true;
                        }
                }
                if (fd >= 0 && (r = drain(v, rd, true, path, err)) < 0)
                        break;
                if (fd >= 0 && fstat(fd, &now) == 0 && now.st_size < lseek(fd, 0, SEEK_CUR)) {
                        /* Truncated in place (copytruncate): from the start again. */
                        if (v->notes)
                                fprintf(v->notes,
                                        "hardrunctl: %s: truncated, reading from its start\n",
                                        path);
                        if (lseek(fd, 0, SEEK_SET) < 0) {
                                r = error_set(err, -errno, "%s: cannot seek: %s", path,
                                              strerror(errno));
                                break;
                        }
                        auditlog_reader_reset(rd, fd);
                        continue;
                }
                if (fd >= 0 &&
                    (stat(path, &now) < 0 || now.st_dev != st.st_dev || now.st_ino != st.st_ino)) {
                        /* Renamed away: what was written to it before is read first; a line it
                         * ends without a newline will never be finished. */
                        if ((r = drain(v, rd, false, path, err)) < 0)
                                break;
                        if (v->notes)
                                fprintf(v->notes,
                                        "hardrunctl: %s: rotated, following the new file\n", path);
                        close(TAKE_FD(fd));
                        continue;
                }
                (void)nanosleep(&(struct timespec){0, FOLLOW_POLL_NS}, NULL);
        }
        auditlog_reader_free(rd);
        return r;
}
