/* Audit records: built with yajl_gen; appended to the file under an advisory lock, so a writer
 * killed halfway through its append can never cost another writer's record. */
#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "timefmt.h"
#include "util/cleanup.h"

static int gen_string(yajl_gen g, const char *s)
{
        if (!s)
                return yajl_gen_null(g);
        return yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static int gen_json(yajl_gen g, const struct json *n)
{
        int s = yajl_gen_status_ok;

        if (!n)
                return yajl_gen_null(g);
        switch (n->type) {
        case JSON_NULL:
                return yajl_gen_null(g);
        case JSON_FALSE:
        case JSON_TRUE:
                return yajl_gen_bool(g, n->type == JSON_TRUE);
        case JSON_NUMBER:
                return yajl_gen_number(g, n->scalar.text, n->scalar.len);
        case JSON_STRING:
                return yajl_gen_string(g, (const unsigned char *)n->scalar.text, n->scalar.len);
        case JSON_ARRAY:
                s = yajl_gen_array_open(g);
                for (size_t i = 0; !s && i < n->array.n; i++)
                        s = gen_json(g, n->array.items[i]);
                return s ? s : (int)yajl_gen_array_close(g);
        case JSON_OBJECT:
                s = yajl_gen_map_open(g);
                for (size_t i = 0; !s && i < n->object.n; i++) {
                        const struct json_member *m = &n->object.members[i];
                        s = yajl_gen_string(g, (const unsigned char *)m->key, m->key_len);
                        if (!s)
                                s = gen_json(g, m->value);
                }
                return s ? s : (int)yajl_gen_map_close(g);
        case _JSON_TYPE_MAX:
                break;
        }
        return yajl_gen_invalid_string;
}

static void yajl_gen_freep(yajl_gen *g)
{
        if (*g)
                yajl_gen_free(*g);
}

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

static int gen_record(yajl_gen g, const struct audit_context *ctx, const struct finding *x,
                      const char *now)
{
        const struct {
                const char *key;
                const char *value;
        } strings[] = {
                {"time", now},
                {"container", ctx->container_id},
                {"bundle", ctx->bundle},
                {"file", ctx->file},
                {"subcommand", ctx->subcommand},
                {"mode", hr_mode_to_string(x->mode)},
                {"rule", rule_id_to_string(x->rule)},
                {"path", x->path},
        };
        int s = yajl_gen_map_open(g);

        for (size_t i = 0; !s && i < ELEMENTSOF(strings); i++) {
                s = gen_string(g, strings[i].key);
                if (!s)
                        s = gen_string(g, strings[i].value);
        }
        if (!s && ctx->workload) {
                s = gen_string(g, "workload");
                if (!s)
                        s = gen_json(g, ctx->workload);
        }
        if (!s)
                s = gen_string(g, "before");
        if (!s)
                s = gen_json(g, x->before);
        if (!s)
                s = gen_string(g, "after");
        if (!s)
                s = gen_json(g, x->after);
        if (!s)
                s = gen_string(g, "action");
        if (!s)
                s = gen_string(g, finding_action_to_string(x->action));
        if (!s)
                s = yajl_gen_map_close(g);
        return s;
}

int audit_format(const struct audit_context *ctx, const struct findings *f, char **ret_buf,
                 size_t *ret_len, struct hr_error *err)
{
        _cleanup_(yajl_gen_freep) yajl_gen g = yajl_gen_alloc(NULL);
        const unsigned char *out;
        size_t out_len;
        char now[48];
        char *buf;

        if (!g)
                return error_set(err, -ENOMEM, "out of memory");
        yajl_gen_config(g, yajl_gen_validate_utf8, 1);
        time_format_now(now, sizeof(now));
        for (size_t i = 0; i < f->n; i++) {
                int s = gen_record(g, ctx, &f->items[i], now);
                if (s)
                        return error_set(err, -EINVAL,
                                         "cannot format an audit record (yajl_gen status %d)", s);
                /* Ends the line and lets the generator start the next top-level object. */
                yajl_gen_reset(g, "\n");
        }
        yajl_gen_get_buf(g, &out, &out_len);
        buf = malloc(out_len + 1);
        if (!buf)
                return error_set(err, -ENOMEM, "out of memory");
        if (out_len > 0) /* no records: yajl has no buffer, out is NULL */
                memcpy(buf, out, out_len);
        buf[out_len] = '\0';
        *ret_buf = buf;
        *ret_len = out_len;
        return 0;
}

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
 * filesystem has no locks. Polled: flock() has no timeout, and the holder needs microseconds. */
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

int audit_append(const char *path, const char *data, size_t len, struct hr_error *err)
{
        _cleanup_close_ int fd = -1;
        struct iovec iov[2];
        struct stat st;
        size_t n_iov;
        char last = '\n';
        ssize_t n;

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
        /* A writer that died mid-append left its last line open: close it first. */
        if (st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) != 1)
                last = '\n';
        iov[0] = (struct iovec){.iov_base = (char *)"\n", .iov_len = 1};
        iov[1] = (struct iovec){.iov_base = (char *)data, .iov_len = len};
        n_iov = last == '\n' ? 1 : 2;
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
        /* close() drops the lock. */
        return 0;
}

int audit_write(const struct policy *p, const struct audit_context *ctx, const struct findings *f,
                struct hr_error *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t len;
        int r;

        if (f->n == 0 || (!p->audit.file && !p->audit.syslog))
                return 0;
        r = audit_format(ctx, f, &buf, &len, err);
        if (r < 0)
                return r;
        if (p->audit.syslog) {
                char *line = buf, *nl;
                openlog("hardrun", LOG_PID, LOG_AUTHPRIV);
                while ((nl = strchr(line, '\n'))) {
                        syslog(LOG_NOTICE, "%.*s", (int)(nl - line), line);
                        line = nl + 1;
                }
                closelog();
        }
        if (p->audit.file)
                return audit_append(p->audit.file, buf, len, err);
        return 0;
}
