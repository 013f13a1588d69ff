/* Audit records: JSON text written straight into a buffer (json_text: yajl_gen's bytes and its
 * UTF-8 check); appended to the file under an advisory lock, so a writer killed halfway through
 * its append can never cost another writer's record; sent to syslog one message per record, at
 * a priority that follows the action. */
#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "timefmt.h"
#include "util/cleanup.h"

/* Before a key or an array item: a comma, unless it opens its object or array. */
static void put_sep(struct json_text *t)
{
        char last = t->len > 0 ? t->buf[t->len - 1] : '{';

        if (last != '{' && last != '[' && last != ':')
                json_text_raw(t, ",", 1);
}

static void put_open(struct json_text *t, char bracket)
{
        put_sep(t);
        json_text_raw(t, &bracket, 1);
}

static void put_close(struct json_text *t, char bracket)
{
        json_text_raw(t, &bracket, 1);
}

/* A string in an array. */
static void put_string(struct json_text *t, const char *s)
{
        put_sep(t);
        json_text_string(t, s);
}

/* A text of hardrun's own that needs no escape (a key; a rule, mode or action name): copied
 * as it is, where a record of thousands of findings would check and scan each byte. */
static void put_plain(struct json_text *t, const char *s)
{
        json_text_raw(t, "\"", 1);
        json_text_raw(t, s, strlen(s));
        json_text_raw(t, "\"", 1);
}

static void put_key(struct json_text *t, const char *key)
{
        put_sep(t);
        put_plain(t, key);
        json_text_raw(t, ":", 1);
}

/* "key": "value" (null when value is NULL). */
static void put_member_string(struct json_text *t, const char *key, const char *value)
{
        put_key(t, key);
        json_text_string(t, value);
}

/* "key": "name", a name of put_plain()'s kind. */
static void put_member_name(struct json_text *t, const char *key, const char *name)
{
        put_key(t, key);
        put_plain(t, name);
}

static void put_member_json(struct json_text *t, const char *key, const struct json *value)
{
        put_key(t, key);
        json_text_value(t, value);
}

/* ---- the workload ---- */

/* Annotations engines put into every spec that name the workload. */
static const char *const workload_annotations[] = {
        "io.kubernetes.pod.namespace",       "io.kubernetes.pod.name",
        "io.kubernetes.container.name",      "io.kubernetes.cri.sandbox-namespace",
        "io.kubernetes.cri.sandbox-name",    "io.kubernetes.cri.container-name",
        "io.kubernetes.cri.container-type",  "io.kubernetes.cri.image-name",
        "io.kubernetes.cri-o.ContainerName", "io.kubernetes.cri-o.ImageName",
        "io.kubernetes.cri-o.ContainerType", "io.container.manager",
        "org.opencontainers.image.ref.name", "org.opencontainers.image.title",
};

struct json *audit_workload_from_spec(const struct json *spec)
{
        const struct json *annotations = json_object_get(spec, "annotations");
        const struct json *hostname = json_object_get(spec, "hostname");
        struct json *w = json_new_object();

        if (!w)
                return NULL;
        if (hostname && hostname->type == JSON_STRING &&
            json_object_set(w, "hostname", json_clone(hostname)) < 0)
                return json_free(w);
        for (size_t i = 0; annotations && annotations->type == JSON_OBJECT &&
                           i < ELEMENTSOF(workload_annotations);
             i++) {
                const struct json *v = json_object_get(annotations, workload_annotations[i]);
                if (v && v->type == JSON_STRING &&
                    json_object_set(w, workload_annotations[i], json_clone(v)) < 0)
                        return json_free(w);
        }
        if (w->object.n == 0)
                return json_free(w);
        return w;
}

/* The first of keys the workload has as a clean string. */
static const char *workload_first(const struct json *workload, const char *const *keys, size_t n)
{
        for (size_t i = 0; workload && workload->type == JSON_OBJECT && i < n; i++) {
                const struct json *v = json_object_get(workload, keys[i]);
                if (json_is_clean_string(v))
                        return v->scalar.text;
        }
        return NULL;
}

const char *audit_workload_name(const struct json *workload)
{
        static const char *const keys[] = {"io.kubernetes.cri.container-name",
                                           "io.kubernetes.cri-o.ContainerName",
                                           "io.kubernetes.container.name"};

        return workload_first(workload, keys, ELEMENTSOF(keys));
}

const char *audit_workload_image(const struct json *workload)
{
        static const char *const keys[] = {"io.kubernetes.cri.image-name",
                                           "io.kubernetes.cri-o.ImageName",
                                           "org.opencontainers.image.ref.name"};

        return workload_first(workload, keys, ELEMENTSOF(keys));
}

bool audit_workload_pod(const struct json *workload, char *buf, size_t size)
{
        static const char *const namespaces[] = {"io.kubernetes.cri.sandbox-namespace",
                                                 "io.kubernetes.pod.namespace"};
        static const char *const names[] = {"io.kubernetes.cri.sandbox-name",
                                            "io.kubernetes.pod.name"};
        const char *ns = workload_first(workload, namespaces, ELEMENTSOF(namespaces));
        const char *name = workload_first(workload, names, ELEMENTSOF(names));
        int n;

        if (!name)
                return false;
        n = snprintf(buf, size, "%s%s%s", ns ? ns : "", ns ? "/" : "", name);
        return n >= 0 && (size_t)n < size;
}

/* ---- records ---- */

/* Severity for syslog and for a summary's action: the first is the most severe. */
static const enum finding_action by_severity[] = {
        FINDING_DENIED,       FINDING_WOULD_DENY, FINDING_CHANGED,
        FINDING_WOULD_CHANGE, FINDING_DETECTED,   FINDING_EXEMPTED,
};

static int syslog_priority(enum finding_action action)
{
        switch (action) {
        case FINDING_DENIED:
                return LOG_WARNING;
        case FINDING_WOULD_DENY:
        case FINDING_DETECTED:
        case FINDING_EXEMPTED:
                return LOG_NOTICE;
        case FINDING_CHANGED:
        case FINDING_WOULD_CHANGE:
        case _FINDING_ACTION_MAX:
                break;
        }
        return LOG_INFO;
}

/* The rule a record names: the policy's command_line section judges some of argv itself. */
static const char *finding_rule_name(const struct finding *x)
{
        return x->command_line ? "command_line" : rule_id_to_string(x->rule);
}

static bool is_refusal(enum finding_action action)
{
        return action == FINDING_DENIED || action == FINDING_WOULD_DENY;
}

/* The members every record of a decision starts with, the same for all of them: when, where,
 * under which policy, which container. */
/* What every record starts with: when, where, under which policy, which container. */
static void put_record_start(struct json_text *t, const struct audit_context *ctx, const char *now)
{
        put_open(t, '{');
        put_member_string(t, "time", now);
        put_member_string(t, "node", ctx->node);
        put_member_string(t, "version", ctx->version);
        put_member_string(t, "policy", ctx->policy);
        put_member_string(t, "container", ctx->container_id);
}

static void gen_head(struct json_text *t, const struct audit_context *ctx, const char *now)
{
        char pod[512];
        const char *name = audit_workload_name(ctx->workload);
        const char *image = audit_workload_image(ctx->workload);

        put_record_start(t, ctx, now);
        if (name)
                put_member_string(t, "name", name);
        if (image)
                put_member_string(t, "image", image);
        if (audit_workload_pod(ctx->workload, pod, sizeof(pod)))
                put_member_string(t, "pod", pod);
        put_member_string(t, "bundle", ctx->bundle);
        put_member_string(t, "file", ctx->file);
        put_member_string(t, "subcommand", ctx->subcommand);
        put_close(t, '}');
}

/* The rest of a finding's record. elide: syslog's short form, without the values that can be
 * long. */
static void gen_finding(struct json_text *t, const struct audit_context *ctx,
                        const struct finding *x, bool elide)
{
        put_open(t, '{');
        put_member_name(t, "mode", hr_mode_to_string(x->mode));
        put_member_name(t, "rule", finding_rule_name(x));
        put_member_string(t, "path", x->path);
        if (ctx->workload && !elide)
                put_member_json(t, "workload", ctx->workload);
        put_member_json(t, "before", elide ? NULL : x->before);
        put_member_json(t, "after", elide ? NULL : x->after);
        if (elide) {
                put_key(t, "elided");
                json_text_raw(t, "true", 4);
        }
        put_member_name(t, "action", finding_action_to_string(x->action));
        put_close(t, '}');
}

static enum finding_action summary_action(const struct findings *f)
{
        bool seen[_FINDING_ACTION_MAX] = {false};

        for (size_t i = 0; i < f->n; i++)
                seen[f->items[i].action] = true;
        for (size_t i = 0; i < ELEMENTSOF(by_severity); i++)
                if (seen[by_severity[i]])
                        return by_severity[i];
        return FINDING_DETECTED;
}

/* The rest of the record for the whole decision: per action, the rules that had it. */
static void gen_summary(struct json_text *t, const struct audit_context *ctx,
                        const struct findings *f, bool elide)
{
        /* One slot per rule, and a last one for the command_line section. */
        bool seen[_FINDING_ACTION_MAX][_RULE_MAX + 1] = {{false}};
        char count[24];

        for (size_t i = 0; i < f->n; i++) {
                const struct finding *x = &f->items[i];
                seen[x->action][x->command_line ? _RULE_MAX : (int)x->rule] = true;
        }
        put_open(t, '{');
        put_member_string(t, "mode", hr_mode_to_string(ctx->policy_mode));
        put_key(t, "summary");
        put_open(t, '{');
        for (int a = 0; a < _FINDING_ACTION_MAX; a++) {
                bool any = false;
                for (int r = 0; r <= _RULE_MAX; r++)
                        any = any || seen[a][r];
                if (!any)
                        continue;
                put_key(t, finding_action_to_string((enum finding_action)a));
                put_open(t, '[');
                for (int r = 0; r <= _RULE_MAX; r++)
                        if (seen[a][r])
                                put_string(t, r == _RULE_MAX ? "command_line"
                                                             : rule_id_to_string((enum rule_id)r));
                put_close(t, ']');
        }
        put_close(t, '}');
        put_key(t, "findings");
        json_text_raw(t, count, (size_t)snprintf(count, sizeof(count), "%zu", f->n));
        if (ctx->workload && !elide)
                put_member_json(t, "workload", ctx->workload);
        if (elide) {
                put_key(t, "elided");
                json_text_raw(t, "true", 4);
        }
        put_member_string(t, "action", finding_action_to_string(summary_action(f)));
        put_close(t, '}');
}

/* Calls fn for each record `which` selects: the finding's index, or SIZE_MAX for the summary. */
static int for_each_record(enum audit_records which, const struct findings *f,
                           int (*fn)(size_t index, void *data), void *data)
{
        int r = 0;

        if (which == AUDIT_RECORDS_SUMMARY)
                return f->n > 0 ? fn(SIZE_MAX, data) : 0;
        for (size_t i = 0; r == 0 && i < f->n; i++)
                if (which == AUDIT_RECORDS_ALL || is_refusal(f->items[i].action))
                        r = fn(i, data);
        return r;
}

/* A decision's records: the shared head is generated once, and each record is that head
 * joined to the members of its own (both are JSON objects: the head loses its '}', the rest
 * its '{'). A dozen findings thus cost one head, not a dozen. */
struct records {
        struct json_text t; /* the members of the record in the making */
        const struct audit_context *ctx;
        const struct findings *f;
        char *head; /* "{...,"subcommand":"create"" */
        size_t head_len;
        char *line; /* the last record, NUL-terminated, without a newline */
        size_t line_len, line_cap;
};

/* A record that could not be written: out of memory, or a string yajl_gen would refuse. */
static int text_error(const struct json_text *t)
{
        return t->error == -ENOMEM ? -ENOMEM : -EINVAL;
}

static int records_init(struct records *x, const struct audit_context *ctx,
                        const struct findings *f)
{
        char now[48];

        *x = (struct records){.t = {.check_utf8 = true}, .ctx = ctx, .f = f};
        time_format_now(now, sizeof(now));
        gen_head(&x->t, ctx, now);
        if (x->t.error)
                return text_error(&x->t);
        x->head_len = x->t.len - 1;
        x->head = malloc(x->head_len);
        if (!x->head)
                return -ENOMEM;
        memcpy(x->head, x->t.buf, x->head_len);
        return 0;
}

static void records_done(struct records *x)
{
        free(x->t.buf);
        free(x->head);
        free(x->line);
}

/* The record of a finding (SIZE_MAX: the summary) into x->line. */
static int records_line(struct records *x, size_t index, bool elide)
{
        size_t len;

        x->t.len = 0;
        if (index == SIZE_MAX)
                gen_summary(&x->t, x->ctx, x->f, elide);
        else
                gen_finding(&x->t, x->ctx, &x->f->items[index], elide);
        if (x->t.error)
                return text_error(&x->t);
        len = x->t.len;
        if (x->head_len + len + 1 > x->line_cap) {
                size_t cap = 2 * (x->head_len + len + 1);
                char *line = realloc(x->line, cap);
                if (!line)
                        return -ENOMEM;
                x->line = line;
                x->line_cap = cap;
        }
        memcpy(x->line, x->head, x->head_len);
        x->line[x->head_len] = ',';
        memcpy(x->line + x->head_len + 1, x->t.buf + 1, len - 1);
        x->line_len = x->head_len + len;
        x->line[x->line_len] = '\0';
        return 0;
}

/* ---- syslog ---- */

struct syslogger {
        struct records x;
        int priority; /* of the summary */
        audit_send_fn send;
        void *data;
};

static int syslog_one(size_t index, void *data)
{
        struct syslogger *l = data;
        int priority =
                index == SIZE_MAX ? l->priority : syslog_priority(l->x.f->items[index].action);
        int r = records_line(&l->x, index, false);

        if (r == 0 && l->x.line_len > AUDIT_SYSLOG_RECORD_MAX)
                r = records_line(&l->x, index, true);
        if (r < 0)
                return r;
        l->send(priority, l->x.line, l->x.line_len, l->data);
        return 0;
}

int audit_syslog_messages(const struct audit_context *ctx, enum audit_records which,
                          const struct findings *f, audit_send_fn send, void *data,
                          struct hr_error *err)
{
        struct syslogger l = {
                .priority = syslog_priority(f->n ? summary_action(f) : FINDING_DETECTED),
                .send = send,
                .data = data,
        };
        int r = records_init(&l.x, ctx, f);

        if (r == 0)
                r = for_each_record(which, f, syslog_one, &l);
        records_done(&l.x);
        if (r < 0)
                return r == -ENOMEM ? error_set(err, r, "out of memory")
                                    : error_set(err, r, "cannot format an audit record");
        return 0;
}

static void send_syslog(int priority, const char *msg, size_t len, void *data)
{
        (void)data;
        syslog(priority, "%.*s", (int)len, msg);
}

/* ---- the file ---- */

#define LOCK_WAIT_NS (1000L * 1000 * 1000)

/* O_RDWR: the last byte is read back under the lock. O_NONBLOCK: opening a FIFO must not
 * wait for a reader (the regular-file check refuses it next). */
static int open_log(const char *path)
{
        const int flags =
                O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
        int fd = open(path, flags, 0640);

        if (fd < 0 && errno == ENOENT) {
                /* First record on this host: create the log directory (one level). */
                _cleanup_free_ char *dir = strdup(path);
                char *slash = dir ? strrchr(dir, '/') : NULL;
                if (slash && slash != dir) {
                        *slash = '\0';
                        (void)mkdir(dir, 0750);
                }
                fd = open(path, flags, 0640);
        }
        return fd < 0 ? -errno : fd;
}

/* 0 locked; -EAGAIN when the holder kept it past the wait; another negative errno when this
 * filesystem has no locks. Polled: flock() has no timeout, and the holder needs microseconds
 * (milliseconds for the megabytes of records of thousands of mounts). */
static int lock_log(int fd)
{
        struct timespec pause = {0, 20 * 1000};
        long waited = 0;

        for (;;) {
                if (flock(fd, LOCK_EX | LOCK_NB) == 0)
                        return 0;
                if (errno == EINTR)
                        continue;
                if (errno != EWOULDBLOCK)
                        return -errno;
                if (waited >= LOCK_WAIT_NS)
                        return -EAGAIN;
                (void)nanosleep(&pause, NULL);
                waited += pause.tv_nsec;
                if (pause.tv_nsec < 4 * 1000 * 1000)
                        pause.tv_nsec *= 2;
        }
}

/* Whether fd is still the file at path: logrotate renames the log away and creates a new one.
 * *ret_st is fd's (its mode zero when fstat fails). */
static bool is_same_file(int fd, const char *path, struct stat *ret_st)
{
        struct stat now;

        if (fstat(fd, ret_st) < 0) {
                ret_st->st_mode = 0;
                return false;
        }
        return fstatat(AT_FDCWD, path, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
               now.st_dev == ret_st->st_dev && now.st_ino == ret_st->st_ino;
}

/* The log at path, opened and locked (see audit_append()); *ret_torn: its last line lacks its
 * newline. */
static int log_open(const char *path, bool *ret_torn, struct hr_error *err)
{
        _cleanup_close_ int fd = -1;
        struct stat st;
        char last = '\n';

        /* A rename between open and lock sends us to the new file; three tries, then the
         * records go where the last open found the log. */
        for (int attempt = 0; attempt < 3; attempt++) {
                if (fd >= 0)
                        close(fd);
                fd = open_log(path);
                if (fd < 0)
                        return error_set(err, fd, "audit log %s: cannot open: %s", path,
                                         strerror(-fd));
                /* Unlocked when the lock cannot be had (see audit.h); never stop here. */
                (void)lock_log(fd);
                if (is_same_file(fd, path, &st))
                        break;
        }
        if (!S_ISREG(st.st_mode))
                return error_set(err, -EINVAL, "audit log %s: not a regular file", path);
        /* A writer that died mid-append left its last line open. */
        if (st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) != 1)
                last = '\n';
        *ret_torn = last != '\n';
        return TAKE_FD(fd);
}

/* Appends data to the locked log fd, after a newline when torn (which it then clears). */
static int log_write(int fd, const char *path, bool *torn, const char *data, size_t len,
                     struct hr_error *err)
{
        struct iovec iov[2] = {
                {.iov_base = (char *)"\n", .iov_len = 1},
                {.iov_base = (char *)data, .iov_len = len},
        };
        size_t n_iov = *torn ? 2 : 1;
        ssize_t n;

        /* O_APPEND places the whole write at the end; only a fatal signal, a full disk or
         * RLIMIT_FSIZE cuts it short, and the rest follows while the lock is still held. */
        for (struct iovec *v = iov + 2 - n_iov; n_iov > 0;) {
                n = writev(fd, v, (int)n_iov);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return error_set(err, -errno, "audit log %s: cannot write: %s", path,
                                         strerror(errno));
                while (n_iov > 0 && (size_t)n >= v->iov_len) {
                        n -= (ssize_t)v->iov_len;
                        v++;
                        n_iov--;
                }
                if (n_iov > 0) {
                        v->iov_base = (char *)v->iov_base + n;
                        v->iov_len -= (size_t)n;
                }
        }
        *torn = false;
        return 0;
}

int audit_append(const char *path, const char *data, size_t len, struct hr_error *err)
{
        _cleanup_close_ int fd = -1;
        bool torn;

        fd = log_open(path, &torn, err);
        if (fd < 0)
                return fd;
        /* close() drops the lock. */
        return log_write(fd, path, &torn, data, len, err);
}

/* ---- the records for the file ---- */

/* Records gathered for the file (path NULL: only gathered, for audit_format()). A decision's
 * records are formatted whole before the log is opened, as long as they fit in a chunk; past
 * that (a spec of thousands of mounts has megabytes of them, which one buffer would take a page
 * fault per 4 KiB to hold) they go out a chunk of whole lines at a time, under one lock. */
#define AUDIT_CHUNK ((size_t)64 * 1024)

struct file_batch {
        struct records x;
        enum audit_records which;
        char *buf;
        size_t len, cap;
        const char *path;
        int fd; /* the log, opened and locked by the first write */
        bool torn;
        int write_error;
        struct hr_error *err;
};

/* Whether the records from finding next on format, memory aside: checked before the first write
 * of a decision too big for one, so that a record that cannot be written leaves the log as it
 * was (the head and the workload, in every record, formatted already). */
static bool rest_writable(const struct file_batch *b, size_t next)
{
        const struct findings *f = b->x.f;

        for (size_t i = next; i < f->n; i++) {
                const struct finding *x = &f->items[i];
                if ((b->which == AUDIT_RECORDS_ALL || is_refusal(x->action)) &&
                    (!json_text_writable(x->path, x->before) ||
                     !json_text_writable(NULL, x->after)))
                        return false;
        }
        return true;
}

/* Writes what b holds; next: the finding whose record comes after it (f->n: none). */
static int batch_flush(struct file_batch *b, size_t next)
{
        int r;

        if (!b->path || b->len == 0)
                return 0;
        if (b->fd < 0) {
                if (!rest_writable(b, next))
                        return -EINVAL;
                b->fd = log_open(b->path, &b->torn, b->err);
                if (b->fd < 0) {
                        b->write_error = b->fd;
                        return b->fd;
                }
        }
        r = log_write(b->fd, b->path, &b->torn, b->buf, b->len, b->err);
        b->len = 0;
        if (r < 0)
                b->write_error = r;
        return r;
}

static int batch_add(size_t index, void *data)
{
        struct file_batch *b = data;
        int r = records_line(&b->x, index, false);

        if (r < 0)
                return r;
        if (b->len + b->x.line_len + 2 > AUDIT_CHUNK &&
            (r = batch_flush(b, index == SIZE_MAX ? b->x.f->n : index + 1)) < 0)
                return r;
        /* The line, its newline, and the NUL audit_format() ends the batch with. */
        if (b->len + b->x.line_len + 2 > b->cap) {
                size_t cap = 2 * (b->len + b->x.line_len + 2);
                char *buf = realloc(b->buf, cap);
                if (!buf)
                        return -ENOMEM;
                b->buf = buf;
                b->cap = cap;
        }
        memcpy(b->buf + b->len, b->x.line, b->x.line_len);
        b->len += b->x.line_len;
        b->buf[b->len++] = '\n';
        return 0;
}

/* The records `which` selects into b (path: and to that log); b->buf holds what is left
 * unwritten. */
static int batch_records(struct file_batch *b, const struct audit_context *ctx,
                         enum audit_records which, const struct findings *f)
{
        int r;

        b->which = which;
        b->buf = malloc(1);
        b->cap = 1;
        r = b->buf ? records_init(&b->x, ctx, f) : -ENOMEM;
        if (r == 0)
                r = for_each_record(which, f, batch_add, b);
        records_done(&b->x);
        if (r < 0) {
                if (b->write_error)
                        return b->write_error; /* said by log_open() or log_write() */
                return r == -ENOMEM ? error_set(b->err, r, "out of memory")
                                    : error_set(b->err, r, "cannot format an audit record");
        }
        b->buf[b->len] = '\0';
        return 0;
}

int audit_format(const struct audit_context *ctx, enum audit_records which,
                 const struct findings *f, char **ret_buf, size_t *ret_len, struct hr_error *err)
{
        struct file_batch b = {.fd = -1, .err = err};
        int r = batch_records(&b, ctx, which, f);

        if (r < 0) {
                free(b.buf);
                return r;
        }
        *ret_buf = b.buf;
        *ret_len = b.len;
        return 0;
}

int audit_write(const struct policy *p, const struct audit_context *ctx, const struct findings *f,
                struct hr_error *err)
{
        struct audit_context full = *ctx;
        struct file_batch b;
        struct utsname host;
        int r;

        if (f->n == 0 || (!p->audit.file && !p->audit.syslog))
                return 0;
        if (uname(&host) == 0)
                full.node = host.nodename;
        full.version = HARDRUN_VERSION;
        full.policy = p->digest[0] ? p->digest : NULL;
        full.policy_mode = p->mode;
        if (p->audit.syslog) {
                /* A datagram per record: records never mix, and each is short enough for the
                 * syslog daemon to take whole. */
                openlog("hardrun", LOG_PID, LOG_AUTHPRIV);
                r = audit_syslog_messages(&full, p->audit.records, f, send_syslog, NULL, err);
                closelog();
                if (r < 0)
                        return r;
        }
        if (!p->audit.file)
                return 0;
        b = (struct file_batch){.fd = -1, .path = p->audit.file, .err = err};
        r = batch_records(&b, &full, p->audit.records, f);
        /* What is left, all of it when it fits in a chunk (none selected: no log opened). Out
         * of memory midway through a bigger one, the whole records written before stay. */
        if (r == 0)
                r = batch_flush(&b, f->n);
        free(b.buf);
        if (b.fd >= 0)
                close(b.fd); /* drops the lock */
        return r;
}

/* An event record: where and under which policy (as a finding's record), who (container,
 * bundle, subcommand), what happened and why. */
static void gen_event(struct json_text *t, const struct audit_context *ctx, const char *now,
                      enum audit_event event, const char *msg)
{
        static const char *const names[_AUDIT_EVENT_MAX] = {
                [AUDIT_EVENT_POLICY_ERROR] = "policy_error",
                [AUDIT_EVENT_POLICY_OFF] = "policy_off",
        };

        put_record_start(t, ctx, now);
        put_member_string(t, "bundle", ctx->bundle);
        put_member_string(t, "subcommand", ctx->subcommand);
        put_member_string(t, "event", names[event]);
        put_member_string(t, "msg", msg);
        put_close(t, '}');
}

int audit_write_event(const struct policy *p, const struct audit_context *ctx,
                      enum audit_event event, const char *msg, struct hr_error *err)
{
        struct json_text t = {.check_utf8 = true};
        _cleanup_free_ char *line = NULL;
        struct audit_context full = *ctx;
        struct utsname host;
        char now[48];
        size_t len;
        int r = 0;

        if (!p->audit.file && !p->audit.syslog)
                return 0;
        if (uname(&host) == 0)
                full.node = host.nodename;
        full.version = HARDRUN_VERSION;
        full.policy = p->digest[0] ? p->digest : NULL;
        time_format_now(now, sizeof(now));
        gen_event(&t, &full, now, event, msg);
        json_text_raw(&t, "\n", 1);
        line = t.buf;
        if (t.error == -ENOMEM)
                return error_set(err, -ENOMEM, "out of memory");
        if (t.error)
                return error_set(err, -EINVAL, "audit record: cannot encode the message");
        len = t.len - 1;
        if (p->audit.syslog) {
                openlog("hardrun", LOG_PID, LOG_AUTHPRIV);
                syslog(event == AUDIT_EVENT_POLICY_ERROR ? LOG_ERR : LOG_WARNING, "%.*s", (int)len,
                       line);
                closelog();
        }
        if (p->audit.file)
                r = audit_append(p->audit.file, line, len + 1, err);
        return r;
}
